"""data/ is rebuilt from reference/ alone: byte-for-byte, a new row flows to every view, bad rows are refused."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flankmap.data import load, schemas, validate
from flankmap.domain import treaty, treaty_days
from flankmap.view import model, urlstate
from scripts import build_treaty_data as build
from scripts import manifest

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
REFERENCE = REPO / "reference"
TREATY_FILES = [s.file for s in build.OUTPUTS]
D = dt.date

# A withdrawal that never happened, recorded the way a maintainer would: one deposit row (and the effective
# date Art. 20(3) gives, as the data stores it).
WITHDRAWAL = [
    "DEU,withdrawal_deposit,2026-11-30,Synthetic test row: instrument of withdrawal deposited,"
    "Test source,https://example.org/deu-withdrawal,2026-12-01,confirmed-in-source",
    "DEU,withdrawal_effective,2027-05-30,Synthetic test row: withdrawal takes effect,"
    "Test source,https://example.org/deu-withdrawal,2026-12-01,confirmed-in-source",
]


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_every_reference_file_is_in_the_manifest_with_its_sha256():
    assert manifest.check() == []
    listed = {r["file"] for r in manifest.read_manifest()}
    assert set(manifest.reference_files()) == listed
    assert {s.file for s in build.INPUTS} <= listed


def test_manifest_check_catches_a_changed_and_an_unlisted_file(tmp_path):
    ref = tmp_path / "reference"
    shutil.copytree(REFERENCE, ref)
    (ref / "treaty_checks.csv").write_text("changed\n", encoding="utf-8")
    (ref / "new.csv").write_text("a,b\n", encoding="utf-8")
    problems = manifest.check(ref)
    assert any("treaty_checks.csv has changed" in p for p in problems)
    assert any(p.startswith("reference/new.csv: not in reference/MANIFEST.csv") for p in problems)


def test_rebuild_from_reference_matches_data_byte_for_byte(tmp_path):
    out = tmp_path / "data"
    written = build.build(REFERENCE, out)
    assert sorted(written) == sorted(TREATY_FILES)
    for name in TREATY_FILES:
        assert (out / name).read_bytes() == (DATA / name).read_bytes(), name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # the temporary folder is gone


def test_the_build_reads_nothing_outside_the_repository():
    text = (REPO / "scripts" / "build_treaty_data.py").read_text(encoding="utf-8")
    assert "shared" not in text and "parents[2]" not in text and 'parent / "' not in text
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    data_target = makefile.split("\ndata:", 1)[1].split("\n\n", 1)[0]
    assert "shared" not in data_target and "manifest.py verify" in data_target


def _repo_copy(tmp_path: Path, extra_rows: list[str]) -> Path:
    """A copy of the parts of the repository the build and the CLI need, with rows appended."""
    root = tmp_path / "repo"
    for part in ("flankmap", "scripts", "reference", "data"):
        shutil.copytree(REPO / part, root / part, ignore=shutil.ignore_patterns("__pycache__"))
    events = root / "reference" / "treaty_events.csv"
    with open(events, "a", encoding="utf-8") as fh:
        fh.write("".join(row + "\n" for row in extra_rows))
    return root


def _run(root: Path, *args: str, today: str = "2026-12-05") -> subprocess.CompletedProcess:
    env = {**os.environ, treaty.TODAY_ENV: today, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, *args], cwd=root, env=env, capture_output=True, text=True, timeout=120)


def test_a_new_withdrawal_flows_to_status_count_and_map(tmp_path):
    root = _repo_copy(tmp_path, WITHDRAWAL)
    built = _run(root, "scripts/build_treaty_data.py")
    assert built.returncode == 0, built.stderr
    data = root / "data"
    # The core, the count and the map payload read the rebuilt copy.
    assert treaty.status_at("DEU", D(2026, 12, 1), data).status_code == "withdrawal_pending"
    assert treaty.status_at("DEU", D(2027, 5, 30), data).status_code == "withdrawn"
    assert treaty_days.states_parties_count(D(2027, 5, 30), data) == 160
    assert treaty_days.states_parties_count(D(2027, 5, 29), data) == 161
    # The timeline runs on to the pending effective date.
    assert treaty.data_last_day(data, today=D(2026, 12, 1)) == D(2027, 5, 30)
    mv = model.view_of(urlstate.ViewState(day=D(2026, 12, 1)), data)
    assert mv.countries["DEU"].code == "withdrawal_pending"
    assert ("b", "180 days until effective") in mv.countries["DEU"].lines
    later = model.view_of(urlstate.ViewState(day=D(2027, 5, 30)), data)
    assert later.countries["DEU"].code == "withdrawn"
    assert "160 States Parties" in later.heading.subtitles[0] and "may be missing" in later.heading.warning
    # The command line of the copy: accepts the pending effective date, shows Germany withdrawn.
    status = _run(root, "-m", "flankmap", "status", "--date", "2027-05-30", "--format", "csv")
    assert status.returncode == 0, status.stderr
    row = next(line for line in status.stdout.splitlines() if line.startswith("DEU,"))
    assert ",withdrawn," in row
    assert "treaty data checked through 2026-12-01" in status.stderr
    # The real data/ did not change.
    assert treaty.status_at("DEU", D(2027, 5, 30)).status_code == "state_party"


# (kind, how to break reference/treaty_events.csv, column named, text in the message)
GOOD = "Test source,https://example.org/x,2026-12-01,confirmed-in-source"


def _replace(old: str, new: str):
    def edit(text: str) -> str:
        assert old in text
        return text.replace(old, new, 1)

    return edit


def _append(row: str):
    return lambda text: text + row + "\n"


BAD_ROWS = [
    ("unknown ISO3", _append(f"ZZZ,context,2026-01-01,Unknown country,{GOOD}"), "iso3", "unknown ISO3"),
    ("impossible date", _append(f"DEU,context,2025-02-30,No such day,{GOOD}"), "event_date", "is not a date"),
    (
        "missing source",
        _append("DEU,context,2026-01-01,A dated event without a source,,,,confirmed-in-source"),
        "source_url",
        "a dated event needs a source_url",
    ),
    (
        "Art. 17",
        _replace("EST,entry_into_force,2004-11-01", "EST,entry_into_force,2004-12-01"),
        "event_date",
        "contradicts Art. 17",
    ),
    (
        "Art. 20(3)",
        _replace("EST,withdrawal_effective,2025-12-27", "EST,withdrawal_effective,2025-12-28"),
        "event_date",
        "contradicts Art. 20(3)",
    ),
    (
        "duplicate row",
        _append(f"EST,context,2026-01-01,Same row twice,{GOOD}\nEST,context,2026-01-01,Same row twice,{GOOD}"),
        "iso3",
        "duplicate key",
    ),
    (
        "duplicate withdrawal",
        _append(f"EST,withdrawal_deposit,2025-06-28,A second instrument,{GOOD}"),
        "event_code",
        "duplicate withdrawal_deposit",
    ),
    (
        "missing confidence",
        _append("DEU,govt_announcement,2026-11-05,No confidence label,Test source,https://example.org/x,2026-12-01,"),
        "confidence",
        "is empty but required",
    ),
    (
        "future event",
        _append(f"DEU,govt_announcement,2026-12-05,Announced after it was read,{GOOD}"),
        "event_date",
        "after the row's accessed_date",
    ),
    ("unknown event code", _append(f"DEU,teleported,2026-01-01,No such code,{GOOD}"), "event_code", "is not one of"),
    (
        "signature after entry into force",
        _append(f"TUR,signature,2026-01-01,Signed too late,{GOOD}"),
        "event_date",
        "open for signature",
    ),
]


@pytest.mark.parametrize(("kind", "edit", "column", "text"), BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_each_bad_row_is_refused_with_one_message_and_data_unchanged(tmp_path, kind, edit, column, text):
    ref, out = tmp_path / "reference", tmp_path / "data"
    shutil.copytree(REFERENCE, ref)
    shutil.copytree(DATA, out)
    before = digest(out)
    events = ref / "treaty_events.csv"
    events.write_text(edit(events.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(build.Refused) as refused:
        build.build(ref, out)
    problems = refused.value.problems
    assert len(problems) == 1, problems
    line_count = len(events.read_text(encoding="utf-8").splitlines())
    message = problems[0]
    assert message.startswith(f"{ref / 'treaty_events.csv'} line ")  # outside the repo: the full path
    line = int(message.split(" line ", 1)[1].split(",", 1)[0])
    assert 2 <= line <= line_count
    assert f"column {column}:" in message and text in message
    assert digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "reference"]  # no temporary folder left


def test_the_command_prints_one_line_per_problem_and_exits_1(tmp_path):
    ref, out = tmp_path / "reference", tmp_path / "data"
    shutil.copytree(REFERENCE, ref)
    shutil.copytree(DATA, out)
    before = digest(out)
    with open(ref / "treaty_events.csv", "a", encoding="utf-8") as fh:
        fh.write(f"ZZZ,context,2026-01-01,Unknown country,{GOOD}\nDEU,context,2025-13-01,Bad month,{GOOD}\n")
    done = subprocess.run(
        [sys.executable, "scripts/build_treaty_data.py", "--reference", str(ref), "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 3 and "unknown ISO3" in lines[0] and "is not a date" in lines[1]
    assert "nothing in" in lines[2] and "Traceback" not in done.stderr
    assert digest(out) == before


def test_rebuilt_tables_load_through_the_core():
    for schema in build.OUTPUTS:
        assert len(load.read_table(schema)) > 0, schema.file
    assert schemas.TREATY_CHECKS in schemas.ALL_TABLES


@pytest.mark.parametrize(
    ("file", "old", "new", "column", "text"),
    [
        ("states_parties_counts.csv", "2026-02-20,161,", "2026-02-20,160,", "states_parties", "the events give 161"),
        ("countries.csv", "DEU,Germany,,https://", "DEU,Germany,,ftp://", "source_url", "is not an http(s) URL"),
        ("treaty_checks.csv", "2026-12-01,", "2026-12-32,", "checked_date", "is not a date"),
        ("treaty_milestones.csv", "adopted_oslo,1997-09-18", "adopted_oslo,1997-09-31", "event_date", "is not a date"),
    ],
)
def test_bad_rows_in_the_other_inputs_are_refused(tmp_path, file, old, new, column, text):
    ref, out = tmp_path / "reference", tmp_path / "data"
    shutil.copytree(REFERENCE, ref)
    shutil.copytree(DATA, out)
    before = digest(out)
    path = ref / file
    path.write_text(_replace(old, new)(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(build.Refused) as refused:
        build.build(ref, out)
    assert len(refused.value.problems) == 1, refused.value.problems
    message = refused.value.problems[0]
    assert message.startswith(f"{path} line ") and f"column {column}:" in message and text in message
    assert digest(out) == before


def test_manifest_accepts_paths_with_or_without_the_reference_prefix(tmp_path):
    ref = tmp_path / "reference"
    shutil.copytree(REFERENCE, ref)
    (ref / "spending").mkdir(exist_ok=True)
    (ref / "spending" / "x.csv").write_text("iso3,source_url\nEST,https://example.org\n", encoding="utf-8")
    rows = manifest.read_manifest(ref)
    rows.append(
        {
            "file": "reference/spending/x.csv",
            "sha256": manifest.sha256_of(ref / "spending" / "x.csv"),
            "producer": "test",
            "source_url": "per-row",
            "accessed_date": "2026-12-01",
            "licence": "test",
        }
    )
    manifest.write_manifest(rows, ref)
    assert manifest.check(ref) == []
    (ref / "spending" / "x.csv").write_text("iso3,source_url\nLVA,https://example.org\n", encoding="utf-8")
    assert manifest.update(ref) == [] and manifest.check(ref) == []


# Cells refused wherever they are (issue 21 item 4): each names file, line and column; data/ is untouched.
BAD_CELLS = [
    ("control character", "detail", "Test\x07row", "control character U+0007"),
    ("C1 control character", "detail", "Test\x85row", "control character U+0085"),
    ("bidirectional override", "detail", "Test \u202eworb", "bidirectional control character U+202E"),
    ("bidirectional isolate", "source_title", "Test \u2066source\u2069", "bidirectional control character U+2066"),
    ("zero-width space", "detail", "Test\u200brow", "zero-width character U+200B"),
    ("formula =", "detail", "=HYPERLINK(1)", "starts with '='"),
    ("formula +", "detail", "+1 more", "starts with '+'"),
    ("formula -", "source_title", "-2+3", "starts with '-'"),
    ("formula @", "detail", "@SUM(A1)", "starts with '@'"),
    ("accessed tomorrow", "accessed_date", "2026-12-06", "is after today (2026-12-05)"),
    ("event tomorrow", "event_date", "2026-12-06", "is after today (2026-12-05)"),
]


@pytest.mark.parametrize(("kind", "column", "value", "text"), BAD_CELLS, ids=[b[0] for b in BAD_CELLS])
def test_each_bad_cell_is_refused_with_file_line_and_column(tmp_path, monkeypatch, kind, column, value, text):
    monkeypatch.setenv(treaty.TODAY_ENV, "2026-12-05")
    ref, out = tmp_path / "reference", tmp_path / "data"
    shutil.copytree(REFERENCE, ref)
    shutil.copytree(DATA, out)
    before = digest(out)
    cells = {
        "iso3": "DEU",
        "event_code": "context",
        "event_date": "2026-11-02",
        "detail": "A test row",
        "source_title": "Test source",
        "source_url": "https://example.org/x",
        "accessed_date": "2026-12-01",
        "confidence": "confirmed-in-source",
    }
    cells[column] = value
    if column == "event_date":
        cells["accessed_date"] = value  # recorded the same day: only "after today" is wrong
    events = ref / "treaty_events.csv"
    with open(events, "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(cells.values())
    line = events.read_text(encoding="utf-8").count("\n")  # not splitlines: it splits on U+0085 too
    with pytest.raises(build.Refused) as refused:
        build.build(ref, out)
    problems = refused.value.problems
    expected_columns = {column, "accessed_date"} if column == "event_date" else {column}
    assert {p.split("column ", 1)[1].split(":", 1)[0] for p in problems} == expected_columns, problems
    message = next(p for p in problems if f"column {column}:" in p)
    assert message.startswith(f"{events} line {line}, column {column}: ") and text in message
    assert digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "reference"]


def test_a_checked_date_after_today_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(treaty.TODAY_ENV, "2026-12-05")
    ref, out = tmp_path / "reference", tmp_path / "data"
    shutil.copytree(REFERENCE, ref)
    checks = ref / "treaty_checks.csv"
    checks.write_text(checks.read_text(encoding="utf-8") + "2027-01-01,all,nothing,a check from the future\n")
    with pytest.raises(build.Refused) as refused:
        build.build(ref, out)
    (message,) = refused.value.problems
    assert message.startswith(f"{checks} line ") and "column checked_date: 2027-01-01 is after today" in message
    assert not out.exists()


def test_a_byte_that_is_not_utf8_is_reported_with_its_line_and_column(tmp_path):
    ref, out = tmp_path / "reference", tmp_path / "data"
    shutil.copytree(REFERENCE, ref)
    shutil.copytree(DATA, out)
    before = digest(out)
    events = ref / "treaty_events.csv"
    data = events.read_bytes()
    line = data.count(b"\n") + 1
    events.write_bytes(data + b"DEU,context,2026-01-01,Caf\xe9 in Latin-1," + GOOD.encode() + b"\n")
    with pytest.raises(build.Refused) as refused:
        build.build(ref, out)
    assert refused.value.problems == [
        f"{events} line {line}, column detail: byte 0xe9 is not UTF-8; save the file as UTF-8"
    ]
    assert digest(out) == before


@pytest.mark.parametrize("exchange", [True, False], ids=["rename exchange", "two renames"])
def test_the_build_moves_a_whole_folder_into_place(tmp_path, monkeypatch, exchange):
    from scripts import inputcheck

    if not exchange:
        monkeypatch.setattr(inputcheck, "_exchange", lambda a, b: False)
    ref, out = tmp_path / "reference", tmp_path / "data"
    shutil.copytree(REFERENCE, ref)
    shutil.copytree(DATA, out)
    (out / "treaty_events.csv").write_text("stale\n", encoding="utf-8")
    other = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name not in TREATY_FILES}
    inode = out.stat().st_ino
    build.build(ref, out)
    assert out.stat().st_ino != inode  # a new folder, not files replaced one by one in the old one
    assert (out / "treaty_events.csv").read_bytes() == (DATA / "treaty_events.csv").read_bytes()
    assert {p: (out / p).read_bytes() for p in other} == other  # the other builds' files came along
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "reference"]


def test_a_failed_check_leaves_the_old_folder_in_place(tmp_path):
    from scripts import inputcheck

    out = tmp_path / "data"
    shutil.copytree(DATA, out)
    before, inode = digest(out), out.stat().st_ino
    problems = inputcheck.publish(out, {"treaty_events.csv": b"broken\n"}, lambda folder: ["no"])
    assert problems == ["no"] and digest(out) == before and out.stat().st_ino == inode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_the_core_names_the_line_of_a_byte_that_is_not_utf8(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "ccm_checks.csv"
    path.write_bytes(path.read_bytes() + b"2026-02-04,x,caf\xe9,y\n")
    with pytest.raises(validate.DataError) as err:
        load.read_raw(path)
    assert err.value.problems == [f"{path} line 3: cannot be parsed as UTF-8 CSV (byte 0xe9 is not UTF-8)"]
