"""Schema validation on broken fixtures: every problem named with file, line and column, all at once."""

import shutil
from pathlib import Path

import pytest

from flankmap.data import load, schemas
from flankmap.data.validate import DataError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def data_dir(tmp_path):
    shutil.copy(FIXTURES / "countries.csv", tmp_path / "countries.csv")
    return tmp_path


def write_events(data_dir, rows):
    header = ",".join(schemas.TREATY_EVENTS.column_names)
    (data_dir / "treaty_events.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


GOOD = "EST,withdrawal_deposit,2025-06-27,deposited,,,,Src,https://example.org/a,2026-11-23,confirmed-in-source"


def test_good_fixture_loads(data_dir):
    write_events(data_dir, [GOOD])
    table = load.read_table(schemas.TREATY_EVENTS, data_dir)
    assert table.iloc[0]["event_date"].isoformat() == "2025-06-27"


def test_every_problem_is_reported_with_file_line_and_column(data_dir):
    write_events(
        data_dir,
        [
            GOOD,
            "EST,withdrawal_deposit,2025-06-27,deposited,,,,Src,https://example.org/a,2026-11-23,confirmed-in-source",
            "ZZZ,signature,2025-02-30,bad date,,,,Src,https://example.org/b,2026-11-23,confirmed-in-source",
            "LVA,signature,1999-01-01,no source,,,,,,,confirmed-in-source",
            "LVA,teleported,1999-01-01,bad code,,,,Src,https://example.org/c,2026-11-23,maybe",
        ],
    )
    with pytest.raises(DataError) as err:
        load.read_table(schemas.TREATY_EVENTS, data_dir)
    text = str(err.value)
    assert "treaty_events.csv line 3, column iso3: duplicate key" in text
    assert "line 4, column iso3: 'ZZZ' is not in data/countries.csv (unknown ISO3)" in text
    assert "line 4, column event_date: '2025-02-30' is not a date" in text
    assert "line 5, column source_url: a dated event needs a source_url" in text
    assert "line 6, column event_code: 'teleported' is not one of" in text
    assert "line 6, column confidence: 'maybe' is not one of" in text
    assert len(err.value.problems) == 6


def test_out_of_range_percentage_and_missing_url_in_spending(data_dir):
    header = ",".join(schemas.DEFENCE_SPENDING.column_names)
    rows = [
        "EST,2024,nato_pct_gdp,-1.5,,,pct_gdp,false,NATO 2025,NATO,https://example.org/n,2026-11-23,",
        "LVA,2024,nato_pct_gdp,3.1,,,pct_gdp,false,NATO 2025,NATO,,2026-11-23,",
    ]
    (data_dir / "defence_spending.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load.read_table(schemas.DEFENCE_SPENDING, data_dir)
    text = str(err.value)
    assert "defence_spending.csv line 2, column value: -1.5 is below the minimum 0" in text
    assert "defence_spending.csv line 3, column source_url: is empty but required" in text


def test_missing_column_and_unparseable_file(data_dir):
    (data_dir / "treaty_events.csv").write_text("iso3,event_code\nEST,signature\n", encoding="utf-8")
    with pytest.raises(DataError, match="missing column"):
        load.read_table(schemas.TREATY_EVENTS, data_dir)
    (data_dir / "treaty_events.csv").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(DataError, match="cannot be parsed"):
        load.read_table(schemas.TREATY_EVENTS, data_dir)


def test_missing_file_is_named(data_dir):
    with pytest.raises(DataError, match="treaty_milestones.csv: file not found"):
        load.read_table(schemas.TREATY_MILESTONES, data_dir)
