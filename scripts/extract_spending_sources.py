"""Turn the two fetched source tables into the committed extracts under ``reference/spending/``.

Inputs (not committed; pass their paths):

* ``--nato``: ``defence_per.csv`` from GitHub ``namanjain92/NATO-Analytics`` (``data/defence_per.csv`` at
  commit c7de616633e6776ad9a6aec277628a6bd1a33414), a full-precision transcription of NATO's *Defence
  Expenditure of NATO Countries (2014-2025)* Table 3 ("share of real GDP, 2021 prices"): 31 allies (Iceland
  has no row), columns 2014 ... 2023 and 2024e.
* ``--sipri``: ``SIPRI-Milex-data-1949-2025_v1.2.xlsx`` (SIPRI Military Expenditure Database 2026), read from
  GitHub ``studioatable/geopolitique-dashboard`` ``data/raw/sipri-milex-latest.xlsx``. Its sha256 must be
  :data:`SIPRI_SHA256` (the checksum of sipri.org's own file), else the script stops.

Outputs (committed, read by ``scripts/build_spending.py``):

* ``reference/spending/nato_def_exp_2025_table3.csv``: iso3, label, year, value as transcribed (text,
  untouched), is_estimate (the ``2024e`` column).
* ``reference/spending/sipri_milex_2026.csv``: the drawn European countries only, 2014-2025, sheet
  "Share of GDP" (a fraction, as stored) and, for RUS/BLR/UKR, sheet "Current US$" (US$ m); per cell its
  sheet and address, ``is_estimate`` (blue font: SIPRI estimate), ``is_uncertain`` (red font) and the
  country's footnote numbers. Cells holding ". ." or "xxx" are kept as text.
* ``reference/spending/extract_inputs.csv``: each input's sha256, size, where it was read and its original URL.

SIPRI's terms allow reproducing at most 10 % of the dataset (3,500 data units); the script counts the units
it writes and refuses to exceed :data:`SIPRI_UNIT_LIMIT`.

Usage: ``python scripts/extract_spending_sources.py --nato PATH --sipri PATH [--out-dir reference/spending]``
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "reference" / "spending"
ACCESSED = "2026-12-01"

SIPRI_SHA256 = "6cc3a30b1064f9f02e60236667eef82e08cad42910ce630909d004ad2c398a9d"
SIPRI_UNIT_LIMIT = 3500  # 10 % of the dataset, in SIPRI's own unit (one country-year figure in one measure)
YEARS = range(2014, 2026)

NATO_LABELS = {
    "Albania": "ALB", "Belgium": "BEL", "Bulgaria": "BGR", "Canada": "CAN", "Croatia": "HRV", "Czechia": "CZE",
    "Denmark": "DNK", "Estonia": "EST", "Finland": "FIN", "France": "FRA", "Germany": "DEU", "Greece": "GRC",
    "Hungary": "HUN", "Italy": "ITA", "Latvia": "LVA", "Lithuania": "LTU", "Luxembourg": "LUX",
    "Montenegro": "MNE", "Netherlands": "NLD", "North Macedonia": "MKD", "Norway": "NOR", "Poland": "POL",
    "Portugal": "PRT", "Romania": "ROU", "Slovak Republic": "SVK", "Slovenia": "SVN", "Spain": "ESP",
    "Sweden": "SWE", "Türkiye": "TUR", "United Kingdom": "GBR", "United States": "USA",
}  # fmt: skip
NATO_AGGREGATES = {"NATO Europe and Canada", "NATO Total"}

# Every European country the map draws that SIPRI tabulates. Not in SIPRI at all: Andorra, Liechtenstein,
# Monaco, San Marino (and the Holy See). Iceland is left out on purpose: SIPRI records 0 with footnote 86
# ("does not have a standing army/military"), which the build shows as "no armed forces", not as a share.
SIPRI_LABELS = {
    "Albania": "ALB", "Armenia": "ARM", "Austria": "AUT", "Azerbaijan": "AZE", "Belarus": "BLR",
    "Belgium": "BEL", "Bosnia and Herzegovina": "BIH", "Bulgaria": "BGR", "Croatia": "HRV", "Cyprus": "CYP",
    "Czechia": "CZE", "Denmark": "DNK", "Estonia": "EST", "Finland": "FIN", "France": "FRA", "Georgia": "GEO",
    "Germany": "DEU", "Greece": "GRC", "Hungary": "HUN", "Ireland": "IRL", "Italy": "ITA", "Kosovo": "XKX",
    "Latvia": "LVA", "Lithuania": "LTU", "Luxembourg": "LUX", "Malta": "MLT", "Moldova": "MDA",
    "Montenegro": "MNE", "Netherlands": "NLD", "North Macedonia": "MKD", "Norway": "NOR", "Poland": "POL",
    "Portugal": "PRT", "Romania": "ROU", "Russia": "RUS", "Serbia": "SRB", "Slovakia": "SVK",
    "Slovenia": "SVN", "Spain": "ESP", "Sweden": "SWE", "Switzerland": "CHE", "Türkiye": "TUR",
    "Ukraine": "UKR", "United Kingdom": "GBR",
}  # fmt: skip
SIPRI_USD_ISO3 = ("BLR", "RUS", "UKR")
SHEETS = {"share_of_gdp": "Share of GDP", "usd_m_current": "Current US$"}

NATO_COLUMNS = ["iso3", "label", "year", "value_text", "is_estimate"]
SIPRI_COLUMNS = [
    "iso3", "sipri_label", "measure", "year", "value_text", "is_estimate", "is_uncertain", "footnotes", "sheet", "cell",
]  # fmt: skip
INPUT_COLUMNS = ["input", "sha256", "bytes", "read_from", "original_url", "accessed_date"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def extract_nato(path: Path) -> list[dict]:
    """Long rows from the transcription; every label must be a known ally or aggregate."""
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        expected = ["Country", *[str(y) for y in range(2014, 2024)], "2024e"]
        if header != expected:
            raise SystemExit(f"{path}: header {header}, expected {expected}")
        rows, seen = [], set()
        for line, rec in enumerate(reader, start=2):
            label = rec["Country"].strip()
            if label in NATO_AGGREGATES:
                continue
            iso3 = NATO_LABELS.get(label)
            if iso3 is None:
                raise SystemExit(f"{path} line {line}, column Country: unknown label {label!r}")
            seen.add(iso3)
            for column in expected[1:]:
                text = rec[column].strip()
                float(text)  # a transcription cell must be a number
                rows.append(
                    {
                        "iso3": iso3,
                        "label": label,
                        "year": column.rstrip("e"),
                        "value_text": text,
                        "is_estimate": "true" if column.endswith("e") else "false",
                    }
                )
    missing = set(NATO_LABELS.values()) - seen
    if missing:
        raise SystemExit(f"{path}: no row for {sorted(missing)}")
    return sorted(rows, key=lambda r: (r["iso3"], int(r["year"])))


def _colour(cell) -> str:
    """'blue', 'red' or '' from a cell's font colour (SIPRI: blue = estimate, red = highly uncertain)."""
    colour = cell.font.color if cell.font else None
    if colour is None:
        return ""
    if colour.type == "indexed":
        return {12: "blue", 10: "red", 2: "red"}.get(colour.indexed, "")
    if colour.type == "rgb" and isinstance(colour.rgb, str):
        rgb = colour.rgb[-6:].upper()
        return {"0000FF": "blue", "FF0000": "red"}.get(rgb, "")
    return ""


def extract_sipri(path: Path) -> list[dict]:
    import openpyxl  # pinned in requirements-dev.txt; only this producer needs it

    wb = openpyxl.load_workbook(path)  # not read_only: fonts are needed
    rows = []
    for measure, sheet_name in SHEETS.items():
        ws = wb[sheet_name]
        header_row = next(r for r in range(1, 15) if ws.cell(r, 1).value == "Country")
        year_col = {
            ws.cell(header_row, c).value: c
            for c in range(3, ws.max_column + 1)
            if isinstance(ws.cell(header_row, c).value, int)
        }
        missing_years = [y for y in YEARS if y not in year_col]
        if missing_years:
            raise SystemExit(f"{path} sheet {sheet_name!r}: no column for {missing_years}")
        found = {}
        for r in range(header_row + 1, ws.max_row + 1):
            label = ws.cell(r, 1).value
            if isinstance(label, str) and label.strip() in SIPRI_LABELS:
                found[SIPRI_LABELS[label.strip()]] = (r, label.strip())
        wanted = sorted(SIPRI_LABELS.values()) if measure == "share_of_gdp" else list(SIPRI_USD_ISO3)
        absent = [iso3 for iso3 in wanted if iso3 not in found]
        if absent:
            raise SystemExit(f"{path} sheet {sheet_name!r}: no row for {absent}")
        for iso3 in wanted:
            r, label = found[iso3]
            notes = ws.cell(r, 2).value
            for year in YEARS:
                cell = ws.cell(r, year_col[year])
                value = cell.value
                if isinstance(value, bool) or value is None:
                    raise SystemExit(f"{path} sheet {sheet_name!r} cell {cell.coordinate}: empty or not a number")
                text = repr(float(value)) if isinstance(value, int | float) else str(value).strip()
                colour = _colour(cell)
                rows.append(
                    {
                        "iso3": iso3,
                        "sipri_label": label,
                        "measure": measure,
                        "year": str(year),
                        "value_text": text,
                        "is_estimate": "true" if colour == "blue" else "false",
                        "is_uncertain": "true" if colour == "red" else "false",
                        "footnotes": "" if notes is None else str(notes).strip(),
                        "sheet": sheet_name,
                        "cell": cell.coordinate,
                    }
                )
    if len(rows) > SIPRI_UNIT_LIMIT:
        raise SystemExit(f"{len(rows)} SIPRI data units exceed the {SIPRI_UNIT_LIMIT}-unit (10 %) reproduction limit")
    return sorted(rows, key=lambda r: (r["iso3"], r["measure"], int(r["year"])))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nato", type=Path, required=True, help="defence_per.csv (namanjain92/NATO-Analytics)")
    parser.add_argument("--sipri", type=Path, required=True, help="SIPRI Milex 2026 v1.2 workbook")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    digest = sha256(args.sipri)
    if digest != SIPRI_SHA256:
        raise SystemExit(f"{args.sipri}: sha256 {digest} is not SIPRI's v1.2 workbook ({SIPRI_SHA256})")
    nato = extract_nato(args.nato)
    sipri = extract_sipri(args.sipri)
    write_csv(args.out_dir / "nato_def_exp_2025_table3.csv", NATO_COLUMNS, nato)
    write_csv(args.out_dir / "sipri_milex_2026.csv", SIPRI_COLUMNS, sipri)
    inputs = [
        {
            "input": "defence_per.csv",
            "sha256": sha256(args.nato),
            "bytes": args.nato.stat().st_size,
            "read_from": "github.com/namanjain92/NATO-Analytics data/defence_per.csv "
            "@c7de616633e6776ad9a6aec277628a6bd1a33414",
            "original_url": "https://www.nato.int/content/dam/nato/webready/documents/finance/def-exp-2025-en.pdf",
            "accessed_date": ACCESSED,
        },
        {
            "input": "SIPRI-Milex-data-1949-2025_v1.2.xlsx",
            "sha256": digest,
            "bytes": args.sipri.stat().st_size,
            "read_from": "github.com/studioatable/geopolitique-dashboard data/raw/sipri-milex-latest.xlsx "
            "(blob d0c5410630ce463ebbc6c24bfc57c35a88b922a1)",
            "original_url": "https://www.sipri.org/sites/default/files/SIPRI-Milex-data-1949-2025_v1.2.xlsx",
            "accessed_date": ACCESSED,
        },
    ]
    write_csv(args.out_dir / "extract_inputs.csv", INPUT_COLUMNS, inputs)
    units = {m: sum(r["measure"] == m for r in sipri) for m in SHEETS}
    print(f"NATO: {len(nato)} cells ({len({r['iso3'] for r in nato})} allies)")
    print(f"SIPRI: {len(sipri)} data units {units} of the {SIPRI_UNIT_LIMIT} allowed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
