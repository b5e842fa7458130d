"""Per-country treaty paths and the dated event list, for the timeline page (pure core, no Streamlit).

Status itself is never computed here: the milestones come from :func:`flankmap.domain.treaty.timelines` (the same
event rows that drive the map), and days remaining follow Art. 20(3) through the stored effective date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from flankmap.data import load, schemas
from flankmap.data.load import DATA_DIR
from flankmap.domain import treaty, treaty_days

# Event codes grouped into the kinds a reader filters by (declared once, in the schema).
EVENT_KINDS: dict[str, tuple[str, ...]] = schemas.TREATY_EVENT_GROUPS
KIND_OF_CODE = {code: kind for kind, codes in EVENT_KINDS.items() for code in codes}

# Milestones drawn on each path, in order: (Timeline field, kind, label).
MILESTONES = (
    ("deposit", "joined", "instrument deposited"),
    ("entry_into_force", "in_force", "entry into force"),
    ("announced", "announced", "withdrawal announced"),
    ("parliament", "parliament", "parliament vote"),
    ("suspension", "suspension", "purported suspension notified"),
    ("withdrawal_deposit", "withdrawal_deposit", "withdrawal instrument deposited"),
    ("withdrawal_effective", "effective", "withdrawal effective"),
)
MILESTONE_LABELS = {kind: label for _, kind, label in MILESTONES}
PATH_COLUMNS = [
    "iso3",
    "name",
    "kind",
    "label",
    "date",
    "detail",
    "vote",
    "is_past",
    "days_remaining",
    "source_title",
    "source_url",
    "confidence",
]
# A country "changes status" if it left, is leaving, claims a suspension, or joined in this window.
RECENT_FROM = dt.date(2025, 1, 1)
# The close-up window of the timeline page, also the least end of the count chart: the 2025-26 withdrawals and
# a little after the last one takes effect.
RECENT_WINDOW = (RECENT_FROM, dt.date(2026, 3, 31))


def recent_window(data_dir: Path = DATA_DIR) -> tuple[dt.date, dt.date]:
    """(first, last) day of the close-up window of the 2025-26 withdrawals."""
    return RECENT_WINDOW


def count_summary(data_dir: Path = DATA_DIR) -> str:
    """The States Parties count in one line, from the data: before the recent window, its peak, and now.

    E.g. "164 from 2017-12-29, 166 on 2025-06-25 (the most), 161 from 2026-02-20".
    """
    start, end = recent_window(data_dir)
    series = treaty_days.states_parties_series(
        treaty.TREATY_ADOPTED, max(end, treaty.data_last_day(data_dir)), data_dir
    )
    before = series[series["count_date"] < start].iloc[-1]
    steady = series[(series["count_date"] < start) & (series["states_parties"] == before["states_parties"])]
    peak = series.loc[series["states_parties"].idxmax()]
    last = series[series["states_parties"] != series["states_parties"].shift()].iloc[-1]
    parts = [f"{before['states_parties']} from {steady['count_date'].iloc[0]}"]
    if peak["count_date"] >= start:
        parts.append(f"{peak['states_parties']} on {peak['count_date']} (the most)")
    parts.append(f"{last['states_parties']} from {last['count_date']}")
    return ", ".join(parts)


def contested_flags(day: dt.date, data_dir: Path = DATA_DIR) -> list[str]:
    """One sentence per country with a contested flag on ``day`` (e.g. Ukraine's purported suspension),
    naming the states that lodged a formal objection to it (events ``objection``), all from the data.
    """
    countries = load.table(schemas.COUNTRIES, data_dir)
    names = dict(zip(countries["iso3"], countries["name"], strict=True))
    events = load.table(schemas.TREATY_EVENTS, data_dir)
    objections = events[(events["event_code"] == "objection") & events["event_date"].notna()]
    objections = objections[objections["event_date"] <= day]
    out = []
    for row in treaty.status_records(day, data_dir=data_dir):
        if row["flag"] is None or pd.isna(row["flag"]):
            continue
        by = sorted({names.get(i, i) for i in objections["iso3"] if i != row["iso3"]})
        objected = f" (formal objections by {_and(by)})" if by else ""
        out.append(
            f"{row['name']} remains a State Party: its {row['flag']} is contested{objected} and is not a withdrawal."
        )
    return out


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def vote_tally(row: dict) -> str | None:
    """'107–0–3' (for–against–abstain) or '299 for' from an event row; None without a count."""
    parts = [row.get(k) for k in ("vote_for", "vote_against", "vote_abstain")]
    parts = [None if p is None or pd.isna(p) else int(p) for p in parts]
    if parts[0] is None:
        return None
    if parts[1] is None and parts[2] is None:
        return f"{parts[0]} for"  # e.g. the Rada: no votes against or abstentions were reported
    return "–".join("?" if p is None else str(p) for p in parts)


def _suspension_vote(events: pd.DataFrame, t: treaty.Timeline) -> dict | None:
    # treaty.build_timelines hides Ukraine's Rada vote from the withdrawal stages (it passed a suspension law,
    # not a withdrawal); the path still shows it, labelled for what it was.
    if not t.suspension or not t.entry_into_force:
        return None
    rows = events[
        (events["iso3"] == t.iso3)
        & events["event_code"].isin(treaty.PARLIAMENT_CODES)
        & events["event_date"].map(lambda d: d is not None and d > t.entry_into_force["event_date"])
    ]
    return None if rows.empty else rows.sort_values("event_date").iloc[0].to_dict()


def changing_countries(data_dir: Path = DATA_DIR) -> list[str]:
    """ISO3 codes of countries that left, are leaving, claim a suspension or joined since 2025 (sorted)."""
    out = []
    for iso3, t in treaty.timelines(data_dir).items():
        joined_recently = t.deposit is not None and t.deposit["event_date"] >= RECENT_FROM
        if t.withdrawal_deposit or t.suspension or t.announced or joined_recently:
            out.append(iso3)
    return sorted(out)


def country_paths(day: dt.date, data_dir: Path = DATA_DIR, iso3s: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per milestone per changing country: its path from joining to leaving, seen from ``day``.

    Args:
        day: the selected date. ``is_past`` marks milestones on or before it; ``days_remaining`` is set on
            the withdrawal-effective row while the withdrawal is pending on ``day`` (deposited, not yet
            effective), else NA.
        data_dir: folder holding the data files.
        iso3s: countries to include (default: :func:`changing_countries`).

    Returns:
        Columns ``iso3, name, kind, label, date, detail, vote, is_past, days_remaining, source_title,
        source_url, confidence``, ordered by country then date. ``label`` carries the tally for votes.
    """
    events = load.table(schemas.TREATY_EVENTS, data_dir)
    names = load.table(schemas.COUNTRIES, data_dir).set_index("iso3")["name"]
    all_t = treaty.timelines(data_dir)
    rows = []
    for iso3 in changing_countries(data_dir) if iso3s is None else list(iso3s):
        t = all_t.get(iso3)
        if t is None:
            continue
        for field, kind, label in MILESTONES:
            row = getattr(t, field)
            if field == "announced" and t.suspension:
                label = "decree titled 'withdrawal' (then a suspension law)"
            if field == "parliament" and row is None:
                row = _suspension_vote(events, t)
                label = "parliament vote (suspension law)" if row else label
            if row is None or row.get("event_date") is None:
                continue
            vote = vote_tally(row)
            date = row["event_date"]
            pending = (
                kind == "effective"
                and t.withdrawal_deposit is not None
                and t.withdrawal_deposit["event_date"] <= day < date
            )
            rows.append(
                {
                    "iso3": iso3,
                    "name": names.get(iso3, iso3),
                    "kind": kind,
                    "label": f"{label} ({vote})" if vote else label,
                    "date": date,
                    "detail": row.get("detail"),
                    "vote": vote,
                    "is_past": date <= day,
                    "days_remaining": (date - day).days if pending else None,
                    "source_title": row.get("source_title"),
                    "source_url": row.get("source_url"),
                    "confidence": row.get("confidence"),
                }
            )
    out = pd.DataFrame(rows, columns=PATH_COLUMNS)
    out["days_remaining"] = out["days_remaining"].astype("Int64")
    return out.sort_values(["name", "date"], kind="stable").reset_index(drop=True)


def pending_countdown(day: dt.date, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Countries whose withdrawal is pending on ``day``: name, effective date, days remaining (soonest first)."""
    paths = country_paths(day, data_dir)
    rows = paths[paths["days_remaining"].notna()]
    return rows[["iso3", "name", "date", "days_remaining"]].sort_values("date").reset_index(drop=True)


def kind_of(code: str, suspends: bool = False) -> str:
    """The kind of an event code. For a state that claims a suspension and never deposited a withdrawal
    (Ukraine), its withdrawal-process steps (decree, bill, vote) are steps of the *suspension*.
    """
    kind = KIND_OF_CODE.get(code, "status note / context")
    return "suspension" if suspends and kind == "withdrawal" else kind


def event_list(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Every treaty event with its country name and kind (see :data:`EVENT_KINDS`), dated ones first by date.

    Columns: those of ``treaty_events.csv`` plus ``name`` and ``kind``; ``vote`` holds the tally when known.
    """
    events = treaty.events_table(data_dir=data_dir)
    suspends = {
        iso3
        for iso3, t in treaty.timelines(data_dir).items()
        if t.suspension is not None and t.withdrawal_deposit is None
    }
    events["kind"] = [kind_of(c, i in suspends) for c, i in zip(events["event_code"], events["iso3"], strict=True)]
    events["vote"] = [vote_tally(r) for r in events.to_dict("records")]
    return events


def filter_events(
    events: pd.DataFrame, iso3s: Iterable[str] | None = None, kinds: Iterable[str] | None = None
) -> pd.DataFrame:
    """Rows of ``events`` (from :func:`event_list`) for the given countries and kinds; None or empty = all."""
    mask = pd.Series(True, index=events.index)
    iso3s, kinds = list(iso3s or []), list(kinds or [])
    if iso3s:
        mask &= events["iso3"].isin(iso3s)
    if kinds:
        mask &= events["kind"].isin(kinds)
    return events[mask].reset_index(drop=True)


def event_display(events: pd.DataFrame) -> pd.DataFrame:
    """The columns a reader needs, with dates as ISO text (blank when undated), for a table or a CSV."""
    out = events[
        ["event_date", "name", "kind", "event_code", "detail", "vote", "confidence", "source_title", "source_url"]
    ].copy()
    out["event_date"] = out["event_date"].map(lambda d: d.isoformat() if d else "")
    return out.rename(columns={"event_date": "date", "name": "country", "event_code": "event"})
