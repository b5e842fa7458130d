"""``python -m flankmap status``: every country in the treaty data, today accepted, the checked-through line."""

from __future__ import annotations

import csv
import io

import pytest

from flankmap.cli import commands
from flankmap.data import load, schemas
from flankmap.domain import treaty


def run(capsys, *argv):
    code = commands.main(["status", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_today_is_accepted_and_the_checked_through_date_is_stated(capsys, monkeypatch):
    monkeypatch.setenv(treaty.TODAY_ENV, "2026-12-01")
    code, out, err = run(capsys, "--date", "2026-12-01")
    assert code == 0, err
    assert err == "treaty data checked through 2026-12-01\n"
    code, _, err = run(capsys)  # no --date: today
    assert code == 0 and "checked through 2026-12-01" in err


def test_a_day_after_the_check_says_events_may_be_missing(capsys, monkeypatch):
    monkeypatch.setenv(treaty.TODAY_ENV, "2027-03-04")
    code, _, err = run(capsys, "--date", "2027-03-04")
    assert code == 0
    assert err.strip() == "treaty data checked through 2026-12-01; events after that date may be missing"
    code, _, err = run(capsys, "--date", "2027-03-05")
    assert code == 2 and "out of range: accepted 1997-09-18 to 2027-03-04" in err


def test_every_country_in_the_treaty_data_has_a_row_drawn_or_not(capsys, monkeypatch):
    monkeypatch.setenv(treaty.TODAY_ENV, "2026-12-01")
    code, out, _ = run(capsys, "--date", "2026-12-01", "--format", "csv")
    assert code == 0
    rows = {r["iso3"]: r for r in csv.DictReader(io.StringIO(out))}
    assert set(rows) == set(load.table(schemas.COUNTRIES)["iso3"])
    drawn = set(load.drawn_iso3s())
    # A drawn country without treaty rows (the Holy See for now) has no status row: it is not in the table.
    assert {iso3 for iso3, r in rows.items() if r["drawn"] == "yes"} == drawn & set(rows)
    for iso3, status in (("GEO", "non_party"), ("TUR", "state_party"), ("GBR", "state_party"), ("EST", "withdrawn")):
        assert rows[iso3]["status_code"] == status, iso3
    assert rows["GEO"]["drawn"] == ("yes" if "GEO" in drawn else "no")


@pytest.mark.parametrize("day", ["1997-09-18", "2026-02-20"])
def test_edge_days_exit_0(capsys, day):
    assert run(capsys, "--date", day)[0] == 0


def test_an_empty_date_is_an_error_not_today(capsys):
    """Review finding 25: ``status --date ""`` used to print today's table with exit 0."""
    code = commands.main(["status", "--date", ""])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "empty date" in err


def test_csv_cells_that_a_spreadsheet_would_run_are_written_as_text():
    """Review finding 17 (the CLI half): a text cell starting with = + - @ gets a leading apostrophe in CSV;
    numbers, JSON and the table keep their values."""
    import pandas as pd

    from flankmap.cli.base import emit

    frame = pd.DataFrame(
        {"detail": ['=HYPERLINK("https://example.org","x")', "+1", "-2", "@SUM(A1)", "plain", "a=b"], "n": range(6)}
    )
    out = io.StringIO()
    emit(frame, "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["detail"] for r in rows] == [
        '\'=HYPERLINK("https://example.org","x")',
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "plain",
        "a=b",
    ]
    assert [r["n"] for r in rows] == [str(i) for i in range(6)]
    out = io.StringIO()
    emit(frame, "json", out)
    assert '"=HYPERLINK' in out.getvalue()  # JSON is data, not a spreadsheet: unchanged
