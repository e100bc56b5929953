"""Law lives in rules/, mechanism in liability/ (DESIGN.md section 2).

The mechanism's code must not hard-code an article number, a rule or conclusion id, a fact name,
an official host, a currency, a proceeding or a penalty nature: those belong to the rule packs,
the facts file and the jurisdiction descriptors. Docstrings and comments may give examples;
string literals and names in code may not. Every module of the package is checked.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from liability.declarations import bundled_declarations, bundled_vocabulary

PACKAGE = Path(__file__).resolve().parent.parent / "liability"
MECHANISM = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py"))
JURISDICTIONS = bundled_declarations().jurisdictions.values()
HOSTS = {host for j in JURISDICTIONS for host in j.hosts}
NAMES = {name for j in JURISDICTIONS for name in [*j.currencies, *j.proceedings, *j.natures]}
"""The currencies, proceedings and penalty natures the descriptors declare: quoted as a whole."""

ARTICLE_NUMBERS = [
    re.compile(r"\b\d{3}-\d+\b"),                # 225-5, 113-2-1, 611-1
    re.compile(r"U\.\s?S\.\s?C", re.IGNORECASE),  # 47 U.S.C. 230
    re.compile(r"\b225-"),
    re.compile(r"\b230\b"),
    re.compile(r"\b(?:1591|1595|2421A?|1952)\b"),
    re.compile(r"LEGIARTI|CELEX", re.IGNORECASE),
]
RULE_IDS = re.compile(r"\b(?:fr|eu|us)\.[a-z0-9]")
FACT_PATHS = set(bundled_vocabulary().facts)
FACT_FIELDS = {name for model in bundled_vocabulary().sections.values() for name in model.model_fields if "_" in name}


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                ids.add(id(body[0].value))
        # an attribute docstring: a bare string right after an assignment
        for field in ("body", "orelse"):
            statements = getattr(node, field, None)
            if isinstance(statements, list):
                for statement in statements:
                    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) \
                            and isinstance(statement.value.value, str):
                        ids.add(id(statement.value))
    return ids


def code_strings(relative: str) -> list[tuple[int, str]]:
    """Every string literal in a module's code (not its docstrings or comments), with its line."""
    tree = ast.parse((PACKAGE / relative).read_text(encoding="utf-8"))
    skip = _docstring_nodes(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip]


def code_names(relative: str) -> list[tuple[int, str]]:
    """Every identifier and attribute name used in a module's code."""
    tree = ast.parse((PACKAGE / relative).read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute):
            names.append((node.lineno, node.attr))
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.append((node.lineno, node.name))
    return names


def test_the_mechanism_modules_exist():
    assert all((PACKAGE / relative).is_file() for relative in MECHANISM)
    assert "render/json.py" in MECHANISM and "render/text.py" in MECHANISM


@pytest.mark.parametrize("relative", MECHANISM)
def test_no_article_number_is_written_in_the_mechanisms_code(relative):
    found = [f"{relative}:{line}: {text!r}" for line, text in code_strings(relative)
             if any(pattern.search(text) for pattern in ARTICLE_NUMBERS)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("relative", MECHANISM)
def test_no_rule_or_conclusion_id_is_written_in_the_mechanisms_code(relative):
    found = [f"{relative}:{line}: {text!r}" for line, text in code_strings(relative) if RULE_IDS.search(text)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("relative", MECHANISM)
def test_no_fact_name_is_quoted_in_the_mechanisms_code(relative):
    found = [f"{relative}:{line}: {text!r}" for line, text in code_strings(relative)
             if any(path in text for path in FACT_PATHS) or text in FACT_FIELDS]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("relative", MECHANISM)
def test_no_fact_field_is_read_as_an_attribute_in_the_mechanism(relative):
    # Only fact fields with distinctive names are checked (`posting_fees`, not `person`): the
    # penalty model distinguishes natural and legal persons (DESIGN.md section 7), so findings
    # legitimately reads the actor's kind of person.
    found = [f"{relative}:{line}: {name}" for line, name in code_names(relative)
             if name in FACT_FIELDS]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("relative", MECHANISM)
def test_no_official_host_currency_proceeding_or_penalty_nature_is_quoted_in_the_mechanism(relative):
    found = [f"{relative}:{line}: {text!r}" for line, text in code_strings(relative)
             if text in NAMES or any(host in text.lower() for host in HOSTS)]
    assert not found, "\n".join(found)


def test_the_checks_would_catch_law_written_in_code():
    sample = ast.parse('RULE = "fr.cp.225-5-2.paid-ads"\nFACT = "money.posting_fees"\n"""A docstring about 230."""\n')
    strings = [node.value for node in ast.walk(sample) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    assert any(pattern.search(strings[0]) for pattern in ARTICLE_NUMBERS)
    assert RULE_IDS.search(strings[0])
    assert any(path in strings[1] for path in FACT_PATHS)
    assert len(_docstring_nodes(sample)) == 1
    assert {"legifrance.gouv.fr", "law.cornell.edu"} <= HOSTS
    assert {"EUR", "FRF", "USD", "criminal", "federal_civil", "délit", "felony"} <= NAMES
