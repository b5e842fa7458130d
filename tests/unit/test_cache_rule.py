"""One cache rule: every memo is keyed on the data version, so a changed data file is served without a restart."""

import datetime as dt
import shutil
from pathlib import Path

import pytest

from flankmap.data import load, schemas
from flankmap.domain import treaty
from flankmap.view import model
from flankmap.view.urlstate import ViewState

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    monkeypatch.setattr(load, "VERSION_TTL_SECONDS", 0.0)  # look at the folder on every call
    return target


def _rename_estonia(data_dir: Path, name: str) -> None:
    path = data_dir / "countries.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nEST,Estonia,", f"\nEST,{name},"), encoding="utf-8")


def test_a_changed_file_is_served_after_the_change(data_copy):
    day = dt.date(2025, 12, 27)
    before = load.data_version(data_copy)
    assert load.table(schemas.COUNTRIES, data_copy).set_index("iso3").at["EST", "name"] == "Estonia"
    assert treaty.status_table(day, iso3s=["EST"], data_dir=data_copy)["name"].iloc[0] == "Estonia"
    assert model.view_of(ViewState(day=day), data_copy).countries["EST"].lines[0] == ("b", "Estonia")

    _rename_estonia(data_copy, "Eesti")

    assert load.data_version(data_copy) != before
    assert load.table(schemas.COUNTRIES, data_copy).set_index("iso3").at["EST", "name"] == "Eesti"
    assert treaty.status_table(day, iso3s=["EST"], data_dir=data_copy)["name"].iloc[0] == "Eesti"
    assert model.view_of(ViewState(day=day), data_copy).countries["EST"].lines[0] == ("b", "Eesti")


def test_changed_events_change_the_status(data_copy):
    day = dt.date(2025, 12, 27)
    assert treaty.timelines(data_copy)["EST"].withdrawal_effective is not None
    path = data_copy / "treaty_events.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(
        "".join(line for line in lines if not (line.startswith("EST,") and "withdrawal_effective" in line)),
        encoding="utf-8",
    )
    assert treaty.timelines(data_copy)["EST"].withdrawal_effective is None
    assert treaty.status_at("EST", day, data_copy).status_code == "withdrawal_pending"


def test_the_version_is_re_read_after_its_grace_period(data_copy, monkeypatch):
    monkeypatch.setattr(load, "VERSION_TTL_SECONDS", 60.0)
    first = load.data_version(data_copy)
    _rename_estonia(data_copy, "Eesti")
    assert load.data_version(data_copy) == first  # within the grace period: the same answer
    monkeypatch.setattr(load, "VERSION_TTL_SECONDS", 0.0)
    assert load.data_version(data_copy) != first
