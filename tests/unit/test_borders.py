"""Unit tests of flankmap.domain.borders on hand-made geometry and a tiny fixture table (no real data/)."""

from __future__ import annotations

import pandas as pd
import pytest
from shapely.geometry import LineString, MultiLineString, Point, Polygon

from flankmap.data.validate import DataError
from flankmap.domain import borders

# Known WGS84 values: one degree of latitude from the equator along a meridian is 110.574 km; one degree of
# longitude along the equator is 111.319 km (equatorial radius 6378.137 km x pi/180).
MERIDIAN_DEG_KM = 110.574
EQUATOR_DEG_KM = 111.319


def test_one_degree_along_meridian():
    assert borders.geodesic_length_km(LineString([(0, 0), (0, 1)])) == pytest.approx(MERIDIAN_DEG_KM, abs=0.01)


def test_one_degree_along_equator():
    assert borders.geodesic_length_km(LineString([(0, 0), (1, 0)])) == pytest.approx(EQUATOR_DEG_KM, abs=0.01)


def test_multilinestring_sums_parts_and_gap_is_not_counted():
    # Two 1-degree meridian pieces with a 1-degree gap between them: the gap is not border.
    line = MultiLineString([[(0, 0), (0, 1)], [(0, 2), (0, 3)]])
    expected = borders.geodesic_length_km(LineString([(0, 0), (0, 1)])) + borders.geodesic_length_km(
        LineString([(0, 2), (0, 3)])
    )
    assert borders.geodesic_length_km(line) == pytest.approx(expected, rel=1e-12)
    assert borders.geodesic_length_km(line) < borders.geodesic_length_km(LineString([(0, 0), (0, 3)]))


def test_length_does_not_depend_on_vertex_count():
    # A geodesic measure: splitting a meridian segment adds no length (a planar-degree measure would agree
    # too, but along a parallel it would not; this guards against someone swapping in .length).
    assert borders.geodesic_length_km(LineString([(0, 0), (0, 0.5), (0, 1)])) == pytest.approx(
        MERIDIAN_DEG_KM, abs=0.01
    )


def test_parallel_at_60n_is_about_half_the_equator():
    # 1 degree of longitude at 60N is ~55.8 km on WGS84; in planar degrees it would wrongly equal 1 degree.
    assert borders.geodesic_length_km(LineString([(0, 60), (1, 60)])) == pytest.approx(55.8, abs=0.1)


def test_polygon_measures_its_perimeter():
    square = Polygon([(0, 0), (1, 0), (1, 1), (0, 1)])
    assert borders.geodesic_length_km(square) == pytest.approx(2 * EQUATOR_DEG_KM + 2 * MERIDIAN_DEG_KM, rel=0.002)


def test_empty_and_point_are_zero():
    assert borders.geodesic_length_km(LineString()) == 0.0
    assert borders.geodesic_length_km(Point(1, 1)) == 0.0


def test_none_geometry_raises():
    with pytest.raises(TypeError):
        borders.geodesic_length_km(None)


def test_straight_distance_known_values():
    assert borders.straight_distance_km(0, 0, 0, 1) == pytest.approx(MERIDIAN_DEG_KM, abs=0.01)
    assert borders.straight_distance_km(0, 0, 1, 0) == pytest.approx(EQUATOR_DEG_KM, abs=0.01)
    assert borders.straight_distance_km(20, 50, 20, 50) == 0.0
    # Symmetric.
    assert borders.straight_distance_km(23.5, 53.9, 22.8, 54.4) == pytest.approx(
        borders.straight_distance_km(22.8, 54.4, 23.5, 53.9), rel=1e-12
    )


def test_straight_distance_rejects_bad_latitude():
    with pytest.raises(ValueError, match="latitude"):
        borders.straight_distance_km(0, 91, 0, 0)


# --- tiny fixture tables -------------------------------------------------------------------------------
COUNTRIES_CSV = """iso3,name,treaty_note,source_url,accessed_date
AAA,Aland,,https://example.org/a,2026-11-23
BBB,Bland,,https://example.org/b,2026-11-23
CCC,Cland,,https://example.org/c,2026-11-23
"""
SEGMENTS_HEADER = (
    "segment_id,iso3_a,iso3_b,name,focus,length_km,official_length_km,official_note,official_source,"
    "source_url,accessed_date\n"
)


def write_fixture(tmp_path, rows: str):
    (tmp_path / "countries.csv").write_text(COUNTRIES_CSV, encoding="utf-8")
    (tmp_path / "border_segments.csv").write_text(SEGMENTS_HEADER + rows, encoding="utf-8")
    return tmp_path


def test_segments_table_diff(tmp_path):
    data_dir = write_fixture(
        tmp_path,
        "AAA-BBB,AAA,BBB,A–B,belarus,95.0,100,note,src,https://example.org/s,2026-11-23\n"
        "BBB-CCC,BBB,CCC,B–C,other,210.6,200,,src,https://example.org/s,2026-11-23\n"
        "AAA-CCC,AAA,CCC,A–C,other,50.0,,no official figure,,,\n",
    )
    df = borders.segments_table(data_dir).set_index("segment_id")
    assert df.at["AAA-BBB", "diff_km"] == pytest.approx(-5.0)
    assert df.at["AAA-BBB", "diff_pct"] == pytest.approx(-5.0)
    assert df.at["BBB-CCC", "diff_km"] == pytest.approx(10.6)
    assert df.at["BBB-CCC", "diff_pct"] == pytest.approx(5.3)  # 10.6 / 200 = 5.3 %
    # No official figure: the difference is missing, not zero.
    assert pd.isna(df.at["AAA-CCC", "diff_km"])
    assert pd.isna(df.at["AAA-CCC", "diff_pct"])


def test_segments_table_reports_schema_problems(tmp_path):
    data_dir = write_fixture(
        tmp_path,
        "AAA-ZZZ,AAA,ZZZ,A–Z,nowhere,-3,,,,https://example.org/s,\n",
    )
    with pytest.raises(DataError) as err:
        borders.segments_table(data_dir)
    text = str(err.value)
    assert "ZZZ" in text and "not in data/countries.csv" in text  # unknown ISO3
    assert "focus" in text  # bad enum
    assert "length_km" in text  # below minimum
    assert "accessed_date" in text  # URL without access date


def test_suwalki_facts_reads_fixture(tmp_path):
    (tmp_path / "countries.csv").write_text(COUNTRIES_CSV, encoding="utf-8")
    (tmp_path / "suwalki_facts.csv").write_text(
        "fact_code,label,value,unit,lon,lat,method,source_title,source_url,accessed_date\n"
        "tri,Tripoint,,,23.5,53.9,computed,Src,https://example.org/x,2026-11-23\n"
        "width,Width,65,km,,,sourced,Src,https://example.org/y,2026-11-23\n",
        encoding="utf-8",
    )
    facts = borders.suwalki_facts(tmp_path).set_index("fact_code")
    assert facts.at["width", "value"] == 65.0
    assert facts.at["tri", "lon"] == pytest.approx(23.5)
    assert pd.isna(facts.at["tri", "value"])
