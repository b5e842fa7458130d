"""The timeline intervals agree with the one status function on every day, for every drawn country."""

from __future__ import annotations

import datetime as dt

import pytest

from flankmap.data import load
from flankmap.domain import intervals, treaty, treaty_days


@pytest.fixture(scope="module")
def all_intervals():
    return intervals.all_intervals()


def test_intervals_agree_with_status_at_on_every_day(all_intervals):
    first, last = intervals.covered_range()
    assert first == dt.date(1997, 9, 18) and last >= dt.date(2026, 3, 1)
    drawn = load.drawn_iso3s()
    assert sorted(all_intervals) == sorted(i for i in drawn if i in treaty.timelines())
    timelines = treaty.timelines()
    problems = []
    for iso3, ivs in all_intervals.items():
        # status_at(iso3, day) is status_of(timelines()[iso3], day); the lookup is hoisted to keep this fast.
        assert treaty.status_at(iso3, ivs[-1].end) == treaty.status_of(timelines[iso3], ivs[-1].end)
        assert ivs[0].start == first and ivs[-1].end == last, iso3
        for prev, nxt in zip(ivs, ivs[1:], strict=False):
            assert nxt.start == prev.end + intervals.DAY, (iso3, prev, nxt)
        for iv in ivs:
            day = iv.start
            while day <= iv.end:
                st = treaty.status_of(timelines[iso3], day)
                effective = st.effective_date if st.days_until_effective is not None else None
                got = (iv.status_code, iv.withdrawal_stage, iv.flag, iv.effective_date)
                if got != (st.status_code, st.withdrawal_stage, st.flag, effective):
                    problems.append((iso3, day, got, st))
                day += intervals.DAY
    assert not problems, problems[:5]


def test_edge_days_of_the_2025_withdrawals(all_intervals):
    def at(iso3, day):
        return next(iv for iv in all_intervals[iso3] if iv.start <= day <= iv.end)

    assert at("EST", dt.date(2025, 12, 26)).status_code == "withdrawal_pending"
    assert at("EST", dt.date(2025, 12, 26)).effective_date == dt.date(2025, 12, 27)
    assert at("EST", dt.date(2025, 12, 27)).status_code == "withdrawn"
    assert at("POL", dt.date(2026, 2, 19)).status_code == "withdrawal_pending"
    assert at("POL", dt.date(2026, 2, 20)).status_code == "withdrawn"
    ukr = at("UKR", dt.date(2025, 12, 27))
    assert ukr.status_code == "state_party" and ukr.flag.startswith("purported suspension")


def test_tooltips_are_plain_text_lines_with_a_countdown_marker_only_when_pending(all_intervals):
    for ivs in all_intervals.values():
        for iv in ivs:
            assert all(kind in intervals.LINE_KINDS and isinstance(text, str) for kind, text in iv.tooltip)
            has_countdown = any(kind == "countdown" for kind, _ in iv.tooltip)
            assert has_countdown == (iv.status_code == "withdrawal_pending"), iv


def test_count_intervals_agree_with_the_count_on_every_day():
    first, last = intervals.covered_range()
    steps = intervals.count_intervals()
    assert steps[0]["from"] == first.isoformat() and steps[-1]["to"] == last.isoformat()
    for step in steps:
        day, end = dt.date.fromisoformat(step["from"]), dt.date.fromisoformat(step["to"])
        while day <= end:
            assert treaty_days.states_parties_text(day) == step["text"], day
            day += intervals.DAY


def test_key_dates_are_the_cores():
    assert [k["date"] for k in intervals.key_dates()] == [d.isoformat() for d, _ in treaty_days.key_dates()]
