"""Declared schemas of every table in ``data/``: each table once, with its columns, key and rules.

The validator (:func:`flankmap.data.validate.validate`) checks a table against its schema and reports every
problem at once, each naming the file, the row and the column.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from flankmap.data.validate import Column, TableSchema


def _url_needs_date(df: pd.DataFrame):
    """Hand-curated rows that cite a URL must say when it was read."""
    for idx in df.index:
        if df.at[idx, "source_url"] and not df.at[idx, "accessed_date"]:
            yield idx, "accessed_date", "a row with a source_url needs an accessed_date"


def _dated_rows_need_source(df: pd.DataFrame):
    """A dated event must carry its source: a datum without a source does not go in."""
    for idx in df.index:
        if df.at[idx, "event_date"] and not df.at[idx, "source_url"]:
            yield idx, "source_url", "a dated event needs a source_url"


CONFIDENCE = ("confirmed-in-source", "unconfirmed", "uncertain")

COUNTRIES = TableSchema(
    name="countries",
    file="countries.csv",
    columns=(
        Column("iso3", "iso3"),
        Column("name"),
        Column("treaty_note", required=False),
        Column("source_url", "url"),
        Column("accessed_date", "date", min_value=2020),
    ),
    key=("iso3",),
)

# Every treaty event code, grouped into the kinds a reader filters by (the timeline page's filter). Each code
# has exactly one kind; only the status-driving codes listed in flankmap.domain.treaty compute a status.
TREATY_EVENT_GROUPS: dict[str, tuple[str, ...]] = {
    "joining": (
        "signature",
        "ratification_deposit",
        "accession_deposit",
        "succession_deposit",
        "acceptance_deposit",
        "approval_deposit",
        "entry_into_force",
        "parliament_accession_approval",
        "ratification_law",
        "ratification_president",
    ),
    "withdrawal": (
        "joint_statement",
        "govt_announcement",
        "cabinet_approval",
        "parliament_first_reading",
        "bill_first_reading",
        "bill_submitted",
        "committee",
        "parliament_vote",
        "parliament_vote_sejm",
        "parliament_vote_senate",
        "head_of_state_assent",
        "denunciation_signed",
        "withdrawal_deposit",
        "withdrawal_effective",
        "govt_statement",
        "mod_advice",
        "president_statement",
    ),
    "suspension": ("suspension_notification", "depositary_circulation", "objection"),
    "status note / context": ("never_joined", "not_eligible", "status", "status_late_2026", "context", "other"),
}
TREATY_EVENT_CODES = tuple(code for codes in TREATY_EVENT_GROUPS.values() for code in codes)

# Events whose date the treaty fixes in advance (Art. 17, Art. 20(3)): the only ones that may lie after the
# day their row was recorded (``accessed_date``).
SCHEDULED_EVENT_CODES = ("entry_into_force", "withdrawal_effective")

TREATY_EVENTS = TableSchema(
    name="treaty_events",
    file="treaty_events.csv",
    columns=(
        Column("iso3", "iso3"),
        Column("event_code", "enum", choices=TREATY_EVENT_CODES),
        Column("event_date", "date", required=False, min_value=1997),
        Column("detail"),
        Column("vote_for", "int", required=False, min_value=0),
        Column("vote_against", "int", required=False, min_value=0),
        Column("vote_abstain", "int", required=False, min_value=0),
        Column("source_title", required=False),
        Column("source_url", "url", required=False),
        Column("accessed_date", "date", required=False, min_value=2020),
        Column("confidence", "enum", choices=CONFIDENCE),
    ),
    key=("iso3", "event_code", "event_date", "detail"),
    row_rules=(_url_needs_date, _dated_rows_need_source),
)

TREATY_MILESTONES = TableSchema(
    name="treaty_milestones",
    file="treaty_milestones.csv",
    columns=(
        Column("milestone_code"),
        Column("event_date", "date", min_value=1997),
        Column("detail"),
        Column("source_title"),
        Column("source_url", "url"),
        Column("accessed_date", "date", min_value=2020),
        Column("confidence", "enum", choices=CONFIDENCE),
    ),
    key=("milestone_code",),
)

STATES_PARTIES_COUNTS = TableSchema(
    name="states_parties_counts",
    file="states_parties_counts.csv",
    columns=(
        Column("count_date", "date", min_value=1997),
        Column("states_parties", "int", min_value=0, max_value=200),
        Column("convention", "enum", choices=("by_deposit",)),
        # anchor: a published count the core counts from; check: arithmetic the core must reproduce.
        Column("role", "enum", choices=("anchor", "check")),
        Column("basis"),
        Column("source_title"),
        Column("source_url", "url"),
        Column("accessed_date", "date", min_value=2020),
        Column("confidence", "enum", choices=CONFIDENCE),
    ),
    key=("count_date",),
)

# When the treaty data's sources were (re)checked: the latest ``checked_date`` is the day the treaty data is
# "checked through" (shown on the map, in exports, on the Data and sources page and by the CLI).
TREATY_CHECKS = TableSchema(
    name="treaty_checks",
    file="treaty_checks.csv",
    columns=(
        Column("checked_date", "date", min_value=2020),
        Column("scope"),
        Column("finding"),
        Column("reference"),
    ),
    key=("checked_date",),
)

# The Convention on Cluster Munitions (issue 21): the same event and check tables as the Ottawa Convention's,
# in their own files (built by scripts/build_ccm_data.py from the UN depositary record), and a count series
# computed from every participant's deposit (exact, no published anchors needed).
CCM_EVENTS = replace(TREATY_EVENTS, name="ccm_events", file="ccm_events.csv")
CCM_CHECKS = replace(TREATY_CHECKS, name="ccm_checks", file="ccm_checks.csv")
CCM_STATES_PARTIES = TableSchema(
    name="ccm_states_parties_counts",
    file="ccm_states_parties_counts.csv",
    columns=(
        Column("count_date", "date", min_value=2008),
        Column("states_parties", "int", min_value=0, max_value=200),
        Column("convention", "enum", choices=("by_deposit",)),
        Column("basis"),
        Column("source_title"),
        Column("source_url", "url"),
        Column("accessed_date", "date", min_value=2020),
        Column("confidence", "enum", choices=CONFIDENCE),
    ),
    key=("count_date",),
)

SPENDING_SERIES = ("nato_pct_gdp", "sipri_pct_gdp", "sipri_usd_m_current", "plan_pct_gdp")

DEFENCE_SPENDING = TableSchema(
    name="defence_spending",
    file="defence_spending.csv",
    columns=(
        Column("iso3", "iso3"),
        Column("year", "int", min_value=1990, max_value=2040),
        Column("series", "enum", choices=SPENDING_SERIES),
        Column("value", "float", min_value=0),
        Column("value_min", "float", required=False, min_value=0),
        Column("value_max", "float", required=False, min_value=0),
        Column("unit", "enum", choices=("pct_gdp", "usd_m_current")),
        Column("is_estimate", "bool"),
        Column("edition"),
        Column("source_name"),
        Column("source_url", "url"),
        Column("accessed_date", "date", min_value=2020),
        Column("notes", required=False),
    ),
    key=("iso3", "year", "series"),
    extra_iso3=("CAN",),
)

# not_read: the edition publishes a figure but Flankmap could not read it exactly (not "not published": the
# December 2026 audit found NATO's 2025 edition has a 2025e cell for every ally but Germany).
SPENDING_GAP_REASONS = ("no_armed_forces", "withheld", "not_read", "not_covered")

SPENDING_GAPS = TableSchema(
    name="spending_gaps",
    file="spending_gaps.csv",
    columns=(
        Column("iso3", "iso3"),
        Column("series", "enum", choices=SPENDING_SERIES),
        Column("year_from", "int", min_value=1990, max_value=2040),
        Column("year_to", "int", min_value=1990, max_value=2040),
        Column("reason_code", "enum", choices=SPENDING_GAP_REASONS),
        Column("reason"),
        Column("source_name"),
        Column("source_url", "url"),
        Column("accessed_date", "date", min_value=2020),
        Column("notes", required=False),
    ),
    key=("iso3", "series", "year_from"),
)

DEFENCE_TARGETS = TableSchema(
    name="defence_targets",
    file="defence_targets.csv",
    columns=(
        Column("target_code"),
        Column("label"),
        Column("spend_pct_gdp", "float", min_value=0, max_value=20),
        Column("agreed_year", "int", min_value=1990, max_value=2040),
        Column("deadline_year", "int", required=False, min_value=1990, max_value=2040),
        Column("detail"),
        Column("source_name"),
        Column("source_url", "url"),
        Column("accessed_date", "date", min_value=2020),
    ),
    key=("target_code",),
)

BORDER_SEGMENTS = TableSchema(
    name="border_segments",
    file="border_segments.csv",
    columns=(
        Column("segment_id"),
        Column("iso3_a", "iso3"),
        Column("iso3_b", "iso3"),
        Column("name"),
        Column("focus", "enum", choices=("belarus", "kaliningrad", "russia", "suwalki", "other")),
        Column("length_km", "float", min_value=0, max_value=5000),
        Column("official_length_km", "float", required=False, min_value=0, max_value=5000),
        Column("official_note", required=False),
        Column("official_source", required=False),
        Column("source_url", "url", required=False),
        Column("accessed_date", "date", required=False, min_value=2020),
    ),
    key=("segment_id",),
    row_rules=(_url_needs_date,),
)

SUWALKI_FACTS = TableSchema(
    name="suwalki_facts",
    file="suwalki_facts.csv",
    columns=(
        Column("fact_code"),
        Column("label"),
        Column("value", "float", required=False),
        Column("unit", required=False),
        Column("lon", "float", required=False, min_value=-180, max_value=180),
        Column("lat", "float", required=False, min_value=-90, max_value=90),
        Column("method"),
        Column("source_title"),
        Column("source_url", "url", required=False),
        Column("accessed_date", "date", required=False, min_value=2020),
    ),
    key=("fact_code",),
    row_rules=(_url_needs_date,),
)

CATALOG = TableSchema(
    name="catalog",
    file="catalog.csv",
    columns=(
        Column("file"),
        Column("title"),
        Column("description"),
        Column("source_name"),
        Column("source_url", "url"),
        Column("licence"),
        Column("accessed_date", "date", min_value=2020),
        Column("built_by"),
        Column("sha256"),
        Column("row_count", "int", min_value=0),
    ),
    key=("file",),
)

# Errors found in the 2025 press coverage and the correct facts (shown on the Data and sources page).
PRESS_CORRECTIONS = TableSchema(
    name="press_corrections",
    file="press_corrections.csv",
    columns=(
        Column("claim"),
        Column("correction"),
        Column("source_url", "url"),
        Column("accessed_date", "date", min_value=2020),
    ),
    key=("claim",),
)

ALL_TABLES = (
    COUNTRIES,
    TREATY_EVENTS,
    TREATY_MILESTONES,
    STATES_PARTIES_COUNTS,
    TREATY_CHECKS,
    DEFENCE_SPENDING,
    SPENDING_GAPS,
    DEFENCE_TARGETS,
    BORDER_SEGMENTS,
    SUWALKI_FACTS,
    PRESS_CORRECTIONS,
    CCM_EVENTS,
    CCM_STATES_PARTIES,
    CCM_CHECKS,
)
