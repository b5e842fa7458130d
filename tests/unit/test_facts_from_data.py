"""Captions that state counts and dates are computed from the data; a drawn country without events is an error."""

import datetime as dt
import shutil
from pathlib import Path

import pytest

from flankmap.data import load, validate
from flankmap.domain import treaty, treaty_paths
from flankmap.view import urlstate

DATA = Path(__file__).resolve().parents[2] / "data"


def test_count_summary_is_the_series():
    assert treaty_paths.count_summary() == "164 from 2017-12-29, 166 on 2025-06-25 (the most), 161 from 2026-02-20"


def test_contested_flag_names_the_objecting_states_from_the_events():
    (note,) = treaty_paths.contested_flags(dt.date(2025, 12, 27))
    assert note.startswith("Ukraine remains a State Party: its purported suspension since 2025-07-18 is contested")
    assert "(formal objections by Austria, Belgium, Norway and Switzerland)" in note
    assert treaty_paths.contested_flags(dt.date(2025, 7, 17)) == []  # before the claimed suspension: nothing to say


def test_count_summary_follows_a_changed_file(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    monkeypatch.setattr(load, "VERSION_TTL_SECONDS", 0.0)
    path = data / "states_parties_counts.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2025-06-25,166,", "2025-06-25,167,"), encoding="utf-8")
    assert "167 on 2025-06-25 (the most)" in treaty_paths.count_summary(data)


def test_a_drawn_country_without_events_is_a_data_error_not_a_non_party(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    events = data / "treaty_events.csv"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    events.write_text("".join(line for line in lines if not line.startswith("EST,")), encoding="utf-8")
    with pytest.raises(validate.DataError, match="no event for EST"):
        treaty.status_records(dt.date(2025, 12, 27), iso3s=["EST", "LVA"], data_dir=data)


def test_compare_applies_only_to_the_status_fill():
    view = urlstate.ViewState(day=dt.date(2025, 12, 27), fill="spending", compare_day=dt.date(2025, 6, 1))
    assert view.normalised().compare_day is None
    status = urlstate.ViewState(day=dt.date(2025, 12, 27), compare_day=dt.date(2025, 6, 1))
    assert status.normalised() is status


@pytest.mark.parametrize("text", ["2025-12-27 ", "20251227", "2025-W52-6", "2025-02-30", "", None, "2025-1-01"])
def test_one_strict_iso_parser_refuses(text):
    from flankmap.data.dates import parse_iso_day

    with pytest.raises(ValueError):
        parse_iso_day(text)
