"""The Starlette application behind `liability serve`: the page, its fragments, and the JSON API.

Handlers are coroutines that call the library directly, so requests are served one at a time on
the event loop: a reasoner's engines and decision diagrams are built for one caller at a time, and
a local page for one student needs no more.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Awaitable, Callable
from urllib.parse import parse_qsl

import yaml
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..bundled import scenarios_dir
from ..changes import Change
from ..compare import Comparison, compare, parse_as_of
from ..decide import DecisionError
from ..findings import Document as Findings
from ..reasoner import Reasoner
from ..render.html import svg
from ..render.words import penalty_range, question_words, status_label, strength_label
from ..rulebook import RuleError
from ..scenario import Scenario, ScenarioError, utc_today
from ..sources import MAX_BYTES, shown
from ..what_if import WhatIf, what_if
from . import form
from .words import WORDS

LANGS = ("en", "fr")

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
          "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
"""Only the page's own script and stylesheet run: a string that escaped escaping still could not."""

HEADERS = {"Content-Security-Policy": POLICY, "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}


class BadRequest(Exception):
    """A request the page or the API cannot take: its messages, one per problem, and the HTTP status."""

    def __init__(self, problems: list[str], status: int = 422) -> None:
        self.problems = problems
        self.status = status
        super().__init__("\n".join(problems))


async def bounded_body(request: Request) -> bytes:
    """The request body, refused beyond :data:`MAX_BYTES` (the limit on files) as soon as it is
    exceeded, whatever the request's stated length says."""
    stated = request.headers.get("content-length", "")
    if stated.isdigit() and int(stated) > MAX_BYTES:
        raise BadRequest([f"request body: more than {MAX_BYTES} bytes; the limit is {MAX_BYTES}"], 413)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BYTES:
            raise BadRequest([f"request body: more than {MAX_BYTES} bytes; the limit is {MAX_BYTES}"], 413)
        chunks.append(chunk)
    return b"".join(chunks)


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", "en")
    if lang not in LANGS:
        raise BadRequest([f"lang: unknown language `{shown(lang)}`; expected one of: {', '.join(LANGS)}"], 400)
    return lang


def _regimes(request: Request, reasoner: Reasoner) -> list[str] | None:
    """`?regimes=fr,us`, each checked, or None for the scenario's own."""
    written = request.query_params.get("regimes")
    if not written:
        return None
    chosen = [name.strip() for name in written.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in reasoner.regimes]
    if unknown:
        raise BadRequest([f"regimes: unknown regime `{shown(unknown[0])}`; known: {', '.join(reasoner.regimes)}"], 400)
    return chosen


def _dates(written: str, scenario: Scenario, option: str) -> list[tuple[dt.date, dt.date]]:
    """The scenario's own dates, then those `written` adds (`DATE` or `FACTS/JUDGED`, comma-separated)."""
    dates = [(scenario.facts_date, scenario.assessed_on)]
    for value in (part.strip() for part in written.split(",")):
        if not value:
            continue
        try:
            moved = parse_as_of(value)
        except ValueError as error:
            raise BadRequest([f"{option}: {shown(str(error))}; expected YYYY-MM-DD or FACTS/JUDGED, "
                              "comma-separated"], 400) from None
        if moved not in dates:
            dates.append(moved)
    return dates


def _body_name(request: Request, body: bytes) -> str:
    """What messages call the body: JSON when it says so or looks so, YAML otherwise."""
    is_json = "json" in request.headers.get("content-type", "") or body.lstrip().startswith(b"{")
    return "body.json" if is_json else "body.yaml"


class Service:
    """The page and the API over one reasoner."""

    def __init__(self, reasoner: Reasoner) -> None:
        self.reasoner = reasoner
        self.templates = Environment(loader=PackageLoader("liability.web", "templates"),
                                     autoescape=select_autoescape(default=True, default_for_string=True))
        self.examples = {path.stem: path for path in sorted(scenarios_dir().rglob("*.yaml"))}
        """Bundled scenarios by id: a request names an id of this list, never a path."""

    # reading scenarios -------------------------------------------------------------------------

    def from_body(self, request: Request, body: bytes) -> Scenario:
        return self.reasoner.load(_body_name(request, body), body)

    def from_form(self, pairs: list[tuple[str, str]]) -> Scenario:
        data = form.scenario_data(pairs, self.reasoner.vocabulary)
        return self.reasoner.load("form.json", json.dumps(data).encode())

    async def form_pairs(self, request: Request) -> list[tuple[str, str]]:
        body = await bounded_body(request)
        try:
            return parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError:
            raise BadRequest(["form: the body is not UTF-8 text"], 400) from None

    # the page ----------------------------------------------------------------------------------

    async def page(self, request: Request) -> Response:
        lang = _lang(request)
        words = WORDS[lang]
        vocabulary = self.reasoner.vocabulary
        sections = form.fields(vocabulary, lang, words)
        section_help = {name: text.get(lang) for name, text in vocabulary.section_help.items()}
        html = self.templates.get_template("page.html").render(
            lang=lang, words=words, sections=sections, section_help=section_help,
            regimes=[(name, regime.title.get(lang)) for name, regime in self.reasoner.regimes.items()],
            examples=list(self.examples), today=utc_today().isoformat(), other=[l for l in LANGS if l != lang])
        return HTMLResponse(html)

    async def results(self, request: Request) -> Response:
        """The findings, open questions, what-if and comparison for the form as submitted."""
        lang = _lang(request)
        words = WORDS[lang]
        pairs = await self.form_pairs(request)
        fields = dict(pairs)
        try:
            scenario = self.from_form(pairs)
            document = self.reasoner.assess(scenario, lang, explain=False)
            whatif = self._whatif(scenario, fields.get("whatif", ""), lang)
            comparison = compare(self.reasoner, scenario, self.reasoner.regimes_for(scenario),
                                 _dates(fields.get("as_of", ""), scenario, words["as_of"]), lang)
        except (ScenarioError, RuleError, BadRequest) as error:
            html = self.templates.get_template("problems.html").render(words=words, problems=error.problems)
            return HTMLResponse(html, status_code=422)
        html = self.templates.get_template("results.html").render(
            lang=lang, words=words, document=document, whatif=whatif, comparison=comparison,
            question=lambda finding: question_words(finding, lang),
            status=lambda status, kind=None: status_label(status, lang, kind),
            strength=lambda finding: strength_label(finding, lang),
            penalty=lambda finding: penalty_range(finding, lang),
            said=lambda value: words["unknown"] if value is None else words["yes"] if value is True
            else words["no"] if value is False else str(value))
        return HTMLResponse(html)

    async def derivation(self, request: Request) -> Response:
        """One finding's derivation drawn, asked when its drawing is opened: drawing every finding
        on every keystroke would send a megabyte for a page nobody reads whole."""
        lang = _lang(request)
        wanted = tuple(request.query_params.get(key, "") for key in ("regime", "head", "proceeding"))
        document = self.reasoner.assess(self.from_form(await self.form_pairs(request)), lang, explain=False)
        for regime in document.regimes:
            for finding in regime.findings:
                if (regime.regime, finding.head, finding.proceeding) == wanted and finding.derivation:
                    return HTMLResponse(Markup(svg(finding.derivation, lang, document.values)))
        raise BadRequest([f"derivation: no finding `{shown(wanted[1])}` in proceeding `{shown(wanted[2])}` "
                          f"under regime `{shown(wanted[0])}` for this scenario"], 404)

    def _whatif(self, scenario: Scenario, path: str, lang: str) -> WhatIf | None:
        """The findings that change if a yes-or-no fact were otherwise (unknown is taken as yes)."""
        if not path:
            return None
        spec = self.reasoner.vocabulary.facts.get(path)
        if spec is None or spec.kind != "bool":
            raise BadRequest([f"whatif: `{shown(path)}` is not a yes-or-no fact of the vocabulary"], 400)
        flipped = scenario.fact(path) is not True
        return what_if(self.reasoner, scenario, [Change(path, flipped, "true" if flipped else "false")], lang)

    async def download(self, request: Request) -> Response:
        """The form's scenario as a YAML file, validated first so that it loads back."""
        pairs = await self.form_pairs(request)
        try:
            scenario = self.from_form(pairs)
        except ScenarioError as error:
            return PlainTextResponse("\n".join(error.problems) + "\n", status_code=422)
        text = yaml.safe_dump(form.saved_data(scenario), sort_keys=False, allow_unicode=True, width=100)
        return Response(text, media_type="application/x-yaml",
                        headers={"Content-Disposition": f'attachment; filename="{scenario.id}.yaml"'})

    async def upload(self, request: Request) -> Response:
        """An uploaded scenario (its bytes as the body) as the form's field values."""
        scenario = self.from_body(request, await bounded_body(request))
        return JSONResponse({"fields": form.form_values(scenario)})

    async def example(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in self.examples:
            raise BadRequest([f"example: no bundled scenario has the id `{shown(name)}`"], 404)
        return JSONResponse({"fields": form.form_values(self.reasoner.load(self.examples[name]))})

    # the JSON API ------------------------------------------------------------------------------

    async def facts(self, request: Request) -> Response:
        """The fact vocabulary: what a scenario may state, with its questions in both languages."""
        listed = []
        for spec in self.reasoner.vocabulary.facts.values():
            listed.append({"fact": spec.path, "kind": spec.kind, "values": list(spec.values),
                           "labels": {str(code): {"en": text.en, "fr": text.fr} for code, text in spec.labels},
                           "question": {"en": spec.question.en, "fr": spec.question.fr} if spec.question else None,
                           "help": {"en": spec.help.en, "fr": spec.help.fr} if spec.help else None})
        return JSONResponse({"schema": "liability/facts-v1", "facts": listed})

    async def assess(self, request: Request) -> Response:
        """`POST /assess`: a scenario (JSON or YAML body) -> the findings document."""
        lang = _lang(request)
        only = _regimes(request, self.reasoner)
        document: Findings = self.reasoner.assess(self.from_body(request, await bounded_body(request)), lang, only)
        return JSONResponse(document.as_json())

    async def compare(self, request: Request) -> Response:
        """`POST /compare?regimes=fr,us&as_of=2016-06-01,2019-06-01`: regimes and dates side by side."""
        lang = _lang(request)
        only = _regimes(request, self.reasoner)
        scenario = self.from_body(request, await bounded_body(request))
        dates = _dates(request.query_params.get("as_of", ""), scenario, "as_of")
        result: Comparison = compare(self.reasoner, scenario, only or self.reasoner.regimes_for(scenario), dates, lang)
        return JSONResponse(result.as_json())


Handler = Callable[[Request], Awaitable[Response]]


def _answering(handler: Handler) -> Handler:
    """`handler` with bad input answered as the command line says it, one message per problem,
    and the page's security headers on every answer."""
    async def answer(request: Request) -> Response:
        try:
            response = await handler(request)
        except BadRequest as error:
            response = JSONResponse({"problems": error.problems}, status_code=error.status)
        except (ScenarioError, RuleError) as error:
            response = JSONResponse({"problems": error.problems}, status_code=422)
        except DecisionError as error:
            response = JSONResponse({"problems": [str(error)]}, status_code=422)
        response.headers.update(HEADERS)
        return response
    return answer


def create_app(reasoner: Reasoner | None = None) -> Starlette:
    """The application; `reasoner` defaults to the bundled packs with the direct engine (the same
    findings as experta's, proven, and fast enough to answer every keystroke)."""
    service = Service(reasoner or Reasoner(None, "direct"))
    routes = [
        Route("/", _answering(service.page)),
        Route("/page/results", _answering(service.results), methods=["POST"]),
        Route("/page/derivation", _answering(service.derivation), methods=["POST"]),
        Route("/page/scenario.yaml", _answering(service.download), methods=["POST"]),
        Route("/page/upload", _answering(service.upload), methods=["POST"]),
        Route("/page/example/{name}", _answering(service.example)),
        Route("/facts", _answering(service.facts)),
        Route("/assess", _answering(service.assess), methods=["POST"]),
        Route("/compare", _answering(service.compare), methods=["POST"]),
        Mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static"),
    ]
    return Starlette(routes=routes)


def serve(host: str, port: int, reasoner: Reasoner | None = None) -> None:
    """Run the application with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(create_app(reasoner), host=host, port=port, log_level="warning", server_header=False)


