"""Declared schemas of every table in ``data/``, and the validator that checks them.

Each table is declared once here. :func:`validate` reports every problem at once, each naming the
file, the row (as the line number a person sees in an editor: header = line 1) and the column.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

import pandas as pd

from flankmap.data.dates import parse_iso_day

ISO3_PATTERN = re.compile(r"^[A-Z]{3}$")
URL_PATTERN = re.compile(r"^https?://\S+$")

# A guard far in the future for every date column.
DATE_MAX = dt.date(2100, 12, 31)


class DataError(ValueError):
    """A data file broke its declared schema. ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]):
        """Keep every problem; the message lists them one per line."""
        self.problems = list(problems)
        head = f"{len(self.problems)} data problem(s):"
        super().__init__("\n".join([head, *("  - " + p for p in self.problems)]))


@dataclass(frozen=True)
class Column:
    """One column: its kind decides how a cell is checked and converted.

    kinds: ``str``, ``iso3`` (ISO 3166-1 alpha-3, must be in the countries table when one is given),
    ``date`` (ISO YYYY-MM-DD), ``int``, ``float``, ``bool`` (``true``/``false``), ``url``, ``enum``.
    """

    name: str
    kind: str = "str"
    required: bool = True
    choices: tuple[str, ...] = ()
    min_value: float | None = None
    max_value: float | None = None


@dataclass(frozen=True)
class TableSchema:
    """A table in ``data/``: file name, columns in order, and the columns forming its unique key."""

    name: str
    file: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    # Rules beyond single cells: functions (df) -> list of (row_index, column, message).
    row_rules: tuple = field(default=(), compare=False)
    # ISO3 codes this table may use besides those of countries.csv (e.g. Canada in the NATO spending series:
    # an ally, but not a country of the treaty data).
    extra_iso3: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        """The declared column names, in file order."""
        return [c.name for c in self.columns]


def _check_iso3(col: Column, raw: str, known_iso3: set[str] | None, countries_file: str) -> str | None:
    if not ISO3_PATTERN.match(raw):
        return f"{raw!r} is not an ISO 3166-1 alpha-3 code"
    if known_iso3 is not None and raw not in known_iso3:
        return f"{raw!r} is not in {countries_file} (unknown ISO3)"
    return None


def _check_date(col: Column, raw: str, known_iso3: set[str] | None, countries_file: str) -> str | None:
    try:
        day = parse_iso_day(raw)
    except ValueError:
        return f"{raw!r} is not a date (YYYY-MM-DD)"
    if col.min_value is not None and day.year < col.min_value:
        return f"{raw} is before {int(col.min_value)}"
    if day > DATE_MAX:
        return f"{raw} is after {DATE_MAX}"
    return None


def _check_number(col: Column, raw: str, known_iso3: set[str] | None, countries_file: str) -> str | None:
    try:
        value = int(raw) if col.kind == "int" else float(raw)
    except ValueError:
        return f"{raw!r} is not a number"
    if col.min_value is not None and value < col.min_value:
        return f"{raw} is below the minimum {col.min_value:g}"
    if col.max_value is not None and value > col.max_value:
        return f"{raw} is above the maximum {col.max_value:g}"
    return None


def _check_bool(col: Column, raw: str, known_iso3: set[str] | None, countries_file: str) -> str | None:
    return None if raw in ("true", "false") else f"{raw!r} is not true/false"


def _check_url(col: Column, raw: str, known_iso3: set[str] | None, countries_file: str) -> str | None:
    return None if URL_PATTERN.match(raw) else f"{raw!r} is not an http(s) URL"


def _check_enum(col: Column, raw: str, known_iso3: set[str] | None, countries_file: str) -> str | None:
    return None if raw in col.choices else f"{raw!r} is not one of {', '.join(col.choices)}"


# One check per column kind (a new kind adds one function here and, if it converts, one branch in convert).
_CHECKS = {
    "iso3": _check_iso3,
    "date": _check_date,
    "int": _check_number,
    "float": _check_number,
    "bool": _check_bool,
    "url": _check_url,
    "enum": _check_enum,
}


def _check_cell(
    col: Column, raw: str, known_iso3: set[str] | None, countries_file: str = "data/countries.csv"
) -> str | None:
    """Return a problem message for one cell, or None when it is fine."""
    if raw == "":
        return "is empty but required" if col.required else None
    check = _CHECKS.get(col.kind)
    return check(col, raw, known_iso3, countries_file) if check else None


def _column_problems(raw: pd.DataFrame, schema: TableSchema, file_label: str) -> list[str]:
    problems = []
    missing = [c for c in schema.column_names if c not in raw.columns]
    extra = [c for c in raw.columns if c not in schema.column_names]
    if missing:
        problems.append(f"{file_label}: missing column(s) {', '.join(missing)}")
    if extra:
        problems.append(f"{file_label}: unexpected column(s) {', '.join(extra)}")
    return problems


def validate(
    raw: pd.DataFrame,
    schema: TableSchema,
    file_label: str,
    known_iso3: set[str] | None = None,
    countries_file: str = "data/countries.csv",
) -> list[str]:
    """Check a table read as strings against its schema; return every problem found.

    Args:
        raw: the table with every cell as a string (empty string for a blank cell).
        schema: its declared schema.
        file_label: how to name the file in messages (e.g. ``data/treaty_events.csv``).
        known_iso3: the ISO3 codes of ``data/countries.csv``; None skips that membership check.
        countries_file: how to name the countries table in an unknown-ISO3 message.
    """
    problems = _column_problems(raw, schema, file_label)
    if any(p.startswith(f"{file_label}: missing") for p in problems):
        return problems
    if known_iso3 is not None and schema.extra_iso3:
        known_iso3 = set(known_iso3) | set(schema.extra_iso3)
    for col in schema.columns:
        for idx, raw_value in raw[col.name].items():
            msg = _check_cell(col, raw_value, known_iso3, countries_file)
            if msg:
                problems.append(f"{file_label} line {int(idx) + 2}, column {col.name}: {msg}")
    if schema.key:
        dup = raw.duplicated(subset=list(schema.key), keep="first")
        for idx in raw.index[dup]:
            key_value = ", ".join(f"{k}={raw.at[idx, k]!r}" for k in schema.key)
            problems.append(f"{file_label} line {int(idx) + 2}, column {schema.key[0]}: duplicate key ({key_value})")
    for rule in schema.row_rules:
        for idx, column, message in rule(raw):
            problems.append(f"{file_label} line {int(idx) + 2}, column {column}: {message}")
    return problems


def convert(raw: pd.DataFrame, schema: TableSchema) -> pd.DataFrame:
    """Turn a validated string table into typed columns (dates as ``datetime.date``, blanks as None)."""
    out = pd.DataFrame(index=raw.index)
    for col in schema.columns:
        series = raw[col.name]
        if col.kind == "date":
            out[col.name] = series.map(lambda s: dt.date.fromisoformat(s) if s else None).astype(object)
        elif col.kind == "int":
            out[col.name] = series.map(lambda s: int(s) if s else None).astype("Int64")
        elif col.kind == "float":
            out[col.name] = series.map(lambda s: float(s) if s else None).astype("Float64")
        elif col.kind == "bool":
            out[col.name] = series.map(lambda s: s == "true").astype(bool)
        else:
            out[col.name] = series.map(lambda s: s if s else None).astype(object)
    return out


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
