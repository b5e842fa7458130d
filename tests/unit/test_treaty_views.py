"""The treaty as a dimension of every view (issue 21): the URL, the map's payload and timeline files, the exports.

The Ottawa Convention stays the default: without ``treaty`` every URL, payload and file name is what it was.
"""

from __future__ import annotations

import datetime as dt

from flankmap.cli import main
from flankmap.render import animation, files, html_file, leaflet
from flankmap.view import urlstate

FIRST, LAST, TODAY = dt.date(1997, 9, 18), dt.date(2026, 12, 5), dt.date(2026, 12, 5)


def test_the_url_carries_the_treaty_and_leaves_it_out_for_ottawa():
    view = urlstate.parse({"date": "2025-03-06", "treaty": "ccm"}, FIRST, LAST, TODAY)
    assert (view.treaty, view.day, view.notes) == ("ccm", dt.date(2025, 3, 6), ())
    assert urlstate.to_params(view) == {"date": "2025-03-06", "treaty": "ccm"}
    ottawa = urlstate.parse({"date": "2025-03-06"}, FIRST, LAST, TODAY)
    assert ottawa.treaty == "ottawa" and urlstate.to_params(ottawa) == {"date": "2025-03-06"}
    assert urlstate.parse({"date": "2025-03-06", "treaty": "ottawa"}, FIRST, LAST, TODAY) == ottawa


def test_an_unknown_treaty_falls_back_to_ottawa_with_a_visible_note():
    view = urlstate.parse({"date": "2025-03-06", "treaty": "<b>cmm"}, FIRST, LAST, TODAY)
    assert view.treaty == "ottawa"
    assert view.notes == ("Ignored treaty='?b?cmm'; known: ottawa, ccm, both. Showing the Ottawa Convention.",)


def test_a_day_before_the_ccm_was_adopted_is_clamped_to_its_adoption_with_a_note():
    view = urlstate.parse({"date": "2001-01-01", "treaty": "ccm"}, FIRST, LAST, TODAY)
    assert view.day == dt.date(2008, 5, 30)
    assert view.notes == ("date=2001-01-01 is before 2008-05-30, the first day covered; showing 2008-05-30.",)
    # Ottawa: the same day is inside its range
    assert urlstate.parse({"date": "2001-01-01"}, FIRST, LAST, TODAY).notes == ()


def test_the_map_payload_names_the_ccm_timeline_and_the_config_holds_every_timeline():
    view = urlstate.ViewState(day=dt.date(2025, 3, 6), treaty="ccm")
    assert leaflet.step_payload(view)["timeline"] == "ccm_status"
    assert "timeline" not in leaflet.step_payload(urlstate.ViewState(day=dt.date(2025, 3, 6)))
    urls = leaflet.base_config()["timeline_urls"]
    assert urls["status"].endswith("/geo/timeline_status.json")
    assert urls["ccm_status"].endswith("/geo/timeline_ccm_status.json")
    assert urls["ccm_spending_nato"].endswith("/geo/timeline_ccm_spending_nato.json")


def test_export_file_names_say_ccm_and_stay_as_they_were_for_ottawa():
    day = dt.date(2025, 3, 6)
    assert files.output_name(day, "png") == "flankmap-2025-03-06.png"
    assert files.output_name(day, "png", treaty="ccm") == "flankmap-2025-03-06-ccm.png"
    assert html_file.output_name("status", "ccm") == "flankmap-timeline-ccm.html"
    assert html_file.output_name("status") == "flankmap-timeline.html"
    assert animation.output_name(day, day, "gif", treaty="ccm") == "flankmap-2025-03-06-to-2025-03-06-ccm.gif"


def test_cli_export_takes_treaty_and_the_svg_names_the_ccm(tmp_path, capsys):
    out = tmp_path / "ccm.svg"
    assert main(["export", "--treaty", "ccm", "--date", "2025-03-06", "--out", str(out)]) == 0
    svg = out.read_text(encoding="utf-8")
    assert "Convention on Cluster Munitions status on 6 March 2025" in svg
    assert "111 States Parties worldwide" in svg
    assert "treaty=ccm" in svg  # the permalink
    assert "Ottawa" not in svg
    # a day before the CCM's adoption is refused with one line naming its range
    assert main(["export", "--treaty", "ccm", "--date", "2001-01-01", "--out", str(tmp_path / "x.svg")]) == 2
    assert "accepted 2008-05-30" in capsys.readouterr().err


def test_the_offline_file_of_the_ccm_names_it(tmp_path):
    data = html_file.export_html(dt.date(2025, 3, 6), treaty_key="ccm", generated=TODAY).decode("utf-8")
    assert "<title>Convention on Cluster Munitions status · Flankmap</title>" in data
    assert '"treaty":"ccm"' in data.replace(" ", "")


def test_the_text_alternative_names_the_ccm_and_keeps_the_ottawa_words():
    from flankmap.view import model, textalt

    day = dt.date(2025, 3, 6)
    ccm = textalt.page(model.view_of(urlstate.ViewState(day=day, treaty="ccm")))
    assert ccm["summary"].startswith("Convention on Cluster Munitions: on 6 March 2025, of ")
    assert ccm["summary"].endswith("; 111 States Parties worldwide.")
    assert "<caption>Convention on Cluster Munitions status: every country drawn" in textalt.table_html(
        ccm["table"], day, "status", None, "ccm"
    )
    lithuania = next(r for r in ccm["table"] if r["iso3"] == "LTU")
    assert lithuania["status"] == "Withdrawn"
    ottawa = textalt.page(model.view_of(urlstate.ViewState(day=day)))
    assert ottawa["summary"].startswith("On 6 March 2025, of ")
    assert "<caption>Every country drawn" in textalt.table_html(ottawa["table"], day, "status")


def test_the_both_view_fills_the_ottawa_status_and_outlines_states_outside_the_ccm():
    from flankmap.view import model
    from flankmap.view import symbology as sym

    mv = model.view_of(urlstate.ViewState(day=dt.date(2026, 2, 20), treaty="both"))
    assert mv.heading.title == "Ottawa (fill) and CCM (outline) status on 20 February 2026"
    assert mv.count == "161 Ottawa, 112 CCM"
    # Poland: withdrawn from Ottawa, never in the CCM: the withdrawn fill with the outside-the-CCM outline
    poland = mv.style_of("POL")
    assert poland.fill == sym.STATUS_STYLE["withdrawn"].style.fill
    assert (poland.edge, poland.dash) == (sym.OUTSIDE_CCM_OUTLINE.edge, sym.OUTSIDE_CCM_OUTLINE.dash)
    assert ["text", "Convention on Cluster Munitions: Not a party"] in [list(x) for x in mv.countries["POL"].lines]
    # Germany: in both: no outline; Lithuania: outside the CCM since 2025-03-06
    assert mv.style_of("DEU").edge != sym.OUTSIDE_CCM_OUTLINE.edge
    assert mv.style_of("LTU").edge == sym.OUTSIDE_CCM_OUTLINE.edge
    before = model.view_of(urlstate.ViewState(day=dt.date(2025, 3, 5), treaty="both"))  # CCM withdrawal pending
    assert before.style_of("LTU").edge != sym.OUTSIDE_CCM_OUTLINE.edge
    labels = [e["label"] for e in mv.legend]
    assert any(label.startswith("outlined: outside the Convention on Cluster Munitions (") for label in labels)
    # the URL and the day range: both starts on the CCM's adoption
    view = urlstate.parse({"date": "2001-01-01", "treaty": "both"}, FIRST, LAST, TODAY)
    assert (view.treaty, view.day) == ("both", dt.date(2008, 5, 30))
    assert urlstate.to_params(view)["treaty"] == "both"
