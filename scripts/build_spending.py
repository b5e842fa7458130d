"""Build ``data/defence_spending.csv`` and ``data/defence_targets.csv`` from the curated reference.

Source: ``shared/reference/defence_spending.csv`` (+ its notes, ``defence_spending.md``), which sits beside
the repository. Every number written here is copied from that file, as text, never recomputed.

Metric -> series (NATO and SIPRI use different definitions, so they stay separate series):

    defence_exp_pct_gdp  -> nato_pct_gdp         (NATO Table 3, NATO definition)
    milex_pct_gdp        -> sipri_pct_gdp        (SIPRI definition)
    milex_usd_m_current  -> sipri_usd_m_current  (SIPRI, US$ m current)
    planned_pct_gdp      -> plan_pct_gdp         (national plans, national definitions)
    planned_pct_gdp_min / _max -> value_min / value_max of the plan row with the same iso3 and year

Plan ranges: the only range in the reference (LTU 2026: 5-6 %, State Defence Council, Delfi) sits beside
a point figure from another source (5.38 %, draft budget, LRT/Report.az). The schema allows one plan row
per (iso3, year), so the range goes into value_min/value_max of that row and, because the row's
source_url is the point figure's, the range's own source name and URL are appended to ``notes``. A range
with no point figure would need a value we do not have (a midpoint would be invented), so such rows are
reported as unmapped and not written.

Targets: only rows whose source URL is in the reference are written; the others are held back and
listed at the end of the run (see TARGETS).

Usage: ``python scripts/build_spending.py [REFERENCE_CSV] [--out-dir data]``
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = Path(__file__).resolve().parents[2] / "shared/reference/defence_spending.csv"
DEFAULT_OUT_DIR = REPO / "data"

sys.path.insert(0, str(REPO))
from flankmap import load, schemas  # noqa: E402  (the script runs from a checkout, not an install)

REFERENCE_COLUMNS = [
    "iso3", "country", "year", "metric", "value", "unit", "is_estimate",
    "source_name", "source_url", "accessed_date", "notes",
]  # fmt: skip

METRIC_TO_SERIES = {
    "defence_exp_pct_gdp": "nato_pct_gdp",
    "milex_pct_gdp": "sipri_pct_gdp",
    "milex_usd_m_current": "sipri_usd_m_current",
    "planned_pct_gdp": "plan_pct_gdp",
}
RANGE_METRICS = {"planned_pct_gdp_min": "value_min", "planned_pct_gdp_max": "value_max"}
SERIES_UNIT = {
    "nato_pct_gdp": "pct_gdp",
    "sipri_pct_gdp": "pct_gdp",
    "sipri_usd_m_current": "usd_m_current",
    "plan_pct_gdp": "pct_gdp",
}

# Known oddities, kept but flagged (allow-list, so a new oddity shows up as a surprise, not silently).
# DNK 2025e: the CSV row cites the UK Defence Journal, but defence_spending.md (sections 1 and 7) lists
# NATO 2025e for DNK as "not filled" ("TASS only says Denmark is '>3%'"). The row is kept, with a caveat.
ROW_CAVEATS = {
    ("DNK", "2025", "defence_exp_pct_gdp"): (
        "CAVEAT: defence_spending.md lists NATO 2025e for DNK as not filled/unconfirmed; this CSV row rests "
        "on one press report only"
    ),
}

# NATO targets, from defence_spending.md section 4. A target without a source URL in the reference is
# not written (the schema requires one and none may be invented): fill source_url to release it.
REFERENCE_ACCESSED = "2026-11-23"  # the date the reference's archived copies were read
TARGETS = [
    {
        "target_code": "nato_2pct_wales_2014",
        "label": "NATO guideline: 2% of GDP (Wales 2014)",
        "spend_pct_gdp": "2.0",
        "agreed_year": "2014",
        "deadline_year": "2024",
        "detail": "Defence Investment Pledge, Wales Summit (4-5 Sept 2014, date unconfirmed in the reference): "
        "Allies aim to move towards 2% of GDP within a decade",
        "source_name": "NATO news, 5 Sep 2014: Allied leaders pledge to reverse defence cuts (Wales Summit)",
        # Found with the project's search tool (stored copy read 2026-11-23); not in the reference.
        "source_url": "https://www.nato.int/cps/en/natohq/news_112461.htm",
        "accessed_date": REFERENCE_ACCESSED,
    },
    {
        "target_code": "nato_2pct_min_vilnius_2023",
        "label": "NATO: at least 2% of GDP (Vilnius 2023)",
        "spend_pct_gdp": "2.0",
        "agreed_year": "2023",
        "deadline_year": "",
        "detail": "Vilnius Summit, 11-12 July 2023: 2% is a minimum. Stoltenberg, 14 Feb 2024: 'we agreed at the "
        "Vilnius Summit that all Allies should invest 2%, and that 2% is a minimum'",
        "source_name": "NATO news, 14 Feb 2024: Secretary General welcomes unprecedented rise in NATO defence spending",
        "source_url": "https://www.nato.int/en/news-and-events/articles/news/2024/02/14/"
        "secretary-general-welcomes-unprecedented-rise-in-nato-defence-spending",
        "accessed_date": REFERENCE_ACCESSED,
    },
    {
        "target_code": "nato_core_3_5pct_hague_2025",
        "label": "NATO: 3.5% of GDP core defence by 2035 (The Hague 2025)",
        "spend_pct_gdp": "3.5",
        "agreed_year": "2025",
        "deadline_year": "2035",
        "detail": "Hague Summit declaration, 25 June 2025: 'at least 3.5% of GDP annually based on the agreed "
        "definition of NATO defence expenditure by 2035 to resource core defence requirements, and to meet "
        "the NATO Capability Targets'; review in 2029",
        "source_name": "The Hague Summit Declaration, 25 June 2025 (full text reprinted by Firstpost)",
        # Found with the project's search tool (stored copy read 2026-11-23); not in the reference.
        "source_url": "https://www.firstpost.com/world/nato-pledges-5-gdp-defense-spending-by-2035-reaffirms-support-for-ukraine-13900463.html",
        "accessed_date": REFERENCE_ACCESSED,
    },
    {
        "target_code": "nato_total_5pct_hague_2025",
        "label": "NATO: 5% of GDP by 2035 (The Hague 2025)",
        "spend_pct_gdp": "5.0",
        "agreed_year": "2025",
        "deadline_year": "2035",
        "detail": "Hague Summit declaration, 25 June 2025: 5% of GDP annually by 2035 = at least 3.5% core "
        "defence + up to 1.5% to protect critical infrastructure, defend networks, ensure civil preparedness "
        "and resilience, unleash innovation and strengthen the defence industrial base; annual plans with a "
        "'credible, incremental path'; review in 2029",
        "source_name": "The Hague Summit Declaration, 25 June 2025 (full text reprinted by Firstpost)",
        # Found with the project's search tool (stored copy read 2026-11-23); not in the reference.
        "source_url": "https://www.firstpost.com/world/nato-pledges-5-gdp-defense-spending-by-2035-reaffirms-support-for-ukraine-13900463.html",
        "accessed_date": REFERENCE_ACCESSED,
    },
]


def read_reference(path: Path) -> list[dict[str, str]]:
    """Read the reference CSV as strings, checking its header."""
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != REFERENCE_COLUMNS:
            raise SystemExit(f"{path}: unexpected header {reader.fieldnames}, expected {REFERENCE_COLUMNS}")
        return [{k: (v or "").strip() for k, v in row.items()} for row in reader]


def build_spending(reference: list[dict[str, str]]) -> tuple[list[dict[str, str]], list[tuple[int, dict, str]]]:
    """Map reference rows to DEFENCE_SPENDING rows.

    Returns:
        (rows sorted by iso3, series, year; unmapped reference rows as (csv line, row, reason)).
    """
    rows: dict[tuple[str, str, str], dict[str, str]] = {}
    ranges: list[tuple[int, dict[str, str]]] = []
    unmapped: list[tuple[int, dict, str]] = []
    for line, ref in enumerate(reference, start=2):
        metric = ref["metric"]
        if metric in RANGE_METRICS:
            ranges.append((line, ref))
            continue
        series = METRIC_TO_SERIES.get(metric)
        if series is None:
            unmapped.append((line, ref, f"unknown metric {metric!r}"))
            continue
        if ref["unit"] != SERIES_UNIT[series]:
            unmapped.append((line, ref, f"unit {ref['unit']!r} does not fit series {series}"))
            continue
        key = (ref["iso3"], ref["year"], series)
        if key in rows:
            unmapped.append((line, ref, f"duplicate of an earlier row for {key}"))
            continue
        notes = ref["notes"]
        caveat = ROW_CAVEATS.get((ref["iso3"], ref["year"], metric))
        if caveat:
            notes = f"{notes}; {caveat}" if notes else caveat
        rows[key] = {
            "iso3": ref["iso3"],
            "year": ref["year"],
            "series": series,
            "value": ref["value"],
            "value_min": "",
            "value_max": "",
            "unit": ref["unit"],
            "is_estimate": ref["is_estimate"],
            "source_name": ref["source_name"],
            "source_url": ref["source_url"],
            "accessed_date": ref["accessed_date"],
            "notes": notes,
        }
    for line, ref in ranges:
        target = rows.get((ref["iso3"], ref["year"], "plan_pct_gdp"))
        column = RANGE_METRICS[ref["metric"]]
        if target is None:
            unmapped.append((line, ref, "plan range bound with no plan point figure for that iso3/year"))
            continue
        if target[column]:
            unmapped.append((line, ref, f"second {column} for the same plan row"))
            continue
        target[column] = ref["value"]
        bound = "lower" if column == "value_min" else "upper"
        provenance = f"{column} ({bound} bound of the plan range) from {ref['source_name']}, {ref['source_url']}"
        if ref["source_url"] != target["source_url"]:
            provenance += f", accessed {ref['accessed_date']}"
        if ref["notes"]:
            provenance += f": {ref['notes']}"
        target["notes"] = f"{target['notes']}; {provenance}" if target["notes"] else provenance
    ordered = sorted(rows.values(), key=lambda r: (r["iso3"], r["series"], int(r["year"])))
    return ordered, unmapped


def build_targets() -> tuple[list[dict[str, str]], list[dict]]:
    """Targets with a source URL, and those held back for lack of one."""
    written = [t for t in TARGETS if t["source_url"]]
    held = [t for t in TARGETS if not t["source_url"]]
    return sorted(written, key=lambda t: t["target_code"]), held


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    """Write rows with a fixed column order, LF line ends, minimal quoting (byte-for-byte deterministic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n", extrasaction="raise")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row[c] for c in columns})


def check_written(path: Path, schema: schemas.TableSchema, out_dir: Path) -> None:
    """Validate a written file against its schema (ISO3 membership only when countries.csv exists)."""
    countries = out_dir / schemas.COUNTRIES.file
    codes = load.known_iso3(out_dir) if countries.exists() else None
    if codes is None:
        print(f"warning: {countries} not found; ISO3 membership not checked", file=sys.stderr)
    problems = schemas.validate(load.read_raw(path), schema, str(path), codes)
    if problems:
        raise schemas.DataError(problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", nargs="?", type=Path, default=DEFAULT_REFERENCE, help="reference CSV")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR, help="output folder (default: data/)")
    args = parser.parse_args(argv)

    reference = read_reference(args.reference)
    rows, unmapped = build_spending(reference)
    spending_path = args.out_dir / schemas.DEFENCE_SPENDING.file
    write_csv(spending_path, schemas.DEFENCE_SPENDING.column_names, rows)
    check_written(spending_path, schemas.DEFENCE_SPENDING, args.out_dir)

    targets, held = build_targets()
    targets_path = args.out_dir / schemas.DEFENCE_TARGETS.file
    write_csv(targets_path, schemas.DEFENCE_TARGETS.column_names, targets)
    check_written(targets_path, schemas.DEFENCE_TARGETS, args.out_dir)

    counts: dict[str, int] = {}
    for row in rows:
        counts[row["series"]] = counts.get(row["series"], 0) + 1
    print(f"{spending_path}: {len(rows)} rows from {len(reference)} reference rows")
    for series in schemas.SPENDING_SERIES:
        print(f"  {series}: {counts.get(series, 0)}")
    ranged = [r for r in rows if r["value_min"] or r["value_max"]]
    for r in ranged:
        print(f"  plan range merged: {r['iso3']} {r['year']} value={r['value']} [{r['value_min']}, {r['value_max']}]")
    print(f"{targets_path}: {len(targets)} rows")
    for t in held:
        print(f"  HELD (no source URL in the reference): {t['target_code']}", file=sys.stderr)
    for line, ref, reason in unmapped:
        what = f"{ref['iso3']} {ref['year']} {ref['metric']} = {ref['value']}"
        print(f"UNMAPPED reference line {line}: {what} ({reason})", file=sys.stderr)
    if not unmapped:
        print("all reference rows mapped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
