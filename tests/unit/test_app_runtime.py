"""The app's map looks dates up in a timeline published once: what it shows must be what the server drew."""

import datetime as dt
import json

import pytest

from flankmap.domain import intervals
from flankmap.render import leaflet
from flankmap.view import model, publish, textalt, urlstate
from flankmap.view import symbology as sym

KEY_DAYS = [dt.date(2025, 12, 26), dt.date(2025, 12, 27), dt.date(2026, 2, 19), dt.date(2026, 2, 20)]


@pytest.fixture(scope="module")
def status_timeline():
    return publish.published_intervals("status")


def test_the_published_timeline_has_no_geometry_and_runs_past_today(status_timeline):
    assert "geo" not in status_timeline
    assert status_timeline["last"] == intervals.APP_HORIZON.isoformat()
    for info in status_timeline["countries"].values():
        assert info["iv"][-1]["to"] == intervals.APP_HORIZON.isoformat()
    keys = [e["key"] for e in status_timeline["border_legend"]]
    assert keys[0] == "heading:borders" and all(k.startswith("border:") for k in keys[1:])


def test_a_spending_timeline_has_every_choosable_year():
    data = publish.published_intervals("spending")
    lo, hi = urlstate.SPEND_YEARS
    assert {str(y) for y in range(lo, hi + 1)} <= set(data["heading_chosen"]) & set(data["legend_by_year"])
    assert "chosen year" in data["heading_chosen"][str(hi)]["subs"][0]


@pytest.mark.parametrize("fill", urlstate.FILLS)
def test_a_step_payload_is_the_view_only_and_small(fill):
    view = urlstate.ViewState(
        day=dt.date(2025, 12, 27), fill=fill, spend_year=2020 if fill in sym.SPEND_FILLS else None
    )
    step = leaflet.step_payload(view)
    assert set(step) == {"date", "fill", "year", "layers"}
    assert step["date"] == "2025-12-27" and step["fill"] == fill
    assert len(leaflet.script_json({**step, "query": urlstate.to_query(view)}).encode()) < 512
    assert json.loads(json.dumps(step)) == step


@pytest.mark.parametrize("day", KEY_DAYS)
def test_intervals_on_a_day_are_the_published_ones(status_timeline, day):
    on = intervals.intervals_on(day)
    assert set(on) == set(status_timeline["countries"])
    for iso3, iv in on.items():
        (pub,) = [x for x in status_timeline["countries"][iso3]["iv"] if x["from"] <= day.isoformat() <= x["to"]]
        assert {k: v for k, v in iv.to_json().items()} == {k: pub[k] for k in iv.to_json()}


@pytest.mark.parametrize("day", KEY_DAYS)
def test_the_text_alternative_says_what_the_map_looks_up(day):
    """The table under the map (from the view model) and the intervals the map looks up agree on every row."""
    from flankmap.domain import treaty

    rows = {r["iso3"]: r for r in textalt.rows(model.view_of(urlstate.ViewState(day=day)))}
    on = intervals.intervals_on(day)
    assert set(rows) == set(on)
    for iso3, iv in on.items():
        assert rows[iso3]["status"] == treaty.STATUS_LABELS[iv.status_code], iso3
        assert rows[iso3]["flag"] == (iv.flag or ""), iso3
        assert rows[iso3]["stage"] == (treaty.STAGE_LABELS[iv.withdrawal_stage] if iv.withdrawal_stage else "")


def test_a_compare_step_adds_the_day_and_the_outlined_countries_only():
    view = urlstate.ViewState(day=dt.date(2025, 12, 27), compare_day=dt.date(2025, 6, 1))
    changed, _ = model.changes(view.compare_day, view.day)
    step = leaflet.step_payload(view, changed)
    assert step["compare"] == {"date": "2025-06-01", "changed": list(changed)}
    assert {"EST", "LVA", "LTU"} <= set(changed) and "DEU" not in changed
    assert len(leaflet.script_json(step).encode()) < 512
    # A spending fill has no compare mode: the compare day is dropped, as in the URL state.
    assert "compare" not in leaflet.step_payload(
        view.__class__(day=view.day, fill="spending", compare_day=view.compare_day)
    )
