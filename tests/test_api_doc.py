"""docs/api.md is a notebook: its Python blocks run, in order, in one namespace, and hold."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def test_every_example_of_the_api_page_runs_and_its_assertions_hold(capsys):
    blocks = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 6
    namespace: dict = {}
    for number, block in enumerate(blocks, 1):
        exec(compile(block, f"{DOC.name}, block {number}", "exec"), namespace)  # the page's own code
    assert capsys.readouterr().out  # the examples print what they show


def test_the_package_exports_the_functions_not_the_modules():
    import liability
    import liability.flip_search  # noqa: F401  (a submodule imported must not shadow a function)
    import liability.what_if  # noqa: F401

    for name in liability.API:
        assert callable(getattr(liability, name)), name
