"""Check or refresh ``reference/MANIFEST.csv``: every curated input file with its sha256 and provenance.

```
python scripts/manifest.py verify            # exit 1 and one line per problem if anything is off
python scripts/manifest.py update            # recompute the sha256 of every listed file
python scripts/manifest.py add reference/x.csv --producer "..." --source-url https://... \\
       --accessed 2026-12-01 --licence "..."  # list a new file
```

Columns: ``file`` (path relative to ``reference/``), ``sha256``, ``producer`` (who made the file and how),
``source_url`` (where the facts come from, or ``per-row`` when the file carries a ``source_url`` column),
``accessed_date`` (latest day a source of the file was read), ``licence``. See ``reference/README.md``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO / "reference"
MANIFEST = "MANIFEST.csv"
FIELDS = ["file", "sha256", "producer", "source_url", "accessed_date", "licence"]
PER_ROW = "per-row"
NOT_LISTED = {MANIFEST, "README.md"}  # the manifest itself and its explanation


def listed_name(row: dict) -> str:
    """A row's file relative to ``reference/`` (a leading ``reference/`` is accepted and dropped)."""
    name = (row.get("file") or "").strip()
    return name[len("reference/") :] if name.startswith("reference/") else name


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def reference_files(reference: Path = REFERENCE) -> list[str]:
    """Every file under ``reference`` (POSIX paths relative to it) except the manifest and README."""
    reference = Path(reference)
    return sorted(
        p.relative_to(reference).as_posix()
        for p in reference.rglob("*")
        if p.is_file() and p.relative_to(reference).as_posix() not in NOT_LISTED
    )


def read_manifest(reference: Path = REFERENCE) -> list[dict]:
    path = Path(reference) / MANIFEST
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_manifest(rows: list[dict], reference: Path = REFERENCE) -> None:
    rows = sorted(rows, key=listed_name)
    with open(Path(reference) / MANIFEST, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: r.get(k, "") for k in FIELDS} for r in rows)


def _field_problems(row: dict, line: int, reference: Path) -> list[str]:
    where = f"reference/{MANIFEST} line {line}"
    problems = []
    for name in FIELDS:
        if not (row.get(name) or "").strip():
            problems.append(f"{where}, column {name}: is empty but required")
    if row.get("sha256") and not re.fullmatch(r"[0-9a-f]{64}", row["sha256"]):
        problems.append(f"{where}, column sha256: {row['sha256']!r} is not a hex SHA-256")
    if row.get("accessed_date"):
        try:
            day = dt.date.fromisoformat(row["accessed_date"])
            if len(row["accessed_date"]) != 10 or day.year < 1990:
                raise ValueError
        except ValueError:
            problems.append(f"{where}, column accessed_date: {row['accessed_date']!r} is not a date (YYYY-MM-DD)")
    url = row.get("source_url") or ""
    if url == PER_ROW:
        path = Path(reference) / listed_name(row)
        if path.suffix != ".csv" or not path.exists() or "source_url" not in path.open(encoding="utf-8").readline():
            problems.append(f"{where}, column source_url: {PER_ROW!r} needs a CSV with a source_url column")
    elif url and not re.fullmatch(r"https?://\S+", url):
        problems.append(f"{where}, column source_url: {url!r} is neither an http(s) URL nor {PER_ROW!r}")
    return problems


def check(reference: Path = REFERENCE) -> list[str]:
    """Problems between the manifest and the files under ``reference`` (empty list = all good)."""
    reference = Path(reference)
    if not (reference / MANIFEST).exists():
        return [f"reference/{MANIFEST}: file not found"]
    rows = read_manifest(reference)
    problems = []
    seen: dict[str, int] = {}
    for i, row in enumerate(rows, start=2):
        name = listed_name(row)
        problems += _field_problems(row, i, reference)
        if name in seen:
            problems.append(f"reference/{MANIFEST} line {i}, column file: {name} is listed twice (line {seen[name]})")
            continue
        seen[name] = i
        path = reference / name
        if not path.is_file():
            problems.append(f"reference/{MANIFEST} line {i}, column file: reference/{name} does not exist")
        elif sha256_of(path) != row.get("sha256"):
            problems.append(
                f"reference/{MANIFEST} line {i}, column sha256: reference/{name} has changed "
                "(run python scripts/manifest.py update after checking the change)"
            )
    for name in reference_files(reference):
        if name not in seen:
            problems.append(
                f"reference/{name}: not in reference/{MANIFEST} "
                f"(add it: python scripts/manifest.py add reference/{name} ...)"
            )
    return problems


def update(reference: Path = REFERENCE) -> list[str]:
    """Recompute the sha256 of every listed file; returns the problems left (unlisted or missing files)."""
    rows = read_manifest(reference)
    for row in rows:
        path = Path(reference) / listed_name(row)
        if path.is_file():
            row["sha256"] = sha256_of(path)
    write_manifest(rows, reference)
    return check(reference)


def add(file: str, producer: str, source_url: str, accessed: str, licence: str, reference: Path = REFERENCE) -> None:
    reference = Path(reference)
    path = Path(file)
    path = path if path.is_absolute() else (Path.cwd() / path)
    name = path.resolve().relative_to(reference.resolve()).as_posix()
    rows = [r for r in read_manifest(reference) if listed_name(r) != name]
    rows.append(
        {
            "file": name,
            "sha256": sha256_of(path),
            "producer": producer,
            "source_url": source_url,
            "accessed_date": accessed,
            "licence": licence,
        }
    )
    write_manifest(rows, reference)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=REFERENCE)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("verify", help="check every file under reference/ is listed with its current sha256")
    sub.add_parser("update", help="recompute the sha256 of every listed file")
    new = sub.add_parser("add", help="list a new file (or replace its row)")
    new.add_argument("file")
    new.add_argument("--producer", required=True)
    new.add_argument("--source-url", required=True, help=f"http(s) URL, or {PER_ROW!r}")
    new.add_argument("--accessed", required=True, help="YYYY-MM-DD")
    new.add_argument("--licence", required=True)
    args = parser.parse_args(argv)
    if args.command == "add":
        try:
            add(args.file, args.producer, args.source_url, args.accessed, args.licence, args.reference)
        except ValueError:
            print(f"manifest: {args.file} is not under {args.reference}", file=sys.stderr)
            return 2
        problems = check(args.reference)
    elif args.command == "update":
        problems = update(args.reference)
    else:
        problems = check(args.reference)
    for problem in problems:
        print(f"manifest: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"reference/{MANIFEST}: {len(read_manifest(args.reference))} files, every sha256 current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
