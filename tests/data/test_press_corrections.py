"""data/press_corrections.csv and flankmap.render.downloads: corrections cite the project's sources; downloads match."""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest

from flankmap.data import load, schemas
from flankmap.data.load import DATA_DIR
from flankmap.domain import treaty, treaty_days
from flankmap.render import downloads


def _known_urls() -> set[str]:
    urls = set()
    for schema in (schemas.TREATY_EVENTS, schemas.TREATY_MILESTONES, schemas.STATES_PARTIES_COUNTS):
        urls |= set(load.table(schema)["source_url"].dropna())
    return urls


def test_press_corrections_validate_and_cite_sources_already_in_the_data():
    table = downloads.press_errors()
    assert len(table) >= 6
    unknown = sorted(set(table["source_url"]) - _known_urls())
    assert not unknown, f"correction URLs not found in treaty_events/milestones/counts: {unknown}"


@pytest.mark.parametrize(
    "fact",
    [
        "8 May 2025 was the Seimas vote",
        "Only Lithuania signed (26 Feb 1999)",
        "1 Mar 1999",
        "161 after 20 Feb 2026",
        "anti-tank mines",
        "Art. 20(3)",
    ],
)
def test_the_six_errors_in_the_reference_are_corrected(fact):
    assert any(fact in text for text in downloads.press_errors()["correction"])


def test_corrections_agree_with_the_event_data():
    t = treaty.timelines()["LTU"]
    assert t.parliament["event_date"] == dt.date(2025, 5, 8)
    assert t.withdrawal_deposit["event_date"] == dt.date(2025, 6, 27)
    assert t.withdrawal_effective["event_date"] == dt.date(2025, 12, 27)
    assert treaty_days.states_parties_count(dt.date(2026, 2, 20)) == 161


def test_catalog_view_lists_every_file_with_provenance():
    view = downloads.catalog_view()
    assert len(view) == len(set(view["File"]))
    assert {"press_corrections.csv", "treaty_events.csv"} <= set(view["File"])
    assert view[["Source", "Licence", "Accessed", "SHA-256"]].notna().all().all()
    assert (view["Rows"] > 0).all()


def test_status_csv_is_the_status_table_on_that_day():
    day = dt.date(2026, 1, 5)
    frame = pd.read_csv(io.BytesIO(downloads.status_csv(day)), dtype=str, keep_default_na=False)
    assert len(frame) == len(treaty.status_table(day)) and set(frame["date"]) == {"2026-01-05"}
    by = frame.set_index("iso3")
    assert by.at["EST", "status_code"] == "withdrawn"
    assert by.at["FIN", "status_code"] == "withdrawal_pending" and by.at["FIN", "days_until_effective"] == "5"
    assert by.at["UKR", "status_code"] == "state_party" and by.at["UKR", "flag"].startswith("purported suspension")


def test_status_geojson_joins_status_onto_every_drawn_country():
    day = dt.date(2026, 1, 5)
    geo = json.loads(downloads.status_geojson(day))
    base = json.loads((DATA_DIR / load.COUNTRIES_GEOJSON).read_text(encoding="utf-8"))
    assert len(geo["features"]) == len(base["features"])
    assert [f["geometry"] for f in geo["features"]] == [f["geometry"] for f in base["features"]]
    props = {f["properties"]["iso3"]: f["properties"] for f in geo["features"]}
    assert props["POL"]["status_code"] == "withdrawal_pending" and props["POL"]["effective_date"] == "2026-02-20"
    assert props["LTU"]["status_code"] == "withdrawn" and props["LTU"]["date"] == "2026-01-05"


def test_dataset_bytes_only_serves_catalogued_files():
    assert downloads.dataset_bytes("treaty_events.csv") == (DATA_DIR / "treaty_events.csv").read_bytes()
    for bad in ("../app.py", "catalog.csv", "/etc/passwd"):
        with pytest.raises(KeyError):
            downloads.dataset_bytes(bad)


def test_citation_names_the_day_and_version():
    text = downloads.citation(dt.date(2025, 12, 27), "0123456789abcdef")
    assert "view of 2025-12-27" in text and "data version 0123456789ab" in text and "OpenStreetMap" in text
