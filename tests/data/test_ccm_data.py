"""Rules on the real Convention on Cluster Munitions tables: sources, Art. 17 / Art. 20(3), the count, the 51 drawn."""

import datetime as dt

import pytest

from flankmap.data import load, schemas
from flankmap.domain import treaties, treaty, treaty_days

D = dt.date
CCM = "ccm"


@pytest.fixture(scope="module")
def events():
    return load.read_table(schemas.CCM_EVENTS)


@pytest.mark.parametrize("schema", [schemas.CCM_EVENTS, schemas.CCM_STATES_PARTIES, schemas.CCM_CHECKS])
def test_table_loads_clean(schema):
    assert len(load.read_table(schema)) > 0


def test_every_row_has_a_source_an_access_date_and_a_confidence(events):
    assert events["source_url"].notna().all()
    assert events["accessed_date"].notna().all()
    assert events["confidence"].isin(schemas.CONFIDENCE).all()
    counts = load.read_table(schemas.CCM_STATES_PARTIES)
    assert counts["source_url"].notna().all() and (counts["confidence"] == "confirmed-in-source").all()


def test_every_country_drawn_or_not_has_ccm_rows():
    assert set(treaty.timelines(treaty=CCM)) == set(load.table(schemas.COUNTRIES)["iso3"])
    assert set(load.drawn_iso3s()) <= set(treaty.timelines(treaty=CCM))
    assert len(load.drawn_iso3s()) == 51


def test_status_driving_events_are_confirmed(events):
    driving = events[events["event_code"].isin(treaty.STATUS_DRIVING_CODES) & events["event_date"].notna()]
    assert (driving["confidence"] == "confirmed-in-source").all()
    assert driving["source_url"].str.startswith("https://treaties.un.org/").all()  # the depositary record only


def test_every_entry_into_force_follows_article_17_and_every_withdrawal_article_20():
    for iso3, t in treaty.timelines(treaty=CCM).items():
        if t.deposit:
            assert t.entry_into_force["event_date"] == treaties.CCM.entry_into_force_for(t.deposit["event_date"])
        if t.withdrawal_deposit:
            effective = treaties.CCM.withdrawal_effective_for(t.withdrawal_deposit["event_date"])
            assert t.withdrawal_effective["event_date"] == effective, iso3
    leavers = [iso3 for iso3, t in treaty.timelines(treaty=CCM).items() if t.withdrawal_deposit]
    assert leavers == ["LTU"]


# Drawn states on the record's day (UNTC XXVI-6 as at 2026-02-03).
ON_2026_02_03 = {
    "state_party": "ALB AND AUT BEL BGR BIH CHE CZE DEU DNK ESP FRA GBR HRV HUN IRL ISL ITA LIE LUX MCO MDA MKD MLT "
    "MNE NLD NOR PRT SMR SVK SVN SWE VAT",
    "signatory": "CYP",
    "withdrawn": "LTU",
    "non_party": "ARM AZE BLR EST FIN GEO GRC KAZ LVA POL ROU RUS SRB TUR UKR XKX",
}


def test_the_51_drawn_states_on_the_record_day():
    table = treaty.status_table(D(2026, 2, 3), load.drawn_iso3s(), treaty=CCM)
    found = {code: " ".join(sorted(g["iso3"])) for code, g in table.groupby("status_code")}
    assert found == ON_2026_02_03


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (D(2011, 3, 23), "signatory"),
        (D(2011, 3, 24), "joined_not_in_force"),
        (D(2011, 9, 1), "state_party"),
        (D(2024, 9, 5), "state_party"),
        (D(2024, 9, 6), "withdrawal_pending"),
        (D(2025, 3, 5), "withdrawal_pending"),
        (D(2025, 3, 6), "withdrawn"),
    ],
)
def test_lithuania_worked_example_on_the_real_data(day, code):
    assert treaty.status_at("LTU", day, treaty=CCM).status_code == code


def test_lithuania_stage_and_ottawa_dates_stay_apart():
    assert treaty.status_at("LTU", D(2024, 7, 18), treaty=CCM).withdrawal_stage == "parliament_approved"
    assert treaty.status_at("LTU", D(2025, 3, 6)).status_code == "state_party"  # Ottawa: left on 2025-12-27
    assert treaty.status_at("LTU", D(2025, 3, 6), treaty=CCM).status_code == "withdrawn"


@pytest.mark.parametrize(
    ("day", "count"),
    [
        (D(2008, 12, 2), 0),
        (D(2010, 2, 15), 28),
        (D(2010, 2, 16), 30),  # the 30th instrument: Art. 17(1) general entry into force on 2010-08-01
        (D(2024, 9, 6), 112),  # a pending withdrawal still counts
        (D(2025, 3, 5), 112),  # before Lithuania's exit took effect
        (D(2025, 3, 6), 111),
        (D(2025, 9, 4), 111),
        (D(2025, 9, 5), 112),  # the 2025 accession (Vanuatu), counted at deposit
        (D(2026, 2, 3), 112),  # equals the record's header "Parties : 112"
    ],
)
def test_states_parties_count_by_deposit(day, count):
    assert treaty_days.states_parties_count(day, treaty=CCM) == count
    assert treaty_days.states_parties_text(day, treaty=CCM) == str(count)


def test_count_series_steps_by_one_deposit_day_or_one_withdrawal():
    counts = load.read_table(schemas.CCM_STATES_PARTIES).sort_values("count_date")
    assert counts["count_date"].is_monotonic_increasing and counts["count_date"].is_unique
    withdrawn = counts[counts["basis"].str.contains("withdrawal")]
    assert list(withdrawn["count_date"]) == [D(2025, 3, 6)] and "Lithuania" in withdrawn["basis"].iloc[0]


def test_kosovo_cannot_accede_and_says_so():
    st = treaty.status_at("XKX", D(2026, 2, 3), treaty=CCM)
    assert st.status_code == "non_party" and "the-monitor.org" in st.source_url
    assert "Cannot accede" in treaty.country_notes(treaty=CCM)["XKX"]


def test_checked_through_is_the_record_day():
    assert treaty.checked_through(treaty=CCM) == D(2026, 2, 3)
    assert treaty.checked_through_note(D(2026, 2, 3), treaty=CCM) is None
    assert "2026-02-03" in treaty.checked_through_note(D(2026, 2, 4), treaty=CCM)
    assert treaty.checked_through() == D(2026, 12, 1)  # Ottawa unchanged
