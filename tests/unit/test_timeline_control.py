"""The map page's timeline control on the Python side: its words and settings, compare mode's outlines published
for every day (so the browser never compares statuses while a person scrubs), the frame's name as a template."""

from __future__ import annotations

import datetime as dt

import pytest

from flankmap.domain import intervals
from flankmap.render import html_file, leaflet
from flankmap.view import control, model, publish, textalt, urlstate
from flankmap.view import symbology as sym

COMPARE_DAYS = [dt.date(2025, 6, 1), dt.date(1999, 3, 1), dt.date(2026, 1, 10)]


def _days_to_check(treaty_key: str = "ottawa") -> list[dt.date]:
    """Every interval boundary of every country (and the days either side), plus every 30th day since 1997."""
    P = model.published("status", treaty_key=treaty_key)
    edges = {dt.date.fromisoformat(iv["from"]) for c in P.data["countries"].values() for iv in c["iv"]}
    last = intervals.covered_range()[1]
    days = {d + dt.timedelta(days=k) for d in edges for k in (-1, 0, 1)}
    day = dt.date(1997, 9, 18)
    while day <= last:
        days.add(day)
        day += dt.timedelta(days=30)
    return sorted(d for d in days if dt.date(1997, 9, 18) <= d <= last)


@pytest.mark.parametrize("compare_day", COMPARE_DAYS, ids=str)
def test_the_published_runs_outline_what_the_core_says_changed_on_every_day(compare_day):
    runs = model.changed_runs(compare_day)
    for day in _days_to_check():
        on = {iso3 for iso3, rr in runs.items() if any(a <= day.isoformat() <= b for a, b in rr)}
        assert on == set(model.changes(compare_day, day)[0]), day


@pytest.mark.parametrize("treaty_key", ["ccm", "both"])
@pytest.mark.parametrize("compare_day", [dt.date(2010, 8, 1), dt.date(2024, 6, 1), dt.date(2025, 6, 1)], ids=str)
def test_the_runs_of_another_treaty_outline_what_the_core_says_changed(compare_day, treaty_key):
    """Compare mode under the CCM (and under both: a country differs under either treaty) outlines per day."""
    runs = model.changed_runs(compare_day, treaty_key=treaty_key)
    for day in _days_to_check(treaty_key):
        if day < dt.date(2008, 5, 30):
            continue
        on = {iso3 for iso3, rr in runs.items() if any(a <= day.isoformat() <= b for a, b in rr)}
        assert on == set(model.changes(compare_day, day, treaty_key=treaty_key)[0]), day


def test_runs_are_merged_and_small():
    runs = model.changed_runs(dt.date(2025, 6, 1))
    for rr in runs.values():
        for (_, b), (a, _) in zip(rr, rr[1:], strict=False):
            assert dt.date.fromisoformat(a) > dt.date.fromisoformat(b) + dt.timedelta(days=1)
    assert "EST" in runs and runs["EST"][-1][1] == intervals.APP_HORIZON.isoformat()
    step = leaflet.step_payload(
        urlstate.ViewState(day=dt.date(2025, 12, 27), compare_day=dt.date(2025, 6, 1)), (), runs
    )
    assert step["compare"]["runs"] == runs
    assert len(leaflet.script_json(step).encode()) < 8_000


def test_the_control_settings_hold_every_word_and_refuse_unknown_ones():
    s = control.settings()
    assert s["texts"] == control.TEXTS and s["speed"] in [v for v, _ in s["speeds"]]
    assert set(s["theme"]) == set(control.THEME) and all(v.startswith("#") for v in s["theme"].values())
    assert control.settings(stopped="")["texts"]["stopped"] == ""
    with pytest.raises(ValueError, match="unknown control texts"):
        control.settings(nope="x")
    # The templates the browser fills hold only the placeholders it knows.
    assert "{date}" in control.TEXTS["tick"] and "{label}" in control.TEXTS["tick"]
    assert "{value}" in control.TEXTS["bad_date"] and "{shown}" in control.TEXTS["out_of_range"]


def test_the_offline_file_carries_the_same_control_settings():
    data = publish.build_data(dt.date(2025, 12, 27))
    assert data["control"] == control.settings()
    assert "control" not in publish.published_intervals("status")  # the app sends its own, with the page's words
    page = html_file.render_html(data)
    assert control.theme_css() in page and "FlankmapControl" in page


@pytest.mark.parametrize("fill", urlstate.FILLS)
def test_the_frame_title_template_is_the_title_of_the_day(fill):
    day = dt.date(2025, 12, 27)
    mv = model.view_of(urlstate.ViewState(day=day, fill=fill))
    template = textalt.frame_title_template(fill)
    filled = template.replace("{year}", str(mv.year)).replace("{date}", sym.long_date(day))
    assert filled == textalt.frame_title(fill, day, mv.year) == textalt.page(mv)["frame_title"]
