"""Border segments and geodesic lengths: the border table, its lines, and the Suwałki Gap facts.

Pure core (no Streamlit). Lengths are geodesic on the WGS84 ellipsoid (pyproj ``Geod``), never in
degrees. ``length_km`` in ``data/border_segments.csv`` was computed by ``scripts/build_geodata.py`` on the
full-resolution source; the lines in ``data/geo/border_segments.geojson`` are simplified for the browser and
are for drawing only (their length is shorter, see :func:`drawn_length_ratio`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pyproj import Geod

from flankmap.data import load, schemas, validate
from flankmap.data.load import DATA_DIR

# One ellipsoid for the whole project: the coordinates in data/geo/ are WGS84 (EPSG:4326).
GEOD = Geod(ellps="WGS84")


def geodesic_length_km(geometry) -> float:
    """Geodesic length of a (Multi)LineString, or of a polygon's boundary, on the WGS84 ellipsoid.

    Args:
        geometry: a shapely geometry in lon/lat degrees (EPSG:4326). For polygons the perimeter is measured.

    Returns:
        The length in kilometres (0.0 for an empty geometry or a point).

    Raises:
        TypeError: if ``geometry`` is None (a missing geometry is a data error, not a zero-length line).
    """
    if geometry is None:
        raise TypeError("geometry is None")
    if geometry.is_empty:
        return 0.0
    return GEOD.geometry_length(geometry) / 1000.0


def straight_distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Shortest (geodesic) distance between two lon/lat points on the WGS84 ellipsoid.

    Args:
        lon1: longitude of the first point, degrees.
        lat1: latitude of the first point, degrees.
        lon2: longitude of the second point, degrees.
        lat2: latitude of the second point, degrees.

    Returns:
        The distance in kilometres.

    Raises:
        ValueError: if a latitude lies outside -90..90 (pyproj would silently wrap some inputs).
    """
    for lat in (lat1, lat2):
        if not -90.0 <= lat <= 90.0:
            raise ValueError(f"latitude {lat} is outside -90..90")
    return GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


def segments_table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The border-segment table with the difference between computed and official lengths.

    Args:
        data_dir: folder holding ``border_segments.csv`` and ``countries.csv``.

    Returns:
        ``data/border_segments.csv`` as typed by :data:`schemas.BORDER_SEGMENTS`, plus
        ``diff_km`` (``length_km - official_length_km``, 1 dp) and ``diff_pct`` (that difference as a
        percentage of the official figure, 1 dp); both are NA where there is no official figure.

    Raises:
        DataError: if the CSV breaks its schema (every problem listed with file, line and column).
    """
    df = load.table(schemas.BORDER_SEGMENTS, data_dir)
    # Float64 (nullable) keeps "no official figure" as NA instead of turning it into 0 or NaN-as-number.
    diff = df["length_km"] - df["official_length_km"]
    df["diff_km"] = diff.round(1)
    df["diff_pct"] = (100.0 * diff / df["official_length_km"]).round(1)
    return df


def segments_geo(data_dir: Path = DATA_DIR):
    """Border lines for the map, joined with the segment table on ``segment_id``.

    Args:
        data_dir: folder holding ``geo/border_segments.geojson``, ``border_segments.csv`` and ``countries.csv``.

    Returns:
        A GeoDataFrame (EPSG:4326) with one row per segment: ``segment_id``, ``geometry`` and every
        column of :func:`segments_table`, in the table's order.

    Raises:
        DataError: if the table breaks its schema, or a segment has no line or a line has no table row.
    """
    lines = load.borders_geo(data_dir)
    table = segments_table(data_dir)
    line_ids, table_ids = set(lines["segment_id"]), set(table["segment_id"])
    problems = [f"{load.BORDERS_GEOJSON}: no line for segment {s!r}" for s in sorted(table_ids - line_ids)]
    problems += [
        f"{load.BORDERS_GEOJSON}: segment {s!r} is not in border_segments.csv" for s in sorted(line_ids - table_ids)
    ]
    if lines["segment_id"].duplicated().any():
        dup = sorted(set(lines.loc[lines["segment_id"].duplicated(), "segment_id"]))
        problems.append(f"{load.BORDERS_GEOJSON}: duplicate segment_id {', '.join(dup)}")
    if problems:
        raise validate.DataError(problems)
    # Merge onto the table (not the lines) so row order follows the curated CSV.
    merged = table.merge(lines[["segment_id", "geometry"]], on="segment_id", how="left", validate="one_to_one")
    import geopandas as gpd  # imported here: the table functions above must work without geopandas

    return gpd.GeoDataFrame(merged, geometry="geometry", crs=lines.crs or "EPSG:4326")


def drawn_length_ratio(data_dir: Path = DATA_DIR) -> pd.Series:
    """Length of each drawn (simplified) line divided by its full-resolution ``length_km``, by segment_id.

    Simplification cuts river meanders, so the ratio is below 1; the data tests keep it in a documented band.
    """
    geo = segments_geo(data_dir)
    drawn = geo.geometry.map(geodesic_length_km)
    return pd.Series((drawn / geo["length_km"].astype(float)).to_numpy(), index=geo["segment_id"], name="ratio")


def suwalki_facts(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Facts about the Suwałki Gap (tripoints, straight width, border length), computed and sourced.

    Args:
        data_dir: folder holding ``suwalki_facts.csv`` and ``countries.csv``.

    Returns:
        ``data/suwalki_facts.csv`` typed by :data:`schemas.SUWALKI_FACTS`, indexed 0..n-1 in file order.
        Rows whose ``fact_code`` ends in ``_computed`` (or tripoint rows without ``_reference``) come from the
        project's geometry; the others quote a source.

    Raises:
        DataError: if the CSV breaks its schema.
    """
    return load.table(schemas.SUWALKI_FACTS, data_dir)


def suwalki_lengths(data_dir: Path = DATA_DIR) -> tuple[float | None, float | None]:
    """(length along the border, straight width) of the Suwałki Gap in km as sourced; None where absent."""
    facts = suwalki_facts(data_dir).set_index("fact_code")

    def value(code: str) -> float | None:
        if code not in facts.index or pd.isna(facts.at[code, "value"]):
            return None
        return float(facts.at[code, "value"])

    return value("border_length_sourced"), value("straight_distance_sourced")
