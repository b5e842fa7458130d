"""Read the tables and geometry in ``data/``, validated against their declared schemas."""

from __future__ import annotations

import hashlib
import time
from functools import lru_cache
from pathlib import Path

import pandas as pd

from flankmap.data import schemas, validate
from flankmap.data.validate import DataError, TableSchema

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
GEO_DIR_NAME = "geo"
COUNTRIES_GEOJSON = "geo/countries.geojson"
BORDERS_GEOJSON = "geo/border_segments.geojson"


VERSION_TTL_SECONDS = 1.0
_versions: dict[str, tuple[float, str]] = {}


def data_version(data_dir: Path = DATA_DIR) -> str:
    """The data version, re-read at most once per ``VERSION_TTL_SECONDS`` (see :func:`read_data_version`).

    One map step asks for it a dozen times; a second of grace keeps that to one look at the folder.
    """
    key = _resolved(str(data_dir))
    now = time.monotonic()
    seen = _versions.get(key)
    if seen is None or now - seen[0] > VERSION_TTL_SECONDS:
        seen = (now, read_data_version(data_dir))
        _versions[key] = seen
    return seen[1]


def read_data_version(data_dir: Path = DATA_DIR) -> str:
    """The data version: ``<catalog sha256, 16 hex>.<fingerprint of every file's path, size and mtime>``.

    The one cache rule of Flankmap: every memoised value (the core's ``lru_cache`` memos and the Streamlit
    caches in ``ui/cache.py``) is keyed on this, so a rebuilt or edited ``data/`` is served at once, without a
    restart, even when the catalog was not rerun. The prefix is the catalog's checksum (what a citation
    quotes). Reading the catalog and stat-ing the ~20 files costs well under a millisecond.
    """
    root = Path(data_dir)
    catalog = root / "catalog.csv"
    head = hashlib.sha256(catalog.read_bytes()).hexdigest()[:16] if catalog.is_file() else "no-catalog"
    digest = hashlib.sha1(usedforsecurity=False)
    for path in sorted(root.rglob("*")):
        if path.is_file():
            info = path.stat()
            digest.update(f"{path.relative_to(root).as_posix()}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return f"{head}.{digest.hexdigest()[:16]}"


@lru_cache(maxsize=64)
def _resolved(data_dir: str) -> str:
    return str(Path(data_dir).resolve())


def cache_key(data_dir: Path = DATA_DIR) -> tuple[str, str]:
    """(resolved folder, :func:`data_version`): the key every core memo takes."""
    where = _resolved(str(data_dir))
    return where, data_version(where)


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
    except UnicodeDecodeError:
        raise DataError([_not_utf8(path)]) from None
    except pd.errors.ParserError as exc:
        raise DataError([f"{_label(path)}: cannot be parsed as UTF-8 CSV ({exc})"]) from None


def _not_utf8(path: Path) -> str:
    """Where the first byte that is not UTF-8 sits: its line (header = line 1) and the byte."""
    data = Path(path).read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start : exc.start + 1].hex()
        return f"{_label(path)} line {line}: cannot be parsed as UTF-8 CSV (byte 0x{byte} is not UTF-8)"
    return f"{_label(path)}: cannot be parsed as UTF-8 CSV"


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
    problems = validate.validate(raw, schema, _label(path), codes)
    if problems:
        raise DataError(problems)
    return validate.convert(raw, schema)


@lru_cache(maxsize=32)
def _cached_table(schema_name: str, data_dir: str, version: str) -> pd.DataFrame:
    schema = next(t for t in schemas.ALL_TABLES if t.name == schema_name)
    return read_table(schema, Path(data_dir))


def table(schema: TableSchema, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Like :func:`read_table` but memoised on the data version (the CLI and core call it repeatedly).

    Returns a copy, so callers may modify it freely.
    """
    return _cached_table(schema.name, *cache_key(data_dir)).copy()


def countries_geo(data_dir: Path = DATA_DIR):
    """Country polygons for the map (EPSG:4326, simplified for the browser): columns iso3, name, geometry."""
    import geopandas as gpd

    return gpd.read_file(Path(data_dir) / COUNTRIES_GEOJSON)


def borders_geo(data_dir: Path = DATA_DIR):
    """Border segment lines (EPSG:4326): column segment_id plus geometry."""
    import geopandas as gpd

    return gpd.read_file(Path(data_dir) / BORDERS_GEOJSON)


@lru_cache(maxsize=8)
def _drawn(data_dir: str, version: str) -> tuple[str, ...]:
    import json

    features = json.loads((Path(data_dir) / COUNTRIES_GEOJSON).read_text(encoding="utf-8"))["features"]
    return tuple(sorted(f["properties"]["iso3"] for f in features))


def drawn_iso3s(data_dir: Path = DATA_DIR) -> list[str]:
    """ISO3 codes of the countries the map draws (those in ``geo/countries.geojson``), sorted."""
    return list(_drawn(*cache_key(data_dir)))
