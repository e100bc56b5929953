"""How the modules of `liability` depend on one another: no import cycle, read from the source,
and experta loaded only by the engine that needs it.

The graph has an edge for every import a module's source names, at the top or inside a function
(an import deferred into a function still ties the two modules together: deferring it only hides
a cycle from the interpreter), except those under `if TYPE_CHECKING:`, which never run. A
submodule's implicit import of its own package's `__init__` is not an edge: only what is written.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import liability

PACKAGE = Path(liability.__file__).parent


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by the name of its `__init__`)."""
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ("liability", *path.relative_to(PACKAGE).with_suffix("").parts)
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _type_checking_only(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"
        or isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement of a module, at any depth, but not under `if TYPE_CHECKING:`."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        pending.extend(child for child in ast.iter_child_nodes(node) if not _type_checking_only(child))
    return found


def import_graph() -> nx.DiGraph:
    """Module -> each module of the package it imports."""
    modules = _modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                if node.level:
                    base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1])
                    base = f"{base}.{node.module}" if node.module else base
                else:
                    base = node.module or ""
                # `from pkg import name` imports the module pkg.name when there is one, else pkg
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                           for alias in node.names]
            graph.add_edges_from((name, target) for target in targets if target in modules and target != name)
    return graph


GRAPH = import_graph()


def test_the_graph_sees_imports_inside_functions_and_from_packages():
    """Without these edges the next test would pass on a graph that cannot see a cycle."""
    assert GRAPH.has_edge("liability", "liability.cli")  # inside `command`, under its Ctrl-C guard
    assert GRAPH.has_edge("liability.loading", "liability.graph")  # inside `load_rulebook`
    assert GRAPH.has_edge("liability.graph", "liability.render")  # `from .render import visible`
    assert GRAPH.has_edge("liability.cli", "liability.render.json")  # `from .render import json as ...`


def test_the_modules_of_liability_import_one_another_without_a_cycle():
    cycles = sorted(nx.simple_cycles(GRAPH), key=len)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(cycle + cycle[:1]) for cycle in cycles[:5])


def test_a_cycle_written_into_a_module_would_be_found():
    planted = GRAPH.copy()
    planted.add_edge("liability.rulebook", "liability.graph")  # what `load_rulebook` used to do
    assert list(nx.simple_cycles(planted))


EXPERTA_FREE = ["liability", "liability.trace", "liability.plan", "liability.findings", "liability.decide",
                "liability.direct", "liability.compare", "liability.render.json", "liability.render.text",
                "liability.render.markdown", "liability.render.html", "liability.render.plain",
                "liability.render.comparison"]
"""What reads or renders findings, or runs the rules without experta (DESIGN.md section 3: experta
stays behind `engine`, so that a maintained fork could replace it)."""


def _loads_experta(module: str) -> bool:
    script = f"import sys, {module}; print(any(m.split('.')[0] == 'experta' for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    return result.stdout.strip() == "True"


@pytest.mark.parametrize("module", EXPERTA_FREE)
def test_reading_and_rendering_findings_does_not_load_experta(module: str):
    assert not _loads_experta(module), f"importing {module} loads experta"


def test_the_experta_engine_does_load_experta():
    """The check above can fail: it sees experta where it is loaded."""
    assert _loads_experta("liability.engine")


CHECKOUT = PACKAGE.parent
EXAMPLE = "scenarios/fr/fr-escort-classifieds-paid-2019.yaml"


@pytest.mark.skipif(not (CHECKOUT / "cli.py").is_file(), reason="an installed wheel has no checkout around it")
def test_the_checkout_s_cli_py_runs_the_one_command_line_the_console_script_runs():
    """`python cli.py` from a checkout is the product's layout; it starts `liability.cli`, the one
    implementation, so its output is the installed command's, byte for byte."""
    def run(*command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *command, "run", EXAMPLE, "--format", "md", "--lang", "fr"],
                              cwd=CHECKOUT, capture_output=True, text=True, timeout=120)

    from_checkout, as_module = run("cli.py"), run("-m", "liability")
    assert from_checkout.returncode == as_module.returncode == 0, from_checkout.stderr
    assert from_checkout.stdout == as_module.stdout and "fr.proxenetisme" in from_checkout.stdout
    tree = ast.parse((CHECKOUT / "cli.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"liability"}, "cli.py starts the package's command; it implements none of its own"
