"""Rebuild the treaty tables in ``data/`` from the curated inputs in ``reference/`` (nothing else is read).

Inputs (curated by hand, one row per fact, each with its source; see ``reference/README.md``):
- ``reference/countries.csv``              ISO3, display name, treaty note, source of every country.
- ``reference/treaty_events.csv``          one row per country event (Flankmap event codes, declared in
                                           ``flankmap.data.schemas.TREATY_EVENT_CODES``).
- ``reference/treaty_milestones.csv``      treaty-wide dates (adoption, 40th instrument, meetings, ...).
- ``reference/states_parties_counts.csv``  published States-Parties counts (``anchor``) and arithmetic
                                           checks the core must reproduce (``check``).
- ``reference/treaty_checks.csv``          when the sources were (re)checked: the latest day is the data's
                                           "checked through" date.

Writes the same five files to ``data/`` (plus the vote tallies parsed from the event details), sorted and
byte-for-byte deterministic. Every row is validated first; each problem is one line naming file, line and
column, and then nothing in ``data/`` is touched: the outputs are written into a copy of ``data/`` beside it,
read back through ``flankmap.data.load`` and the treaty core, and only then is the whole folder moved into place
(``scripts/inputcheck.publish``). Every input is first refused cell by cell for what ``scripts/inputcheck.py``
checks: a byte that is not UTF-8, control, bidirectional or zero-width characters, a cell a spreadsheet would
run as a formula, a date after today (``FLANKMAP_TODAY`` pins today).

Usage: ``python scripts/build_treaty_data.py [--reference DIR] [--out DIR]``. Exit 0 on success, 1 when any
input is refused. Afterwards ``python scripts/update_catalog.py`` refreshes ``data/catalog.csv``
(``make data`` runs both).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import sys
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from flankmap.data import load, schemas, validate  # noqa: E402
from flankmap.data.validate import DataError, TableSchema  # noqa: E402
from flankmap.domain import treaties, treaty, treaty_days  # noqa: E402
from scripts import inputcheck  # noqa: E402

REFERENCE = REPO / "reference"
VOTE_COLUMNS = ("vote_for", "vote_against", "vote_abstain")

# The curated inputs: the output schemas, without what the build derives (the vote tallies).
INPUT_EVENTS = replace(
    schemas.TREATY_EVENTS,
    name="reference_treaty_events",
    columns=tuple(c for c in schemas.TREATY_EVENTS.columns if c.name not in VOTE_COLUMNS),
)
INPUTS: tuple[TableSchema, ...] = (
    schemas.COUNTRIES,
    INPUT_EVENTS,
    schemas.TREATY_MILESTONES,
    schemas.STATES_PARTIES_COUNTS,
    schemas.TREATY_CHECKS,
)
OUTPUTS: tuple[TableSchema, ...] = (
    schemas.COUNTRIES,
    schemas.TREATY_EVENTS,
    schemas.TREATY_MILESTONES,
    schemas.STATES_PARTIES_COUNTS,
    schemas.TREATY_CHECKS,
)

JOIN_CODES = treaty.JOIN_DEPOSIT_CODES
# One row per country at most for the events that decide a status (the three join codes count as one).
ONCE_PER_COUNTRY = ("signature", "join deposit", "entry_into_force", "withdrawal_deposit", "withdrawal_effective")
SIGNATURE_OPEN = treaties.OTTAWA.signature_window  # Art. 15: until entry into force

VOTE_PATTERNS = (
    re.compile(r"(\d+) for, (\d+) against, (\d+) abstentions?"),
    re.compile(r"(\d+) for \(\d+ needed\)"),
)


class Refused(Exception):
    """Inputs were refused: ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _label(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO).as_posix()
    except ValueError:
        return str(path)


def _line(idx) -> int:
    """The line a person sees in an editor for data row ``idx`` (header = line 1; rows never span lines)."""
    return int(idx) + 2


def read_checked(path: Path, label: str) -> tuple[object, list[str]]:
    """One curated CSV read as strings, and the problems :mod:`scripts.inputcheck` finds in it (None if unreadable).

    Refused before the schema checks: a byte that is not UTF-8 (its line), a line break inside a cell, control,
    bidirectional or zero-width characters, formula-like cells, and a date after today.
    """
    if not path.exists():
        return None, [f"{label}: file not found"]
    text, problems = inputcheck.read_text(path, label)
    if problems:
        return None, problems
    try:
        raw = load.read_raw(path)
    except DataError as exc:
        return None, exc.problems
    if text.rstrip("\n").count("\n") != len(raw):  # "\n" only: str.splitlines also splits on U+0085, U+2028
        return None, [f"{label}: a cell contains a line break; keep every row on one line"]
    rows = raw.to_dict("records")
    problems += inputcheck.cell_problems(rows, label)
    problems += inputcheck.future_date_problems(rows, label, inputcheck.today(), inputcheck.scheduled_event)
    return raw, problems


def read_inputs(reference: Path) -> tuple[dict, list[str]]:
    """Every input read as strings, and the problems of their single cells, keys and shape."""
    raws, problems = {}, []
    countries_label = _label(reference / schemas.COUNTRIES.file)
    known = None
    for schema in INPUTS:
        path = reference / schema.file
        label = _label(path)
        raw, found = read_checked(path, label)
        problems += found
        if raw is None:
            continue
        if schema is schemas.COUNTRIES:
            known = set(raw.get("iso3", []))
        codes = None if schema is schemas.COUNTRIES else known
        problems += validate.validate(raw, schema, label, codes, countries_label)
        raws[schema.name] = raw
    return raws, problems


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def check_events(raw, label: str, treaty_key: str | None = None) -> list[str]:
    """Rules across rows of the events table: duplicates, impossible dates, Art. 17 and Art. 20(3) (of
    ``treaty_key``, default Ottawa).
    """
    rules = treaties.get(treaty_key)
    signature_open = rules.signature_window
    today = inputcheck.today()
    problems = []
    first_row: dict[tuple[str, str], int] = {}
    dated: dict[tuple[str, str], tuple[int, dt.date]] = {}
    for idx, row in raw.iterrows():
        code, day = row["event_code"], _date(row["event_date"])
        where = f"{label} line {_line(idx)}"
        if day is None:
            continue
        kind = "join deposit" if code in JOIN_CODES else code
        if kind in ONCE_PER_COUNTRY:
            key = (row["iso3"], kind)
            if key in first_row:
                problems.append(
                    f"{where}, column event_code: duplicate {kind} for {row['iso3']} "
                    f"(already on line {first_row[key]}); a status-deciding event is recorded once"
                )
                continue
            first_row[key] = _line(idx)
            dated[key] = (_line(idx), day)
        accessed = _date(row["accessed_date"])
        after_today = day > today and code not in schemas.SCHEDULED_EVENT_CODES  # refused by inputcheck
        if accessed and day > accessed and code not in schemas.SCHEDULED_EVENT_CODES and not after_today:
            problems.append(
                f"{where}, column event_date: {day} is after the row's accessed_date {accessed}; "
                "only a scheduled date (entry into force, withdrawal taking effect) can lie ahead"
            )
        if code == "signature" and not signature_open[0] <= day <= signature_open[1]:
            problems.append(
                f"{where}, column event_date: signature on {day} is impossible: the Convention was open for "
                f"signature from {signature_open[0]} until its entry into force on {signature_open[1]} (Art. 15)"
            )
        if code in JOIN_CODES and day < rules.opened_for_signature:
            problems.append(
                f"{where}, column event_date: a deposit on {day} is before the Convention opened on "
                f"{rules.opened_for_signature}"
            )
    # Stored effective dates must follow from the deposits (Art. 17 and Art. 20(3)).
    for (iso3, kind), (line, day) in sorted(dated.items()):
        if kind == "entry_into_force":
            deposit = dated.get((iso3, "join deposit"))
            if deposit is None:
                problems.append(
                    f"{label} line {line}, column event_code: entry_into_force for {iso3} without a deposit row"
                )
            elif day != rules.entry_into_force_for(deposit[1]):
                problems.append(
                    f"{label} line {line}, column event_date: entry into force {day} contradicts Art. 17: the "
                    f"deposit on {deposit[1]} (line {deposit[0]}) gives {rules.entry_into_force_for(deposit[1])}"
                )
        if kind == "withdrawal_effective":
            deposit = dated.get((iso3, "withdrawal_deposit"))
            if deposit is None:
                problems.append(
                    f"{label} line {line}, column event_code: withdrawal_effective for {iso3} without a "
                    "withdrawal_deposit row"
                )
            elif day != rules.withdrawal_effective_for(deposit[1]):
                problems.append(
                    f"{label} line {line}, column event_date: withdrawal effective {day} contradicts Art. 20(3): "
                    f"the instrument deposited on {deposit[1]} (line {deposit[0]}) takes effect "
                    f"{rules.withdrawal_effective_for(deposit[1])}"
                )
        if kind == "withdrawal_deposit":
            eif = dated.get((iso3, "entry_into_force"))
            if eif is None or day <= eif[1]:
                problems.append(
                    f"{label} line {line}, column event_date: a withdrawal deposited on {day} needs the Convention "
                    f"in force for {iso3} before it"
                )
    return problems


def vote_tally(detail: str) -> tuple[str, str, str]:
    """Votes for/against/abstaining as stated in the detail text; blanks where the source gives none."""
    match = VOTE_PATTERNS[0].search(detail)
    if match:
        return match.group(1), match.group(2), match.group(3)
    match = VOTE_PATTERNS[1].search(detail)
    if match:
        return match.group(1), "", ""
    return "", "", ""


EVENT_ORDER = {"signature": 0, **{c: 1 for c in JOIN_CODES}, "entry_into_force": 2}


def tables(raws: dict) -> dict[str, list[dict]]:
    """The output tables (rows as dicts of strings), sorted."""
    events = []
    for row in raws[INPUT_EVENTS.name].to_dict("records"):
        votes = vote_tally(row["detail"]) if row["event_code"].startswith("parliament_vote") else ("", "", "")
        out = {}
        for col in schemas.TREATY_EVENTS.column_names:
            out[col] = votes[VOTE_COLUMNS.index(col)] if col in VOTE_COLUMNS else row[col]
        events.append(out)
    events.sort(
        key=lambda e: (
            e["iso3"],
            e["event_date"] or "9999",
            EVENT_ORDER.get(e["event_code"], 5),
            e["event_code"],
            e["detail"],
        )
    )

    def rows(schema, *sort_cols):
        records = [{c: r[c] for c in schema.column_names} for r in raws[schema.name].to_dict("records")]
        return sorted(records, key=lambda r: tuple(r[c] for c in sort_cols))

    return {
        schemas.COUNTRIES.file: rows(schemas.COUNTRIES, "iso3"),
        schemas.TREATY_EVENTS.file: events,
        schemas.TREATY_MILESTONES.file: rows(schemas.TREATY_MILESTONES, "event_date", "milestone_code"),
        schemas.STATES_PARTIES_COUNTS.file: rows(schemas.STATES_PARTIES_COUNTS, "count_date"),
        schemas.TREATY_CHECKS.file: rows(schemas.TREATY_CHECKS, "checked_date"),
    }


def csv_bytes(columns: list[str], rows: list[dict]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def check_outputs(folder: Path, reference: Path) -> list[str]:
    """Read the written tables back through the core: schemas, and the published-count checks."""
    problems = []
    for schema in OUTPUTS:
        try:
            load.read_table(schema, folder)
        except DataError as exc:
            problems += exc.problems
    if problems:
        return problems
    counts = load.read_table(schemas.STATES_PARTIES_COUNTS, folder)
    label = _label(reference / schemas.STATES_PARTIES_COUNTS.file)
    raw = load.read_raw(reference / schemas.STATES_PARTIES_COUNTS.file)
    line_of = {d: _line(i) for i, d in raw["count_date"].items()}
    for row in counts.itertuples():
        if row.role != "check":
            continue
        computed = treaty_days.states_parties_count(row.count_date, folder)
        if computed != row.states_parties:
            problems.append(
                f"{label} line {line_of[row.count_date.isoformat()]}, column states_parties: {row.states_parties} "
                f"on {row.count_date} but the events give {computed} (published count minus withdrawals effective)"
            )
    return problems


def build(reference: Path = REFERENCE, out: Path = REPO / "data") -> dict[str, int]:
    """Validate ``reference`` and write the treaty tables into ``out`` (all or nothing).

    Returns:
        Rows written per file name.

    Raises:
        Refused: listing every problem, one line each; ``out`` is left untouched.
    """
    reference, out = Path(reference), Path(out)
    raws, problems = read_inputs(reference)
    if INPUT_EVENTS.name in raws:
        problems += check_events(raws[INPUT_EVENTS.name], _label(reference / INPUT_EVENTS.file))
    if problems or len(raws) != len(INPUTS):
        raise Refused(problems)
    built = tables(raws)
    columns = {s.file: s.column_names for s in OUTPUTS}
    files = {name: csv_bytes(columns[name], rows) for name, rows in built.items()}

    def check(folder: Path) -> list[str]:
        try:
            return check_outputs(folder, reference)
        finally:
            forget_caches()

    problems = inputcheck.publish(out, files, check)  # the whole folder, or nothing
    forget_caches()
    if problems:
        raise Refused(problems)
    return {name: len(rows) for name, rows in built.items()}


def forget_caches() -> None:
    """The core memoises per folder path; a temporary folder's name can be reused (both treaty builds call it)."""
    load._cached_table.cache_clear()
    load._drawn.cache_clear()
    treaty._timelines_cached.cache_clear()
    treaty_days._anchors.cache_clear()
    treaty._names.cache_clear()
    treaty._checked_through.cache_clear()
    treaty_days._series.cache_clear()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=REFERENCE, help="folder of curated inputs")
    parser.add_argument("--out", type=Path, default=REPO / "data", help="where the tables go")
    args = parser.parse_args(argv)
    try:
        written = build(args.reference, args.out)
    except Refused as exc:
        for problem in exc.problems:
            print(f"build_treaty_data: {problem}", file=sys.stderr)
        print(f"build_treaty_data: {len(exc.problems)} problem(s); nothing in {args.out} was changed", file=sys.stderr)
        return 1
    for name, count in written.items():
        print(f"wrote {_label(args.out / name)}: {count} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
