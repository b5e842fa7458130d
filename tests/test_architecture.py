"""Keeps the page layout honest: every page is in the AppTest smoke test, and pages hold no data transforms."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGE_FILES = ["app.py", *sorted(p.relative_to(REPO).as_posix() for p in (REPO / "pages").glob("*.py"))]
# Data transformations belong in flankmap/: a page reads widgets, calls the core (through ui/cache) and renders.
FORBIDDEN = {
    "pandas used directly": re.compile(r"\bpd\.|import pandas|from pandas"),
    "groupby": re.compile(r"\.groupby\("),
    "merge/join": re.compile(r"\.merge\(|pd\.concat"),
    "apply": re.compile(r"\.apply\("),
    "read_csv/read_file": re.compile(r"read_csv|read_file|read_json"),
    "pivot/melt": re.compile(r"\.pivot|\.melt\("),
}
MAX_PAGE_LINES = 150


def _smoke_pages() -> set[str]:
    tree = ast.parse((REPO / "tests" / "app" / "test_pages.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PAGES" for t in node.targets):
            return set(ast.literal_eval(node.value))
    raise AssertionError("tests/app/test_pages.py has no PAGES")


def test_every_page_is_in_the_smoke_test():
    missing = sorted(set(PAGE_FILES) - _smoke_pages())
    assert not missing, f"pages missing from tests/app/test_pages.py PAGES: {missing}"


def test_smoke_test_lists_no_page_that_does_not_exist():
    assert not sorted(_smoke_pages() - set(PAGE_FILES))


def test_pages_hold_no_data_transformations():
    problems = []
    for name in PAGE_FILES:
        for lineno, line in enumerate((REPO / name).read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            hits = [what for what, rx in FORBIDDEN.items() if rx.search(code)]
            problems += [f"{name}:{lineno}: {what}: {line.strip()}" for what in hits]
    assert not problems, "move these into flankmap/:\n" + "\n".join(problems)


def test_pages_are_thin():
    lines = {p: len((REPO / p).read_text(encoding="utf-8").splitlines()) for p in PAGE_FILES[1:]}
    long = {p: n for p, n in lines.items() if n > MAX_PAGE_LINES}
    assert not long, f"pages over {MAX_PAGE_LINES} lines (move code into flankmap/): {long}"


def test_core_never_imports_streamlit():
    offenders = [p.name for p in (REPO / "flankmap").glob("*.py") if re.search(r"^\s*(import|from) streamlit",
                                                                                p.read_text(encoding="utf-8"), re.M)]
    assert not offenders
