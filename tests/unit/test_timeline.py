"""flankmap.domain.treaty_paths: country paths, countdowns, event kinds and filters (on the real, validated data)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from flankmap.data import schemas
from flankmap.domain import treaty_paths


def test_every_event_code_has_exactly_one_kind():
    assert set(treaty_paths.KIND_OF_CODE) == set(schemas.TREATY_EVENT_CODES)
    counted = [c for codes in treaty_paths.EVENT_KINDS.values() for c in codes]
    assert len(counted) == len(set(counted))


def test_changing_countries_are_the_leavers_ukraine_and_the_2025_joiners():
    assert treaty_paths.changing_countries() == ["EST", "FIN", "LTU", "LVA", "MHL", "POL", "TON", "UKR"]


def test_lithuania_path_has_every_milestone_with_the_seimas_tally():
    paths = treaty_paths.country_paths(dt.date(2025, 10, 1), iso3s=["LTU"])
    assert list(paths["kind"]) == ["joined", "in_force", "announced", "parliament", "withdrawal_deposit", "effective"]
    row = paths.set_index("kind")
    assert row.at["parliament", "date"] == dt.date(2025, 5, 8)
    assert row.at["parliament", "label"] == "parliament vote (107–0–3)"
    # Art. 20(3): effective six months after the deposit, not after the vote.
    assert row.at["withdrawal_deposit", "date"] == dt.date(2025, 6, 27)
    assert row.at["effective", "date"] == dt.date(2025, 12, 27)
    assert row.at["effective", "days_remaining"] == 87
    assert not row.at["effective", "is_past"] and row.at["withdrawal_deposit", "is_past"]
    assert paths["source_url"].str.startswith("http").all()


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2025, 6, 26), None),  # before the deposit: nothing pending yet
        (dt.date(2025, 6, 27), 183),  # deposit day
        (dt.date(2025, 12, 26), 1),
        (dt.date(2025, 12, 27), None),  # effective: no longer pending
    ],
)
def test_days_remaining_only_while_pending(day, expected):
    paths = treaty_paths.country_paths(day, iso3s=["EST"]).set_index("kind")
    value = paths.at["effective", "days_remaining"]
    assert pd.isna(value) if expected is None else value == expected


def test_ukraine_is_a_suspension_path_never_a_withdrawal():
    paths = treaty_paths.country_paths(dt.date(2026, 3, 1), iso3s=["UKR"])
    kinds = list(paths["kind"])
    assert "effective" not in kinds and "withdrawal_deposit" not in kinds
    assert "suspension" in kinds
    vote = paths.set_index("kind").loc["parliament"]
    assert vote["label"] == "parliament vote (suspension law) (299 for)"
    assert paths.set_index("kind").at["suspension", "date"] == dt.date(2025, 7, 18)


def test_pending_countdown_orders_by_effective_date():
    countdown = treaty_paths.pending_countdown(dt.date(2026, 1, 5))
    assert list(countdown["iso3"]) == ["FIN", "POL"]
    assert list(countdown["days_remaining"]) == [5, 46]
    assert treaty_paths.pending_countdown(dt.date(2026, 3, 1)).empty


def test_vote_tally_formats():
    assert treaty_paths.vote_tally({"vote_for": 66, "vote_against": 14, "vote_abstain": 2}) == "66–14–2"
    assert treaty_paths.vote_tally({"vote_for": 299, "vote_against": None, "vote_abstain": pd.NA}) == "299 for"
    assert treaty_paths.vote_tally({"vote_for": None}) is None


def test_kind_of_ukraines_steps_is_suspension():
    assert treaty_paths.kind_of("parliament_vote") == "withdrawal"
    assert treaty_paths.kind_of("parliament_vote", suspends=True) == "suspension"
    assert treaty_paths.kind_of("entry_into_force", suspends=True) == "joining"


def test_filter_events_by_country_and_kind():
    events = treaty_paths.event_list()
    assert len(treaty_paths.filter_events(events)) == len(events)
    ukr = treaty_paths.filter_events(events, ["UKR"], ["suspension"])
    assert set(ukr["iso3"]) == {"UKR"} and set(ukr["kind"]) == {"suspension"}
    assert "parliament_vote" in set(ukr["event_code"])  # the Rada's law was a suspension law
    ltu = treaty_paths.filter_events(events, ["LTU"], ["withdrawal"])
    assert "withdrawal_deposit" in set(ltu["event_code"]) and "signature" not in set(ltu["event_code"])


def test_event_display_has_iso_dates_and_sources():
    shown = treaty_paths.event_display(treaty_paths.filter_events(treaty_paths.event_list(), ["EST"]))
    assert list(shown.columns) == [
        "date",
        "country",
        "kind",
        "event",
        "detail",
        "vote",
        "confidence",
        "source_title",
        "source_url",
    ]
    assert "2025-06-27" in set(shown["date"]) and "" in set(shown["date"])  # undated note: blank
