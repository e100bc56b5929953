"""Reforms: a YAML overlay on the rule packs, applied in memory and checked like the packs.

A reform says how the law would change: a rule's condition, strength, dates or reason amended, a
rule repealed (from a date, or altogether), a rule added to a pack, a penalty's versions rewritten.
It never touches the rules folder: the packs' documents are read, changed in memory, and handed to
the same loader and cross-checks as the packs themselves (fact paths, conclusions produced,
stratification, official addresses, dates), then linted. Each problem is reported against the
overlay, ``OVERLAY.yaml:line: change n: rule id: problem``, since that is the file to correct.

A reformed rulebook is never cached: the rulebook cache keys its entries by the packs' bytes, and
a reform's rulebook is not what those bytes say.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from pydantic import Field, ValidationError

from .lint import lint
from .loading import load_rulebook
from .rulebook import InForce, PenaltyVersion, Regime, Rulebook, RuleData, RuleError, declarations_of
from .scenario import Date
from .schema import Strength, Strict, Text, official
from .sources import Document, SourceError, read_document, shown

REFORM_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
VERBS = ("amend", "repeal", "add", "penalty")
"""The key that says what a change does; each change has exactly one."""


class ReformHeader(Strict):
    """What the reform is and where it is written (a bill, a report, the article it rewrites)."""

    id: str = Field(pattern=REFORM_ID.pattern)
    title: Text
    cites: str = Field(min_length=1)
    url: str = Field(min_length=1)


class Amend(Strict):
    """A rule rewritten in part: each key given replaces the rule's own."""

    amend: str
    when: Any = None
    unless: list[str] | None = None
    strength: Strength | None = None
    in_force: InForce | None = None
    penalty: str | None = None
    cites: str | None = Field(None, min_length=1)
    url: str | None = Field(None, min_length=1)
    because: Text | None = None


class Repeal(Strict):
    """A rule repealed: from the day `on` (its `in_force` then ends the day before), or altogether."""

    repeal: str
    on: Date | None = None


class AddedRule(RuleData):
    """A new rule in the pack format, with the pack it joins."""

    pack: str


class Add(Strict):
    add: AddedRule


class PenaltyChange(Strict):
    """A penalty's versions rewritten, as the pack format writes them (day after day, the last open)."""

    penalty: str
    versions: list[PenaltyVersion] = Field(min_length=1)


Change = Amend | Repeal | Add | PenaltyChange
_MODELS: dict[str, type[Strict]] = {"amend": Amend, "repeal": Repeal, "add": Add, "penalty": PenaltyChange}


@dataclass(frozen=True)
class Applied:
    """One change as applied: its number, line, what it does and to which rule or penalty."""

    number: int
    line: int | None
    verb: str
    target: str
    pack_file: str


@dataclass
class Reform:
    """A checked overlay: its header, its changes, and each regime's reformed rulebook."""

    file: str
    header: ReformHeader
    changes: list[Applied]
    rulebooks: dict[str, Rulebook]
    """The reformed rulebook of each regime a change reaches; the others are unchanged."""
    warnings: list[str] = field(default_factory=list)
    """What `rules lint` would say of the reformed rules and not of the packs."""


def load_reform(path: Path | str, regimes: dict[str, Regime], directory: Path,
                base: Callable[[str], Rulebook]) -> Reform:
    """Read, apply and check an overlay against the rules folder `directory`, whose regimes'
    rulebooks `base` gives; raise :class:`RuleError` with every problem, located in the overlay."""
    name = str(path)
    try:
        document = read_document(path)
    except SourceError as error:
        raise RuleError([str(error)]) from None
    header, changes = _parsed(name, document)
    packs = _packs(regimes, directory, base)
    documents: dict[Path, Document] = {}
    applied: list[Applied] = []
    problems: list[str] = []
    for number, change in enumerate(changes, 1):
        line = document.line_of(("changes", number - 1))
        where = f"{name}:{line}: change {number}" if line else f"{name}: change {number}"
        try:
            applied.append(_apply(change, number, line, packs, documents, directory))
        except _Refused as refused:
            problems.append(f"{where}: {refused}")
    hosts = {host for book in (base(r) for r in regimes) for pack in book.packs if pack.descriptor
             for host in pack.descriptor.hosts}
    if not official(header.url, sorted(hosts)):
        line = document.line_of(("reform", "url"))
        problems.append(f"{name}:{line}: reform: url `{shown(header.url)}` is not an https address on an official site "
                        "of the rules folder's jurisdictions")
    if problems:
        raise RuleError(problems)
    books, warnings = _reformed_books(regimes, directory, documents, applied, name, base)
    return Reform(name, header, applied, books, warnings)


class _Refused(Exception):
    """A change that cannot be applied (its rule or pack does not exist, or is named twice)."""


def _parsed(name: str, document: Document) -> tuple[ReformHeader, list[Change]]:
    """The overlay's header and changes, each change checked by the model its verb names."""
    data = document.data
    problems: list[str] = []
    if not isinstance(data, dict):
        raise RuleError([f"{document.where(())}: an overlay is a mapping with `reform` and `changes`"])
    for key in data:
        if key not in ("reform", "changes"):
            close = difflib.get_close_matches(str(key), ["reform", "changes"], n=1)
            hint = f" - did you mean `{close[0]}`?" if close else " (expected `reform` and `changes`)"
            problems.append(f"{document.where((key,))}: unknown key `{shown(key)}`{hint}")
    header = None
    try:
        header = ReformHeader.model_validate(data.get("reform"))
    except ValidationError as error:
        problems.extend(_located(name, error, document, ("reform",), "reform", ReformHeader))
    raw_changes = data.get("changes")
    changes: list[Change] = []
    if not isinstance(raw_changes, list) or not raw_changes:
        problems.append(f"{document.where(('changes',))}: `changes` must be a list of at least one change "
                        f"({', '.join(VERBS)})")
        raw_changes = []
    for index, raw in enumerate(raw_changes):
        where = f"{document.where(('changes', index))}: change {index + 1}"
        verbs = [verb for verb in VERBS if isinstance(raw, dict) and verb in raw]
        if len(verbs) != 1:
            keys = ", ".join(f"`{shown(k)}`" for k in raw) if isinstance(raw, dict) else "none"
            close = difflib.get_close_matches(str(next(iter(raw), "")), VERBS, n=1) if isinstance(raw, dict) else []
            hint = f" - did you mean `{close[0]}`?" if close and not verbs else ""
            problems.append(f"{where}: a change has exactly one of {', '.join(VERBS)} (found {keys}){hint}")
            continue
        try:
            changes.append(_MODELS[verbs[0]].model_validate(raw))  # type: ignore[arg-type]
        except ValidationError as error:
            problems.extend(_located(name, error, document, ("changes", index), f"change {index + 1}",
                                     _MODELS[verbs[0]]))
    if problems or header is None:
        raise RuleError(problems)
    return header, changes


def _located(name: str, error: ValidationError, document: Document, prefix: tuple[Any, ...],
             subject: str, model: type[Strict]) -> list[str]:
    """Validation errors of one part of the overlay, each at the line of its key:
    `name:line: subject: key: problem`; an unknown key of the part itself with the nearest known."""
    keys = [field.alias or key for key, field in model.model_fields.items()]
    located = []
    for item in error.errors():
        location = prefix + tuple(item["loc"])
        line = document.line_of(location)
        key = ".".join(str(part) for part in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = f"unknown key `{shown(item['loc'][-1])}`"
            if len(item["loc"]) == 1:
                message += _hint(str(item["loc"][0]), keys)
        elif item["type"] == "missing":
            message = f"missing required key `{item['loc'][-1]}`"
        where = f"{name}:{line}" if line else name
        located.append(f"{where}: {subject}" + (f": {key}" if key and item["type"] not in ("extra_forbidden", "missing")
                                                else "") + f": {message}")
    return located


@dataclass
class _PackSource:
    """A pack file of the folder, where its rules and penalties sit in its document."""

    relative: str
    name: str
    rules: dict[str, str]
    penalties: dict[str, str]


def _packs(regimes: dict[str, Regime], directory: Path, base: Callable[[str], Rulebook]) -> dict[str, _PackSource]:
    """Every pack the regimes load, by pack name, with the rules and penalties it declares."""
    packs: dict[str, _PackSource] = {}
    for regime in regimes.values():
        book = base(regime.id)
        for relative, pack in zip(regime.packs, book.packs):
            packs.setdefault(pack.name, _PackSource(relative, pack.name, {r.id: relative for r in pack.rules},
                                                    {p.id: relative for p in pack.penalties}))
    return packs


def _apply(change: Change, number: int, line: int | None, packs: dict[str, _PackSource],
           documents: dict[Path, Document], directory: Path) -> Applied:
    """Apply one change to the documents of the packs it touches (read on first use)."""
    rules = {rule_id: source for source in packs.values() for rule_id in source.rules}
    penalties = {penalty_id: source for source in packs.values() for penalty_id in source.penalties}
    if isinstance(change, Add):
        source = packs.get(change.add.pack)
        if source is None:
            raise _Refused(f"add: pack `{shown(change.add.pack)}` is not one the regimes load{_hint(change.add.pack, packs)}")
        if change.add.id in rules:
            raise _Refused(f"add: `{change.add.id}` is already a rule of {rules[change.add.id].name}; amend it instead")
        data = _data(source, documents, directory)
        added = change.add.model_dump(by_alias=True, exclude_none=True, exclude={"pack"})
        data["rules"].append({**added, "when": change.add.when})
        source.rules[change.add.id] = source.relative
        return Applied(number, line, "add", change.add.id, source.relative)
    if isinstance(change, PenaltyChange):
        source = penalties.get(change.penalty)
        if source is None:
            raise _Refused(f"penalty: `{shown(change.penalty)}` is not a penalty of the packs{_hint(change.penalty, penalties)}")
        entry = _find(_data(source, documents, directory)["penalties"], change.penalty)
        entry["versions"] = [version.model_dump(by_alias=True, exclude_none=True, exclude_defaults=True)
                             for version in change.versions]
        return Applied(number, line, "penalty", change.penalty, source.relative)
    target = change.amend if isinstance(change, Amend) else change.repeal
    verb = "amend" if isinstance(change, Amend) else "repeal"
    source = rules.get(target)
    if source is None:
        raise _Refused(f"{verb}: `{shown(target)}` is not a rule of the packs{_hint(target, rules)}")
    data = _data(source, documents, directory)
    rule = _find(data["rules"], target)
    if isinstance(change, Repeal):
        if change.on is None:
            data["rules"].remove(rule)
            del source.rules[target]
        else:
            rule["in_force"] = {**rule["in_force"], "to": change.on - dt.timedelta(days=1)}
    else:
        # The rule as amended is the reform's text, not one compared with an official source.
        rule.pop("checked", None)
        for key, value in change.model_dump(by_alias=True, exclude_unset=True, exclude={"amend"}).items():
            if key == "strength":
                rule["then"] = {**rule["then"], "strength": value}
            elif key == "penalty":
                rule["then"] = {**rule["then"], "penalty": value}
            else:
                rule[key] = change.when if key == "when" else value
    return Applied(number, line, verb, target, source.relative)


def _hint(name: str, known: Any) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f" - did you mean `{close[0]}`?" if close else ""


def _find(entries: list[dict[str, Any]], item_id: str) -> dict[str, Any]:
    return next(entry for entry in entries if isinstance(entry, dict) and entry.get("id") == item_id)


def _data(source: _PackSource, documents: dict[Path, Document], directory: Path) -> dict[str, Any]:
    """The pack's document to change, read once and copied: the packs' own files are never written.
    Its lines are dropped (they would point into the pack for what the overlay says)."""
    path = directory / source.relative
    if path not in documents:
        try:
            original = read_document(path)
        except SourceError as error:
            raise _Refused(str(error)) from None
        documents[path] = Document(original.file, copy.deepcopy(original.data), {})
    return documents[path].data


def _reformed_books(regimes: dict[str, Regime], directory: Path, documents: dict[Path, Document],
                    applied: list[Applied], name: str, base: Callable[[str], Rulebook]) -> tuple[dict[str, Rulebook], list[str]]:
    """Each touched regime's rulebook loaded from the changed documents by the packs' own loader,
    and the lint warnings the reform adds; the loader's problems are put to the changes."""
    def read(path: Path) -> Document:
        return documents[path] if path in documents else read_document(path)

    books: dict[str, Rulebook] = {}
    problems: list[str] = []
    warnings: list[str] = []
    touched = {directory / change.pack_file for change in applied}
    for regime in regimes.values():
        if not touched & {directory / relative for relative in regime.packs}:
            continue
        try:
            books[regime.id] = load_rulebook(regime, directory, read, declarations_of(directory))
        except RuleError as error:
            problems.extend(p for p in (_blamed(problem, applied, name) for problem in error.problems)
                            if p not in problems)
            continue
        known = {_unlined(warning) for warning in lint(base(regime.id))}
        drafted = {change.target for change in applied if change.verb in ("amend", "add")}
        warnings.extend(w for w in (_blamed(warning, applied, name) for warning in lint(books[regime.id])
                                    if _unlined(warning) not in known and not _unchecked_draft(warning, drafted))
                        if w not in warnings)
    if problems:
        raise RuleError(_one_per_cycle(problems))
    return books, warnings


_LINE = re.compile(r"^([^:]*):\d+:")


def _unlined(warning: str) -> str:
    """A warning without the line it points to: the changed packs' documents have none."""
    return _LINE.sub(r"\1:", warning, count=1)


def _unchecked_draft(warning: str, drafted: set[str]) -> bool:
    """The lint warning that a rule the reform writes was never checked against an official
    source: a reform is a draft, which no official text states yet."""
    return any(f": {rule_id}: no `checked:" in warning for rule_id in drafted)


_CYCLE = re.compile(r"\(cycle through [^)]*\)")


def _one_per_cycle(problems: list[str]) -> list[str]:
    """The problems, a cycle through a negation said once: the loader names each rule on it, and
    the change that closed it is one."""
    seen: set[str] = set()
    kept = []
    for problem in sorted(problems, key=lambda p: ": under the reform: " in p):
        cycle = _CYCLE.search(problem)
        if cycle is None or cycle.group() not in seen:
            kept.append(problem)
        if cycle is not None:
            seen.add(cycle.group())
    return kept


def _blamed(problem: str, applied: list[Applied], name: str) -> str:
    """A problem of the reformed packs, put to the change it comes from: the change whose rule or
    penalty it names (`file: id: ...`, `penalty id`, or the id anywhere in it), else to the reform."""
    for change in reversed(applied):
        subject = f"penalty {change.target}" if change.verb == "penalty" else change.target
        place = f"{name}:{change.line}: change {change.number}" if change.line else f"{name}: change {change.number}"
        marker = f": {subject}: "
        if marker in problem:
            return f"{place}: {subject}: {problem.split(marker, 1)[1]}"
    for change in reversed(applied):
        if re.search(rf"(?<![\w.-]){re.escape(change.target)}(?![\w-])", problem):
            place = f"{name}:{change.line}: change {change.number}" if change.line else f"{name}: change {change.number}"
            return f"{place}: {change.verb} {change.target}: {problem}"
    return f"{name}: under the reform: {problem}"
