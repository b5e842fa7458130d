"""A briefing: a small versioned JSON document of views (slides) with own titles, a handling marking and dated
annotations. The words of markings and their presets live here; renderers only format them.

``{"flankmap_briefing": 1, "title": ..., "byline": ..., "marking": "PUBLIC", "slides": [...]}``; a slide is
``{"id", "view": {date, fill, year, frame, layers, compare, treaty}, "title", "subtitle", "notes",
"annotations": [...]}``; an annotation is ``{"id", "kind": text|arrow|country|border, "text", "at": [lat, lon],
"head": [lat, lon] (arrow), "iso3" (country), "segment" (border), "from", "to"}``.

:func:`parse` refuses an invalid document with every problem listed as ``(path, what is wrong)``: the
structure is checked by the pydantic model (:class:`Briefing`), the meaning (dates covered, points inside the
frame, known countries and segments, unique ids, no markup) by :func:`_meaning`, which reads the raw document
so that a structural error elsewhere hides nothing. Nothing is half-loaded: it is all or nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from flankmap.data import load
from flankmap.data.load import DATA_DIR
from flankmap.domain import intervals
from flankmap.view import symbology as sym
from flankmap.view import urlstate

VERSION = 1
MAX_BYTES = 256 * 1024
MAX_SLIDES = 60
MAX_ANNOTATIONS = 40
KINDS = ("text", "arrow", "country", "border")
TREATIES = urlstate.TREATIES  # ottawa, ccm, both: whose status the slide's map shows
MAX_PROBLEMS = 200  # a listing longer than this ends with "... and N more"


@dataclass(frozen=True)
class Marking:
    """A handling marking's banner: the text and its colours."""

    text: str
    ink: str
    ground: str


# Presets and their banner colours (ink, ground): declared in symbology with every other colour.
NEUTRAL = sym.MARKING_NEUTRAL
PRESETS = sym.MARKING_COLOURS
DEFAULT_MARKING = "PUBLIC"


def marking(text: str | None) -> Marking | None:
    """The banner of a marking text (None for an empty marking: no banner)."""
    text = (text or "").strip()
    if not text:
        return None
    ink, ground = PRESETS.get(text.upper(), NEUTRAL)
    return Marking(text, ink, ground)


# --------------------------------------------------------------------------------------------------------------
# Structure (pydantic)
# --------------------------------------------------------------------------------------------------------------
Id = Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")
Point = tuple[float, float]  # [lat, lon]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class View(_Strict):
    """The view a slide shows (the fields of a shared link)."""

    date: dt.date
    fill: Literal["status", "spending", "spending_nato"] = "status"
    year: int | None = Field(None, ge=urlstate.SPEND_YEARS[0], le=urlstate.SPEND_YEARS[1])
    frame: Literal[tuple(urlstate.AREAS)] = urlstate.DEFAULT_AREA
    layers: tuple[Literal[urlstate.LAYERS], ...] = urlstate.DEFAULT_LAYERS
    compare: dt.date | None = None
    treaty: Literal[TREATIES] = "ottawa"

    def state(self) -> urlstate.ViewState:
        """The view as a :class:`urlstate.ViewState` (what every renderer takes)."""
        return urlstate.ViewState(
            day=self.date,
            layers=tuple(x for x in urlstate.LAYERS if x in self.layers),
            fill=self.fill,
            spend_year=self.year,
            area=self.frame,
            compare_day=self.compare,
            treaty=self.treaty,
        ).normalised()


class Annotation(_Strict):
    """A text callout at a point, an arrow from ``at`` to ``head``, or a highlighted country or border segment."""

    id: str = Id
    kind: Literal[KINDS]
    text: str = Field("", max_length=280)
    at: Point | None = None
    head: Point | None = None
    iso3: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    segment: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]{1,40}$")
    from_: dt.date | None = Field(None, alias="from")
    to: dt.date | None = None

    def shown_on(self, day: dt.date) -> bool:
        """Whether the map date is inside the annotation's range (both ends included)."""
        return (self.from_ is None or self.from_ <= day) and (self.to is None or day <= self.to)

    def to_json(self) -> dict:
        """The annotation as the document (and the runtime) writes it: empty fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=False)


class Slide(_Strict):
    """One view with its own words and annotations."""

    id: str = Id
    view: View
    title: str = Field("", max_length=120)
    subtitle: str = Field("", max_length=200)
    notes: str = Field("", max_length=4000)
    annotations: tuple[Annotation, ...] = Field((), max_length=MAX_ANNOTATIONS)


class Briefing(_Strict):
    """The document."""

    flankmap_briefing: Literal[1]
    title: str = Field(min_length=1, max_length=120)
    byline: str = Field("", max_length=120)
    marking: str = Field(DEFAULT_MARKING, max_length=60)
    slides: tuple[Slide, ...] = Field(min_length=1, max_length=MAX_SLIDES)

    def to_json(self) -> dict:
        """The document as JSON data (``parse(dumps(b.to_json()))`` gives ``b`` back)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    def dumps(self) -> str:
        """The document as indented JSON text."""
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------------------------------------------
# Parsing: every problem, or the whole document
# --------------------------------------------------------------------------------------------------------------
class BriefingError(ValueError):
    """An invalid briefing: ``problems`` lists ``(path, what is wrong)``, the message says the first."""

    def __init__(self, problems: list[tuple[str, str]]):
        """Keep the problems; the message names how many and the first."""
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the briefing; first: {problems[0][0]}: {problems[0][1]}")

    def lines(self) -> list[str]:
        """One line per problem (the listing is capped at :data:`MAX_PROBLEMS`)."""
        out = [f"{path or '(document)'}: {what}" for path, what in self.problems[:MAX_PROBLEMS]]
        if len(self.problems) > MAX_PROBLEMS:
            out.append(f"... and {len(self.problems) - MAX_PROBLEMS} more")
        return out


MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?]|javascript\s*:|&#|\bon[a-z]+\s*=", re.IGNORECASE)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TEXT_FIELDS = ("title", "byline", "marking", "subtitle", "notes", "text")


def _path(loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _structure(doc) -> list[tuple[str, str]]:
    try:
        Briefing.model_validate(doc)
    except ValidationError as exc:
        return [(_path(e["loc"]), _shown(e["msg"], e.get("input"))) for e in exc.errors()]
    return []


def _shown(msg: str, value) -> str:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = re.sub(r"[^\w\-.:, ]", "?", str(value))[:40]
        return f"{msg} (got {text!r})"
    return msg


def _day(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _inside(point, bounds) -> bool:
    (south, west), (north, east) = bounds
    try:
        lat, lon = float(point[0]), float(point[1])
    except (TypeError, ValueError, IndexError, KeyError):
        return True  # the structure check reports it
    return south <= lat <= north and west <= lon <= east


class _Checker:
    """The meaning checks of one document (see :func:`_meaning`)."""

    def __init__(self, data_dir: Path):
        """Read what the checks compare with: the covered days, the drawn countries, the border segments."""
        self.first, self.last = intervals.covered_range(data_dir)
        self.drawn = set(load.drawn_iso3s(data_dir))
        self.segments = set(load.table(load.schemas.BORDER_SEGMENTS, data_dir)["segment_id"])
        self.problems: list[tuple[str, str]] = []

    def text_fields(self, obj: dict, where: str) -> None:
        """Markup or control characters in any text field."""
        for key in TEXT_FIELDS:
            value = obj.get(key)
            if isinstance(value, str) and MARKUP.search(value):
                self.problems.append((f"{where}{key}", "markup (HTML or script) is not allowed; write plain text"))
            elif isinstance(value, str) and CONTROL.search(value):
                self.problems.append((f"{where}{key}", "control characters are not allowed in text"))

    def covered(self, value, where: str) -> dt.date | None:
        """The day of an ISO date field, with a problem if it is outside the days covered."""
        day = _day(value)
        if day is not None and not self.first <= day <= self.last:
            self.problems.append((where, f"{day} is outside the days covered, {self.first} to {self.last}"))
        return day

    def unique(self, seen: set, value, where: str, what: str) -> None:
        """A duplicate id."""
        if isinstance(value, str) and value in seen:
            self.problems.append((where, f"duplicate {what} id {_safe(value)!r}"))
        if isinstance(value, str):
            seen.add(value)

    def slide(self, slide: dict, where: str) -> None:
        """One slide: its texts, dates, and annotations."""
        self.text_fields(slide, where)
        view = slide.get("view") if isinstance(slide.get("view"), dict) else {}
        day = self.covered(view.get("date"), f"{where}view.date")
        compare = self.covered(view.get("compare"), f"{where}view.compare")
        if day and compare and compare >= day:
            self.problems.append((f"{where}view.compare", "the compare date must be before the slide's date"))
        key = view.get("treaty") if view.get("treaty") in TREATIES else urlstate.DEFAULT_TREATY
        for name, value in (("date", day), ("compare", compare)):
            if value and value < urlstate.first_day(key) and self.first <= value:
                self.problems.append((f"{where}view.{name}", f"{value} is before the first day of treaty {key}, "
                                      f"{urlstate.first_day(key)}"))  # fmt: skip
        frame = view.get("frame") if view.get("frame") in urlstate.AREAS else urlstate.DEFAULT_AREA
        bounds = urlstate.area(frame).bounds
        notes = slide.get("annotations") if isinstance(slide.get("annotations"), list) else []
        seen: set = set()
        for j, ann in enumerate(notes):
            if not isinstance(ann, dict):
                continue
            at = f"{where}annotations[{j}]."
            self.text_fields(ann, at)
            self.unique(seen, ann.get("id"), f"{at}id", "annotation")
            self.problems.extend(_annotation(ann, at, bounds, self.drawn, self.segments))
            start, end = self.covered(ann.get("from"), f"{at}from"), self.covered(ann.get("to"), f"{at}to")
            if start and end and end < start:
                self.problems.append((f"{at}to", "the range ends before it starts"))


def _meaning(doc, data_dir: Path) -> list[tuple[str, str]]:
    """What the structure cannot say: covered dates, points in the frame, known places, unique ids, no markup."""
    if not isinstance(doc, dict):
        return []
    check = _Checker(data_dir)
    check.text_fields(doc, "")
    slides = doc.get("slides") if isinstance(doc.get("slides"), list) else []
    seen: set = set()
    for i, slide in enumerate(slides):
        if isinstance(slide, dict):
            check.unique(seen, slide.get("id"), f"slides[{i}].id", "slide")
            check.slide(slide, f"slides[{i}].")
    return check.problems


def _annotation(ann: dict, at: str, bounds, drawn, segments) -> list[tuple[str, str]]:
    kind, out = ann.get("kind"), []
    needs = {"text": ("at", "text"), "arrow": ("at", "head"), "country": ("iso3",), "border": ("segment",)}
    for key in needs.get(kind, ()):
        if ann.get(key) in (None, ""):
            out.append((f"{at}{key}", f"a {kind} annotation needs {key}"))
    for key in ("at", "head"):
        if ann.get(key) is not None and not _inside(ann[key], bounds):
            out.append((f"{at}{key}", "the point is outside the slide's frame"))
    if kind == "country" and isinstance(ann.get("iso3"), str) and ann["iso3"] not in drawn:
        out.append((f"{at}iso3", f"{_safe(ann['iso3'])!r} is not a country on the map"))
    if kind == "border" and isinstance(ann.get("segment"), str) and ann["segment"] not in segments:
        out.append((f"{at}segment", f"{_safe(ann['segment'])!r} is not a border segment on the map"))
    return out


def _safe(value) -> str:
    return re.sub(r"[^\w\-.:, ]", "?", str(value))[:40]


def parse(raw: bytes | str, data_dir: Path = DATA_DIR) -> Briefing:
    """The briefing in ``raw`` (JSON text), or :class:`BriefingError` listing every problem."""
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    problems = []
    if len(data) > MAX_BYTES:
        problems.append(("", f"the file is {len(data):,} bytes; a briefing is at most {MAX_BYTES:,} bytes"))
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BriefingError([*problems, ("", f"not JSON text: {exc}")]) from None
    return validate(doc, data_dir, problems)


def validate(doc, data_dir: Path = DATA_DIR, problems=None) -> Briefing:
    """The briefing of a parsed JSON document, or :class:`BriefingError` listing every problem."""
    problems = list(problems or [])
    before = len(problems)
    if isinstance(doc, dict) and doc.get("flankmap_briefing") != VERSION:
        got = _safe(doc.get("flankmap_briefing"))
        problems.append(("flankmap_briefing", f"this is version {VERSION} of Flankmap briefings; the file says {got}"))
    versioned = len(problems) == before
    structure = [p for p in _structure(doc) if p[0] != "flankmap_briefing" or versioned]
    problems += structure + _meaning(doc, data_dir)
    if problems:
        raise BriefingError(problems)
    return Briefing.model_validate(doc)


def load_file(path: Path, data_dir: Path = DATA_DIR) -> Briefing:
    """The briefing in a file (at most :data:`MAX_BYTES` are read past the limit check)."""
    with open(path, "rb") as fh:
        data = fh.read(MAX_BYTES * 64 + 1)
    return parse(data, data_dir)


ANNOTATION_WORDS = {
    "heading": "Annotations on this view",
    "text": "Note at {lat}, {lon}: {text}",
    "arrow": "Arrow from {lat}, {lon} to {lat2}, {lon2}{text}",
    "country": "Highlighted country: {name}{text}",
    "border": "Highlighted border: {name}{text}",
}


def _deg(value: float, pos: str, neg: str) -> str:
    return f"{abs(value):.2f}° {pos if value >= 0 else neg}"


def describe(a: Annotation, names: dict[str, str]) -> str:
    """One annotation in words, for the text alternative (``names``: ISO3 or segment id -> name)."""
    values = {"text": a.text}
    if a.at:
        values |= {"lat": _deg(a.at[0], "N", "S"), "lon": _deg(a.at[1], "E", "W")}
    if a.head:
        values |= {"lat2": _deg(a.head[0], "N", "S"), "lon2": _deg(a.head[1], "E", "W")}
    if a.kind != "text":
        values["text"] = f": {a.text}" if a.text else ""
    key = a.iso3 if a.kind == "country" else a.segment
    values["name"] = names.get(key, key or "")
    return ANNOTATION_WORDS[a.kind].format(**values)


def annotations_on(annotations, day: dt.date) -> tuple[Annotation, ...]:
    """The annotations shown on ``day`` (``R.annotationsOn`` in the browser), in document order."""
    return tuple(a for a in annotations if a.shown_on(day))


LINK_VERSION = "1"
MAX_LINK_PARAM = 1800  # characters of the ``b`` parameter: longer links break in mail and chat clients


def to_link_param(b: Briefing, index: int) -> str | None:
    """One slide (its view, words and annotations) as the compact ``b`` URL parameter, or None when too long:
    ``1.`` + base64url(zlib(JSON)). The marking and the briefing's title go along.
    """
    import base64
    import zlib

    doc = {**b.to_json(), "slides": [b.slides[index].model_dump(mode="json", by_alias=True, exclude_none=True)]}
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    text = LINK_VERSION + "." + base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode("ascii").rstrip("=")
    return text if len(text) <= MAX_LINK_PARAM else None


def from_link_param(text: str, data_dir: Path = DATA_DIR) -> Briefing:
    """The one-slide briefing of a ``b`` parameter; :class:`BriefingError` for a bad or foreign one."""
    import base64
    import binascii
    import zlib

    version, _, body = (text or "").partition(".")
    if version != LINK_VERSION or not body or len(text) > MAX_LINK_PARAM:
        raise BriefingError([("b", f"not a version {LINK_VERSION} briefing link parameter")])
    try:
        raw = zlib.decompressobj().decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)), MAX_BYTES)
    except (binascii.Error, ValueError, zlib.error):
        raise BriefingError([("b", "the link parameter is damaged")]) from None
    return parse(raw, data_dir)
