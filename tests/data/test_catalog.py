"""The catalog matches the files in data/, and what the browser fetches equals its sources."""

import json
import sys
from pathlib import Path

import pytest

from flankmap.data import catalog, schemas
from flankmap.data.load import DATA_DIR
from flankmap.render import leaflet

REPO = Path(__file__).resolve().parents[2]


def test_catalog_lists_every_file_with_current_checksum_and_rows():
    assert catalog.check() == []


def test_catalog_rows_carry_source_licence_and_access_date():
    table = catalog.catalog_table()
    assert len(table) == len(catalog.data_files())
    assert table["licence"].str.len().min() > 5
    assert table["accessed_date"].notna().all()


def test_every_schema_file_is_catalogued():
    listed = set(catalog.catalog_table()["file"])
    assert {t.file for t in schemas.ALL_TABLES} <= listed


def test_static_geometry_is_a_copy_of_data_geo():
    for name in ("countries.geojson", "border_segments.geojson"):
        assert (REPO / "static" / "geo" / name).read_bytes() == (DATA_DIR / "geo" / name).read_bytes(), name


def test_static_map_config_is_current():
    sys.path.insert(0, str(REPO))
    from scripts.publish_static import static_config_text

    assert (REPO / "static" / "geo" / "map_static.json").read_text(encoding="utf-8") == static_config_text()
    config = json.loads(static_config_text())
    assert set(config["border_tooltips"]) == set(leaflet.borders.segments_table()["segment_id"])


@pytest.mark.parametrize("treaty", ["ottawa", "ccm"])
@pytest.mark.parametrize("fill", ["status", "spending", "spending_nato"])
def test_published_timelines_are_current(fill, treaty):
    """The app's map looks every day up in these files: they must say what the core says today."""
    sys.path.insert(0, str(REPO))
    from scripts.publish_static import timeline_text

    path = REPO / "static" / "geo" / leaflet.timeline_file(fill, treaty)
    assert path.read_text(encoding="utf-8") == timeline_text(fill, treaty), "rerun scripts/publish_static.py"
    if treaty == "ottawa":  # the Ottawa files keep their names (links and caches made before the CCM)
        assert path.name == f"timeline_{fill}.json"
