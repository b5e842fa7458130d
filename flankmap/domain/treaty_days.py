"""The days that matter: the key dates, what changed between two days, and the States-Parties count on a day.

The count is counted at deposit (the ICBL / Landmine Monitor and CCM Implementation Support Unit convention): a
state counts from the day its instrument is deposited, a withdrawal from the day it takes effect. Statuses come from
:mod:`flankmap.domain.treaty`.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import pandas as pd

from flankmap.data import load, schemas
from flankmap.data.load import DATA_DIR
from flankmap.domain import treaties
from flankmap.domain.treaty import status_table, timelines


@lru_cache(maxsize=8)
def _anchors(data_dir: str, version: str) -> tuple[tuple[dt.date, int], ...]:
    """Published counts (role ``anchor``) as (date, count), oldest first."""
    counts = load.table(schemas.STATES_PARTIES_COUNTS, Path(data_dir))
    anchors = counts[counts["role"] == "anchor"].sort_values("count_date")
    return tuple((d, int(n)) for d, n in zip(anchors["count_date"], anchors["states_parties"], strict=True))


@lru_cache(maxsize=8)
def _series(data_dir: str, version: str, treaty: str) -> tuple[tuple[dt.date, int], ...]:
    """A computed count series (the CCM's: one row per day the count changes), oldest first."""
    counts = load.table(treaties.get(treaty).counts, Path(data_dir)).sort_values("count_date")
    return tuple((d, int(n)) for d, n in zip(counts["count_date"], counts["states_parties"], strict=True))


def _series_count(day: dt.date, data_dir: Path, treaty: str) -> int:
    before = [n for d, n in _series(*load.cache_key(data_dir), treaty) if d <= day]
    return before[-1] if before else 0


def states_parties_count(day: dt.date, data_dir: Path = DATA_DIR, treaty: str | None = None) -> int:
    """Number of States Parties on ``day``, counting by deposit (the ICBL / Landmine Monitor convention).

    A state counts from the day its instrument is deposited and stops counting when its withdrawal takes
    effect; Ukraine is still counted (a purported suspension is not a withdrawal). The data has published
    counts (``states_parties_counts.csv``, role ``anchor``) but no world-wide deposit list, so the count is
    the latest published figure plus the deposits and withdrawals in ``treaty_events.csv`` since then,
    never above the next published figure. After the last published figure (2025-06-25) that is exact for
    the events the reference covers; between earlier figures it is a lower bound (see
    :func:`states_parties_count_is_exact`).

    For the CCM (``treaty="ccm"``) the build computed the whole series from every participant's deposit in the
    depositary record (``ccm_states_parties_counts.csv``): the count is read from it, and is exact.
    """
    rules = treaties.get(treaty)
    if rules.count_from == "series":
        return _series_count(day, data_dir, rules.key)
    anchors = _anchors(*load.cache_key(data_dir))
    before = [(d, n) for d, n in anchors if d <= day]
    after = [n for d, n in anchors if d > day]
    anchor_day, total = before[-1] if before else (dt.date.min, 0)
    total += _net_joins(anchor_day, day, data_dir)
    return min(total, after[0]) if after else total


def _net_joins(after: dt.date, until: dt.date, data_dir: Path) -> int:
    """Deposits minus withdrawals taking effect in ``(after, until]``, from the events in the data."""
    net = 0
    for t in timelines(data_dir).values():
        if t.deposit and after < t.deposit["event_date"] <= until:
            net += 1
        if t.withdrawal_effective and after < t.withdrawal_effective["event_date"] <= until:
            net -= 1
    return net


def states_parties_count_is_exact(day: dt.date, data_dir: Path = DATA_DIR, treaty: str | None = None) -> bool:
    """True when :func:`states_parties_count` on ``day`` is exact, not a lower bound: on or after the last
    published figure, on a published day, or when the deposits and withdrawals in the data account for
    every change up to the next published figure (e.g. 164 from 2018 until the Marshall Islands in 2025). A
    computed series (the CCM's) is always exact.
    """
    if treaties.get(treaty).count_from == "series":
        return True
    anchors = _anchors(*load.cache_key(data_dir))
    if day >= anchors[-1][0] or any(d == day for d, _ in anchors):
        return True
    next_day, next_count = next((d, n) for d, n in anchors if d > day)
    return states_parties_count(day, data_dir) + _net_joins(day, next_day, data_dir) == next_count


def states_parties_text(day: dt.date, data_dir: Path = DATA_DIR, treaty: str | None = None) -> str:
    """The count as shown to people: "163", or "at least 61" between published figures before 2025."""
    count = states_parties_count(day, data_dir, treaty)
    return str(count) if states_parties_count_is_exact(day, data_dir, treaty) else f"at least {count}"


def count_change_days(data_dir: Path = DATA_DIR, treaty: str | None = None) -> set[dt.date]:
    """Days the count may change: published or computed count days, deposits and withdrawals taking effect."""
    days = set(load.table(treaties.get(treaty).counts, data_dir)["count_date"])
    for t in timelines(data_dir, treaty).values():
        for row in (t.deposit, t.withdrawal_effective):
            if row:
                days.add(row["event_date"])
    return days


def states_parties_series(
    start: dt.date, end: dt.date, data_dir: Path = DATA_DIR, treaty: str | None = None
) -> pd.DataFrame:
    """The count as a step series: one row per day it changes between ``start`` and ``end`` (inclusive)."""
    days = {start, end} | {d for d in count_change_days(data_dir, treaty) if start <= d <= end}
    rows = [{"count_date": d, "states_parties": states_parties_count(d, data_dir, treaty)} for d in sorted(days)]
    return pd.DataFrame(rows)


def key_dates(data_dir: Path = DATA_DIR, treaty: str | None = None) -> list[tuple[dt.date, str]]:
    """Dates one click away on the timeline: the treaty's milestones and every withdrawal step.

    Returns (date, label) pairs sorted by date, one per distinct day (labels of the same day joined).
    """
    names = load.table(schemas.COUNTRIES, data_dir).set_index("iso3")["name"]
    labels: dict[dt.date, list[str]] = {}

    def add(day: dt.date, text: str) -> None:
        if text not in labels.setdefault(day, []):
            labels[day].append(text)

    rules = treaties.get(treaty)
    add(rules.adopted, rules.adopted_label)
    add(rules.general_entry_into_force, rules.in_force_label)
    for iso3, t in timelines(data_dir, treaty).items():
        name = names.get(iso3, iso3)
        if t.withdrawal_deposit is None and t.suspension is None:
            continue
        if t.announced and t.announced["event_code"] == "joint_statement":
            add(t.announced["event_date"], "Joint statement (EE, LV, LT, PL)")
        if t.parliament:
            add(t.parliament["event_date"], f"{name}: parliament vote")
        if t.withdrawal_deposit:
            add(t.withdrawal_deposit["event_date"], f"{name}: withdrawal deposited")
        if t.withdrawal_effective:
            add(t.withdrawal_effective["event_date"], f"{name}: withdrawal effective")
        if t.suspension:
            add(t.suspension["event_date"], f"{name}: purported suspension notified")
    return [(day, "; ".join(texts)) for day, texts in sorted(labels.items())]


def changes_between(
    day_a: dt.date,
    day_b: dt.date,
    iso3s: list[str] | None = None,
    data_dir: Path = DATA_DIR,
    treaty: str | None = None,
) -> pd.DataFrame:
    """Countries whose status differs between two days, with a sentence a briefing can use.

    Columns: iso3, name, status_a, status_b, change_note (the event that made the difference, when one
    event explains it), text, e.g. "Estonia: State Party → Withdrawn (effective 2025-12-27)".
    """
    a = status_table(day_a, iso3s, data_dir, treaty).set_index("iso3")
    b = status_table(day_b, iso3s, data_dir, treaty).set_index("iso3")
    rows = []
    for iso3 in b.index:
        if iso3 not in a.index:
            continue
        if a.at[iso3, "status_code"] == b.at[iso3, "status_code"]:
            flag_a, flag_b = (None if pd.isna(x) else x for x in (a.at[iso3, "flag"], b.at[iso3, "flag"]))
            if flag_a != flag_b:
                text = f"{b.at[iso3, 'name']}: {flag_b or 'no longer flagged'}"
                rows.append(
                    {
                        "iso3": iso3,
                        "name": b.at[iso3, "name"],
                        "status_a": a.at[iso3, "status_code"],
                        "status_b": b.at[iso3, "status_code"],
                        "change_note": None,
                        "text": text,
                    }
                )
            continue
        later = b.loc[iso3] if day_b >= day_a else a.loc[iso3]
        when = None
        if later["status_code"] == "withdrawn":
            when = f"effective {later['effective_date']}"
        elif later["status_code"] == "withdrawal_pending":
            when = f"deposited {later['withdrawal_deposit_date']}, effective {later['effective_date']}"
        elif later["status_code"] == "state_party" and later["entry_into_force_date"]:
            when = f"in force {later['entry_into_force_date']}"
        text = f"{b.at[iso3, 'name']}: {a.at[iso3, 'status_label']} → {b.at[iso3, 'status_label']}"
        rows.append(
            {
                "iso3": iso3,
                "name": b.at[iso3, "name"],
                "status_a": a.at[iso3, "status_code"],
                "status_b": b.at[iso3, "status_code"],
                "change_note": when,
                "text": text + (f" ({when})" if when else ""),
            }
        )
    return pd.DataFrame(rows, columns=["iso3", "name", "status_a", "status_b", "change_note", "text"])
