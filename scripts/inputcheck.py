"""Checks every build applies to the curated inputs before it writes anything, and the all-or-nothing publish.

- :func:`read_text` reads a file as UTF-8; a byte that is not UTF-8 is reported with its line (and CSV column).
- :func:`cell_problems` refuses cells a person or a spreadsheet could be fooled by: control characters (C0 and
  C1, DEL), bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069), invisible zero-width characters
  (U+200B-U+200D, U+2060, U+FEFF), and cells starting with ``=``, ``+``, ``-`` or ``@`` (a spreadsheet runs
  them as formulas: CSV injection). Each problem names file, line and column.
- :func:`future_date_problems` refuses an ``accessed_date``, ``checked_date`` or event date after today: a source
  cannot have been read tomorrow. Dates a treaty fixes in advance (entry into force, a withdrawal taking effect)
  are derived from a deposit by the build's article checks and are exempt. ``FLANKMAP_TODAY`` pins today.
- :func:`publish` moves a whole built folder into place: readers see the old ``data/`` or the new one, never a
  mix (a rename exchange where the system has one, else two renames a moment apart).
"""

from __future__ import annotations

import csv
import ctypes
import ctypes.util
import datetime as dt
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flankmap.data import schemas  # noqa: E402
from flankmap.domain import treaty  # noqa: E402

BIDI = {*range(0x202A, 0x202F), *range(0x2066, 0x206A)}
ZERO_WIDTH = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF}
FORMULA_START = ("=", "+", "-", "@")
DATE_COLUMNS_CHECKED = ("accessed_date", "checked_date", "event_date")


def today() -> dt.date:
    """Today, as the app counts it (``FLANKMAP_TODAY`` pins it)."""
    return treaty.current_day()


def _char_problem(ch: str) -> str | None:
    code = ord(ch)
    if code < 0x20 or code == 0x7F or 0x80 <= code <= 0x9F:
        return f"control character U+{code:04X}"
    if code in BIDI:
        return f"bidirectional control character U+{code:04X} (it can reorder what a reader sees)"
    if code in ZERO_WIDTH:
        return f"invisible zero-width character U+{code:04X}"
    return None


def cell_problem(value: str) -> str | None:
    """Why one cell is refused, or None."""
    for ch in value:
        why = _char_problem(ch)
        if why:
            return f"contains a {why}; remove it"
    if value.startswith(FORMULA_START):
        return f"starts with {value[0]!r}, which a spreadsheet runs as a formula; reword the cell"
    return None


def read_text(path: Path, label: str) -> tuple[str | None, list[str]]:
    """The file as text, or None and one problem naming the line (and CSV column) of the first non-UTF-8 byte."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        where = f"{label} line {line}"
        header = data.split(b"\n", 1)[0].decode("utf-8", "replace").strip("\r").split(",")
        if path.suffix == ".csv" and line > 1:
            prefix = data[line_start : exc.start].decode("utf-8", "replace")
            index = len(next(csv.reader([prefix + "x"]))) - 1
            if index < len(header):
                where += f", column {header[index]}"
        bad = data[exc.start : exc.start + 1].hex()
        return None, [f"{where}: byte 0x{bad} is not UTF-8; save the file as UTF-8"]


def cell_problems(rows: Iterable[dict], label: str, first_line: int = 2) -> list[str]:
    """One problem per refused cell of ``rows`` (dicts of strings, in file order)."""
    problems = []
    for i, row in enumerate(rows):
        for column, value in row.items():
            why = cell_problem(value or "") if isinstance(value, str) else None
            if why:
                problems.append(f"{label} line {first_line + i}, column {column}: {why}")
    return problems


def future_date_problems(
    rows: Iterable[dict], label: str, day: dt.date, scheduled: Callable[[dict], bool] = lambda r: False
) -> list[str]:
    """One problem per date in :data:`DATE_COLUMNS_CHECKED` after ``day`` (rows ``scheduled`` exempt events)."""
    problems = []
    for i, row in enumerate(rows):
        for column in DATE_COLUMNS_CHECKED:
            text = row.get(column) or ""
            try:
                when = dt.date.fromisoformat(text) if len(text) == 10 else None
            except ValueError:
                when = None
            if when is None or when <= day:
                continue
            if column == "event_date" and scheduled(row):
                continue
            problems.append(
                f"{label} line {i + 2}, column {column}: {when} is after today ({day}); a source cannot be read "
                "or an event recorded before it happens (a scheduled date is derived from its deposit)"
            )
    return problems


def scheduled_event(row: dict) -> bool:
    """True for the events a treaty fixes in advance (their dates are checked against Art. 17 / Art. 20(3))."""
    return row.get("event_code") in schemas.SCHEDULED_EVENT_CODES


def csv_rows(text: str) -> list[dict]:
    """Rows of a CSV text as dicts of strings."""
    return list(csv.DictReader(io.StringIO(text)))


# --- all-or-nothing publish ----------------------------------------------------------------------------------
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where the system has no such call."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    done = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return done == 0


def _link_or_copy(src: str, dst: str) -> str:
    try:
        os.link(src, dst)  # unchanged files: a hard link (same bytes, same mtime); changed ones are replaced
    except OSError:
        shutil.copy2(src, dst)
    return dst


def publish(out: Path, files: dict[str, bytes], check: Callable[[Path], list[str]]) -> list[str]:
    """Write ``files`` into a full copy of ``out``, run ``check`` on it, and only then put the copy in its place.

    Returns the problems ``check`` found (then ``out`` is untouched and the copy is gone), or [] when the new
    folder is in place. The copy sits beside ``out`` (same filesystem), named ``.<name>-build-*``.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent))
    try:
        new = stage / out.name
        if out.is_dir():
            shutil.copytree(out, new, copy_function=_link_or_copy)
        else:
            new.mkdir()
        for name, data in files.items():
            target = new / name
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, target)  # a new inode: the hard link to the old file is left alone
        problems = check(new)
        if problems:
            return problems
        if not out.exists():
            os.rename(new, out)
        elif not _exchange(new, out):
            old = stage / f"{out.name}.old"
            os.rename(out, old)
            try:
                os.rename(new, out)
            except OSError:
                os.rename(old, out)
                raise
        return []
    finally:
        shutil.rmtree(stage, ignore_errors=True)
