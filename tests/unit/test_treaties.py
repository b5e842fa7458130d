"""One status function, two treaties: each treaty's rules (Art. 17, Art. 20(3), Art. 15) on hand-built timelines."""

import datetime as dt

import pytest

from flankmap.domain import treaties, treaty
from flankmap.domain.treaty import Timeline, status_of

D = dt.date


def ev(day, code="x", url="https://example.org/src"):
    return {"event_date": day, "event_code": code, "source_url": url, "source_title": f"src {code}"}


# Lithuania in the Convention on Cluster Munitions (ccm_sources.md, worked example; UNTC XXVI-6 end note 3).
LTU_CCM = Timeline(
    iso3="LTU",
    signature=ev(D(2008, 12, 3), "signature"),
    deposit=ev(D(2011, 3, 24), "ratification_deposit"),
    entry_into_force=ev(D(2011, 9, 1), "entry_into_force"),
    parliament=ev(D(2024, 7, 18), "parliament_vote"),
    withdrawal_deposit=ev(D(2024, 9, 6), "withdrawal_deposit"),
    withdrawal_effective=ev(D(2025, 3, 6), "withdrawal_effective"),
    treaty="ccm",
)


def test_the_registry_declares_both_treaties_once():
    assert list(treaties.TREATIES) == ["ottawa", "ccm"]
    assert treaties.DEFAULT_TREATY == "ottawa"
    assert treaties.OTTAWA.name == "Ottawa Convention (anti-personnel mines)"
    assert treaties.CCM.name == "Convention on Cluster Munitions"
    assert treaties.OTTAWA.adopted == treaty.TREATY_ADOPTED == D(1997, 9, 18)
    assert treaties.CCM.adopted == D(2008, 5, 30)
    assert treaties.get(None) is treaties.OTTAWA and treaties.get("ccm") is treaties.CCM
    with pytest.raises(KeyError, match="accepted ottawa, ccm"):
        treaties.get("cwc")


@pytest.mark.parametrize(
    ("deposit", "expected"),
    [
        (D(2008, 12, 3), D(2010, 8, 1)),  # signed and ratified the first day (Ireland, Holy See): Art. 17(1)
        (D(2010, 2, 16), D(2010, 8, 1)),  # the 30th instrument (Burkina Faso, Moldova): still the general date
        (D(2010, 2, 17), D(2010, 8, 1)),  # the day after: Art. 17(2), Feb + 6 = 1 Aug as well
        (D(2010, 3, 1), D(2010, 9, 1)),  # a deposit on the 1st still waits six months
        (D(2011, 3, 24), D(2011, 9, 1)),  # Lithuania
        (D(2015, 7, 24), D(2016, 1, 1)),  # Slovakia: across the year
        (D(2025, 9, 5), D(2026, 3, 1)),  # Vanuatu, the 2025 accession
    ],
)
def test_ccm_entry_into_force_follows_article_17(deposit, expected):
    assert treaty.entry_into_force_for(deposit, "ccm") == expected


@pytest.mark.parametrize(
    ("deposit", "expected"),
    [
        (D(1998, 9, 16), D(1999, 3, 1)),  # Ottawa's 40th: general date
        (D(1998, 10, 27), D(1999, 4, 1)),  # after the 40th: Art. 17(2)
    ],
)
def test_ottawa_entry_into_force_is_unchanged_without_a_treaty(deposit, expected):
    assert treaty.entry_into_force_for(deposit) == expected == treaty.entry_into_force_for(deposit, "ottawa")


@pytest.mark.parametrize("key", ["ottawa", "ccm"])
@pytest.mark.parametrize(
    ("deposit", "expected"),
    [(D(2024, 9, 6), D(2025, 3, 6)), (D(2025, 6, 27), D(2025, 12, 27)), (D(2025, 8, 31), D(2026, 2, 28))],
)
def test_withdrawal_takes_effect_six_months_after_deposit_same_day(key, deposit, expected):
    assert treaty.withdrawal_effective_for(deposit, key) == expected


@pytest.mark.parametrize(
    ("day", "code", "stage"),
    [
        (D(2008, 12, 2), "non_party", None),
        (D(2008, 12, 3), "signatory", None),
        (D(2011, 3, 23), "signatory", None),
        (D(2011, 3, 24), "joined_not_in_force", None),
        (D(2011, 8, 31), "joined_not_in_force", None),
        (D(2011, 9, 1), "state_party", None),
        (D(2024, 7, 17), "state_party", None),
        (D(2024, 7, 18), "state_party", "parliament_approved"),
        (D(2024, 9, 5), "state_party", "parliament_approved"),
        (D(2024, 9, 6), "withdrawal_pending", "instrument_deposited"),
        (D(2025, 3, 5), "withdrawal_pending", "instrument_deposited"),
        (D(2025, 3, 6), "withdrawn", None),
        (D(2026, 2, 3), "withdrawn", None),
    ],
)
def test_lithuania_in_the_ccm_on_edge_days(day, code, stage):
    st = status_of(LTU_CCM, day)
    assert (st.status_code, st.withdrawal_stage) == (code, stage)


def test_lithuania_ccm_countdown():
    assert status_of(LTU_CCM, D(2024, 9, 6)).days_until_effective == 181
    assert status_of(LTU_CCM, D(2025, 3, 5)).days_until_effective == 1
    assert status_of(LTU_CCM, D(2025, 3, 5)).effective_date == D(2025, 3, 6)


def test_a_signature_counts_from_each_treatys_own_opening():
    # The same hand-built signature date read under each treaty's Art. 15 opening for signature.
    early = ev(D(1997, 12, 1), "signature")
    assert status_of(Timeline(iso3="X", signature=early), D(1997, 12, 2)).status_code == "non_party"
    assert status_of(Timeline(iso3="X", signature=early), D(1997, 12, 3)).status_code == "signatory"
    ccm = Timeline(iso3="X", signature=ev(D(2008, 12, 3), "signature"), treaty="ccm")
    assert status_of(ccm, D(2008, 12, 2)).status_code == "non_party"
    assert status_of(ccm, D(2008, 12, 3)).status_code == "signatory"
    assert status_of(Timeline(iso3="X", signature=early, treaty="ccm"), D(2008, 12, 2)).status_code == "non_party"


def test_signature_windows_follow_article_15():
    assert treaties.OTTAWA.signature_window == (D(1997, 12, 3), D(1999, 3, 1))
    assert treaties.CCM.signature_window == (D(2008, 12, 3), D(2010, 8, 1))
