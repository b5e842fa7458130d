"""``python -m flankmap spending`` on the real data: columns, coverage for 2024, reasons, bad arguments."""

from __future__ import annotations

import csv
import io
import json

import pytest

from flankmap.cli import commands


def run(capsys, *argv):
    code = commands.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_2024_has_nato_for_every_ally_and_sipri_for_every_non_member(capsys):
    code, out, err = run(capsys, "spending", "--year", "2024", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    for column in ("iso3", "year", "series", "value", "is_estimate", "edition", "source_url"):
        assert column in rows[0]
    nato = {r["iso3"]: r for r in rows if r["series"] == "nato_pct_gdp"}
    sipri = {r["iso3"]: r for r in rows if r["series"] == "sipri_pct_gdp"}
    assert len(nato) == 32 and "CAN" in nato and "USA" in nato
    assert all(r["value"] for c, r in nato.items() if c != "ISL")
    assert nato["ISL"]["value"] == "" and "no armed forces" in nato["ISL"]["reason"]
    for iso3 in ("AUT", "CHE", "IRL", "SRB", "BIH", "MDA", "BLR", "RUS", "UKR", "GEO", "ARM", "AZE", "CYP", "MLT"):
        assert sipri[iso3]["value"], iso3
    assert sipri["LIE"]["value"] == "" and "no armed forces" in sipri["LIE"]["reason"]
    assert nato["POL"]["value"] == "3.79" and nato["POL"]["is_estimate"] == "True"
    assert sipri["POL"]["value"] == "3.75" and sipri["POL"]["edition"].startswith("SIPRI Milex 2026")


def test_germany_2025_nato_is_empty_with_its_reason_and_never_sipri(capsys):
    code, out, _ = run(
        capsys, "spending", "--year", "2025", "--iso3", "deu", "--series", "nato_pct_gdp", "--format", "json"
    )
    assert code == 0
    (row,) = json.loads(out)
    assert row["value"] is None and "Bundestag" in row["reason"]
    assert row["edition"].startswith("NATO 2025 edition")


def test_table_format_runs(capsys):
    code, out, _ = run(capsys, "spending", "--year", "2025", "--series", "sipri_pct_gdp")
    assert code == 0 and "RUS" in out and "7.5" in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["spending"], "--year"),
        (["spending", "--year", "24"], "invalid --year"),
        (["spending", "--year", "2030"], "out of range"),
        (["spending", "--year", "2013"], "out of range"),
        (["spending", "--year", "2024", "--iso3", "ZZZ"], "unknown --iso3"),
        (["spending", "--year", "2024", "--series", "plan_pct_gdp"], "--series"),
        (["spending", "--year", "2024", "--format", "xml"], "--format"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(capsys, argv, needle):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and needle in err
