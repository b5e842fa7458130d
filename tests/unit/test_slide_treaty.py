"""Issue 19: a slide names its treaty (``ottawa``, ``ccm``, ``both``): the slide's image, PDF and PowerPoint draw
it; a story holds one treaty's published timeline, so a deck mixing treaties is refused as a story (app and CLI)
and a one-treaty CCM deck is a CCM story."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from flankmap.cli import commands
from flankmap.render import deck, static_annotations, static_export
from flankmap.view import briefing, briefing_example, model

CCM_SLIDE = {
    "id": "ccm",
    "view": {"date": "2025-03-06", "fill": "status", "frame": "baltic", "treaty": "ccm"},
    "title": "Lithuania leaves the CCM",
    "annotations": [{"id": "ltu", "kind": "country", "iso3": "LTU", "text": "Withdrawn", "from": "2025-03-06"}],
}


def _doc(*slides) -> dict:
    return {**briefing_example.example().to_json(), "slides": list(slides)}


def test_a_ccm_slide_on_2025_03_06_draws_the_ccm_with_lithuania_withdrawn():
    b = briefing.validate(_doc(CCM_SLIDE))
    state = b.slides[0].view.state()
    assert state.treaty == "ccm"
    mv = model.view_of(state)
    assert mv.treaty == "ccm" and mv.countries["LTU"].code == "withdrawn"
    texts, content = static_export.render_slide(
        state, static_annotations.decor_of(b, b.slides[0]), lambda fig: [t.get_text() for t in fig.texts]
    )
    assert "Convention on Cluster Munitions status on 6 March 2025" in texts  # the view's title, under the own one
    assert "Lithuania leaves the CCM" in texts
    assert content.styles["LTU"] == mv.style_of("LTU")
    assert content.source == mv.source


def test_the_slide_treaty_round_trips_through_the_link_and_a_bad_one_is_refused():
    b = briefing.validate(_doc(CCM_SLIDE))
    assert briefing.from_link_param(briefing.to_link_param(b, 0)).slides[0].view.treaty == "ccm"
    bad = json.loads(json.dumps(CCM_SLIDE))
    bad["view"]["treaty"] = "geneva"
    early = json.loads(json.dumps(CCM_SLIDE))
    early["view"]["date"], early["annotations"] = "2005-01-01", []
    with pytest.raises(briefing.BriefingError) as exc:
        briefing.validate(_doc(bad, {**early, "id": "early"}))
    lines = "\n".join(exc.value.lines())
    assert "slides[0].view.treaty" in lines
    assert "slides[1].view.date: 2005-01-01 is before the first day of treaty ccm, 2008-05-30" in lines


def test_a_story_mixing_treaties_is_refused_and_a_ccm_story_embeds_the_ccm_timeline(tmp_path, capsys):
    ottawa = briefing_example.example().to_json()["slides"][0]
    mixed = briefing.validate(_doc(ottawa, CCM_SLIDE))
    problem = deck.story_problem(mixed)
    assert problem and "slide 1 shows the Ottawa Convention, slide 2 the CCM" in problem
    with pytest.raises(ValueError, match="one treaty"):
        deck.export(mixed, "html")
    path = tmp_path / "mixed.json"
    path.write_text(mixed.dumps(), encoding="utf-8")
    out = tmp_path / "story.html"
    assert commands.main(["deck", "--briefing", str(path), "--format", "html", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "one treaty" in err and len(err.strip().splitlines()) == 1 and not out.exists()
    page = deck.export(briefing.validate(_doc(CCM_SLIDE)), "html").decode("utf-8")
    data = json.loads(re.search(r'id="fm-data">(.*?)</script>', page, re.S).group(1))
    assert data["treaty"] == "ccm"
    assert data["heading"]["title"].startswith("Convention on Cluster Munitions")


def test_the_pdf_of_a_mixed_deck_has_a_page_per_slide():
    mixed = briefing.validate(_doc(briefing_example.example().to_json()["slides"][0], CCM_SLIDE))
    pdf = deck.export(mixed, "pdf", generated=dt.date(2026, 12, 5))
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 2
