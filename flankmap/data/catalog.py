"""The data catalog: what each file in ``data/`` is, where it came from, its licence and checksum."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from flankmap.data import load, schemas
from flankmap.data.load import DATA_DIR

CATALOG_FILE = "catalog.csv"


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def row_count_of(path: Path) -> int:
    """Data rows of a CSV (header excluded), features of a GeoJSON, or lines of any other text file."""
    path = Path(path)
    if path.suffix == ".csv":
        return len(load.read_raw(path))
    if path.suffix == ".geojson":
        return len(json.loads(path.read_text(encoding="utf-8"))["features"])
    return len(path.read_text(encoding="utf-8").splitlines())


def data_files(data_dir: Path = DATA_DIR) -> list[str]:
    """Every file under ``data_dir`` (relative POSIX paths), the catalog itself excluded."""
    data_dir = Path(data_dir)
    return sorted(
        p.relative_to(data_dir).as_posix() for p in data_dir.rglob("*") if p.is_file() and p.name != CATALOG_FILE
    )


def catalog_table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The catalog, validated against its schema."""
    return load.read_table(schemas.CATALOG, data_dir)


def check(data_dir: Path = DATA_DIR) -> list[str]:
    """Problems between the catalog and the files: missing entries, stale checksums or row counts."""
    data_dir = Path(data_dir)
    table = catalog_table(data_dir)
    problems = []
    listed = set(table["file"])
    for name in data_files(data_dir):
        if name not in listed:
            problems.append(f"data/{name}: not in data/{CATALOG_FILE}")
    for row in table.itertuples():
        path = data_dir / row.file
        if not path.exists():
            problems.append(f"data/{CATALOG_FILE}: lists data/{row.file}, which does not exist")
            continue
        if sha256_of(path) != row.sha256:
            problems.append(f"data/{row.file}: sha256 differs from the catalog (run scripts/update_catalog.py)")
        if row_count_of(path) != row.row_count:
            problems.append(f"data/{row.file}: row count {row_count_of(path)} != catalog {row.row_count}")
    return problems
