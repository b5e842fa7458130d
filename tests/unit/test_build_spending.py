"""scripts/build_spending.py refuses bad reference rows with file/line/column and writes nothing."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SPEC = importlib.util.spec_from_file_location("build_spending", REPO / "scripts" / "build_spending.py")
build = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(build)


@pytest.fixture
def dirs(tmp_path):
    ref = tmp_path / "ref"
    shutil.copytree(REPO / "reference" / "spending", ref)
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(REPO / "data" / "countries.csv", out / "countries.csv")
    (out / "defence_spending.csv").write_text("sentinel\n", encoding="utf-8")
    return ref, out


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_builds_into_a_fresh_folder(dirs):
    ref, out = dirs
    assert build.main(["--reference-dir", str(ref), "--out-dir", str(out)]) == 0
    assert (out / "defence_spending.csv").read_bytes() == (REPO / "data" / "defence_spending.csv").read_bytes()


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("nato_2025e.csv", "ALB,2025,2.01", "ZZZ,2025,2.01", "nato_2025e.csv line 2, column iso3"),
        ("nato_2025e.csv", "ALB,2025,2.01,defence-ua.com analysis of the NATO release,https://", "ALB,2025,2.01,x,",
         "nato_2025e.csv line 2, column read_via_url"),
        ("nato_2025e.csv", "ALB,2025,", "ALB,2024,", "nato_2025e.csv line 2, column year"),
        ("sipri_milex_2026.csv", "0.013396115619276056", "n/a", "sipri_milex_2026.csv line 2, column value_text"),
        ("spending_gaps.csv", "DEU,nato_pct_gdp,2025,2025", "DEU,nato_pct_gdp,2026,2026",
         "DEU 2025 nato_pct_gdp: neither a figure nor a gap"),
        ("spending_gaps.csv", "ISL,sipri_pct_gdp,2014,2025", "POL,sipri_pct_gdp,2014,2025", "both a figure and a gap"),
    ],
)  # fmt: skip
def test_bad_row_refused_and_nothing_written(dirs, capsys, file, old, new, message):
    ref, out = dirs
    _edit(ref / file, old, new)
    assert build.main(["--reference-dir", str(ref), "--out-dir", str(out)]) == 1
    err = capsys.readouterr().err
    assert message in err and "nothing written" in err
    assert (out / "defence_spending.csv").read_text(encoding="utf-8") == "sentinel\n"
    assert not (out / "spending_gaps.csv").exists()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('withheld,"NATO published', 'withheld,"=NATO published', "line 2, column reason: starts with '='"),
        ("withheld,", "withheld\u202e,", "line 2, column reason_code: contains a bidirectional control character"),
        ("2026-12-01", "2099-12-01", "line 2, column accessed_date: 2099-12-01 is after today"),
    ],
)
def test_unsafe_cells_and_future_dates_are_refused(dirs, capsys, old, new, message):
    ref, out = dirs
    _edit(ref / "spending_gaps.csv", old, new)
    assert build.main(["--reference-dir", str(ref), "--out-dir", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"spending_gaps.csv {message}" in err and "nothing written" in err
    assert (out / "defence_spending.csv").read_text(encoding="utf-8") == "sentinel\n"


def test_the_output_folder_is_replaced_whole(dirs):
    ref, out = dirs
    inode = out.stat().st_ino
    assert build.main(["--reference-dir", str(ref), "--out-dir", str(out)]) == 0
    assert out.stat().st_ino != inode and (out / "countries.csv").exists()
    assert sorted(p.name for p in out.parent.iterdir()) == ["out", "ref"]
