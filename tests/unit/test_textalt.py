"""The map's text alternative: rows from the view model, the summary sentence, the announcement, escaping."""

import datetime as dt

from flankmap.data import load
from flankmap.view import model, textalt, urlstate
from tests import oracle

D = dt.date


def page(day, **kw) -> dict:
    return textalt.page(model.view_of(urlstate.ViewState(day=day, **kw)))


def test_table_rows_are_the_view_rows_for_every_drawn_country():
    mv = model.view_of(urlstate.ViewState(day=D(2025, 12, 27)))
    rows = {r["iso3"]: r for r in textalt.rows(mv)}
    assert set(rows) == set(load.drawn_iso3s())
    assert rows["EST"]["status"] == "Withdrawn"
    assert rows["FIN"]["status"] == "Withdrawal pending" and rows["FIN"]["days_until_effective"] == 14
    assert rows["FIN"]["stage"] == "instrument of withdrawal deposited"
    assert rows["UKR"]["flag"].startswith("purported suspension")
    assert rows["FIN"]["details_html"] == textalt.details_html(mv.countries["FIN"].lines)  # the map's tooltip
    assert "14 days until effective" in rows["FIN"]["details_html"]
    for iso3, row in rows.items():  # the status in the table is the status the fill was chosen for
        assert (
            mv.countries[iso3].code
            == {
                "Withdrawn": "withdrawn",
                "Withdrawal pending": "withdrawal_pending",
                "State Party": "state_party",
                "Not a party": "non_party",
                "Signed, not ratified": "signatory",
                "Joined, not yet in force": "joined_not_in_force",
            }[row["status"]]
        )


def test_summary_sentence_counts_from_the_data():
    p = page(D(2025, 12, 27))
    drawn = len(load.drawn_iso3s())
    assert p["summary"].startswith(
        f"On 27 December 2025, of {drawn} countries drawn: 3 withdrawn, 2 withdrawal pending"
    )
    assert "flagged: Ukraine (purported suspension since 2025-07-18)" in p["summary"]
    assert p["summary"].endswith("163 States Parties worldwide.")
    before = page(D(2025, 1, 1))["summary"]
    assert "withdrawn" not in before and "pending" not in before and "flagged" not in before


def test_spending_columns_only_with_the_spending_fill():
    drawn = load.drawn_iso3s()
    for fill, series in (("spending", "SIPRI"), ("spending_nato", "NATO")):
        p = page(D(2024, 6, 1), fill=fill, spend_year=2024)
        rows = {r["iso3"]: r for r in p["table"]}
        _, _, figures, reasons = oracle.fill_view(fill, D(2024, 6, 1), 2024, drawn)
        assert rows["POL"]["spending"].startswith(f"{float(figures['POL']['value']):.2f}%")  # the fill's figure
        assert rows["POL"]["series"].startswith(series)
        for iso3 in reasons:  # no figure in this series: the table says why, as the tooltip does
            assert rows[iso3]["spending"] == "no figure" and rows[iso3]["series"] == (reasons[iso3]["reason"] or "")
    assert "NATO ally" in rows["RUS"]["series"]  # the NATO series has no figure for Russia
    html = textalt.table_html(p["table"], D(2024, 6, 1), "spending", p["spend_year"])
    assert "Defence spending 2024, % of GDP" in html
    status = page(D(2024, 6, 1))
    assert "spending" not in status["table"][0]
    assert "% of GDP</th>" not in textalt.table_html(status["table"], D(2024, 6, 1), "status")


def test_table_html_is_a_real_table_with_headers_and_escaped_cells():
    row = {
        "iso3": "EST",
        "name": "<script>x</script>",
        "status": "State Party",
        "stage": "",
        "flag": "a & b",
        "days_until_effective": None,
        "details_html": "<b>ok</b>",
    }
    html = textalt.table_html([row], D(2025, 1, 1), "status")
    assert (
        html.startswith("<div class='flankmap-textalt-wrap' role='region'")
        and "<table" in html
        and "<caption>" in html
        and "<th scope='col'>Country</th>" in html
    )
    assert "<th scope='row'><details><summary>&lt;script&gt;" in html and "<script>" not in html
    assert "<td>a &amp; b</td>" in html and "<b>ok</b>" in html


def test_announcement_names_date_and_changes():
    changes = textalt.changes_on_map(D(2025, 12, 26), D(2025, 12, 27))
    text = textalt.announcement(D(2025, 12, 27), D(2025, 12, 26), changes, "163")
    assert text.startswith("Map date 27 December 2025. Changed since 26 December 2025: ")
    assert (
        "Estonia" in text
        and "Latvia" in text
        and "Lithuania" in text
        and text.endswith("163 States Parties worldwide.")
    )
    quiet = textalt.announcement(
        D(2025, 12, 28), D(2025, 12, 27), textalt.changes_on_map(D(2025, 12, 27), D(2025, 12, 28)), "163"
    )
    assert "No status change on the map since 27 December 2025" in quiet


def test_frame_title_says_what_and_when():
    assert page(D(2026, 2, 20))["frame_title"] == (
        "Map: Ottawa Convention status on 20 February 2026, NATO's eastern flank and neighbours"
    )
    assert "defence spending 2024" in page(D(2025, 3, 1), fill="spending", spend_year=2024)["frame_title"]
