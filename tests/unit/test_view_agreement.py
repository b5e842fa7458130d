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


def _cases(fill: str) -> list[dict]:
    cases = []
    for day in KEY_DAYS:
        cases.append({"date": day.isoformat(), "layers": ALL_LAYERS})
        cases.append({"date": day.isoformat(), "layers": NO_LAYERS})
        if fill == "status":
            before = dt.date(2025, 6, 1)
            changed = model.changes(before, day)[0]
            cases.append(
                {
                    "date": day.isoformat(),
                    "layers": ALL_LAYERS,
                    "compare": {"date": "2025-06-01", "changed": list(changed)},
                }
            )
            # As the app's map outlines while a person scrubs: the day looked up in the runs Python published for
            # the compare day (the Python side takes the day's changes from the core).
            runs = model.changed_runs(before)
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


@pytest.mark.parametrize("fill", urlstate.FILLS)
def test_the_app_runtime_and_python_resolve_the_same_view(fill, tmp_path):
    P = model.published(fill)
    cases = _cases(fill)
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


@pytest.mark.parametrize("fill", urlstate.FILLS)
def test_the_offline_file_resolves_the_same_view_as_python(fill, tmp_path):
    day = dt.date(2025, 12, 27)
    data = publish.build_data(day, fill=fill, generated=TODAY)
    P = model.prepare(data)
    cases = [
        {"date": d.isoformat(), "layers": ALL_LAYERS} for d in KEY_DAYS if d <= dt.date.fromisoformat(data["last"])
    ]
    for case, js in zip(cases, _browser(data, cases, tmp_path), strict=True):
        assert js == _python(P, case).to_json(), case


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


@pytest.mark.parametrize("fill", urlstate.FILLS)
def test_the_text_table_and_static_export_format_the_browser_view(fill, tmp_path):
    day = dt.date(2026, 2, 20)
    mv = model.view_of(urlstate.ViewState(day=day, fill=fill))
    js = _browser(model.published(fill).data, [{"date": day.isoformat(), "layers": ALL_LAYERS}], tmp_path)[0]
    rows = {r["iso3"]: r for r in textalt.rows(mv)}
    assert set(rows) == {i for i, c in js["countries"].items() if c["code"]}
    for iso3, row in rows.items():
        lines = js["countries"][iso3]["lines"]
        assert row["details_html"] == textalt.details_html(lines), iso3
        assert lines[1][1].endswith(": " + row["status"]), iso3
    # The static export draws the same heading and legend (its SVG keeps text as text).
    svg = static_export.render(day, "svg", fill=fill, data_dir=DATA_DIR).decode("utf-8")
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
