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
    offenders = [
        p.name
        for p in (REPO / "flankmap").glob("*.py")
        if re.search(r"^\s*(import|from) streamlit", p.read_text(encoding="utf-8"), re.M)
    ]
    assert not offenders


def test_streamlit_caching_lives_in_one_module():
    users = sorted(
        p.relative_to(REPO).as_posix()
        for p in [REPO / "app.py", *REPO.glob("pages/*.py"), *REPO.glob("ui/*.py"), *REPO.glob("flankmap/*.py")]
        if re.search(r"st\.cache_(data|resource)", p.read_text(encoding="utf-8"))
    )
    assert users == ["ui/cache.py"]


def test_app_never_imports_build_scripts():
    for path in [REPO / "app.py", *REPO.glob("pages/*.py"), *REPO.glob("ui/*.py"), *REPO.glob("flankmap/*.py")]:
        assert not re.search(r"^\s*(import|from) scripts", path.read_text(encoding="utf-8"), re.M), path


def test_map_uses_only_local_assets():
    """No CDN anywhere the browser loads from: the map runtime, its CSS and the vendored Leaflet."""
    from flankmap import mapview

    for url in (mapview.LEAFLET_JS, mapview.LEAFLET_CSS, mapview.FLANKMAP_JS, mapview.FLANKMAP_CSS):
        assert url.startswith("/app/static/")
        assert (REPO / url.removeprefix("/app/")).exists(), url
    js = (REPO / "static" / "flankmap" / "flankmap.js").read_text(encoding="utf-8")
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", js)


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```\n(.*?)\n```", text, re.S)
    run_cmd, test_cmd = blocks[0].strip(), blocks[1].strip()
    assert "streamlit run app.py" in run_cmd and "pip install -r requirements.txt" in run_cmd
    assert test_cmd.endswith("pytest -q") and "requirements-dev.txt" in test_cmd
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test_cmd in ci
    assert text.index(blocks[0]) < text.index("## ")


def test_requirements_are_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (REPO / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][\w.]*", line.strip()), line


def test_code_is_lint_clean():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--quiet", str(REPO)], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0, result.stdout + result.stderr
