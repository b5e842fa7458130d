"""Data fixes from the December 2026 audit (issue 21, item 4): spending gap codes, Ukraine's context."""

import datetime as dt

from flankmap.data import load, schemas
from flankmap.domain import spending, treaty_paths

TEN = {"DNK", "FIN", "GRC", "HRV", "HUN", "MNE", "NLD", "SVK", "SVN", "SWE"}


def test_ten_allies_2025e_is_published_but_not_read_and_germany_is_withheld():
    gaps = load.read_table(schemas.SPENDING_GAPS)
    nato_2025 = gaps[(gaps["series"] == "nato_pct_gdp") & (gaps["year_from"] == 2025)].set_index("iso3")
    assert set(nato_2025.index) == TEN | {"DEU"}
    assert nato_2025.at["DEU", "reason_code"] == "withheld"
    for iso3 in TEN:
        assert nato_2025.at[iso3, "reason_code"] == "not_read", iso3
        assert "Defence Expenditure of NATO Countries 2014-2025" in nato_2025.at[iso3, "reason"]
        assert "NATO published a 2025 estimate" in nato_2025.at[iso3, "reason"]
    assert "not_published" not in set(gaps["reason_code"]) and "not_published" not in schemas.SPENDING_GAP_REASONS
    why = spending.missing_reason("SWE", 2025, "nato_pct_gdp")
    assert why["reason_code"] == "not_read" and "could not read its exact value" in why["reason"]


def test_ukraine_context_has_the_new_objections_and_the_final_report():
    events = load.read_table(schemas.TREATY_EVENTS)
    ukr = events[events["iso3"] == "UKR"]
    objections = ukr[ukr["event_code"] == "objection"]
    nz = objections[objections["detail"].str.startswith("New Zealand")]
    assert list(nz["event_date"]) == [dt.date(2025, 11, 25)] and "mfat.govt.nz" in nz["source_url"].iloc[0]
    colombia = objections[objections["detail"].str.startswith("Colombia")]
    assert len(colombia) == 1 and colombia["event_date"].isna().all()  # the filing date was not found: undated
    report = ukr[ukr["detail"].str.contains("does not allow the suspension", regex=False)]
    assert len(report) == 1 and report["confidence"].iloc[0] == "unconfirmed"  # the day of adoption is inferred
    for row in (nz, colombia, report):
        assert row["source_url"].notna().all() and row["accessed_date"].notna().all()
    # Still a State Party with its flag; the caption's objecting states stay those with their own rows.
    (note,) = treaty_paths.contested_flags(dt.date(2025, 12, 27))
    assert "(formal objections by Austria, Belgium, Norway and Switzerland)" in note
