"""Both conventions at once (issue 21's "both" view): the Ottawa intervals cut at every CCM change.

Each country's timeline under the Ottawa Convention and under the Convention on Cluster Munitions
(:func:`flankmap.domain.intervals.all_intervals` for each, so both from the one status function) are merged into
one list of :class:`PairInterval`: the Ottawa status, stage, flag and tooltip, plus the CCM status of the same
days (``ccm_code``) and one tooltip line naming it. The pair starts on the CCM's adoption (2008-05-30): before it,
there was no second convention to compare with. The counts are merged the same way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from flankmap.data.load import DATA_DIR
from flankmap.domain import intervals, treaties, treaty

PAIR = ("ottawa", "ccm")
# CCM statuses of a state inside the convention (deposited and not yet gone): the "both" view outlines the others
# (signatory only, withdrawn, never joined, no data).
INSIDE_CCM = ("state_party", "withdrawal_pending", "joined_not_in_force")
CCM_NAME = treaties.CCM.short_name


@dataclasses.dataclass(frozen=True)
class PairInterval(intervals.Interval):
    """An Ottawa interval over days on which the CCM status stays the same too (``ccm_code``; None: no CCM data)."""

    ccm_code: str | None = None

    def to_json(self) -> dict:
        """As :meth:`Interval.to_json`, plus ``ccm`` (the CCM status code of these days)."""
        return {**super().to_json(), "ccm": self.ccm_code}


def first_day() -> dt.date:
    """The first day both conventions exist: the CCM's adoption."""
    return max(t.adopted for t in treaties.TREATIES.values())


def _ccm_line(code: str | None) -> tuple[str, str]:
    label = treaty.STATUS_LABELS[code] if code else "no data"
    return ("text", f"{CCM_NAME}: {label}")


def _with_ccm_line(tip: tuple[tuple[str, str], ...], code: str | None) -> tuple[tuple[str, str], ...]:
    """The Ottawa tooltip with the CCM line before the small print (the source lines)."""
    at = next((i for i, (kind, _) in enumerate(tip) if kind == "small"), len(tip))
    return (*tip[:at], _ccm_line(code), *tip[at:])


def merge(ottawa: list[intervals.Interval], ccm: list[intervals.Interval], first: dt.date) -> list[PairInterval]:
    """One country's Ottawa intervals from ``first`` on, cut wherever its CCM status changes."""
    cuts = sorted({first} | {iv.start for iv in (*ottawa, *ccm) if iv.start > first})
    out: list[PairInterval] = []
    for i, start in enumerate(cuts):
        o = next((iv for iv in ottawa if iv.start <= start <= iv.end), None)
        if o is None:
            continue
        end = min(o.end, cuts[i + 1] - intervals.DAY) if i + 1 < len(cuts) else o.end
        c = next((iv for iv in ccm if iv.start <= start <= iv.end), None)
        code = c.status_code if c else None
        base = {f.name: getattr(o, f.name) for f in dataclasses.fields(intervals.Interval)}
        row = PairInterval(
            **{**base, "start": start, "end": end, "tooltip": _with_ccm_line(o.tooltip, code)}, ccm_code=code
        )
        prev = out[-1] if out else None
        if prev and prev.end + intervals.DAY == start and dataclasses.replace(prev, start=start, end=end) == row:
            out[-1] = dataclasses.replace(prev, end=end)
        else:
            out.append(row)
    return out


def pair_intervals(
    data_dir: Path = DATA_DIR, iso3s: list[str] | None = None, last: dt.date | None = None
) -> dict[str, list[PairInterval]]:
    """Every drawn country (or ``iso3s``) with Ottawa data: its merged intervals from the CCM's adoption."""
    ottawa = intervals.all_intervals(data_dir, iso3s, last)
    ccm = intervals.all_intervals(data_dir, iso3s, last, treaty_key="ccm")
    first = first_day()
    return {iso3: merge(ivs, ccm.get(iso3, []), first) for iso3, ivs in ottawa.items()}


def pair_counts(data_dir: Path = DATA_DIR, last: dt.date | None = None) -> list[dict]:
    """Both States-Parties counts as intervals from the CCM's adoption: ``163 Ottawa, 111 CCM``."""
    rows = {key: intervals.count_intervals(data_dir, last, None if key == "ottawa" else key) for key in PAIR}
    first = first_day()
    final = min(dt.date.fromisoformat(rows[key][-1]["to"]) for key in PAIR)
    starts = sorted({first} | {d for key in PAIR for r in rows[key] if (d := dt.date.fromisoformat(r["from"])) > first})
    names = {"ottawa": "Ottawa", "ccm": "CCM"}
    out: list[dict] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] - intervals.DAY if i + 1 < len(starts) else final
        day = start.isoformat()
        parts = []
        for key in PAIR:
            row = next((r for r in rows[key] if r["from"] <= day <= r["to"]), None)
            parts.append(f"{row['text'] if row else '?'} {names[key]}")
        text = ", ".join(parts)
        if out and out[-1]["text"] == text:
            out[-1]["to"] = end.isoformat()
        else:
            out.append({"from": day, "to": end.isoformat(), "text": text})
    return out
