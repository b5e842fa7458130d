"""Treaty status of every country on any day, computed from the dated events.

Status is never stored: :func:`status_at` derives it from ``data/treaty_events.csv`` (the Ottawa Convention,
the default) or ``data/ccm_events.csv`` (the Convention on Cluster Munitions, ``treaty="ccm"``) with each
treaty's own rules (:mod:`flankmap.domain.treaties`), so one event list drives the map, the timeline, the counts and
the exports. The Ottawa Convention's rules:

- Art. 17(1): the Convention entered into force on 1999-03-01, the first day of the sixth month after the
  month of the 40th instrument (Burkina Faso, 1998-09-16). Every instrument deposited on or before that day
  took that date.
- Art. 17(2): for an instrument deposited after the 40th, entry into force is the first day of the sixth
  month after the date of deposit, i.e. day 1 of (deposit month + 6): 2005-07-01 -> 2006-01-01.
- Art. 20(3): a withdrawal takes effect six months after the Depositary (the UN Secretary-General) receives
  the instrument: 2025-06-27 -> 2025-12-27. Not six months after a parliament's vote.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

import pandas as pd

from flankmap.data import load, schemas, validate
from flankmap.data.load import DATA_DIR
from flankmap.data.validate import DataError
from flankmap.domain import treaties

STATUS_CODES = (
    "non_party",
    "signatory",
    "joined_not_in_force",
    "state_party",
    "withdrawal_pending",
    "withdrawn",
)
STATUS_LABELS = {
    "non_party": "Not a party",
    "signatory": "Signed, not ratified",
    "joined_not_in_force": "Joined, not yet in force",
    "state_party": "State Party",
    "withdrawal_pending": "Withdrawal pending",
    "withdrawn": "Withdrawn",
}
STAGE_LABELS = {
    "announced": "withdrawal announced",
    "parliament_approved": "parliament approved withdrawal",
    "instrument_deposited": "instrument of withdrawal deposited",
}

TREATY_ADOPTED = treaties.OTTAWA.adopted
OPENED_FOR_SIGNATURE = treaties.OTTAWA.opened_for_signature
FORTIETH_INSTRUMENT = treaties.OTTAWA.threshold_deposit
GENERAL_ENTRY_INTO_FORCE = treaties.OTTAWA.general_entry_into_force

# Acceptance (A) and approval (AA) are how the Netherlands and Japan joined the CCM (UN depositary record).
JOIN_DEPOSIT_CODES = (
    "ratification_deposit",
    "accession_deposit",
    "succession_deposit",
    "acceptance_deposit",
    "approval_deposit",
)
ANNOUNCE_CODES = ("joint_statement", "govt_announcement", "cabinet_approval")
PARLIAMENT_CODES = ("parliament_vote", "parliament_vote_sejm")
# Events that decide a status: they must be confirmed in a source (a data test checks it).
STATUS_DRIVING_CODES = (
    "signature",
    *JOIN_DEPOSIT_CODES,
    "entry_into_force",
    "withdrawal_deposit",
    "withdrawal_effective",
    "suspension_notification",
)


add_months = treaties.add_months


def entry_into_force_for(deposit_date: dt.date, treaty: str | None = None) -> dt.date:
    """Entry into force for a state from its deposit date (Art. 17 of ``treaty``, default Ottawa).

    Ottawa: instruments deposited on or before the 40th (1998-09-16) took the general date 1999-03-01
    (Art. 17(1)); later ones the first day of the sixth month after the date of deposit (Art. 17(2)). CCM: on or
    before the 30th (2010-02-16): 2010-08-01; later: day 1 of (deposit month + 6).
    """
    return treaties.get(treaty).entry_into_force_for(deposit_date)


def withdrawal_effective_for(deposit_date: dt.date, treaty: str | None = None) -> dt.date:
    """Day a withdrawal takes effect: six months after the Depositary receives it (Art. 20(3) of both)."""
    return treaties.get(treaty).withdrawal_effective_for(deposit_date)


@dataclass(frozen=True)
class Timeline:
    """The dates that decide one country's status, with the event row behind each (for its source)."""

    iso3: str
    signature: dict | None = None
    deposit: dict | None = None
    entry_into_force: dict | None = None
    announced: dict | None = None
    parliament: dict | None = None
    withdrawal_deposit: dict | None = None
    withdrawal_effective: dict | None = None
    suspension: dict | None = None
    never_joined: dict | None = None
    treaty: str = treaties.DEFAULT_TREATY  # whose rules decide the status (flankmap.domain.treaties.TREATIES)


@dataclass(frozen=True)
class CountryStatus:
    """Status of one country on one day. ``source_url`` is that of the event that set the status."""

    iso3: str
    day: dt.date
    status_code: str
    withdrawal_stage: str | None
    flag: str | None
    entry_into_force_date: dt.date | None
    withdrawal_deposit_date: dt.date | None
    effective_date: dt.date | None
    days_until_effective: int | None
    source_title: str | None
    source_url: str | None
    source_confidence: str | None = None  # of the event that set the status ("uncertain": sources differ)

    @property
    def status_label(self) -> str:
        """The status as shown to people, e.g. "Withdrawal pending"."""
        return STATUS_LABELS[self.status_code]


def _first(events: pd.DataFrame, codes: tuple[str, ...] | str) -> dict | None:
    codes = (codes,) if isinstance(codes, str) else codes
    rows = events[events["event_code"].isin(codes) & events["event_date"].notna()]
    if rows.empty:
        return None
    return rows.sort_values("event_date").iloc[0].to_dict()


def _undated(events: pd.DataFrame, codes: tuple[str, ...]) -> dict | None:
    rows = events[events["event_code"].isin(codes)]
    return None if rows.empty else rows.iloc[0].to_dict()


def build_timelines(events: pd.DataFrame, treaty: str | None = None) -> dict[str, Timeline]:
    """One :class:`Timeline` per ISO3 from the event table (typed, as returned by ``load.table``) of ``treaty``."""
    key = treaties.get(treaty).key
    timelines = {}
    for iso3, group in events.groupby("iso3", sort=True):
        suspension = _first(group[group["confidence"] == "confirmed-in-source"], "suspension_notification")
        eif = _first(group, "entry_into_force")
        # A withdrawal can only start once the treaty binds the state: votes before that were ratifications.
        bound_from = eif["event_date"] if eif else None
        leaving = group[group["event_date"].map(lambda d, b=bound_from: b is not None and d is not None and d > b)]
        # Ukraine's parliament passed a *suspension* law, not a withdrawal: for a state with a suspension
        # notice only the announcement counts as a withdrawal stage, then the flag takes over.
        parliament = None if suspension else _first(leaving, PARLIAMENT_CODES)
        timelines[iso3] = Timeline(
            iso3=iso3,
            signature=_first(group, "signature"),
            deposit=_first(group, JOIN_DEPOSIT_CODES),
            entry_into_force=eif,
            announced=_first(leaving, ANNOUNCE_CODES),
            parliament=parliament,
            withdrawal_deposit=_first(group, "withdrawal_deposit"),
            withdrawal_effective=_first(group, "withdrawal_effective"),
            suspension=suspension,
            never_joined=_undated(group, ("never_joined", "not_eligible")),
            treaty=key,
        )
    return timelines


@lru_cache(maxsize=8)
def _timelines_cached(data_dir: str, version: str, treaty: str = treaties.DEFAULT_TREATY) -> dict[str, Timeline]:
    return build_timelines(load.table(treaties.get(treaty).events, Path(data_dir)), treaty)


def timelines(data_dir: Path = DATA_DIR, treaty: str | None = None) -> dict[str, Timeline]:
    """Timelines for every country with events of ``treaty`` (default Ottawa) in ``data_dir`` (memoised on the
    data version).
    """
    return _timelines_cached(*load.cache_key(data_dir), treaties.get(treaty).key)


def _on(row: dict | None, day: dt.date) -> bool:
    return row is not None and row["event_date"] <= day


def status_of(timeline: Timeline, day: dt.date) -> CountryStatus:
    """Status of one country on ``day`` from its timeline (pure), by the rules of the timeline's treaty.

    The same function serves every treaty in :data:`flankmap.domain.treaties.TREATIES`: only the opening for
    signature comes from the treaty; the entry-into-force and withdrawal dates are the events' own (the builds
    check them against each treaty's Art. 17 and Art. 20(3)).
    """
    t = timeline
    opened = treaties.get(t.treaty).opened_for_signature
    eif = t.entry_into_force["event_date"] if _on(t.entry_into_force, day) else None
    # Dates of a withdrawal are only known once its instrument is deposited: never show the future early.
    w_dep = t.withdrawal_deposit["event_date"] if _on(t.withdrawal_deposit, day) else None
    w_eff = t.withdrawal_effective["event_date"] if w_dep and t.withdrawal_effective else None
    stage, setter = None, None
    if _on(t.withdrawal_effective, day):
        code, setter = "withdrawn", t.withdrawal_effective
    elif _on(t.withdrawal_deposit, day):
        code, setter, stage = "withdrawal_pending", t.withdrawal_deposit, "instrument_deposited"
    elif _on(t.entry_into_force, day):
        code, setter = "state_party", t.entry_into_force
    elif _on(t.deposit, day):
        code, setter = "joined_not_in_force", t.deposit
    elif _on(t.signature, day) and day >= opened:
        code, setter = "signatory", t.signature
    else:
        # Not yet (or never) joined: cite the event that documents that (never_joined) or the later joining.
        code, setter = "non_party", t.never_joined or t.deposit or t.signature
    flag = None
    if code == "state_party":
        if _on(t.suspension, day):
            flag = f"purported suspension since {t.suspension['event_date'].isoformat()}"
        elif _on(t.parliament, day):
            stage = "parliament_approved"
        elif _on(t.announced, day):
            stage = "announced"
    pending = code == "withdrawal_pending" and w_eff is not None
    return CountryStatus(
        iso3=t.iso3,
        day=day,
        status_code=code,
        withdrawal_stage=stage,
        flag=flag,
        entry_into_force_date=eif,
        withdrawal_deposit_date=w_dep,
        effective_date=w_eff,
        days_until_effective=(w_eff - day).days if pending else None,
        source_title=setter.get("source_title") if setter else None,
        source_url=setter.get("source_url") if setter else None,
        source_confidence=setter.get("confidence") if setter else None,
    )


def status_at(iso3: str, day: dt.date, data_dir: Path = DATA_DIR, treaty: str | None = None) -> CountryStatus:
    """Status of ``iso3`` on ``day`` under ``treaty`` (default Ottawa).

    Raises:
        KeyError: when the country has no events in the data.
    """
    return status_of(timelines(data_dir, treaty)[iso3], day)


@lru_cache(maxsize=8)
def _names(data_dir: str, version: str) -> dict[str, str]:
    table = load.table(schemas.COUNTRIES, Path(data_dir))
    return dict(zip(table["iso3"], table["name"], strict=True))


# The columns of a status record: the CountryStatus fields (one declaration) plus the display name and label.
_STATUS_FIELDS = tuple(f.name for f in fields(CountryStatus) if f.name not in ("iso3", "day", "status_code"))
STATUS_COLUMNS = ["iso3", "name", "status_code", "status_label", *_STATUS_FIELDS]


def status_records(
    day: dt.date, iso3s: list[str] | None = None, data_dir: Path = DATA_DIR, treaty: str | None = None
) -> list[dict]:
    """Like :func:`status_table` as plain dicts (no pandas: the map calls this on every date step)."""
    all_timelines = timelines(data_dir, treaty)
    names = _names(*load.cache_key(data_dir))
    codes = sorted(all_timelines) if iso3s is None else list(iso3s)
    missing = [iso3 for iso3 in codes if iso3 not in all_timelines]
    if missing:  # drawing it as "Not a party" would be a claim the data does not make
        raise DataError(
            [
                f"{treaties.get(treaty).events.file}: no event for {', '.join(missing)} "
                "(a country drawn needs its events)"
            ]
        )
    rows = []
    for iso3 in codes:
        status = status_of(all_timelines[iso3], day)
        rows.append(
            {
                "iso3": iso3,
                "name": names.get(iso3, iso3),
                "status_code": status.status_code,
                "status_label": status.status_label,
                **{name: getattr(status, name) for name in _STATUS_FIELDS},
            }
        )
    return rows


def pending_withdrawals(day: dt.date, data_dir: Path = DATA_DIR, treaty: str | None = None) -> list[dict]:
    """Status records of the countries whose withdrawal is pending on ``day`` (for countdowns)."""
    records = status_records(day, data_dir=data_dir, treaty=treaty)
    return [r for r in records if r["status_code"] == "withdrawal_pending"]


def status_table(
    day: dt.date, iso3s: list[str] | None = None, data_dir: Path = DATA_DIR, treaty: str | None = None
) -> pd.DataFrame:
    """Every country's status on ``day`` (or only ``iso3s``), one row each, with its display name.

    Columns: iso3, name, status_code, status_label, withdrawal_stage, flag, entry_into_force_date,
    withdrawal_deposit_date, effective_date, days_until_effective, source_title, source_url.
    """
    return pd.DataFrame(status_records(day, iso3s, data_dir, treaty), columns=STATUS_COLUMNS)


def events_table(iso3: str | None = None, data_dir: Path = DATA_DIR, treaty: str | None = None) -> pd.DataFrame:
    """The dated and undated events of ``treaty`` (all, or one country's), with country names, ordered by date."""
    events = load.table(treaties.get(treaty).events, data_dir)
    names = load.table(schemas.COUNTRIES, data_dir).set_index("iso3")["name"]
    if iso3:
        events = events[events["iso3"] == iso3]
    events.insert(1, "name", events["iso3"].map(names))
    return events.sort_values(["event_date", "iso3"], na_position="last", key=_date_sort_key).reset_index(drop=True)


def country_notes(data_dir: Path = DATA_DIR, treaty: str | None = None) -> dict[str, str]:
    """Per-country notes shown beside a status (Kosovo: not eligible). Ottawa: ``countries.csv``'s
    ``treaty_note``; another treaty: the detail of its ``not_eligible`` events (the note is treaty-specific).
    """
    rules = treaties.get(treaty)
    if rules.key == treaties.DEFAULT_TREATY:
        table = load.table(schemas.COUNTRIES, data_dir)
        pairs = zip(table["iso3"], table["treaty_note"], strict=True)
    else:
        events = load.table(rules.events, data_dir)
        rows = events[events["event_code"] == "not_eligible"]
        pairs = zip(rows["iso3"], rows["detail"], strict=True)
    return {iso3: note for iso3, note in pairs if isinstance(note, str) and note}


def _date_sort_key(col: pd.Series) -> pd.Series:
    if col.name == "event_date":
        return col.map(lambda d: d.isoformat() if d else "9999")
    return col


TODAY_ENV = "FLANKMAP_TODAY"


def current_day() -> dt.date:
    """Today's date, the default and the end of the timeline. ``FLANKMAP_TODAY=YYYY-MM-DD`` pins it
    (tests, reproducible screenshots); tests of the core pass ``today=`` instead.
    """
    pinned = os.environ.get(TODAY_ENV, "")
    if pinned:
        try:
            return dt.date.fromisoformat(pinned)
        except ValueError:
            raise ValueError(f"{TODAY_ENV}={pinned!r} is not a date (YYYY-MM-DD)") from None
    return dt.date.today()


def last_scheduled_day(data_dir: Path = DATA_DIR, treaty: str | None = None) -> dt.date | None:
    """The latest date the treaty fixes in advance in the data (an entry into force or a withdrawal taking
    effect), or None. A pending withdrawal lets the timeline run on to the day it takes effect.
    """
    days = [
        row["event_date"]
        for t in timelines(data_dir, treaty).values()
        for row in (t.entry_into_force, t.withdrawal_effective)
        if row is not None
    ]
    return max(days) if days else None


def data_last_day(data_dir: Path = DATA_DIR, today: dt.date | None = None, treaty: str | None = None) -> dt.date:
    """Last day the slider, the URL and the CLI accept: today, or later up to the last scheduled effective
    date when one is pending (see :func:`last_scheduled_day`).
    """
    day = today or current_day()
    scheduled = last_scheduled_day(data_dir, treaty)
    return max(day, scheduled) if scheduled else day


@lru_cache(maxsize=8)
def _checked_through(data_dir: str, version: str, treaty: str = treaties.DEFAULT_TREATY) -> dt.date:
    schema = treaties.get(treaty).checks
    checks = load.table(schema, Path(data_dir))
    if checks.empty:
        raise validate.DataError([f"{schema.file}: no rows (the treaty data was never checked?)"])
    return max(checks["checked_date"])


def checked_through(data_dir: Path = DATA_DIR, treaty: str | None = None) -> dt.date:
    """The latest day the treaty data's sources were checked (``treaty_checks.csv``; ``ccm_checks.csv`` for the
    CCM). For a later day, events after this date may be missing: views say so beside the date.
    """
    return _checked_through(*load.cache_key(data_dir), treaties.get(treaty).key)


def checked_through_note(day: dt.date, data_dir: Path = DATA_DIR, treaty: str | None = None) -> str | None:
    """A sentence for views showing ``day`` after the checked-through date, else None."""
    checked = checked_through(data_dir, treaty)
    if day <= checked:
        return None
    return f"Treaty data checked through {checked.isoformat()}: events after that date may be missing."
