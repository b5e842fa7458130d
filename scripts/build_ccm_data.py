"""Build the Convention on Cluster Munitions (CCM) tables in ``data/`` from the UN depositary record in ``reference/``.

Inputs (nothing outside the repository is read):
- ``reference/untc/XXVI-6_status_2026-02-03.html``  the UN Treaty Collection status page (chapter XXVI-6), an
  unmodified copy listed with its sha256 in ``reference/MANIFEST.csv``: participant table (signature, provisional
  application ``n``, ratification / acceptance ``A`` / approval ``AA`` / accession ``a``), end notes (a withdrawal
  shows as bracketed dates plus a note with its deposit and effective dates and the C.N. notification), and the
  header (``STATUS AS AT``, signatories, parties).
- ``reference/ccm/untc_participants.csv``  every UNTC participant name mapped to its ISO3 code by hand (UNTC
  names differ from common ones: "Czech Republic", "Republic of Moldova", ...). Tables join on ISO3 only; a
  participant missing from the mapping stops the build, so a country of ``reference/countries.csv`` that maps to
  no participant is provably absent from the record (never signed or joined).
- ``reference/ccm/ccm_events.csv``  curated rows the record does not hold (Lithuania's parliament votes, its
  note verbale, Kosovo's ineligibility, context notes), each with its source, access date and confidence. They
  add context and stages; signatures, deposits, entries into force and withdrawals come from the record only.
- ``reference/countries.csv``  the countries Flankmap shows (drawn or not), the same list as the Ottawa tables.

Outputs: ``data/ccm_events.csv`` (one row per event of every country in ``countries.csv``, the columns of
``treaty_events.csv``), ``data/ccm_states_parties_counts.csv`` (the worldwide count by deposit, computed from
every participant's deposit, a withdrawal counted out on its effective day: one row per day it changes) and
``data/ccm_checks.csv`` (the record's "status as at" day: the data's "checked through" date).

Rules: entry into force by Art. 17 (a deposit on or before 2010-02-16 takes 2010-08-01; a later one day 1 of
(deposit month + 6)); a withdrawal's effective date as the end note states it, checked against Art. 20(3) (six
months after the deposit, same calendar day); signatures within Art. 15's window; the computed parties and
signatories must equal the record's header. Every problem is one line naming file, line and column, and then
nothing in ``data/`` changes (the whole folder is moved into place only when every check passes).

Usage: ``python scripts/build_ccm_data.py [--reference DIR] [--out DIR]``; exit 1 when anything is refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from flankmap.data import load, schemas, validate  # noqa: E402
from flankmap.data.validate import DataError  # noqa: E402
from flankmap.domain import treaties, treaty, treaty_days  # noqa: E402
from scripts import inputcheck  # noqa: E402
from scripts.build_treaty_data import INPUT_EVENTS, Refused, check_events, csv_bytes, forget_caches, read_checked  # noqa: E402

REFERENCE = REPO / "reference"
RULES = treaties.CCM
UNTC_PAGE = "untc/XXVI-6_status_2026-02-03.html"
NAMES = "ccm/untc_participants.csv"
CURATED = "ccm/ccm_events.csv"
UNTC_URL = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XXVI-6&chapter=26&clang=_en"
OUTPUTS = (schemas.CCM_EVENTS, schemas.CCM_STATES_PARTIES, schemas.CCM_CHECKS)
TABLE_COLUMNS = ("Participant", "Signature", "Provisional application", "Deposit")
DEPOSIT_KINDS = {
    "": ("ratification_deposit", "Instrument of ratification deposited with the UN Secretary-General"),
    "a": ("accession_deposit", "Instrument of accession deposited with the UN Secretary-General"),
    "A": ("acceptance_deposit", "Instrument of acceptance deposited with the UN Secretary-General"),
    "AA": ("approval_deposit", "Instrument of approval deposited with the UN Secretary-General"),
}
# Codes the depositary record decides; a curated row may not carry them (it would contradict or double the record).
RECORD_CODES = (
    "signature",
    *treaty.JOIN_DEPOSIT_CODES,
    "entry_into_force",
    "withdrawal_deposit",
    "withdrawal_effective",
)
DATE = re.compile(r"^(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})(?: (n|a|A|AA))?$")
MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), start=1)}
# The treaty's own dates as the page states them; the build checks flankmap.domain.treaties.CCM against them.
TREATY_DATES = {
    "adopted": r"Convention on Cluster Munitions Dublin, (\d{1,2} [A-Z][a-z]+ \d{4})",
    "opened_for_signature": r"opened for signature at Oslo, Norway, by all States on (\d{1,2} [A-Z][a-z]+ \d{4})",
    "general_entry_into_force": r"Entry into force : (\d{1,2} [A-Z][a-z]+ \d{4}), in accordance with article 17\(1\)",
}
WITHDRAWAL_NOTE = re.compile(
    r"On (\d{1,2} [A-Z][a-z]+ \d{4}), the Government of .+? deposited with the Secretary-General a notification of "
    r"withdrawal\. The withdrawal took effect for .+? on (\d{1,2} [A-Z][a-z]+ \d{4}) in accordance with article 20 "
    r"\(3\)"
)


@dataclass
class Participant:
    """One row of the UNTC participant table, as printed (dates parsed, brackets noted)."""

    name: str
    line: int
    note: str | None
    signature: dt.date | None = None
    provisional: dt.date | None = None
    deposit: dt.date | None = None
    deposit_kind: str = ""
    bracketed: bool = False


@dataclass
class Record:
    """What the status page says: its date, header figures, treaty dates, participants and end notes."""

    as_at: dt.date | None = None
    treaty_dates: dict[str, dt.date] = field(default_factory=dict)  # adopted, opened, in_force
    signatories: int | None = None
    parties: int | None = None
    participants: list[Participant] = field(default_factory=list)
    notes: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # number -> (text, C.N. link)


class _TableParser(HTMLParser):
    """Rows of the participant grid (the table whose id ends in ``_tblgrid``), with the line each starts on."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.rows, self.row, self.cell, self.sup = 0, [], None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and (dict(attrs).get("id") or "").endswith("_tblgrid"):
            self.depth = 1
            return
        if not self.depth:
            return
        if tag == "table":
            self.depth += 1
        elif tag == "tr":
            self.row = {"line": self.getpos()[0], "cells": [], "sup": ""}
        elif tag == "td":
            self.cell = []
        elif tag == "sup":
            self.sup = []

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "sup" and self.sup is not None:
            self.row["sup"] = "".join(self.sup).strip()
            self.sup = None
        elif tag == "td" and self.cell is not None:
            self.row["cells"].append(re.sub(r"\s+", " ", "".join(self.cell)).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None
        elif tag == "table":
            self.depth -= 1

    def handle_data(self, data):
        if self.sup is not None:
            self.sup.append(data)
        elif self.cell is not None:
            self.cell.append(data)


def untc_day(text: str) -> dt.date:
    """A UNTC date as printed ("3 Dec 2008", "6 September 2024"), never converted between time zones."""
    day, month, year = text.split()
    number = MONTHS.get(month[:3])
    if number is None:
        raise ValueError(text)
    return dt.date(int(year), number, int(day))


def parse_record(text: str, label: str) -> tuple[Record, list[str]]:
    """The status page read into a :class:`Record`, and one problem per cell it cannot read."""
    record, problems = Record(), []
    as_at = re.search(r"STATUS AS AT : (\d{2})-(\d{2})-(\d{4})", text)
    header = re.search(r"Signatories :\s*(\d+)\.\s*Parties :\s*(\d+)", text)
    if not as_at or not header:
        return record, [f"{label}: no 'STATUS AS AT' date or 'Signatories : N. Parties : N' header found"]
    record.as_at = dt.date(int(as_at.group(3)), int(as_at.group(2)), int(as_at.group(1)))
    plain = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))
    for key, pattern in TREATY_DATES.items():
        found = re.search(pattern, plain)
        if found:
            record.treaty_dates[key] = untc_day(found.group(1))
    record.signatories, record.parties = int(header.group(1)), int(header.group(2))
    for number, body in re.findall(r"<a name='(\d+)'>\d+</a><index></index>(.*?)</div>", text, flags=re.S):
        link = re.search(r"href='(https://treaties\.un\.org/doc/Publication/CN/[^']+)'", body)
        plain = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))).strip()
        record.notes[number] = (plain, link.group(1) if link else None)
    grid = _TableParser()
    grid.feed(text)
    if not grid.rows or grid.rows[0]["cells"][:1] != ["Participant"]:
        return record, [f"{label}: no participant table (id ending in _tblgrid) found"]
    for row in grid.rows[1:]:
        where = f"{label} line {row['line']}"
        cells = row["cells"]
        if len(cells) != 4:
            problems.append(f"{where}, column Participant: {len(cells)} cells, expected 4")
            continue
        part = Participant(name=cells[0], line=row["line"], note=row["sup"] or None)
        for column, raw in zip(TABLE_COLUMNS[1:], cells[1:], strict=True):
            value = raw
            if value.startswith("[") and value.endswith("]"):
                part.bracketed, value = True, value[1:-1].strip()
            if not value:
                continue
            match = DATE.match(value)
            suffix = match.group(4) or "" if match else ""
            allowed = {"Signature": ("",), "Provisional application": ("n",), "Deposit": tuple(DEPOSIT_KINDS)}
            if not match or suffix not in allowed[column]:
                problems.append(f"{where}, column {column}: {raw!r} is not a date as UNTC prints it for this column")
                continue
            try:
                day = untc_day(" ".join(match.group(1, 2, 3)))
            except ValueError:
                problems.append(f"{where}, column {column}: {raw!r} is not a date")
                continue
            if column == "Signature":
                part.signature = day
            elif column == "Provisional application":
                part.provisional = day
            else:
                part.deposit, part.deposit_kind = day, suffix
        record.participants.append(part)
    return record, problems


def read_names(path: Path, label: str, record: Record, page_label: str) -> tuple[dict[str, str], list[str]]:
    """UNTC name -> ISO3 from the hand-made mapping; every participant must be mapped, every mapped name present."""
    raw, problems = read_checked(path, label)
    if raw is None:
        return {}, problems
    names: dict[str, str] = {}
    seen_iso3: dict[str, int] = {}
    for i, row in enumerate(raw.to_dict("records")):
        line, name, iso3 = i + 2, row.get("untc_participant", ""), row.get("iso3", "")
        if not validate.ISO3_PATTERN.match(iso3):
            problems.append(f"{label} line {line}, column iso3: {iso3!r} is not an ISO 3166-1 alpha-3 code")
        elif iso3 in seen_iso3:
            problems.append(f"{label} line {line}, column iso3: {iso3} already mapped on line {seen_iso3[iso3]}")
        elif name in names:
            problems.append(f"{label} line {line}, column untc_participant: {name!r} is mapped twice")
        else:
            names[name], seen_iso3[iso3] = iso3, line
    in_record = {p.name for p in record.participants}
    for i, row in enumerate(raw.to_dict("records")):
        if row.get("untc_participant") not in in_record:
            problems.append(
                f"{label} line {i + 2}, column untc_participant: {row.get('untc_participant')!r} is not a participant "
                f"in {page_label} (names must be spelt as UNTC prints them)"
            )
    for part in record.participants:
        if part.name not in names:
            problems.append(
                f"{page_label} line {part.line}, column Participant: {part.name!r} has no ISO3 in {label}; "
                "add the mapping row"
            )
    return names, problems


def check_record(record: Record, label: str) -> tuple[dict[str, tuple[dt.date, dt.date, str | None]], list[str]]:
    """Art. 15 / Art. 20(3) and end-note rules; returns each withdrawal (deposit, effective, C.N. link) by name."""
    problems, withdrawals = [], {}
    for key in TREATY_DATES:
        stated, declared = record.treaty_dates.get(key), getattr(RULES, key)
        if stated != declared:
            problems.append(
                f"{label}: the page states {key.replace('_', ' ')} {stated or 'nowhere'}, flankmap.domain.treaties.CCM "
                f"declares {declared}"
            )
    deposits = sorted(p.deposit for p in record.participants if p.deposit)
    if len(deposits) >= 30 and deposits[29] != RULES.threshold_deposit:
        problems.append(
            f"{label}: the 30th instrument (Art. 17(1)) was deposited on {deposits[29]}, flankmap.domain.treaties.CCM "
            f"declares {RULES.threshold_deposit}"
        )
    first, last = RULES.signature_window
    for part in record.participants:
        where = f"{label} line {part.line}"
        if part.signature and not first <= part.signature <= last:
            problems.append(
                f"{where}, column Signature: {part.signature} is outside Art. 15's window ({first} to {last})"
            )
        if part.deposit and part.deposit < RULES.opened_for_signature:
            problems.append(f"{where}, column Deposit: {part.deposit} is before the opening for signature")
        if not part.bracketed:
            continue
        note = record.notes.get(part.note or "")
        match = WITHDRAWAL_NOTE.search(note[0]) if note else None
        if match is None or part.deposit is None:
            problems.append(
                f"{where}, column Participant: {part.name} is bracketed (withdrawn) but its end note gives no "
                "withdrawal deposit and effective date"
            )
            continue
        deposit, effective = untc_day(match.group(1)), untc_day(match.group(2))
        if effective != RULES.withdrawal_effective_for(deposit):
            problems.append(
                f"{where}, column Participant: the end note's effective date {effective} contradicts Art. 20(3): "
                f"the notification deposited on {deposit} takes effect {RULES.withdrawal_effective_for(deposit)}"
            )
        withdrawals[part.name] = (deposit, effective, note[1])
    return withdrawals, problems


def count_series(record: Record, withdrawals: dict, accessed: str) -> list[dict]:
    """The worldwide States-Parties count by deposit: +1 on each participant's deposit day, -1 on the day a
    withdrawal takes effect; one row per day it changes.
    """
    changes: dict[dt.date, dict[str, list[str]]] = {}
    for part in record.participants:
        if part.deposit:
            changes.setdefault(part.deposit, {"in": [], "out": []})["in"].append(part.name)
    for name, (_, effective, _) in withdrawals.items():
        changes.setdefault(effective, {"in": [], "out": []})["out"].append(name)
    rows, total = [], 0
    for day in sorted(changes):
        joined, left = changes[day]["in"], changes[day]["out"]
        total += len(joined) - len(left)
        parts = []
        if joined:
            parts.append(f"deposit{'s' if len(joined) > 1 else ''}: {'; '.join(sorted(joined))}")
        if left:
            parts.append(f"withdrawal takes effect: {'; '.join(sorted(left))}")
        rows.append(
            {
                "count_date": day.isoformat(),
                "states_parties": str(total),
                "convention": "by_deposit",
                "basis": ". ".join(parts),
                "source_title": f"UN Treaty Collection XXVI-6 (status as at {record.as_at})",
                "source_url": UNTC_URL,
                "accessed_date": accessed,
                "confidence": "confirmed-in-source",
            }
        )
    return rows


def _event(iso3, code, day, detail, title, url, accessed) -> dict:
    return {
        "iso3": iso3,
        "event_code": code,
        "event_date": day.isoformat() if day else "",
        "detail": detail,
        "vote_for": "",
        "vote_against": "",
        "vote_abstain": "",
        "source_title": title,
        "source_url": url,
        "accessed_date": accessed,
        "confidence": "confirmed-in-source",
    }


def record_events(
    record: Record, names: dict[str, str], withdrawals: dict, countries: list[str], explained: set[str] = frozenset()
) -> list[dict]:
    """Events of every country in ``countries`` read from the record; absent countries get a ``never_joined`` row
    (unless a curated row, in ``explained``, says why: Kosovo cannot accede).
    """
    title = f"UN Treaty Collection XXVI-6 (status as at {record.as_at})"
    accessed = record.as_at.isoformat()
    by_iso3 = {names[p.name]: p for p in record.participants if p.name in names}
    rows = []
    for iso3 in countries:
        part = by_iso3.get(iso3)
        if part is None:
            if iso3 in explained:
                continue
            rows.append(
                _event(
                    iso3,
                    "never_joined",
                    None,
                    f"Not in the depositary's participant table (status as at {record.as_at}): never signed, ratified "
                    "or acceded",
                    title,
                    UNTC_URL,
                    accessed,
                )
            )
            continue
        mark = " (bracketed in the depositary table since the withdrawal)" if part.bracketed else ""
        if part.signature:
            rows.append(_event(iso3, "signature", part.signature, f"Signed{mark}", title, UNTC_URL, accessed))
        if part.provisional:
            text = "Notified provisional application (Art. 18) pending entry into force; not yet bound"
            rows.append(_event(iso3, "context", part.provisional, text + mark, title, UNTC_URL, accessed))
        if part.deposit:
            code, text = DEPOSIT_KINDS[part.deposit_kind]
            rows.append(_event(iso3, code, part.deposit, text + mark, title, UNTC_URL, accessed))
            eif = RULES.entry_into_force_for(part.deposit)
            how = (
                f"Art. 17(1): deposited on or before {RULES.threshold_deposit}, the general date"
                if part.deposit <= RULES.threshold_deposit
                else "Art. 17(2): day 1 of the sixth month after the deposit month"
            )
            rows.append(
                _event(iso3, "entry_into_force", eif, f"In force for it ({how}; derived)", title, UNTC_URL, accessed)
            )
        if part.name in withdrawals:
            deposit, effective, link = withdrawals[part.name]
            cn = re.search(r"CN\.(\d+)\.(\d{4})", link or "")
            ref = f" (depositary notification C.N.{cn.group(1)}.{cn.group(2)}.TREATIES-XXVI-6)" if cn else ""
            url = link or UNTC_URL
            rows.append(
                _event(
                    iso3,
                    "withdrawal_deposit",
                    deposit,
                    f"Notification of withdrawal deposited with the UN Secretary-General{ref}",
                    title,
                    url,
                    accessed,
                )
            )
            rows.append(
                _event(
                    iso3,
                    "withdrawal_effective",
                    effective,
                    "Withdrawal takes effect (Art. 20(3): six months after the deposit, as the end note states)",
                    title,
                    url,
                    accessed,
                )
            )
    return rows


def check_curated(raw, label: str, names_by_iso3: set[str]) -> list[str]:
    """Curated rows add stages and context only; the record decides signatures, deposits and withdrawals."""
    problems = check_events(raw, label, RULES.key)
    for idx, row in raw.iterrows():
        where = f"{label} line {int(idx) + 2}, column event_code"
        if row["event_code"] in RECORD_CODES:
            problems.append(
                f"{where}: {row['event_code']} comes from the depositary record ({UNTC_PAGE}); curated rows add "
                "stages and context only"
            )
        if row["event_code"] in ("never_joined", "not_eligible") and row["iso3"] in names_by_iso3:
            problems.append(f"{where}: {row['iso3']} is a participant in the depositary record")
    return problems


EVENT_ORDER = {"signature": 0, **{c: 1 for c in treaty.JOIN_DEPOSIT_CODES}, "entry_into_force": 2}


def _sort_events(rows: list[dict]) -> list[dict]:
    return sorted(
        rows,
        key=lambda e: (
            e["iso3"],
            e["event_date"] or "9999",
            EVENT_ORDER.get(e["event_code"], 5),
            e["event_code"],
            e["detail"],
        ),
    )


def check_outputs(folder: Path, record: Record) -> list[str]:
    """Read the written tables back through the core: schemas, every drawn country, the record's header figures."""
    problems = []
    for schema in OUTPUTS:
        try:
            load.read_table(schema, folder)
        except DataError as exc:
            problems += exc.problems
    if problems:
        return problems
    try:
        drawn = load.drawn_iso3s(folder)
    except FileNotFoundError:
        drawn = []
    missing = sorted(set(drawn) - set(treaty.timelines(folder, RULES.key)))
    if missing:
        problems.append(f"{schemas.CCM_EVENTS.file}: no event for drawn {', '.join(missing)}")
    count = treaty_days.states_parties_count(record.as_at, folder, RULES.key)
    if count != record.parties:
        problems.append(
            f"{schemas.CCM_STATES_PARTIES.file}: {count} States Parties on {record.as_at} by the deposits, but the "
            f"record's header says {record.parties}"
        )
    return problems


def build(reference: Path = REFERENCE, out: Path = REPO / "data") -> dict[str, int]:
    """Validate the inputs and write the CCM tables into ``out`` (the whole folder moved into place, or nothing).

    Raises:
        Refused: listing every problem, one line each; ``out`` is left untouched.
    """
    reference, out = Path(reference), Path(out)
    page_path = reference / UNTC_PAGE
    page_label = _label(page_path)
    text, problems = inputcheck.read_text(page_path, page_label) if page_path.exists() else (None, [])
    if not page_path.exists():
        problems = [f"{page_label}: file not found"]
    record = Record()
    if text is not None:
        record, found = parse_record(text, page_label)
        problems += found
    names, found = read_names(reference / NAMES, _label(reference / NAMES), record, page_label)
    problems += found
    withdrawals, found = check_record(record, page_label)
    problems += found
    countries_path = reference / schemas.COUNTRIES.file
    countries, found = read_checked(countries_path, _label(countries_path))
    problems += found
    curated_label = _label(reference / CURATED)
    curated, found = read_checked(reference / CURATED, curated_label)
    problems += found
    if curated is not None and countries is not None:
        known = set(countries["iso3"])
        problems += validate.validate(curated, INPUT_EVENTS, curated_label, known, _label(countries_path))
        problems += check_curated(
            curated, curated_label, {names[p.name] for p in record.participants if p.name in names}
        )
    signed = sum(1 for p in record.participants if p.signature and not p.bracketed)
    if record.signatories is not None and signed != record.signatories:
        problems.append(f"{page_label}: {signed} signatures in the table, the header says {record.signatories}")
    if problems or countries is None or curated is None or record.as_at is None:
        raise Refused(problems)
    iso3s = sorted(countries["iso3"])
    undated = curated[curated["event_code"].isin(("never_joined", "not_eligible"))]
    events = record_events(record, names, withdrawals, iso3s, set(undated["iso3"]))
    columns = schemas.CCM_EVENTS.column_names
    for row in curated.to_dict("records"):
        events.append({c: row.get(c, "") for c in columns})
    events = _sort_events(events)
    accessed = record.as_at.isoformat()
    counts = count_series(record, withdrawals, accessed)
    checks = [
        {
            "checked_date": accessed,
            "scope": "Convention on Cluster Munitions: UN depositary record (UN Treaty Collection XXVI-6)",
            "finding": f"Status page as at {record.as_at}: {len(record.participants)} participants, "
            f"{record.signatories} signatories, {record.parties} parties; {len(withdrawals)} withdrawal(s)",
            "reference": UNTC_PAGE,
        }
    ]
    built = {
        schemas.CCM_EVENTS.file: events,
        schemas.CCM_STATES_PARTIES.file: counts,
        schemas.CCM_CHECKS.file: checks,
    }
    files = {s.file: csv_bytes(s.column_names, built[s.file]) for s in OUTPUTS}

    def check(folder: Path) -> list[str]:
        try:
            return check_outputs(folder, record)
        finally:
            forget_caches()

    problems = inputcheck.publish(out, files, check)
    forget_caches()
    if problems:
        raise Refused(problems)
    return {name: len(rows) for name, rows in built.items()}


def _label(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO).as_posix()
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=REFERENCE, help="folder of curated inputs")
    parser.add_argument("--out", type=Path, default=REPO / "data", help="where the tables go")
    args = parser.parse_args(argv)
    try:
        written = build(args.reference, args.out)
    except Refused as exc:
        for problem in exc.problems:
            print(f"build_ccm_data: {problem}", file=sys.stderr)
        print(f"build_ccm_data: {len(exc.problems)} problem(s); nothing in {args.out} was changed", file=sys.stderr)
        return 1
    for name, count in written.items():
        print(f"wrote {_label(args.out / name)}: {count} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
