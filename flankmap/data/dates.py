"""The one strict ISO date rule (``YYYY-MM-DD``), shared by the schemas, the URL state and the CLI."""

from __future__ import annotations

import datetime as dt
import re

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_iso_day(text: str) -> dt.date:
    """Parse exactly ``YYYY-MM-DD``.

    ``date.fromisoformat`` alone also takes ``20251227`` and week dates such as ``2025-W52-6``, which a
    person did not mean as a day; those are refused here.

    Args:
        text: the text to read.

    Returns:
        The day.

    Raises:
        ValueError: ``text`` is not a real calendar day written as ``YYYY-MM-DD``.
    """
    if not isinstance(text, str) or not _ISO_DAY.fullmatch(text):
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)")
    return dt.date.fromisoformat(text)
