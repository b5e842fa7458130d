"""Rules on the real treaty tables in data/: schemas, Art. 17 / Art. 20 recomputation, counts, coverage."""

import datetime as dt

import pytest

from flankmap.data import load, schemas
from flankmap.domain import treaty, treaty_days

D = dt.date


@pytest.fixture(scope="module")
def events():
    return load.read_table(schemas.TREATY_EVENTS)


@pytest.mark.parametrize(
    "schema", [schemas.COUNTRIES, schemas.TREATY_EVENTS, schemas.TREATY_MILESTONES, schemas.STATES_PARTIES_COUNTS]
)
def test_table_loads_clean(schema):
    assert len(load.read_table(schema)) > 0


def test_every_stored_entry_into_force_follows_article_17(events):
    mismatches = []
    for iso3, t in treaty.timelines().items():
        if t.deposit and t.entry_into_force:
            expected = treaty.entry_into_force_for(t.deposit["event_date"])
            if t.entry_into_force["event_date"] != expected:
                mismatches.append((iso3, t.deposit["event_date"], t.entry_into_force["event_date"], expected))
    assert mismatches == []
    assert sum(1 for t in treaty.timelines().values() if t.entry_into_force) >= 45


def test_every_withdrawal_effective_date_follows_article_20():
    leavers = {iso3: t for iso3, t in treaty.timelines().items() if t.withdrawal_deposit}
    assert sorted(leavers) == ["EST", "FIN", "LTU", "LVA", "POL"]
    for t in leavers.values():
        assert t.withdrawal_effective["event_date"] == treaty.withdrawal_effective_for(
            t.withdrawal_deposit["event_date"]
        )


# Days the 2026-12-01 re-check found contested: kept, marked uncertain, the other source named in the detail.
CONTESTED = {("LTU", "signature"): "22 Feb 1999", ("TON", "accession_deposit"): "26 Jun 2025"}


def test_status_driving_events_are_confirmed_and_sourced(events):
    driving = events[events["event_code"].isin(treaty.STATUS_DRIVING_CODES) & events["event_date"].notna()]
    unconfirmed = driving["confidence"] != "confirmed-in-source"
    bad = driving[unconfirmed & (driving["event_code"] != "suspension_notification")]
    assert {(r.iso3, r.event_code) for r in bad.itertuples()} == set(CONTESTED)
    for row in bad.itertuples():
        assert row.confidence == "uncertain"
        assert "Date uncertain" in row.detail and CONTESTED[(row.iso3, row.event_code)] in row.detail
    assert driving["source_url"].notna().all()


def test_updates_of_december_2026_are_applied(events):
    pol = events[(events["iso3"] == "POL") & (events["event_code"] == "bill_first_reading")]
    assert list(pol["event_date"]) == [D(2025, 5, 20)] and list(pol["confidence"]) == ["confirmed-in-source"]
    assert "nczas.info" in pol["source_url"].iloc[0]
    ton = events[(events["iso3"] == "TON") & (events["event_code"] == "accession_deposit")].iloc[0]
    assert ton["event_date"] == D(2025, 6, 25) and "matangitonga.to" in ton["detail"]
    context = events[events["event_code"] == "context"].set_index("iso3")
    assert "HRV" in context.index and "SWE" in context.index
    assert treaty.checked_through() == D(2026, 12, 1)


def test_nothing_changes_a_status_after_20_february_2026():
    settled = treaty.status_table(D(2026, 2, 20)).set_index("iso3")
    for day in (D(2026, 2, 21), D(2026, 6, 1), treaty.checked_through(), treaty.data_last_day(today=D(2027, 6, 1))):
        later = treaty.status_table(day).set_index("iso3")
        assert (later["status_code"] == settled["status_code"]).all(), day
        assert (later["flag"].fillna("") == settled["flag"].fillna("")).all(), day
    assert treaty_days.states_parties_text(treaty.checked_through()) == "161"


def test_every_country_has_explicit_rows():
    names = load.table(schemas.COUNTRIES)["iso3"]
    assert set(names) == set(treaty.timelines())
    for iso3 in ("RUS", "GEO", "KAZ", "ARM", "AZE", "XKX"):
        t = treaty.timelines()[iso3]
        assert t.never_joined is not None, iso3


def test_done_when_status_on_27_december_2025():
    table = treaty.status_table(D(2025, 12, 27)).set_index("iso3")
    for iso3 in ("EST", "LVA", "LTU"):
        assert table.at[iso3, "status_code"] == "withdrawn"
    for iso3 in ("FIN", "POL"):
        assert table.at[iso3, "status_code"] == "withdrawal_pending"
    assert table.at["UKR", "status_code"] == "state_party"
    assert table.at["UKR", "flag"] == "purported suspension since 2025-07-18"
    assert table.at["RUS", "status_code"] == "non_party"
    assert table.at["BLR", "status_code"] == "state_party"


def test_ukraine_is_never_withdrawn():
    day = D(1997, 9, 18)
    while day <= treaty.data_last_day():
        assert treaty.status_at("UKR", day).status_code not in ("withdrawn", "withdrawal_pending")
        day += dt.timedelta(days=30)


def test_baltic_signature_facts_the_articles_got_wrong():
    # Only Lithuania signed (1999-02-26); Estonia and Latvia acceded without signing.
    t = treaty.timelines()
    assert t["LTU"].signature["event_date"] == D(1999, 2, 26)
    assert t["EST"].signature is None and t["LVA"].signature is None
    assert t["LTU"].withdrawal_deposit["event_date"] == D(2025, 6, 27)  # not 8 May (the Seimas vote)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2017, 12, 29), 164),
        (D(2025, 3, 11), 164),
        (D(2025, 3, 12), 165),
        (D(2025, 6, 25), 166),
        (D(2025, 12, 26), 166),
        (D(2025, 12, 27), 163),
        (D(2026, 1, 9), 163),
        (D(2026, 1, 10), 162),
        (D(2026, 2, 19), 162),
        (D(2026, 2, 20), 161),
        (D(1997, 9, 18), 0),
        # Between published figures: the figure plus the deposits in the data, capped by the next figure.
        (D(1998, 9, 16), 40),
        (D(2012, 1, 9), 159),
        (D(2012, 6, 1), 159),
        (D(1997, 12, 3), 1),
    ],
)
def test_states_parties_count_by_deposit(day, expected):
    assert treaty_days.states_parties_count(day) == expected


def test_count_text_says_when_it_is_a_lower_bound():
    assert treaty_days.states_parties_text(D(2012, 6, 1)) == "at least 159"  # Somalia (2012) is not in the data
    assert (
        treaty_days.states_parties_text(D(2024, 6, 1)) == "164"
    )  # the next change is the Marshall Islands, in the data
    assert treaty_days.states_parties_text(D(2012, 12, 27)) == "161"
    assert treaty_days.states_parties_text(D(2025, 12, 27)) == "163"
    assert treaty_days.states_parties_text(D(2026, 12, 1)) == "161"


def test_count_check_rows_are_reproduced_from_events():
    counts = load.read_table(schemas.STATES_PARTIES_COUNTS)
    checks = counts[counts["role"] == "check"]
    assert len(checks) == 3
    for row in checks.itertuples():
        assert treaty_days.states_parties_count(row.count_date) == row.states_parties


def test_milestones_match_the_rules():
    m = load.read_table(schemas.TREATY_MILESTONES).set_index("milestone_code")["event_date"]
    assert m["adopted_oslo"] == treaty.TREATY_ADOPTED
    assert m["fortieth_instrument"] == treaty.FORTIETH_INSTRUMENT
    assert m["entry_into_force"] == treaty.GENERAL_ENTRY_INTO_FORCE
    # Art. 17(1): first day of the sixth month after the month of the 40th instrument.
    assert treaty.add_months(m["fortieth_instrument"].replace(day=1), 6) == m["entry_into_force"]


def test_last_day_is_today_or_a_pending_effective_date():
    assert treaty.data_last_day(today=D(2026, 12, 1)) == D(2026, 12, 1)
    assert treaty.data_last_day(today=D(2030, 1, 2)) == D(2030, 1, 2)
    # On a day when Poland's withdrawal was pending, the timeline ran on to the day it took effect.
    assert treaty.last_scheduled_day() == D(2026, 2, 20)
    assert treaty.data_last_day(today=D(2025, 9, 1)) == D(2026, 2, 20)


def test_checked_through_is_the_latest_check():
    checks = load.read_table(schemas.TREATY_CHECKS)
    assert treaty.checked_through() == max(checks["checked_date"]) == D(2026, 12, 1)
    assert treaty.checked_through_note(D(2026, 12, 1)) is None
    assert "2026-12-01" in treaty.checked_through_note(D(2026, 12, 2))
