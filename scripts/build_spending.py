"""Build ``data/defence_spending.csv``, ``data/spending_gaps.csv`` and ``data/defence_targets.csv``.

Reads only the repository's ``reference/spending/`` (see ``reference/MANIFEST.csv``), nothing outside the repo:

* ``nato_def_exp_2025_table3.csv``: NATO *Defence Expenditure of NATO Countries (2014-2025)*, Table 3, 31
  allies 2014-2024 at full transcription precision (``scripts/extract_spending_sources.py`` writes it).
  Rounded half-up to 2 dp, as the PDF prints. 2024 is an estimate.
* ``nato_2025e.csv``: the 2025e cells of the same edition whose exact value was read (hand-curated; each row
  names where it was read). Every other ally's 2025 cell is a gap in ``spending_gaps.csv`` with its reason.
* ``sipri_milex_2026.csv``: SIPRI Military Expenditure Database 2026 (v1.2), share of GDP (a fraction: x100,
  rounded half-up to 2 dp) and current US$ m (rounded half-up to 1 dp), blue font = estimate.
* ``national_plans.csv``: national plans (national definitions), rows in the research's format.
* ``spending_gaps.csv``: cells with no figure and why (no armed forces, withheld, published but not read exactly,
  not covered), copied as they are.

Metric -> series (NATO and SIPRI use different definitions, so they stay separate series):
``nato_pct_gdp`` (NATO), ``sipri_pct_gdp`` / ``sipri_usd_m_current`` (SIPRI), ``plan_pct_gdp`` (national plans).
Every row records its ``edition``: a series is never spliced from two editions.

Plan ranges: the only range (LTU 2026: 5-6 %, State Defence Council, Delfi) sits beside a point figure from
another source (5.38 %, draft budget, LRT/Report.az). The range goes into value_min/value_max of that row and
its own source is appended to ``notes``. A range with no point figure is reported as unmapped, not written.

Every check runs before anything is written; the files are written into a copy of the output folder, which
replaces the folder as a whole only when all pass (``scripts/inputcheck.publish``). Every input is first refused
cell by cell like the treaty inputs (``scripts/inputcheck.py``): a byte that is not UTF-8, control,
bidirectional or zero-width characters, formula-like cells, an ``accessed_date`` after today.

Usage: ``python scripts/build_spending.py [--reference-dir reference/spending] [--out-dir data]``
"""

from __future__ import annotations

import argparse
import csv
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = REPO / "reference" / "spending"
DEFAULT_OUT_DIR = REPO / "data"

sys.path.insert(0, str(REPO))
from flankmap.data import load, schemas, validate  # noqa: E402  (the script runs from a checkout, not an install)
from scripts import inputcheck  # noqa: E402

ACCESSED = "2026-12-01"  # the day these inputs were read into the repository

NATO_EDITION = "NATO 2025 edition (Defence Expenditure of NATO Countries 2014-2025, cut-off 2025-06-03)"
NATO_SOURCE_NAME = "NATO, Defence Expenditure of NATO Countries (2014-2025), Aug 2025"
NATO_URL = "https://www.nato.int/content/dam/nato/webready/documents/finance/def-exp-2025-en.pdf"
NATO_READ_VIA = "GitHub namanjain92/NATO-Analytics data/defence_per.csv@c7de616 (full-precision transcription)"
# All 32 allies. Iceland has no armed forces and no row in NATO's tables (a gap row says so).
NATO_ALLIES = (
    "ALB BEL BGR CAN CZE DEU DNK ESP EST FIN FRA GBR GRC HRV HUN ISL ITA LTU LUX LVA MKD MNE NLD NOR POL PRT "
    "ROU SVK SVN SWE TUR USA"
).split()
# NATO tabulates these allies from 2014, before they joined: the notes say so for the years before accession.
ACCESSION_YEAR = {"MNE": 2017, "MKD": 2020, "FIN": 2023, "SWE": 2024}

SIPRI_EDITION = "SIPRI Milex 2026 (data 1949-2025) v1.2"
SIPRI_SOURCE_NAME = "SIPRI Military Expenditure Database 2026 (file SIPRI-Milex-data-1949-2025_v1.2.xlsx)"
SIPRI_URL = "https://www.sipri.org/databases/milex"
SIPRI_TERMS = "SIPRI terms: non-commercial use, cite SIPRI, at most 10% of the dataset"
# Every European country the map can draw; SIPRI figures for each, 2014-2025, or a gap row.
SIPRI_COUNTRIES = (
    "ALB AND ARM AUT AZE BEL BGR BIH BLR CHE CYP CZE DEU DNK ESP EST FIN FRA GBR GEO GRC HRV HUN IRL ISL ITA "
    "LIE LTU LUX LVA MCO MDA MKD MLT MNE NLD NOR POL PRT ROU RUS SMR SRB SVK SVN SWE TUR UKR XKX"
).split()
# Footnotes that change how a figure reads (SIPRI 2026 workbook, sheet Footnotes).
SIPRI_FOOTNOTES = {
    "UKR": "SIPRI fn 84: figures from 2014 uncertain; include military pensions, paramilitary and border guards; "
    "foreign military aid 2022-25 is counted in the donors' figures, not Ukraine's",
    "RUS": "SIPRI fn 83: sources and methods in SIPRI's Russia backgrounders",
    "CHE": "SIPRI fn 90: excludes military pensions, paramilitary forces and cantonal/local spending",
    "BIH": "SIPRI fn 11: excludes arms imports",
    "MDA": "SIPRI fn 82: military pensions and paramilitary forces are not included",
    "TUR": "SIPRI fn 105: excludes military pensions",
    "LUX": "SIPRI fn 88: from 2008 only the defence budget",
}
PLAN_EDITION = "national plan (as reported)"
YEARS = range(2014, 2026)

REFERENCE_COLUMNS = [
    "iso3", "country", "year", "metric", "value", "unit", "is_estimate",
    "source_name", "source_url", "accessed_date", "notes",
]  # fmt: skip
RANGE_METRICS = {"planned_pct_gdp_min": "value_min", "planned_pct_gdp_max": "value_max"}


class BuildError(Exception):
    """A bad input: names the file, line and column."""


def half_up(text: str, places: int, scale: int = 1) -> str:
    """``text`` x ``scale`` rounded half-up to ``places`` decimals, as text (Decimal: no binary surprises)."""
    quantum = Decimal(1).scaleb(-places)
    return str((Decimal(text) * scale).quantize(quantum, rounding=ROUND_HALF_UP))


def read_csv(path: Path, columns: list[str] | None = None) -> list[dict[str, str]]:
    """A reference CSV as dicts of (stripped) strings, refused first by :mod:`scripts.inputcheck`'s cell checks."""
    text, problems = inputcheck.read_text(Path(path), str(path))
    if problems:
        raise BuildError("\n".join(problems))
    rows = inputcheck.csv_rows(text)
    problems = inputcheck.cell_problems(rows, str(path))
    problems += inputcheck.future_date_problems(rows, str(path), inputcheck.today())
    if problems:
        raise BuildError("\n".join(problems))
    fieldnames = list(rows[0]) if rows else next(csv.reader([text.split("\n", 1)[0]]), [])
    if columns is not None and fieldnames != columns:
        raise BuildError(f"{path}: header {fieldnames}, expected {columns}")
    return [{k: (v or "").strip() for k, v in row.items()} for row in rows]


def _row(iso3, year, series, value, unit, estimate, edition, name, url, notes, accessed=ACCESSED) -> dict:
    return {
        "iso3": iso3,
        "year": str(year),
        "series": series,
        "value": value,
        "value_min": "",
        "value_max": "",
        "unit": unit,
        "is_estimate": "true" if estimate else "false",
        "edition": edition,
        "source_name": name,
        "source_url": url,
        "accessed_date": accessed,
        "notes": notes,
    }


def nato_rows(ref_dir: Path) -> list[dict]:
    """NATO 2014-2024 from the Table 3 extract, and the 2025e cells that were read exactly."""
    rows = []
    path = ref_dir / "nato_def_exp_2025_table3.csv"
    for line, rec in enumerate(read_csv(path, ["iso3", "label", "year", "value_text", "is_estimate"]), start=2):
        iso3, year = rec["iso3"], int(rec["year"])
        if iso3 not in NATO_ALLIES:
            raise BuildError(f"{path} line {line}, column iso3: {iso3!r} is not a NATO ally")
        notes = (
            "Table 3 (share of real GDP, 2021 prices), rounded half-up to 2 dp from the full-precision value "
            f"{rec['value_text']} in {NATO_READ_VIA}"
        )
        if year < ACCESSION_YEAR.get(iso3, 0):
            notes += f"; not yet a NATO member in {year} (joined {ACCESSION_YEAR[iso3]}; NATO still tabulates it)"
        rows.append(
            _row(iso3, year, "nato_pct_gdp", half_up(rec["value_text"], 2), "pct_gdp", rec["is_estimate"] == "true",
                 NATO_EDITION, NATO_SOURCE_NAME, NATO_URL, notes)
        )  # fmt: skip
    path = ref_dir / "nato_2025e.csv"
    columns = ["iso3", "year", "value", "read_via", "read_via_url", "accessed_date", "notes"]
    for line, rec in enumerate(read_csv(path, columns), start=2):
        if rec["iso3"] not in NATO_ALLIES:
            raise BuildError(f"{path} line {line}, column iso3: {rec['iso3']!r} is not a NATO ally")
        if rec["year"] != "2025":
            raise BuildError(f"{path} line {line}, column year: only 2025e cells belong here, got {rec['year']!r}")
        if not rec["read_via_url"].startswith("https://"):
            raise BuildError(f"{path} line {line}, column read_via_url: a source URL is required")
        notes = f"2025e as published in the 2025 edition, read via {rec['read_via']} ({rec['read_via_url']})"
        if rec["notes"]:
            notes += f"; {rec['notes']}"
        rows.append(
            _row(rec["iso3"], 2025, "nato_pct_gdp", half_up(rec["value"], 2), "pct_gdp", True, NATO_EDITION,
                 NATO_SOURCE_NAME, NATO_URL, notes, rec["accessed_date"])
        )  # fmt: skip
    return rows


def sipri_rows(ref_dir: Path) -> list[dict]:
    """SIPRI 2026 share of GDP (x100, 2 dp) and current US$ m (1 dp), as stored in the workbook."""
    path = ref_dir / "sipri_milex_2026.csv"
    columns = [
        "iso3", "sipri_label", "measure", "year", "value_text", "is_estimate", "is_uncertain", "footnotes", "sheet",
        "cell",
    ]  # fmt: skip
    rows = []
    for line, rec in enumerate(read_csv(path, columns), start=2):
        try:
            Decimal(rec["value_text"])
        except ArithmeticError:
            raise BuildError(f"{path} line {line}, column value_text: {rec['value_text']!r} is not a number") from None
        if rec["measure"] == "share_of_gdp":
            series, unit, value = "sipri_pct_gdp", "pct_gdp", half_up(rec["value_text"], 2, 100)
            how = "fraction x100, rounded half-up to 2 dp"
        elif rec["measure"] == "usd_m_current":
            series, unit, value = "sipri_usd_m_current", "usd_m_current", half_up(rec["value_text"], 1)
            how = "US$ m at current prices and exchange rates, rounded half-up to 1 dp"
        else:
            raise BuildError(f"{path} line {line}, column measure: unknown {rec['measure']!r}")
        parts = [f"SIPRI definition; sheet {rec['sheet']} cell {rec['cell']} ({how})"]
        if rec["is_estimate"] == "true":
            parts.append("SIPRI estimate (blue in the workbook)")
        if rec["is_uncertain"] == "true":
            parts.append("highly uncertain (red in the workbook)")
        if rec["iso3"] in SIPRI_FOOTNOTES:
            parts.append(SIPRI_FOOTNOTES[rec["iso3"]])
        parts.append(SIPRI_TERMS)
        rows.append(
            _row(rec["iso3"], rec["year"], series, value, unit, rec["is_estimate"] == "true", SIPRI_EDITION,
                 SIPRI_SOURCE_NAME, SIPRI_URL, "; ".join(parts))
        )  # fmt: skip
    return rows


def plan_rows(ref_dir: Path) -> list[dict]:
    """National plans (point figures; a range bound merges into the point row of the same iso3 and year)."""
    path = ref_dir / "national_plans.csv"
    rows: dict[tuple[str, str], dict] = {}
    ranges = []
    for line, ref in enumerate(read_csv(path, REFERENCE_COLUMNS), start=2):
        if ref["metric"] in RANGE_METRICS:
            ranges.append((line, ref))
            continue
        if ref["metric"] != "planned_pct_gdp" or ref["unit"] != "pct_gdp":
            raise BuildError(f"{path} line {line}, column metric: {ref['metric']!r} ({ref['unit']}) is not a plan")
        key = (ref["iso3"], ref["year"])
        if key in rows:
            raise BuildError(f"{path} line {line}, column iso3: second plan for {key}")
        rows[key] = _row(ref["iso3"], ref["year"], "plan_pct_gdp", ref["value"], "pct_gdp",
                         ref["is_estimate"] == "true", PLAN_EDITION, ref["source_name"], ref["source_url"],
                         ref["notes"], ref["accessed_date"])  # fmt: skip
    for line, ref in ranges:
        target = rows.get((ref["iso3"], ref["year"]))
        column = RANGE_METRICS[ref["metric"]]
        if target is None:
            raise BuildError(f"{path} line {line}, column metric: range bound with no plan point figure")
        if target[column]:
            raise BuildError(f"{path} line {line}, column metric: second {column} for the same plan row")
        target[column] = ref["value"]
        bound = "lower" if column == "value_min" else "upper"
        provenance = f"{column} ({bound} bound of the plan range) from {ref['source_name']}, {ref['source_url']}"
        if ref["source_url"] != target["source_url"]:
            provenance += f", accessed {ref['accessed_date']}"
        if ref["notes"]:
            provenance += f": {ref['notes']}"
        target["notes"] = f"{target['notes']}; {provenance}" if target["notes"] else provenance
    return list(rows.values())


def gap_rows(ref_dir: Path) -> list[dict]:
    return read_csv(ref_dir / "spending_gaps.csv", schemas.SPENDING_GAPS.column_names)


def check_coverage(rows: list[dict], gaps: list[dict]) -> list[str]:
    """Every ally x 2014-2025 (NATO) and every European country x 2014-2025 (SIPRI): a figure or a gap, not both."""
    have = {(r["iso3"], int(r["year"]), r["series"]) for r in rows}
    gap_cells = set()
    for g in gaps:
        for year in range(int(g["year_from"]), int(g["year_to"]) + 1):
            gap_cells.add((g["iso3"], year, g["series"]))
    problems = [f"{c}: both a figure and a gap" for c in sorted(have & gap_cells)]
    for series, countries in (("nato_pct_gdp", NATO_ALLIES), ("sipri_pct_gdp", SIPRI_COUNTRIES)):
        for iso3 in countries:
            for year in YEARS:
                if (iso3, year, series) not in have | gap_cells:
                    problems.append(f"{iso3} {year} {series}: neither a figure nor a gap with its reason")
    return problems


def build_all(ref_dir: Path) -> tuple[list[dict], list[dict]]:
    """All spending rows (sorted by iso3, series, year) and the gap rows; raises BuildError on bad input."""
    rows = nato_rows(ref_dir) + sipri_rows(ref_dir) + plan_rows(ref_dir)
    seen = set()
    for r in rows:
        key = (r["iso3"], r["year"], r["series"])
        if key in seen:
            raise BuildError(f"duplicate spending cell {key}")
        seen.add(key)
    gaps = gap_rows(ref_dir)
    problems = check_coverage(rows, gaps)
    if problems:
        raise BuildError("coverage: " + "; ".join(problems))
    rows.sort(key=lambda r: (r["iso3"], r["series"], int(r["year"])))
    gaps.sort(key=lambda g: (g["iso3"], g["series"], int(g["year_from"])))
    return rows, gaps


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


def check_written(path: Path, schema: validate.TableSchema, out_dir: Path) -> None:
    """Validate a written file against its schema (ISO3 membership only when countries.csv exists)."""
    countries = out_dir / schemas.COUNTRIES.file
    codes = load.known_iso3(out_dir) if countries.exists() else None
    if codes is None:
        print(f"warning: {countries} not found; ISO3 membership not checked", file=sys.stderr)
    problems = validate.validate(load.read_raw(path), schema, str(path), codes)
    if problems:
        raise validate.DataError(problems)


def csv_bytes(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    """The bytes :func:`write_csv` writes (fixed column order, LF line ends, minimal quoting)."""
    import io

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row[c] for c in columns})
    return buf.getvalue().encode("utf-8")


def write_all(rows: list[dict], gaps: list[dict], targets: list[dict], out_dir: Path) -> list[Path]:
    """Write the three files into a copy of ``out_dir``, validate them there, then put the copy in its place."""
    tables = (
        (schemas.DEFENCE_SPENDING, rows),
        (schemas.SPENDING_GAPS, gaps),
        (schemas.DEFENCE_TARGETS, targets),
    )
    files = {schema.file: csv_bytes(schema.column_names, table) for schema, table in tables}

    def check(folder: Path) -> list[str]:
        problems = []
        for schema, _ in tables:
            try:
                check_written(folder / schema.file, schema, folder)
            except validate.DataError as exc:
                problems += exc.problems
        return problems

    problems = inputcheck.publish(Path(out_dir), files, check)
    if problems:
        raise validate.DataError(problems)
    return [Path(out_dir) / schema.file for schema, _ in tables]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference-dir", type=Path, default=DEFAULT_REFERENCE, help="reference/spending folder")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR, help="output folder (default: data/)")
    args = parser.parse_args(argv)
    try:
        rows, gaps = build_all(args.reference_dir)
        targets, held = build_targets()
        write_all(rows, gaps, targets, args.out_dir)
    except (BuildError, validate.DataError) as exc:
        print(f"build_spending: {exc}", file=sys.stderr)
        print("nothing written", file=sys.stderr)
        return 1
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row["series"], row["edition"])
        counts[key] = counts.get(key, 0) + 1
    print(f"{args.out_dir / schemas.DEFENCE_SPENDING.file}: {len(rows)} rows")
    for (series, edition), n in sorted(counts.items()):
        print(f"  {series} [{edition}]: {n}")
    print(f"{args.out_dir / schemas.SPENDING_GAPS.file}: {len(gaps)} rows")
    print(f"{args.out_dir / schemas.DEFENCE_TARGETS.file}: {len(targets)} rows")
    for t in held:
        print(f"  HELD (no source URL): {t['target_code']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
