"""The table validator: columns, declared tables, and checks that report every problem at once.

:func:`validate` names for each problem the file, the row (as the line number a person sees in an editor:
header = line 1) and the column. The tables themselves are declared in :mod:`flankmap.data.schemas`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

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
