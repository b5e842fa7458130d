"""One view, one model: the browser runtime and the Python renderers show the same words.

For every fill and key day, and for every drawn country, the view that ``static/flankmap/runtime.js``
resolves in the browser (run here under Node on the very data the app publishes and the offline file
embeds) must equal :func:`flankmap.view.model.resolve`'s, compared as whole objects (heading, legend entries,
per country style, status, tooltip lines, flag label): with compare mode on and off, with a chosen spending
year and without. The text table and the static export are formatters of that Python view: their text is
checked against the browser's too.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from flankmap.data.load import DATA_DIR
from flankmap.render import static_export
from flankmap.view import model, publish, textalt, urlstate

REPO = Path(__file__).resolve().parents[2]
DUMP = REPO / "tests" / "js" / "view_dump.js"
TODAY = dt.date(2026, 12, 5)
KEY_DAYS = [
    dt.date(2025, 6, 27),
    dt.date(2025, 12, 26),
    dt.date(2025, 12, 27),
    dt.date(2026, 1, 10),
    dt.date(2026, 2, 19),
    dt.date(2026, 2, 20),
    TODAY,
]
# The Convention on Cluster Munitions: Lithuania's withdrawal (deposited 2024-09-06, effective 2025-03-06), Vanuatu's
# accession (the count back to 112 on 2025-09-05) and the first day after the CCM data's check (2026-02-04).
CCM_DAYS = [
    dt.date(2010, 8, 1),
    dt.date(2024, 9, 6),
    dt.date(2025, 3, 5),
    dt.date(2025, 3, 6),
    dt.date(2025, 9, 5),
    dt.date(2026, 2, 3),
    dt.date(2026, 2, 4),
    TODAY,
]
DAYS = {"ottawa": KEY_DAYS, "ccm": CCM_DAYS, "both": sorted({*KEY_DAYS, *CCM_DAYS} - {dt.date(2010, 8, 1)})}
ALL_LAYERS = {"borders": True, "labels": True}
NO_LAYERS = {"borders": False, "labels": False}


def _browser(data: dict, spec: list[dict], tmp_path: Path) -> list[dict]:
    data_file, spec_file = tmp_path / "data.json", tmp_path / "spec.json"
    data_file.write_text(json.dumps(data), encoding="utf-8")
    spec_file.write_text(json.dumps(spec), encoding="utf-8")
    done = subprocess.run(
        ["node", str(DUMP), str(data_file), str(spec_file)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _cases(fill: str, treaty: str = "ottawa") -> list[dict]:
    cases = []
    for day in DAYS[treaty]:
        cases.append({"date": day.isoformat(), "layers": ALL_LAYERS})
        cases.append({"date": day.isoformat(), "layers": NO_LAYERS})
        if fill == "status":
            before = dt.date(2025, 6, 1)
            changed = model.changes(before, day, treaty_key=None if treaty == "ottawa" else treaty)[0]
            cases.append(
                {
                    "date": day.isoformat(),
                    "layers": ALL_LAYERS,
                    "compare": {"date": "2025-06-01", "changed": list(changed)},
                }
            )
            # As the app's map outlines while a person scrubs: the day looked up in the runs Python published for
            # the compare day (the Python side takes the day's changes from the core).
            runs = model.changed_runs(before, treaty_key=treaty)
            cases.append(
                {
                    "date": day.isoformat(),
                    "layers": NO_LAYERS,
                    "compare": {"date": "2025-06-01", "runs": runs},
                    "py_changed": list(changed),
                }
            )
        else:
            cases.append({"date": day.isoformat(), "layers": ALL_LAYERS, "year": 2024})
    return cases


def _python(P: model.Published, case: dict) -> model.MapView:
    compare = case.get("compare")
    return model.resolve(
        P,
        dt.date.fromisoformat(case["date"]),
        layers=tuple(k for k, on in case["layers"].items() if on),
        chosen_year=case.get("year"),
        compare_day=dt.date.fromisoformat(compare["date"]) if compare else None,
        changed=frozenset(compare.get("changed", case.get("py_changed", ()))) if compare else frozenset(),
    )


@pytest.mark.parametrize("treaty", urlstate.TREATIES)
@pytest.mark.parametrize("fill", urlstate.FILLS)
def test_the_app_runtime_and_python_resolve_the_same_view(fill, treaty, tmp_path):
    P = model.published(fill, treaty_key=treaty)
    cases = _cases(fill, treaty)
    browser = _browser(P.data, cases, tmp_path)
    assert len(browser) == len(cases)
    drawn = set(P.data["countries"])
    for case, js in zip(cases, browser, strict=True):
        py = _python(P, case).to_json()
        assert set(js["countries"]) == drawn == set(py["countries"])
        for iso3 in sorted(drawn):  # one country at a time: a failure names it
            assert js["countries"][iso3] == py["countries"][iso3], (case, iso3)
        assert js["heading"] == py["heading"], case
        assert js["legend"] == py["legend"], case
        assert js["labels"] == py["labels"], case  # words, styles, priorities, anchors and places


@pytest.mark.parametrize("treaty", urlstate.TREATIES)
@pytest.mark.parametrize("fill", urlstate.FILLS)
def test_the_offline_file_resolves_the_same_view_as_python(fill, treaty, tmp_path):
    day = dt.date(2025, 12, 27)
    data = publish.build_data(day, fill=fill, generated=TODAY, treaty_key=treaty)
    P = model.prepare(data)
    cases = [
        {"date": d.isoformat(), "layers": ALL_LAYERS} for d in DAYS[treaty] if d <= dt.date.fromisoformat(data["last"])
    ]
    for case, js in zip(cases, _browser(data, cases, tmp_path), strict=True):
        assert js == _python(P, case).to_json(), case


def test_every_renderer_gets_the_labels_of_the_day_from_the_model():
    """Plain text lines with a style key (no HTML), by priority; the flag label only on the status fill."""
    day = dt.date(2026, 2, 20)
    status = model.view_of(urlstate.ViewState(day=day))
    ids = [lab["id"] for lab in status.labels]
    assert ids[:4] == ["flag-UKR", "kaliningrad", "suwalki", "belarus"], ids
    assert [lab["priority"] for lab in status.labels] == sorted(lab["priority"] for lab in status.labels)
    assert status.labels[0]["lines"] == list(status.countries["UKR"].flag)
    for lab in status.labels:
        assert all("<" not in line for line in lab["lines"]), lab
        assert lab["places"] and lab["style"] in {"flag", "region", "gap", "name"}, lab
    spending = model.view_of(urlstate.ViewState(day=day, fill="spending"))
    assert "flag-UKR" not in [lab["id"] for lab in spending.labels]
    assert model.view_of(urlstate.ViewState(day=day, layers=("borders",))).labels == ()


def test_the_spending_line_reads_the_same_in_every_path(tmp_path):
    """The review's drift: '(2024, NATO, estimate)' in one path, the long series name in another."""
    day = dt.date(2025, 12, 27)
    view = model.view_of(urlstate.ViewState(day=day))
    compare = model.view_of(urlstate.ViewState(day=day, compare_day=dt.date(2025, 6, 1)))
    for iso3, c in view.countries.items():
        spend = [t for k, t in c.lines if t.startswith("Defence spending")]
        assert spend == [t for k, t in compare.countries[iso3].lines if t.startswith("Defence spending")], iso3
    assert ["text", "Defence spending: 4.00% of GDP (2025, NATO, estimate)"] in [
        list(x) for x in view.countries["LTU"].lines
    ]


@pytest.mark.parametrize(("fill", "treaty"), [(f, "ottawa") for f in urlstate.FILLS] + [("status", "ccm")])
def test_the_text_table_and_static_export_format_the_browser_view(fill, treaty, tmp_path):
    day = dt.date(2026, 2, 20)
    mv = model.view_of(urlstate.ViewState(day=day, fill=fill, treaty=treaty))
    data = model.published(fill, treaty_key=treaty).data
    js = _browser(data, [{"date": day.isoformat(), "layers": ALL_LAYERS}], tmp_path)[0]
    rows = {r["iso3"]: r for r in textalt.rows(mv)}
    assert set(rows) == {i for i, c in js["countries"].items() if c["code"]}
    for iso3, row in rows.items():
        lines = js["countries"][iso3]["lines"]
        assert row["details_html"] == textalt.details_html(lines), iso3
        assert lines[1][1].endswith(": " + row["status"]), iso3
    # The static export draws the same heading and legend (its SVG keeps text as text).
    svg = static_export.render(day, "svg", fill=fill, data_dir=DATA_DIR, treaty=treaty).decode("utf-8")
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)]
    assert js["heading"]["title"] in texts
    for sub in js["heading"]["subs"]:
        assert sub in texts, sub
    # A long legend label wraps over several text elements: in order, they read as the label.
    # The border rows come last and are left out whole when the panel has no room for them.
    joined = " " + " ".join(texts) + " "
    legend = [e["label"] for e in js["legend"]]
    split = next((i for i, e in enumerate(js["legend"]) if e["key"] == "heading:borders"), len(legend))
    for label in legend[:split]:
        assert f" {label} " in joined, label
    borders_shown = [f" {label} " in joined for label in legend[split:]]
    assert all(borders_shown) or not any(borders_shown), legend[split:]


def test_the_ccm_view_names_its_treaty_count_and_lithuania_on_its_edge_days():
    """Lithuania's CCM withdrawal: pending on 2025-03-05, withdrawn from 2025-03-06, the count 112 -> 111; the
    title, legend, source and frame title name the Convention on Cluster Munitions; later than 2026-02-03 warns."""
    views = {d: model.view_of(urlstate.ViewState(day=d, treaty="ccm")) for d in CCM_DAYS}
    before, after = views[dt.date(2025, 3, 5)], views[dt.date(2025, 3, 6)]
    assert before.countries["LTU"].code == "withdrawal_pending"
    assert after.countries["LTU"].code == "withdrawn"
    assert (before.count, after.count) == ("112", "111")
    assert after.heading.title == "Convention on Cluster Munitions status on 6 March 2025"
    assert after.heading.subtitles[0].startswith("111 States Parties worldwide")
    assert after.legend[0]["label"] == "Convention on Cluster Munitions status"
    assert "XXVI-6" in after.source and "checked through 2026-02-03" in after.source
    assert textalt.page(after)["frame_title"].startswith("Map: Convention on Cluster Munitions status on 6 March")
    assert views[dt.date(2026, 2, 3)].heading.warning is None
    assert "2026-02-03" in views[dt.date(2026, 2, 4)].heading.warning
    # Ottawa on the same day: Lithuania still a State Party there, its own title and count.
    ottawa = model.view_of(urlstate.ViewState(day=dt.date(2025, 3, 6)))
    assert ottawa.countries["LTU"].code == "state_party"
    assert ottawa.heading.title.startswith("Ottawa Convention status on")
    assert ottawa.treaty == "ottawa" and after.treaty == "ccm"


def test_the_runtime_selects_a_briefings_annotations_like_the_model(tmp_path):
    """Issue 19: ``R.annotationsOn`` (story and app map) and ``briefing.annotations_on`` pick the same ones."""
    from flankmap.view import briefing, briefing_example

    anns = [a for s in briefing_example.example().slides for a in s.annotations]
    anns += [
        briefing.Annotation.model_validate({"id": "r", "kind": "country", "iso3": "EST", "from": d1, "to": d2})
        for d1, d2 in (("2025-12-27", "2026-01-10"), ("2026-01-11", "2026-01-11"))
    ]
    days = [*KEY_DAYS, dt.date(2026, 1, 11), dt.date(2026, 1, 12), dt.date(2025, 12, 26)]
    src = tmp_path / "ann.js"
    src.write_text(
        "const R = require(process.argv[2]);\n"
        "const [anns, days] = JSON.parse(require('fs').readFileSync(process.argv[3], 'utf8'));\n"
        "console.log(JSON.stringify(days.map((d) => R.annotationsOn(anns, d))));\n",
        encoding="utf-8",
    )
    spec = tmp_path / "ann.json"
    spec.write_text(json.dumps([[a.to_json() for a in anns], [d.isoformat() for d in days]]), encoding="utf-8")
    runtime = REPO / "static" / "flankmap" / "runtime.js"
    done = subprocess.run(["node", str(src), str(runtime), str(spec)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    browser = json.loads(done.stdout)
    python = [[a.to_json() for a in briefing.annotations_on(anns, d)] for d in days]
    assert browser == python
    assert any(len(x) != len(anns) for x in python)  # the ranges do select
