"""The Starlette application behind `liability serve`: the page, its fragments, and the JSON API.

Handlers read the request on the event loop and hand the reasoning to a worker thread, so that
a long assessment never keeps the page, its script or the vocabulary from answering. Assessments
themselves still run one at a time, under one lock: a reasoner's experta engines are reset and
run in place, each regime's decision-diagram manager is shared by every scenario it decides, and
its engines, rulebooks and encodings are built on first use; none of that is made for two callers
at once (and under Python's global lock two assessments would not run faster side by side).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import threading
from pathlib import Path
from typing import Any, Awaitable, Callable, TypeVar
from urllib.parse import parse_qsl

import yaml
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
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
from ..scenario import UNKNOWN, Scenario, ScenarioError, utc_today
from ..sources import MAX_BYTES, SourceError, read_document, shown
from ..what_if import WhatIf, what_if
from . import form
from .words import MESSAGES, WORDS

LANGS = ("en", "fr")

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
          "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
"""Only the page's own script and stylesheet run: a string that escaped escaping still could not."""

HEADERS = {"Content-Security-Policy": POLICY, "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}

WHATIF_KINDS = ("bool", "choice")
"""The facts a what-if can set to each of their other values: a closed list of values."""

T = TypeVar("T")


class BadRequest(Exception):
    """A request the page or the API cannot take: one of the server's messages (:data:`MESSAGES`)
    with its values, said in the language of the request, and the HTTP status."""

    def __init__(self, message: str, status: int = 422, **values: str) -> None:
        self.message = message
        self.values = values
        self.status = status
        super().__init__(self.said("en")[0])

    def said(self, lang: str) -> list[str]:
        return [MESSAGES[lang][self.message].format(**self.values)]


def problems_in(error: Exception, lang: str) -> list[str]:
    """What a refused request is told, in `lang` where the message was written in it (the rule
    packs' load errors and the decision guard's are the command line's, in English only)."""
    if isinstance(error, BadRequest):
        return error.said(lang)
    if isinstance(error, ScenarioError):
        return error.in_language(lang)
    if isinstance(error, RuleError):
        return error.problems
    return [str(error)]


async def bounded_body(request: Request) -> bytes:
    """The request body, refused beyond :data:`MAX_BYTES` (the limit on files) as soon as it is
    exceeded, whatever the request's stated length says."""
    stated = request.headers.get("content-length", "")
    if stated.isdigit() and int(stated) > MAX_BYTES:
        raise BadRequest("too_large", 413, limit=str(MAX_BYTES))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BYTES:
            raise BadRequest("too_large", 413, limit=str(MAX_BYTES))
        chunks.append(chunk)
    return b"".join(chunks)


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", "en")
    if lang not in LANGS:
        raise BadRequest("lang", 400, lang=shown(lang), known=", ".join(LANGS))
    return lang


def _answer_lang(request: Request) -> str:
    """The language to refuse a request in: its own, or English when it names none we speak."""
    lang = request.query_params.get("lang", "en")
    return lang if lang in LANGS else "en"


def _regimes(request: Request, reasoner: Reasoner) -> list[str] | None:
    """`?regimes=fr,us`, each checked, or None for the scenario's own."""
    written = request.query_params.get("regimes")
    if not written:
        return None
    chosen = [name.strip() for name in written.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in reasoner.regimes]
    if unknown:
        raise BadRequest("regimes", 400, name=shown(unknown[0]), known=", ".join(reasoner.regimes))
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
            raise BadRequest("as_of", 400, option=option, error=shown(str(error)), written=shown(value)) from None
        if moved not in dates:
            dates.append(moved)
    return dates


def _body_name(request: Request, body: bytes) -> str:
    """What messages call the body: JSON when it says so or looks so, YAML otherwise."""
    is_json = "json" in request.headers.get("content-type", "") or body.lstrip().startswith(b"{")
    return "body.json" if is_json else "body.yaml"


def _example_title(path: Path) -> str | None:
    """A bundled scenario's title as its file writes it (one line, in the language it was written
    in), read without the rules: the list of examples is shown before anything is assessed."""
    try:
        data = read_document(path).data
    except SourceError:
        return None
    title = data.get("title") if isinstance(data, dict) else None
    return title if isinstance(title, str) and title.strip() else None


class Service:
    """The page and the API over one reasoner."""

    def __init__(self, reasoner: Reasoner) -> None:
        self.reasoner = reasoner
        self.templates = Environment(loader=PackageLoader("liability.web", "templates"),
                                     autoescape=select_autoescape(default=True, default_for_string=True))
        self.examples = {path.stem: path for path in sorted(scenarios_dir().rglob("*.yaml"))}
        """Bundled scenarios by id: a request names an id of this list, never a path."""
        self._titles: dict[str, str | None] | None = None
        self._reasoning = threading.Lock()

    async def reasoned(self, work: Callable[[], T]) -> T:
        """`work` (anything that uses the reasoner) run in a worker thread, one at a time."""
        def locked() -> T:
            with self._reasoning:
                return work()
        return await run_in_threadpool(locked)

    @property
    def titles(self) -> dict[str, str | None]:
        """Each bundled example's title, read once."""
        if self._titles is None:
            self._titles = {name: _example_title(path) for name, path in self.examples.items()}
        return self._titles

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
            raise BadRequest("not_utf8", 400) from None

    # the page ----------------------------------------------------------------------------------

    async def page(self, request: Request) -> Response:
        lang = _lang(request)
        words = WORDS[lang]
        vocabulary = self.reasoner.vocabulary
        sections = form.fields(vocabulary, lang, words)
        titles = await run_in_threadpool(lambda: self.titles)  # 127 small files, read on the first page only
        html = self.templates.get_template("page.html").render(
            lang=lang, words=words, sections=sections,
            section_help={name: text.get(lang) for name, text in vocabulary.section_help.items()},
            section_label={name: text.get(lang) for name, text in vocabulary.section_labels.items()},
            regimes=[(name, regime.title.get(lang)) for name, regime in self.reasoner.regimes.items()],
            examples=list(titles.items()), today=utc_today().isoformat(), other=[l for l in LANGS if l != lang])
        return HTMLResponse(html)

    async def results(self, request: Request) -> Response:
        """The findings, open questions, what-if and comparison for the form as submitted."""
        lang = _lang(request)
        pairs = await self.form_pairs(request)
        return await self.reasoned(lambda: self._results(pairs, lang))

    def _results(self, pairs: list[tuple[str, str]], lang: str) -> Response:
        words = WORDS[lang]
        fields = dict(pairs)
        try:
            scenario = self.from_form(pairs)
            document = self.reasoner.assess(scenario, lang, explain=False)
            whatif = self._whatif(scenario, fields.get("whatif", ""), lang)
            comparison = compare(self.reasoner, scenario, self.reasoner.regimes_for(scenario),
                                 _dates(fields.get("as_of", ""), scenario, words["as_of"]), lang)
        except (ScenarioError, RuleError, BadRequest) as error:
            html = self.templates.get_template("problems.html").render(words=words, problems=problems_in(error, lang))
            return HTMLResponse(html, status_code=422)
        values = document.values

        def said(value: Any, fact: str | None = None) -> str:
            """A fact's value in words: what-ifs record an unknown one as `unknown`."""
            if value is None or value == UNKNOWN:
                return words["unknown"]
            if isinstance(value, bool):
                return words["yes"] if value else words["no"]
            return values.get(fact or "", {}).get(str(value), str(value))

        html = self.templates.get_template("results.html").render(
            lang=lang, words=words, document=document, whatif=whatif, comparison=comparison,
            question=lambda finding: question_words(finding, lang),
            status=lambda status, kind=None: status_label(status, lang, kind),
            strength=lambda finding: strength_label(finding, lang),
            penalty=lambda finding: penalty_range(finding, lang), said=said)
        return HTMLResponse(html)

    async def derivation(self, request: Request) -> Response:
        """One finding's derivation drawn, asked when its drawing is opened: drawing every finding
        on every keystroke would send a megabyte for a page nobody reads whole."""
        lang = _lang(request)
        wanted = tuple(request.query_params.get(key, "") for key in ("regime", "head", "proceeding"))
        pairs = await self.form_pairs(request)
        document = await self.reasoned(lambda: self.reasoner.assess(self.from_form(pairs), lang, explain=False))
        for regime in document.regimes:
            for finding in regime.findings:
                if (regime.regime, finding.head, finding.proceeding) == wanted and finding.derivation:
                    return HTMLResponse(Markup(svg(finding.derivation, lang, document.values)))
        raise BadRequest("derivation", 404, regime=shown(wanted[0]), head=shown(wanted[1]), proceeding=shown(wanted[2]))

    def _whatif(self, scenario: Scenario, written: str, lang: str) -> WhatIf | None:
        """The findings that change if a yes-or-no or choice fact took another value (`FACT=VALUE`;
        the fact may be unknown, then each of its values is a what-if)."""
        if not written:
            return None
        path, equals, value = written.partition("=")
        if not equals or not path or not value:
            raise BadRequest("whatif_form", 400, written=shown(written))
        facts = self.reasoner.vocabulary.facts
        spec = facts.get(path)
        if spec is None or spec.kind not in WHATIF_KINDS:
            candidates = [name for name, each in facts.items() if each.kind in WHATIF_KINDS]
            close = difflib.get_close_matches(path, candidates, n=1, cutoff=0.6)
            hint = MESSAGES[lang]["did_you_mean"].format(close=close[0]) if close else ""
            raise BadRequest("whatif_fact", 400, fact=shown(path), hint=hint)
        values = {str(each).lower(): each for each in spec.values}
        if value not in values:
            raise BadRequest("whatif_value", 400, value=shown(value), fact=path, values=", ".join(values))
        return what_if(self.reasoner, scenario, [Change(path, values[value], value)], lang)

    async def download(self, request: Request) -> Response:
        """The form's scenario as a YAML file, validated first so that it loads back."""
        lang = _answer_lang(request)
        pairs = await self.form_pairs(request)
        try:
            scenario = await self.reasoned(lambda: self.from_form(pairs))
        except ScenarioError as error:
            return PlainTextResponse("\n".join(error.in_language(lang)) + "\n", status_code=422)
        text = yaml.safe_dump(form.saved_data(scenario), sort_keys=False, allow_unicode=True, width=100)
        return Response(text, media_type="application/x-yaml",
                        headers={"Content-Disposition": f'attachment; filename="{scenario.id}.yaml"'})

    async def upload(self, request: Request) -> Response:
        """An uploaded scenario (its bytes as the body) as the form's field values."""
        body = await bounded_body(request)
        scenario = await self.reasoned(lambda: self.from_body(request, body))
        return JSONResponse({"fields": form.form_values(scenario)})

    async def example(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in self.examples:
            raise BadRequest("example", 404, name=shown(name))
        scenario = await self.reasoned(lambda: self.reasoner.load(self.examples[name]))
        return JSONResponse({"fields": form.form_values(scenario)})

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
        body = await bounded_body(request)
        document: Findings = await self.reasoned(lambda: self.reasoner.assess(self.from_body(request, body), lang, only))
        return JSONResponse(document.as_json())

    async def compare(self, request: Request) -> Response:
        """`POST /compare?regimes=fr,us&as_of=2016-06-01,2019-06-01`: regimes and dates side by side."""
        lang = _lang(request)
        only = _regimes(request, self.reasoner)
        body = await bounded_body(request)

        def compared() -> Comparison:
            scenario = self.from_body(request, body)
            dates = _dates(request.query_params.get("as_of", ""), scenario, "as_of")
            return compare(self.reasoner, scenario, only or self.reasoner.regimes_for(scenario), dates, lang)
        result = await self.reasoned(compared)
        return JSONResponse(result.as_json())


Handler = Callable[[Request], Awaitable[Response]]


def _answering(handler: Handler) -> Handler:
    """`handler` with bad input answered as the command line says it, one message per problem, in
    the request's language where the message has one, and the page's security headers on every
    answer."""
    async def answer(request: Request) -> Response:
        try:
            response = await handler(request)
        except BadRequest as error:
            response = JSONResponse({"problems": problems_in(error, _answer_lang(request))}, status_code=error.status)
        except (ScenarioError, RuleError, DecisionError) as error:
            response = JSONResponse({"problems": problems_in(error, _answer_lang(request))}, status_code=422)
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


