"""The treaty data's checked-through date on the map, in every export and in the citation."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from flankmap.domain import treaty
from flankmap.render import downloads, static_export
from flankmap.view import model, urlstate

CHECKED = "2026-12-01"
LATER = dt.date(2026, 12, 15)
NOTE = f"Treaty data checked through {CHECKED}: events after that date may be missing."


@pytest.mark.parametrize("fill", ["status", "spending"])
def test_map_frame_states_the_date_and_warns_only_after_it(fill):
    on = model.view_of(urlstate.ViewState(day=dt.date(2026, 12, 1), fill=fill))
    assert f"Treaty data checked through {CHECKED}." in on.source
    assert on.heading.warning is None
    after = model.view_of(urlstate.ViewState(day=LATER, fill=fill))
    assert after.heading.warning == NOTE


@pytest.mark.parametrize("fmt", static_export.FORMATS)
def test_every_export_format_carries_the_date(fmt, monkeypatch):
    seen = {}
    real = static_export._draw

    def spy(geo, content, *args):
        seen["content"] = content
        return real(geo, content, *args)

    monkeypatch.setattr(static_export, "_draw", spy)
    data = static_export.render(LATER, fmt)
    assert f"Treaty data checked through {CHECKED}." in seen["content"].source
    assert NOTE in seen["content"].subtitle
    if fmt == "svg":
        text = data.decode("utf-8")
        assert f"checked through {CHECKED}" in text and "may be missing" in text
    if fmt == "pdf":
        from pypdf import PdfReader

        text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
        assert f"checked through {CHECKED}" in text


def test_no_warning_in_an_export_of_a_checked_day(monkeypatch):
    svg = static_export.render(dt.date(2026, 2, 20), "svg").decode("utf-8")
    assert f"checked through {CHECKED}" in svg and "may be missing" not in svg


def test_downloads_and_citation_carry_the_date():
    assert f"treaty data checked through {CHECKED}" in downloads.citation(LATER)
    csv_text = downloads.status_csv(LATER).decode("utf-8")
    assert csv_text.splitlines()[1].startswith(f"{LATER.isoformat()},{CHECKED},")
    geo = json.loads(downloads.status_geojson(LATER))
    assert {f["properties"]["treaty_data_checked_through"] for f in geo["features"]} == {CHECKED}


def test_an_uncertain_status_date_is_labelled_in_the_tooltip():
    def tip(day):
        return " ".join(t for _, t in model.view_of(urlstate.ViewState(day=day)).countries["LTU"].lines)

    assert "Signed, not ratified" in tip(dt.date(2000, 1, 5)) and "date uncertain" in tip(dt.date(2000, 1, 5))
    assert "date uncertain" not in tip(dt.date(2004, 1, 5))  # in force from 2003-11-01 (a confirmed event)


def test_checked_through_reads_the_data_folder(tmp_path):
    from flankmap.data import schemas

    (tmp_path / schemas.TREATY_CHECKS.file).write_text(
        "checked_date,scope,finding,reference\n2027-01-02,all,none,test\n", encoding="utf-8"
    )
    (tmp_path / "countries.csv").write_text("iso3,name,treaty_note,source_url,accessed_date\n", encoding="utf-8")
    assert treaty.checked_through(tmp_path) == dt.date(2027, 1, 2)
