"""Keeps the page layout honest: every page is in the AppTest smoke test, and pages hold no data transforms."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
    from flankmap.render import leaflet

    for url in (leaflet.LEAFLET_JS, leaflet.LEAFLET_CSS, leaflet.FLANKMAP_JS, leaflet.FLANKMAP_CSS):
        assert url.startswith("/app/static/")
        assert (REPO / url.removeprefix("/app/")).exists(), url
    for name in ("flankmap.js", "runtime.js", "control.js", "control_app.js"):
        js = (REPO / "static" / "flankmap" / name).read_text(encoding="utf-8")
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", js), name
    # The map page's timeline control (a component from a local path) loads only the app's own static files.
    page = (REPO / "static" / "flankmap" / "timeline_control" / "index.html").read_text(encoding="utf-8")
    urls = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert urls and not re.search(r"https?://", page)
    for url in urls:
        assert url.startswith("/app/static/") and (REPO / url.removeprefix("/app/")).exists(), url


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


@pytest.mark.parametrize("command", [["check", "--quiet"], ["format", "--check", "--quiet"]], ids=["check", "format"])
def test_code_is_lint_clean(command):
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *command, str(REPO)], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts():
    """pages -> ui -> flankmap; the core imports no view, UI or script; nothing in the core imports the CLI."""
    lint_imports = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    result = subprocess.run(
        [lint_imports, "--no-cache"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _imports(path: Path, package: str = "flankmap") -> set[str]:
    """Every ``flankmap`` module a file imports, at any depth (function-level imports included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == package}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == package:
            # ``from flankmap.domain import treaty`` imports the module flankmap.domain.treaty; ``from
            # flankmap.data.load import DATA_DIR`` the module flankmap.data.load.
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                is_module = (REPO / Path(*sub.split("."))).with_suffix(".py").exists()
                found.add(sub if is_module else node.module)
    return found


def import_graph() -> dict[str, set[str]]:
    """module -> the core modules it imports (function-level imports included)."""
    modules = {}
    for p in (REPO / "flankmap").rglob("*.py"):
        parts = p.relative_to(REPO).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = p
    return {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_in_the_core():
    graph = import_graph()
    assert "flankmap.cli.commands" in graph["flankmap.__main__"]
    assert _cycle(graph) is None, " -> ".join(_cycle(graph))
    outside = [name for name, deps in graph.items() if "flankmap.cli.commands" in deps]
    assert set(outside) <= {"flankmap.__main__", "flankmap.cli"}, outside
    assert (
        "flankmap.render.leaflet" not in graph["flankmap.render.static_export"]
    )  # renderers share the symbology, not each other


def test_app_imports_no_page_or_script():
    assert not {m.split(".")[0] for m in _imports(REPO / "app.py", "pages") | _imports(REPO / "app.py", "scripts")}


def test_cli_surfaces_an_import_error_instead_of_hiding_export(monkeypatch, tmp_path):
    """A broken renderer must fail loudly: `export` stays a command and the ImportError propagates."""
    import builtins

    from flankmap.cli import commands

    real_import = builtins.__import__

    def broken(name, *args, **kwargs):
        if name == "flankmap.render" and args and args[2] and "static_export" in args[2]:
            raise ImportError("no matplotlib here")
        return real_import(name, *args, **kwargs)

    help_text = commands.build_parser().format_help()
    assert "export" in help_text
    monkeypatch.setattr(builtins, "__import__", broken)
    with pytest.raises(ImportError, match="no matplotlib"):
        commands.main(["export", "--date", "2025-12-27", "--out-dir", str(tmp_path / "out")])
    assert not (tmp_path / "out").exists()


def test_pre_commit_runs_the_pinned_ruff_and_the_contracts():
    config = (REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    pinned = re.search(r"^ruff==(\S+)$", (REPO / "requirements-dev.txt").read_text(encoding="utf-8"), re.M)
    assert f"rev: v{pinned.group(1)}" in config
    for hook in ("ruff-check", "ruff-format", "check-added-large-files", "mixed-line-ending", "lint-imports"):
        assert hook in config


def test_the_readme_lists_every_core_module():
    """The README's layer table names each module of the core once, and nothing that is not there."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `(flankmap/[\w/]+\.py)` \|", text, flags=re.M)
    tree = sorted(str(p.relative_to(REPO)) for p in (REPO / "flankmap").rglob("*.py"))
    assert sorted(listed) == tree
    assert len(listed) == len(set(listed))


def test_no_core_file_is_over_450_lines():
    long = {
        str(p.relative_to(REPO)): n
        for p in (REPO / "flankmap").rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450
    }
    assert long == {}
