"""The spending page's presets (Baltic states and Poland, eastern flank, all allies) and any country."""

from __future__ import annotations

from tests.app.test_pages import chart_data, open_page


def test_presets_set_the_countries_and_any_country_can_be_added():
    at = open_page("pages/spending.py")
    preset = at.selectbox(key="sp_preset")
    preset.select("Baltic states and Poland").run()
    assert at.multiselect(key="sp_countries").value == ["EST", "LVA", "LTU", "POL"]
    at.selectbox(key="sp_preset").select("Eastern flank (Finland to the Black Sea)").run()
    assert at.multiselect(key="sp_countries").value[-2:] == ["ROU", "BGR"]
    at.selectbox(key="sp_preset").select("All allies").run()
    allies = at.multiselect(key="sp_countries").value
    assert len(allies) == 31 and "CAN" in allies and "USA" in allies and "ISL" not in allies
    assert not at.exception
    at.multiselect(key="sp_countries").set_value(["GEO", "CAN"]).run()
    assert not at.exception
    names = {n for frame in chart_data(at, 0) if "name" in frame for n in frame["name"]}
    assert names == {"Georgia", "Canada"}
