"""Status logic on hand-built timelines: Art. 17 entry into force, Art. 20 withdrawal, edge days."""

import datetime as dt

import pytest

from flankmap.domain import treaty
from flankmap.domain.treaty import Timeline, entry_into_force_for, status_of, withdrawal_effective_for

D = dt.date


def ev(day, code="x", url="https://example.org/src", **extra):
    return {"event_date": day, "event_code": code, "source_url": url, "source_title": f"src {code}", **extra}


LEAVER = Timeline(
    iso3="EST",
    deposit=ev(D(2004, 5, 12), "accession_deposit"),
    entry_into_force=ev(D(2004, 11, 1), "entry_into_force"),
    announced=ev(D(2025, 3, 18), "joint_statement"),
    parliament=ev(D(2025, 6, 4), "parliament_vote", vote_for=81, vote_against=1, vote_abstain=7),
    withdrawal_deposit=ev(D(2025, 6, 27), "withdrawal_deposit"),
    withdrawal_effective=ev(D(2025, 12, 27), "withdrawal_effective"),
)
SIGNER = Timeline(
    iso3="POL",
    signature=ev(D(1997, 12, 4), "signature"),
    deposit=ev(D(2012, 12, 27), "ratification_deposit"),
    entry_into_force=ev(D(2013, 6, 1), "entry_into_force"),
)
SUSPENDER = Timeline(
    iso3="UKR",
    signature=ev(D(1999, 2, 24), "signature"),
    deposit=ev(D(2005, 12, 27), "ratification_deposit"),
    entry_into_force=ev(D(2006, 6, 1), "entry_into_force"),
    announced=ev(D(2025, 6, 29), "govt_announcement"),
    suspension=ev(D(2025, 7, 18), "suspension_notification"),
)
NEVER = Timeline(iso3="RUS", never_joined=ev(None, "never_joined", url="https://example.org/never"))


@pytest.mark.parametrize(
    ("deposit", "expected"),
    [
        (D(1997, 12, 3), D(1999, 3, 1)),  # before the 40th instrument: general date, Art. 17(1)
        (D(1998, 9, 16), D(1999, 3, 1)),  # the 40th itself
        (D(1998, 10, 27), D(1999, 4, 1)),  # Slovenia: after the 40th, Art. 17(2) even before 1999-03-01
        (D(2005, 7, 1), D(2006, 1, 1)),  # the example
        (D(2005, 12, 27), D(2006, 6, 1)),  # Ukraine
        (D(2012, 12, 27), D(2013, 6, 1)),  # Poland
        (D(2003, 9, 3), D(2004, 3, 1)),  # Belarus
    ],
)
def test_entry_into_force_follows_article_17(deposit, expected):
    assert entry_into_force_for(deposit) == expected


@pytest.mark.parametrize(
    ("deposit", "expected"),
    [
        (D(2025, 6, 27), D(2025, 12, 27)),
        (D(2025, 7, 10), D(2026, 1, 10)),
        (D(2025, 8, 20), D(2026, 2, 20)),
        (D(2025, 8, 31), D(2026, 2, 28)),
    ],
)
def test_withdrawal_takes_effect_six_months_after_deposit(deposit, expected):
    assert withdrawal_effective_for(deposit) == expected


@pytest.mark.parametrize(
    ("day", "code", "stage"),
    [
        (D(2004, 5, 11), "non_party", None),
        (D(2004, 5, 12), "joined_not_in_force", None),
        (D(2004, 10, 31), "joined_not_in_force", None),
        (D(2004, 11, 1), "state_party", None),
        (D(2025, 3, 17), "state_party", None),
        (D(2025, 3, 18), "state_party", "announced"),
        (D(2025, 6, 3), "state_party", "announced"),
        (D(2025, 6, 4), "state_party", "parliament_approved"),
        (D(2025, 6, 26), "state_party", "parliament_approved"),
        (D(2025, 6, 27), "withdrawal_pending", "instrument_deposited"),
        (D(2025, 12, 26), "withdrawal_pending", "instrument_deposited"),
        (D(2025, 12, 27), "withdrawn", None),
        (D(2026, 11, 23), "withdrawn", None),
    ],
)
def test_leaver_on_edge_days(day, code, stage):
    st = status_of(LEAVER, day)
    assert (st.status_code, st.withdrawal_stage) == (code, stage)


def test_countdown_and_dates_only_once_deposited():
    before = status_of(LEAVER, D(2025, 6, 26))
    assert before.effective_date is None and before.days_until_effective is None
    pending = status_of(LEAVER, D(2025, 12, 26))
    assert pending.days_until_effective == 1
    assert pending.effective_date == D(2025, 12, 27)
    assert status_of(LEAVER, D(2025, 6, 27)).days_until_effective == 183


def test_source_is_the_event_that_set_the_status():
    assert status_of(LEAVER, D(2025, 7, 1)).source_title == "src withdrawal_deposit"
    assert status_of(LEAVER, D(2026, 1, 1)).source_title == "src withdrawal_effective"
    assert status_of(LEAVER, D(2010, 1, 1)).source_title == "src entry_into_force"
    assert status_of(NEVER, D(2026, 1, 1)).source_url == "https://example.org/never"


def test_signatory_between_signature_and_deposit():
    assert status_of(SIGNER, D(1997, 12, 3)).status_code == "non_party"
    assert status_of(SIGNER, D(1997, 12, 4)).status_code == "signatory"
    assert status_of(SIGNER, D(2012, 12, 26)).status_code == "signatory"
    assert status_of(SIGNER, D(2012, 12, 27)).status_code == "joined_not_in_force"
    assert status_of(SIGNER, D(2013, 5, 31)).status_code == "joined_not_in_force"
    assert status_of(SIGNER, D(2013, 6, 1)).status_code == "state_party"


def test_suspension_is_a_flag_not_a_withdrawal():
    assert status_of(SUSPENDER, D(2025, 7, 17)).flag is None
    assert status_of(SUSPENDER, D(2025, 7, 17)).withdrawal_stage == "announced"
    st = status_of(SUSPENDER, D(2025, 7, 18))
    assert st.status_code == "state_party"
    assert st.flag == "purported suspension since 2025-07-18"
    assert st.withdrawal_stage is None
    assert status_of(SUSPENDER, D(2026, 11, 23)).status_code == "state_party"


def test_never_joined_is_non_party_every_day():
    for day in (D(1997, 9, 18), D(2010, 1, 1), D(2026, 11, 23)):
        assert status_of(NEVER, day).status_code == "non_party"


def test_status_codes_are_exactly_the_six():
    assert treaty.STATUS_CODES == (
        "non_party",
        "signatory",
        "joined_not_in_force",
        "state_party",
        "withdrawal_pending",
        "withdrawn",
    )


def test_add_months_clamps_to_month_end():
    assert treaty.add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert treaty.add_months(D(2023, 8, 31), 6) == D(2024, 2, 29)
    assert treaty.add_months(D(2025, 7, 10), 6) == D(2026, 1, 10)
