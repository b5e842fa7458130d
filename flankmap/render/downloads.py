"""Data and sources: the catalog for readers, the press corrections, downloads and a citation (pure core).

Nothing here reads outside ``data/``: the press corrections were copied from the reference research into
``data/press_corrections.csv`` (each with its source URL), so the app works from the repository alone.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pandas as pd

from flankmap.data import catalog, load, schemas
from flankmap.data.load import DATA_DIR
from flankmap.domain import treaty

CATALOG_COLUMNS = {
    "file": "File",
    "title": "Dataset",
    "description": "What it is",
    "source_name": "Source",
    "source_url": "Source URL",
    "licence": "Licence",
    "accessed_date": "Accessed",
    "row_count": "Rows",
    "sha256": "SHA-256",
}
STATUS_EXPORT_COLUMNS = [
    "iso3",
    "name",
    "status_code",
    "status_label",
    "withdrawal_stage",
    "flag",
    "entry_into_force_date",
    "withdrawal_deposit_date",
    "effective_date",
    "days_until_effective",
    "source_title",
    "source_url",
]


def catalog_view(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Every dataset in ``data/`` with what it is, source, licence, access date, row count and checksum.

    Returns:
        The catalog with display column names (see :data:`CATALOG_COLUMNS`), one row per file, CSVs first.

    Raises:
        DataError: the catalog breaks its schema.
    """
    table = catalog.catalog_table(data_dir)
    table = table.assign(
        accessed_date=table["accessed_date"].map(lambda d: d.isoformat()), row_count=table["row_count"].astype("int64")
    )
    table = table.sort_values("file", key=lambda s: s.map(lambda f: ("/" in f, not f.endswith(".csv"), f)))
    return table[list(CATALOG_COLUMNS)].rename(columns=CATALOG_COLUMNS).reset_index(drop=True)


def press_errors(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Errors found in the 2025 press coverage with the correct facts: claim, correction, source_url,
    accessed_date (``data/press_corrections.csv``, validated).
    """
    return load.table(schemas.PRESS_CORRECTIONS, data_dir)


def dataset_files(data_dir: Path = DATA_DIR) -> list[str]:
    """Files a user can download whole: every catalogued CSV and GeoJSON (paths relative to ``data/``)."""
    return [f for f in catalog.catalog_table(data_dir)["file"] if f.endswith((".csv", ".geojson"))]


def dataset_bytes(file: str, data_dir: Path = DATA_DIR) -> bytes:
    """The bytes of one catalogued data file, exactly as shipped.

    Raises:
        KeyError: ``file`` is not in the catalog (no path outside ``data/`` can be read this way).
    """
    if file not in set(catalog.catalog_table(data_dir)["file"]):
        raise KeyError(f"{file!r} is not in data/{catalog.CATALOG_FILE}")
    return (Path(data_dir) / file).read_bytes()


def mime_of(file: str) -> str:
    """The MIME type of a data file offered for download (GeoJSON or CSV)."""
    return "application/geo+json" if file.endswith(".geojson") else "text/csv"


def status_frame(day: dt.date, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Status of every country on ``day`` (``treaty.status_table``) with dates as ISO text, plus ``date``."""
    table = treaty.status_table(day, data_dir=data_dir)[STATUS_EXPORT_COLUMNS]
    for col in ("entry_into_force_date", "withdrawal_deposit_date", "effective_date"):
        table[col] = table[col].map(lambda d: d.isoformat() if isinstance(d, dt.date) else None)
    table["days_until_effective"] = table["days_until_effective"].astype("Int64")
    table.insert(0, "date", day.isoformat())
    # Through which day the treaty sources were checked: a later ``date`` may miss events after it.
    table.insert(1, "treaty_data_checked_through", treaty.checked_through(data_dir).isoformat())
    return table


def status_csv(day: dt.date, data_dir: Path = DATA_DIR) -> bytes:
    """The status of every country on ``day`` as UTF-8 CSV bytes (one row per country)."""
    buf = io.StringIO()
    status_frame(day, data_dir).to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def status_geojson(day: dt.date, data_dir: Path = DATA_DIR) -> bytes:
    """``geo/countries.geojson`` with each feature's properties joined to its status on ``day`` by iso3.

    Countries drawn on the map without treaty events keep their geometry and get ``status_code`` null.
    Returns UTF-8 GeoJSON bytes (EPSG:4326, the simplified browser geometry).
    """
    geo = json.loads((Path(data_dir) / load.COUNTRIES_GEOJSON).read_text(encoding="utf-8"))
    records = status_frame(day, data_dir).astype(object).where(lambda f: f.notna(), None)
    by_iso3 = {r["iso3"]: r for r in records.to_dict("records")}
    features = []
    for feature in geo["features"]:
        props = dict(feature.get("properties") or {})
        status = by_iso3.get(
            props.get("iso3"),
            {"date": day.isoformat(), "treaty_data_checked_through": treaty.checked_through(data_dir).isoformat()},
        )
        props.update({k: v for k, v in status.items() if k not in props or k not in ("iso3", "name")})
        props.update({k: None for k in STATUS_EXPORT_COLUMNS if k not in props})
        features.append({**feature, "properties": props})
    out = {"type": "FeatureCollection", "name": f"flankmap_status_{day.isoformat()}", "features": features}
    return json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def citation(day: dt.date | None = None, version: str | None = None, data_dir: Path = DATA_DIR) -> str:
    """A one-line citation for the data (with the catalog's checksum prefix, and the day viewed if given)."""
    accessed = max(catalog.catalog_table(data_dir)["accessed_date"])
    parts = [
        f"Flankmap: Ottawa Convention status, defence spending and borders of NATO's eastern flank "
        f"(data accessed {accessed.isoformat()}; treaty data checked through "
        f"{treaty.checked_through(data_dir).isoformat()})"
    ]
    if version:
        parts.append(f"data version {version[:12]}")
    if day:
        parts.append(f"view of {day.isoformat()}")
    return (
        "; ".join(parts) + ". Sources per row and per file as listed in data/catalog.csv. Licence: CC BY 4.0 "
        "for the compilation; OpenStreetMap-derived geometry ODbL 1.0 (© OpenStreetMap contributors)."
    )
