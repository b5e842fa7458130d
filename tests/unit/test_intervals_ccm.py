"""The intervals and the count take the treaty: CCM intervals agree with the status function on every day."""

from __future__ import annotations

import datetime as dt

from flankmap.data import load
from flankmap.domain import intervals, treaty

D = dt.date
CCM = "ccm"


def test_ccm_intervals_agree_with_status_on_every_day():
    ivs_by_iso3 = intervals.all_intervals(treaty_key=CCM, last=D(2026, 3, 1))
    assert sorted(ivs_by_iso3) == load.drawn_iso3s()  # every drawn state has CCM data
    timelines = treaty.timelines(treaty=CCM)
    problems = []
    for iso3, ivs in ivs_by_iso3.items():
        assert ivs[0].start == D(2008, 5, 30) and ivs[-1].end == D(2026, 3, 1), iso3
        for iv in ivs:
            day = iv.start
            while day <= iv.end:
                st = treaty.status_of(timelines[iso3], day)
                effective = st.effective_date if st.days_until_effective is not None else None
                if (iv.status_code, iv.withdrawal_stage, iv.effective_date) != (
                    st.status_code,
                    st.withdrawal_stage,
                    effective,
                ):
                    problems.append((iso3, day))
                day += intervals.DAY
    assert not problems, problems[:5]
    ltu = [(iv.start, iv.status_code) for iv in ivs_by_iso3["LTU"]]
    assert (D(2024, 9, 6), "withdrawal_pending") in ltu and (D(2025, 3, 6), "withdrawn") in ltu


def test_ccm_count_intervals_and_key_dates():
    counts = intervals.count_intervals(last=D(2026, 2, 3), treaty_key=CCM)
    on = {c["from"]: c["text"] for c in counts}
    assert counts[0] == {"from": "2008-05-30", "to": "2008-12-02", "text": "0"}
    assert on["2025-03-06"] == "111" and on["2025-09-05"] == "112"
    assert counts[-1]["to"] == "2026-02-03" and counts[-1]["text"] == "112"
    keys = {k["date"]: k["label"] for k in intervals.key_dates(last=D(2026, 2, 3), treaty_key=CCM)}
    assert keys["2008-05-30"] == "Convention adopted (Dublin)" and keys["2010-08-01"] == "Convention in force"
    assert keys["2025-03-06"] == "Lithuania: withdrawal effective"


def test_ottawa_is_the_default_everywhere():
    assert intervals.covered_range(last=D(2026, 1, 1)) == (D(1997, 9, 18), D(2026, 1, 1))
    assert intervals.covered_range(last=D(2026, 1, 1), treaty_key=CCM) == (D(2008, 5, 30), D(2026, 1, 1))
    assert intervals.count_intervals(last=D(2026, 3, 1)) == intervals.count_intervals(
        last=D(2026, 3, 1), treaty_key="ottawa"
    )
    day = D(2025, 12, 27)
    assert intervals.intervals_on(day) == intervals.intervals_on(day, treaty_key="ottawa")
    assert intervals.intervals_on(D(2025, 3, 6), treaty_key=CCM)["LTU"].status_code == "withdrawn"
