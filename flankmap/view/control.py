"""The timeline control's words and settings: one control, two hosts.

The control (``static/flankmap/control.js``: slider with key-date ticks, previous/next key date, play with
speeds, typed date) runs in the one-file export (``timeline.js``) and beside the app's map (the Streamlit
component ``ui/timeline_control.py``). It builds itself from what this module declares: every label, note and
announcement, the play speeds, the keyboard's month step, how long a key-up must be followed by quiet before
the date counts as settled, and the theme colours (from :mod:`flankmap.view.symbology`). The browser only fills
in a date.
"""

from __future__ import annotations

from flankmap.view import symbology as sym

TEXTS = {
    "frame": "Timeline: the map's date",  # the app's control frame (its accessible name)
    "group": "Timeline",
    "prev": "\u25c0\ufe0e key",
    "prev_label": "Previous key date",
    "next": "key \u25b6\ufe0e",
    "next_label": "Next key date",
    "play": "Play",
    "pause": "Pause",
    "speed": "Speed",
    "date": "Date",
    "slider": "Map date (arrow keys: one day; Page Up and Page Down: one month; Home and End: first and last day)",
    "tick": "Key date {date}: {label}",
    # Said once when play starts (a polite live region); nothing per day.
    "playing": "Playing day by day. The date reached is announced when play stops.",
    "stopped": "Stopped on {date}.",
    "bad_date": "Ignored date '{value}': not a date (use YYYY-MM-DD); showing {shown}.",
    "out_of_range": "Date {value} is outside {first} to {last}, the days the data covers; showing {shown}.",
}
# (value, label): days per second, or one day per animation frame.
SPEEDS = (("1", "1 day/s"), ("7", "1 week/s"), ("30", "1 month/s"), ("frame", "1 day per frame"))
DEFAULT_SPEED = "30"
# A key-up ends a keyboard gesture once no other key step follows within this pause (a run of taps is one
# gesture, one message to the server); holding a key (auto-repeat) sends nothing until it is released.
SETTLE_PAUSE_MS = 100

# Theme of the control and of the file's boxes: symbology's colours only (CSS variables).
THEME = {
    "--fm-ink": sym.INK,
    "--fm-muted": sym.MUTED,
    "--fm-sea": sym.SEA,
    "--fm-frame": sym.FRAME,
    "--fm-paper": sym.COUNTRY_EDGE,
    "--fm-box": sym.COUNTRY_EDGE,
    "--fm-shadow": sym.FRAME,
    "--fm-link": sym.CHART["link"],
    "--fm-tick": sym.BORDER_STYLE["suwalki"].edge,
    "--fm-focus": sym.CHART["link"],
}


def theme_css() -> str:
    """The theme as one CSS rule on ``:root``."""
    return ":root{" + ";".join(f"{k}:{v}" for k, v in THEME.items()) + "}"


def settings(**texts: str) -> dict:
    """What the control needs besides the dates: its words (``texts`` overrides some), speeds, the settle pause.

    The app passes ``stopped=""``: there the server announces the date reached (and what changed) when play
    stops, in the page's live region.
    """
    unknown = set(texts) - set(TEXTS)
    if unknown:
        raise ValueError(f"unknown control texts: {sorted(unknown)}")
    return {
        "texts": {**TEXTS, **texts},
        "speeds": [list(s) for s in SPEEDS],
        "speed": DEFAULT_SPEED,
        "pause_ms": SETTLE_PAUSE_MS,
        "theme": dict(THEME),
    }
