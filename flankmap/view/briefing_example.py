"""The example briefing: the 2025–26 withdrawals in five slides (``python -m flankmap deck --example``)."""

from __future__ import annotations

from flankmap.view import briefing


def example() -> briefing.Briefing:
    """The 2025–26 withdrawals in five slides, the dates those of data/treaty_events.csv."""
    slides = [
        (
            "before",
            "2025-06-26",
            None,
            "Before the notifications",
            "The Baltic states, Finland and Poland are States Parties",
            [],
        ),
        (
            "deposit",
            "2025-06-27",
            None,
            "Instruments of withdrawal deposited",
            "Estonia, Latvia and Lithuania, 27 June 2025",
            [
                {"id": "gap", "kind": "border", "segment": "suwalki-gap", "text": "Suwałki Gap"},
            ],
        ),
        (
            "baltic",
            "2025-12-27",
            "2025-06-26",
            "The Baltic withdrawals take effect",
            "Six months after the deposit",
            [
                {
                    "id": "note",
                    "kind": "text",
                    "at": [57.2, 27.5],
                    "text": "Withdrawal effective for EST, LVA, LTU",
                    "from": "2025-12-27",
                },
                {"id": "arrow", "kind": "arrow", "at": [55.2, 24.0], "head": [54.2, 27.5], "text": "Belarus"},
            ],
        ),
        (
            "finland",
            "2026-01-10",
            None,
            "Finland follows",
            "Its withdrawal takes effect on 10 January 2026",
            [
                {"id": "fin", "kind": "country", "iso3": "FIN", "text": "Finland"},
            ],
        ),
        (
            "poland",
            "2026-02-20",
            "2025-06-26",
            "Poland: the last of the five",
            "Compared with the day before the notifications",
            [
                {"id": "pol", "kind": "country", "iso3": "POL", "text": "Poland", "from": "2026-02-20"},
                {"id": "kal", "kind": "text", "at": [54.7, 20.5], "text": "Kaliningrad (Russia)"},
            ],
        ),
    ]
    doc = {
        "flankmap_briefing": briefing.VERSION,
        "title": "The eastern flank leaves the mine ban, 2025–26",
        "byline": "Flankmap example",
        "marking": briefing.DEFAULT_MARKING,
        "slides": [
            {
                "id": sid,
                "view": {"date": day, "frame": "baltic", **({"compare": cmp} if cmp else {})},
                "title": title,
                "subtitle": sub,
                "notes": f"{title}. Map date {day}.",
                "annotations": anns,
            }
            for sid, day, cmp, title, sub, anns in slides
        ],
    }
    return briefing.validate(doc)
