"""Rebuild the treaty tables in ``data/`` from the project's researched reference files.

Sources (read-only, beside the repo in ``../shared/reference/``):
- ``treaty_facts.md``: the CSV block in section 2 (the five leavers, Ukraine, Belarus, Russia, Nordics, ...).
- ``treaty_europe.csv``: the other European states (same columns).

Writes (deterministic, sorted):
- ``data/countries.csv``          one row per ISO3 named in the reference, display name and treaty note.
- ``data/treaty_events.csv``      one row per country event, with source URL and confidence.
- ``data/treaty_milestones.csv``  treaty-wide dates (adoption, opening, 40th instrument, entry into force).
- ``data/states_parties_counts.csv`` published States-Parties counts (by deposit) used as anchors.

The reference rows did not record a per-row access date; ``accessed_date`` is the day Flankmap took the
row from the research (ACCESSED below), as the catalog says.

Usage: ``python scripts/build_treaty_data.py [--reference DIR] [--out DIR]``
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO.parent / "shared" / "reference"
ACCESSED = "2026-11-23"

# Reference event names -> Flankmap event codes. Context rows keep their detail but never drive status.
EVENT_CODE_MAP = {
    "withdrawal_ccm_effective": "context",
    "context_mines_budget": "context",
    "context_mine_production": "context",
    "context_defence_spending": "context",
    "context_east_shield": "context",
    "context_stockpile": "context",
}
KEEP_CODES = {
    "signature",
    "ratification_deposit",
    "accession_deposit",
    "succession_deposit",
    "entry_into_force",
    "joint_statement",
    "govt_announcement",
    "cabinet_approval",
    "parliament_first_reading",
    "bill_first_reading",
    "bill_submitted",
    "committee",
    "parliament_vote",
    "parliament_vote_sejm",
    "parliament_vote_senate",
    "head_of_state_assent",
    "denunciation_signed",
    "withdrawal_deposit",
    "withdrawal_effective",
    "govt_statement",
    "suspension_notification",
    "depositary_circulation",
    "objection",
    "never_joined",
    "status",
    "status_late_2026",
    "mod_advice",
    "president_statement",
    "parliament_accession_approval",
    "ratification_law",
    "ratification_president",
}

# Display names (the reference's own names, with current short forms where the reference abbreviates).
NAME_OVERRIDES = {"TUR": "Türkiye", "CZE": "Czechia", "RUS": "Russia", "USA": "United States"}

# Treaty-wide rows of the reference: code -> milestone_code in data/treaty_milestones.csv.
MILESTONES = {
    "adopted": "adopted_oslo",
    "opened_for_signature": "opened_for_signature",
    "40th_instrument": "fortieth_instrument",
    "entry_into_force": "entry_into_force",
}

VOTE_PATTERNS = (
    re.compile(r"(\d+) for, (\d+) against, (\d+) abstentions?"),
    re.compile(r"(\d+) for \(\d+ needed\)"),
)


def reference_rows(reference: Path) -> list[dict]:
    """All rows of the two reference CSVs (the first is embedded in a Markdown code block)."""
    text = (reference / "treaty_facts.md").read_text(encoding="utf-8")
    block = text.split("```csv", 1)[1].split("```", 1)[0].strip()
    rows = list(csv.DictReader(io.StringIO(block)))
    with open(reference / "treaty_europe.csv", encoding="utf-8", newline="") as fh:
        rows += list(csv.DictReader(fh))
    return rows


def vote_tally(detail: str) -> tuple[str, str, str]:
    """Votes for/against/abstaining as stated in the detail text; blanks where the source gives none."""
    match = VOTE_PATTERNS[0].search(detail)
    if match:
        return match.group(1), match.group(2), match.group(3)
    match = VOTE_PATTERNS[1].search(detail)
    if match:
        return match.group(1), "", ""
    return "", "", ""


def build(reference: Path) -> dict[str, list[dict]]:
    rows = reference_rows(reference)
    events, milestones, counts, countries = [], [], [], {}
    for row in rows:
        iso3, event, day = row["iso3"].strip(), row["event"].strip(), row["date"].strip()
        url = row["source_url"].strip()
        base = {
            "detail": row["detail"].strip(),
            "source_title": row["source_title"].strip(),
            "source_url": url,
            "accessed_date": ACCESSED if url else "",
            "confidence": row["confidence"].strip(),
        }
        if not iso3:
            if row["country"] == "Treaty" and event in MILESTONES and day:
                milestones.append({"milestone_code": MILESTONES[event], "event_date": day, **base})
                if event == "40th_instrument":  # a published count in itself: the 40th deposit
                    counts.append({**row, "detail": "40 by deposit: " + row["detail"]})
            elif event == "states_parties_count" and day:
                counts.append(row)
            continue  # rules, regional duplicates of per-country rows, and notes without a date
        countries.setdefault(iso3, {"name": NAME_OVERRIDES.get(iso3, row["country"].strip()), "url": ""})
        if url and not countries[iso3]["url"]:
            countries[iso3]["url"] = url
        code = EVENT_CODE_MAP.get(event, event if event in KEEP_CODES else None)
        if code is None:
            raise SystemExit(f"unmapped reference event {event!r} for {iso3}: add it to EVENT_CODE_MAP")
        if iso3 == "XKX" and code == "never_joined":
            code = "not_eligible"  # Kosovo cannot join (not a UN member): a reason, not a choice
        votes = vote_tally(base["detail"]) if code.startswith("parliament_vote") else ("", "", "")
        events.append(
            {
                "iso3": iso3,
                "event_code": code,
                "event_date": day,
                "detail": base["detail"],
                "vote_for": votes[0],
                "vote_against": votes[1],
                "vote_abstain": votes[2],
                "source_title": base["source_title"],
                "source_url": url,
                "accessed_date": base["accessed_date"],
                "confidence": base["confidence"],
            }
        )
    notes = {
        "XKX": "Not eligible to join: not a UN member (Landmine Monitor). XKX is a user-assigned code, not ISO 3166-1.",
    }
    country_rows = [
        {
            "iso3": iso3,
            "name": info["name"],
            "treaty_note": notes.get(iso3, ""),
            "source_url": info["url"],
            "accessed_date": ACCESSED,
        }
        for iso3, info in sorted(countries.items())
    ]
    # Counts on a withdrawal's effective date are arithmetic from our own events: the core recomputes them,
    # and a data test checks the two agree. Published counts are the anchors the core counts from.
    effective_days = {e["event_date"] for e in events if e["event_code"] == "withdrawal_effective"}
    count_rows = [
        {
            "count_date": row["date"],
            "states_parties": re.match(r"(\d+)", row["detail"]).group(1),
            "convention": "by_deposit",
            "role": "check" if row["date"] in effective_days else "anchor",
            "basis": row["detail"],
            "source_title": row["source_title"],
            "source_url": row["source_url"],
            "accessed_date": ACCESSED,
            "confidence": row["confidence"],
        }
        for row in counts
    ]
    order = {
        "signature": 0,
        "ratification_deposit": 1,
        "accession_deposit": 1,
        "succession_deposit": 1,
        "entry_into_force": 2,
    }
    events.sort(
        key=lambda e: (
            e["iso3"],
            e["event_date"] or "9999",
            order.get(e["event_code"], 5),
            e["event_code"],
            e["detail"],
        )
    )
    milestones.sort(key=lambda m: m["event_date"])
    count_rows.sort(key=lambda c: c["count_date"])
    return {
        "countries.csv": country_rows,
        "treaty_events.csv": events,
        "treaty_milestones.csv": milestones,
        "states_parties_counts.csv": count_rows,
    }


def write_csv(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=REFERENCE)
    parser.add_argument("--out", type=Path, default=REPO / "data")
    args = parser.parse_args(argv)
    tables = build(args.reference)
    for name, rows in tables.items():
        write_csv(args.out / name, rows)
        print(f"wrote {args.out / name}: {len(rows)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
