"""Read the tables and geometry in ``data/``, validated against their declared schemas."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from flankmap import schemas
from flankmap.schemas import DataError, TableSchema

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
GEO_DIR_NAME = "geo"
COUNTRIES_GEOJSON = "geo/countries.geojson"
BORDERS_GEOJSON = "geo/border_segments.geojson"


def _label(path: Path) -> str:
    """Name a file the way a person finds it: relative to the repo where possible."""
    try:
        return str(path.resolve().relative_to(DATA_DIR.parent))
    except ValueError:
        return str(path)


def read_raw(path: Path) -> pd.DataFrame:
    """Read a CSV with every cell as a string (blank = empty string), so nothing is guessed."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
    except FileNotFoundError:
        raise DataError([f"{_label(path)}: file not found"]) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError([f"{_label(path)}: cannot be parsed as UTF-8 CSV ({exc})"]) from None


def known_iso3(data_dir: Path = DATA_DIR) -> set[str]:
    """The ISO3 codes declared in ``countries.csv`` (the only codes other tables may use)."""
    raw = read_raw(Path(data_dir) / schemas.COUNTRIES.file)
    return set(raw.get("iso3", pd.Series(dtype=str)))


def read_table(schema: TableSchema, data_dir: Path = DATA_DIR, path: Path | None = None) -> pd.DataFrame:
    """Read, validate and type one table.

    Args:
        schema: the table's declared schema.
        data_dir: folder holding ``countries.csv`` and the table (defaults to the repo's ``data/``).
        path: read this file instead of ``data_dir / schema.file`` (used by tests with broken fixtures).

    Returns:
        The typed table (dates as ``datetime.date``, blanks as None/NA).

    Raises:
        DataError: listing every problem with file, line and column.
    """
    data_dir = Path(data_dir)
    path = Path(path) if path else data_dir / schema.file
    raw = read_raw(path)
    codes = None if schema is schemas.COUNTRIES else known_iso3(data_dir)
    problems = schemas.validate(raw, schema, _label(path), codes)
    if problems:
        raise DataError(problems)
    return schemas.convert(raw, schema)


@lru_cache(maxsize=32)
def _cached_table(schema_name: str, data_dir: str) -> pd.DataFrame:
    schema = next(t for t in schemas.ALL_TABLES if t.name == schema_name)
    return read_table(schema, Path(data_dir))


def table(schema: TableSchema, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Like :func:`read_table` but memoised per process (the CLI and core call it repeatedly).

    Returns a copy, so callers may modify it freely.
    """
    return _cached_table(schema.name, str(Path(data_dir).resolve())).copy()


def countries_geo(data_dir: Path = DATA_DIR):
    """Country polygons for the map (EPSG:4326, simplified for the browser): columns iso3, name, geometry."""
    import geopandas as gpd

    return gpd.read_file(Path(data_dir) / COUNTRIES_GEOJSON)


def borders_geo(data_dir: Path = DATA_DIR):
    """Border segment lines (EPSG:4326): column segment_id plus geometry."""
    import geopandas as gpd

    return gpd.read_file(Path(data_dir) / BORDERS_GEOJSON)


@lru_cache(maxsize=8)
def _drawn(data_dir: str) -> tuple[str, ...]:
    import json

    features = json.loads((Path(data_dir) / COUNTRIES_GEOJSON).read_text(encoding="utf-8"))["features"]
    return tuple(sorted(f["properties"]["iso3"] for f in features))


def drawn_iso3s(data_dir: Path = DATA_DIR) -> list[str]:
    """ISO3 codes of the countries the map draws (those in ``geo/countries.geojson``), sorted."""
    return list(_drawn(str(Path(data_dir).resolve())))
