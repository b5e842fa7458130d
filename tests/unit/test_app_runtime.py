"""The app's map looks dates up in a timeline published once: what it shows must be what the server drew."""

import datetime as dt
import html
import json
import re

import pytest

from flankmap import htmlexport, intervals, mapview, urlstate
from flankmap import symbology as sym

KEY_DAYS = [dt.date(2025, 12, 26), dt.date(2025, 12, 27), dt.date(2026, 2, 19), dt.date(2026, 2, 20)]


@pytest.fixture(scope="module")
def status_timeline():
    return htmlexport.app_timeline("status")


def _text(tooltip_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "\n", tooltip_html))


@pytest.mark.parametrize("day", KEY_DAYS)
def test_interval_tooltips_say_what_the_server_tooltip_said(status_timeline, day):
    payload = mapview.map_payload(day)
    styles = status_timeline["styles"]
    for iso3, info in status_timeline["countries"].items():
        (iv,) = [x for x in info["iv"] if x["from"] <= day.isoformat() <= x["to"]]
        server = _text(payload["tooltips"][iso3])
        for kind, text in iv["tip"]:
            if kind != "countdown":
                assert text in server, (iso3, text)
        assert iv["code"] == payload["style_list"][payload["styles"][iso3]]["status"]
        fill = payload["style_list"][payload["styles"][iso3]]["fillColor"]
        mine = styles[iv["s"]]
        assert fill == (f"url(#{mine['hatch']})" if mine["hatch"] else mine["fill"]), iso3


def test_the_published_timeline_has_no_geometry_and_runs_past_today(status_timeline):
    assert "geo" not in status_timeline
    assert status_timeline["last"] == intervals.APP_HORIZON.isoformat()
    for info in status_timeline["countries"].values():
        assert info["iv"][-1]["to"] == intervals.APP_HORIZON.isoformat()
    keys = [e["key"] for e in status_timeline["border_legend"]]
    assert keys[0] == "heading:borders" and all(k.startswith("border:") for k in keys[1:])


def test_a_spending_timeline_has_every_choosable_year():
    data = htmlexport.app_timeline("spending")
    lo, hi = urlstate.SPEND_YEARS
    assert {str(y) for y in range(lo, hi + 1)} <= set(data["heading_chosen"]) & set(data["legend_by_year"])
    assert "chosen year" in data["heading_chosen"][str(hi)]["subs"][0]


@pytest.mark.parametrize("fill", urlstate.FILLS)
def test_a_step_payload_is_the_view_only_and_small(fill):
    view = urlstate.ViewState(
        day=dt.date(2025, 12, 27), fill=fill, spend_year=2020 if fill in sym.SPEND_FILLS else None
    )
    step = mapview.step_payload(view)
    assert set(step) == {"date", "fill", "year", "layers"}
    assert len(mapview.script_json({**step, "query": urlstate.to_query(view)}).encode()) < 512
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
    """The table under the map (from the full payload) and the map (from the intervals) agree on every row."""
    from flankmap import treaty

    rows = {r["iso3"]: r for r in mapview.map_payload(day)["table"]}
    on = intervals.intervals_on(day)
    assert set(rows) == set(on)
    for iso3, iv in on.items():
        assert rows[iso3]["status"] == treaty.STATUS_LABELS[iv.status_code], iso3
        assert rows[iso3]["flag"] == (iv.flag or ""), iso3
        assert rows[iso3]["stage"] == (treaty.STAGE_LABELS[iv.withdrawal_stage] if iv.withdrawal_stage else "")
