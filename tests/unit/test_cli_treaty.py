"""``status`` and ``events`` with ``--treaty``: the CCM contract, the Ottawa output unchanged, bad values exit 2."""

from __future__ import annotations

import csv
import io
import json

import pytest

from flankmap.cli import commands
from flankmap.data import load, schemas
from flankmap.domain import treaty

CODES = {"state_party", "signatory", "joined_not_in_force", "withdrawal_pending", "withdrawn", "non_party"}


def run(capsys, *argv):
    code = commands.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def rows_of(out: str) -> dict[str, dict]:
    return {r["iso3"]: r for r in csv.DictReader(io.StringIO(out))}


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv(treaty.TODAY_ENV, "2026-12-05")


def test_ccm_status_has_the_ottawa_columns_and_codes_one_row_per_country(capsys):
    code, out, err = run(capsys, "status", "--treaty", "ccm", "--date", "2026-02-03", "--format", "csv")
    assert code == 0, err
    _, ottawa, _ = run(capsys, "status", "--date", "2026-02-03", "--format", "csv")
    assert out.splitlines()[0] == ottawa.splitlines()[0]  # same columns: iso3, name, drawn, status_code, ...
    rows = rows_of(out)
    assert set(rows) == set(load.table(schemas.COUNTRIES)["iso3"])
    assert {r["status_code"] for r in rows.values()} <= CODES
    assert {iso3 for iso3, r in rows.items() if r["drawn"] == "yes"} == set(load.drawn_iso3s())
    expected = {"LTU": "withdrawn", "CYP": "signatory", "DEU": "state_party", "POL": "non_party", "UKR": "non_party"}
    assert {iso3: rows[iso3]["status_code"] for iso3 in expected} == expected
    assert rows["XKX"]["status_code"] == "non_party" and "Cannot accede" in rows["XKX"]["note"]
    assert err == "treaty data checked through 2026-02-03\n"


@pytest.mark.parametrize(
    ("day", "code", "stage", "days_left"),
    [
        ("2011-03-23", "signatory", "", ""),
        ("2011-03-24", "joined_not_in_force", "", ""),
        ("2011-09-01", "state_party", "", ""),
        ("2024-09-05", "state_party", "parliament_approved", ""),
        ("2024-09-06", "withdrawal_pending", "instrument_deposited", "181"),
        ("2025-03-05", "withdrawal_pending", "instrument_deposited", "1"),
        ("2025-03-06", "withdrawn", "", ""),
    ],
)
def test_lithuania_on_the_edge_days(capsys, day, code, stage, days_left):
    status, out, _ = run(capsys, "status", "--treaty", "ccm", "--date", day, "--format", "csv")
    assert status == 0
    row = rows_of(out)["LTU"]
    assert (row["status_code"], row["withdrawal_stage"], row["days_until_effective"]) == (code, stage, days_left)


def test_a_day_after_the_record_warns_that_events_may_be_missing(capsys):
    code, _, err = run(capsys, "status", "--treaty", "ccm", "--date", "2026-02-04", "--format", "csv")
    assert code == 0
    assert err == "treaty data checked through 2026-02-03; events after that date may be missing\n"
    code, _, err = run(capsys, "status", "--treaty", "ccm")  # today
    assert code == 0 and "events after that date may be missing" in err


def test_ccm_dates_start_on_its_adoption(capsys):
    assert run(capsys, "status", "--treaty", "ccm", "--date", "2008-05-30")[0] == 0
    code, out, err = run(capsys, "status", "--treaty", "ccm", "--date", "2008-05-29")
    assert code == 2 and out == ""
    assert err == "flankmap: error: date 2008-05-29 is out of range: accepted 2008-05-30 to 2026-12-05\n"


@pytest.mark.parametrize("command", ["status", "events"])
def test_a_bad_treaty_exits_2_with_one_line(capsys, command):
    code, out, err = run(capsys, command, "--treaty", "nato")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "--treaty" in err and "'nato'" in err and "ottawa" in err and "ccm" in err


@pytest.mark.parametrize(
    "argv",
    [
        ("status", "--date", "2025-12-27", "--format", "csv"),
        ("status", "--date", "2026-12-05", "--format", "json"),
        ("events", "--iso3", "LTU", "--format", "csv"),
    ],
)
def test_ottawa_output_is_the_same_with_or_without_the_flag(capsys, argv):
    plain = run(capsys, *argv)
    explicit = run(capsys, *argv, "--treaty", "ottawa")
    assert plain == explicit and plain[0] == 0
    if argv[0] == "status":
        assert plain[2].startswith("treaty data checked through 2026-12-01")


def test_ccm_events_of_one_country(capsys):
    code, out, err = run(capsys, "events", "--treaty", "ccm", "--iso3", "ltu", "--format", "json")
    assert code == 0, err
    events = json.loads(out)
    codes = [e["event_code"] for e in events]
    assert codes.index("parliament_vote") < codes.index("withdrawal_deposit") < codes.index("withdrawal_effective")
    deposit = next(e for e in events if e["event_code"] == "withdrawal_deposit")
    assert deposit["event_date"] == "2024-09-06" and "CN.347.2024" in deposit["source_url"]
    code, _, err = run(capsys, "events", "--treaty", "ccm", "--iso3", "ZZZ")
    assert code == 2 and "unknown --iso3 'ZZZ'" in err
