"""The treaties Flankmap shows, declared once: name, first day, tables and the rules that decide a status.

Both conventions count days the same way, with their own dates:

- Entry into force (Art. 17 of each): an instrument deposited on or before the day of the instrument that
  triggered the general entry into force (Ottawa: the 40th, 1998-09-16; CCM: the 30th, 2010-02-16) takes the
  general date (Ottawa 1999-03-01, CCM 2010-08-01; Art. 17(1)); a later one takes day 1 of (deposit month + 6)
  (Art. 17(2)), whatever the day of the month.
- Withdrawal (Ottawa Art. 20(3), CCM Art. 20(3)): six months after the Depositary receives the instrument, on
  the same calendar day (clamped to a shorter month's last day; no case has fallen on the 29th-31st).
- Signature (Art. 15 of each): open from the opening for signature until the general entry into force.

:func:`flankmap.domain.treaty.status_of` is the one status function; it reads these rules from the treaty a
timeline belongs to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flankmap.data import schemas
from flankmap.data.validate import TableSchema


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` later (clamped to the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Treaty:
    """One convention: what readers see, its dates, its tables in ``data/`` and its day-counting rules."""

    key: str  # ottawa | ccm (the URL and CLI value)
    name: str  # shown to readers
    short_name: str
    adopted: dt.date  # the first day of its timeline
    adopted_label: str
    opened_for_signature: dt.date
    threshold_deposit: dt.date  # the instrument that triggered the general entry into force (Art. 17(1))
    general_entry_into_force: dt.date
    events: TableSchema
    counts: TableSchema
    checks: TableSchema
    in_force_label: str = "Treaty in force"
    # How the States-Parties count is known: "anchors" (published figures plus the events since, Ottawa) or
    # "series" (computed by the build from every participant's deposit in the depositary record, CCM).
    count_from: str = "anchors"
    entry_into_force_article: str = "Art. 17"
    withdrawal_article: str = "Art. 20(3)"
    withdrawal_months: int = 6

    def entry_into_force_for(self, deposit_date: dt.date) -> dt.date:
        """Entry into force for a state from its deposit date (Art. 17(1) and 17(2))."""
        if deposit_date <= self.threshold_deposit:
            return self.general_entry_into_force
        return add_months(deposit_date.replace(day=1), 6)

    def withdrawal_effective_for(self, deposit_date: dt.date) -> dt.date:
        """Day a withdrawal takes effect: six months after the Depositary receives it, same calendar day."""
        return add_months(deposit_date, self.withdrawal_months)

    @property
    def signature_window(self) -> tuple[dt.date, dt.date]:
        """First and last day a signature is possible (Art. 15: until the entry into force)."""
        return self.opened_for_signature, self.general_entry_into_force


OTTAWA = Treaty(
    key="ottawa",
    name="Ottawa Convention (anti-personnel mines)",
    short_name="Ottawa Convention",
    adopted=dt.date(1997, 9, 18),
    adopted_label="Treaty adopted (Oslo)",
    opened_for_signature=dt.date(1997, 12, 3),
    threshold_deposit=dt.date(1998, 9, 16),
    general_entry_into_force=dt.date(1999, 3, 1),
    events=schemas.TREATY_EVENTS,
    counts=schemas.STATES_PARTIES_COUNTS,
    checks=schemas.TREATY_CHECKS,
)

CCM = Treaty(
    key="ccm",
    name="Convention on Cluster Munitions",
    short_name="Convention on Cluster Munitions",
    adopted=dt.date(2008, 5, 30),
    adopted_label="Convention adopted (Dublin)",
    opened_for_signature=dt.date(2008, 12, 3),
    threshold_deposit=dt.date(2010, 2, 16),
    general_entry_into_force=dt.date(2010, 8, 1),
    events=schemas.CCM_EVENTS,
    counts=schemas.CCM_STATES_PARTIES,
    checks=schemas.CCM_CHECKS,
    in_force_label="Convention in force",
    count_from="series",
)

TREATIES: dict[str, Treaty] = {t.key: t for t in (OTTAWA, CCM)}
DEFAULT_TREATY = OTTAWA.key


def get(key: str | None) -> Treaty:
    """The treaty for ``key`` (None: the default, Ottawa).

    Raises:
        KeyError: naming the accepted keys.
    """
    if key is None:
        return TREATIES[DEFAULT_TREATY]
    try:
        return TREATIES[key]
    except KeyError:
        raise KeyError(f"unknown treaty {key!r}: accepted {', '.join(TREATIES)}") from None
