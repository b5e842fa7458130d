"""Briefings (issue 19): the document model refuses every defect at once, the deck exports, the CLI."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flankmap.view import briefing, briefing_example

REPO = Path(__file__).resolve().parents[2]
EVIL = "<script>alert(1)</script>"


def _example() -> dict:
    return briefing_example.example().to_json()


def test_the_example_is_valid_and_round_trips_unchanged():
    b = briefing_example.example()
    assert len(b.slides) == 5
    text = b.dumps()
    assert briefing.parse(text) == b
    assert briefing.parse(text).dumps() == text


def _defective() -> tuple[dict, list[tuple[str, str]]]:
    """One document with 20+ kinds of defect, and (path, words) each problem must be reported with."""
    doc = _example()
    doc["flankmap_briefing"] = 2  # 1 wrong version
    doc["colour"] = "red"  # 2 unknown field
    doc["title"] = EVIL  # 3 markup in every text field ...
    doc["byline"] = '<img src=x onerror="alert(1)">'
    doc["marking"] = "X" * 61  # 4 too long
    s0, s1, s2, s3, s4 = doc["slides"]
    s0["view"]["fill"] = "nukes"  # 5 unknown fill
    s0["view"]["date"] = "1990-01-01"  # 6 date out of range
    s0["subtitle"] = EVIL
    s0["notes"] = "javascript:alert(1)"
    s1["view"]["date"] = "2025-13-45"  # 7 not a date
    s1["view"]["frame"] = "mars"  # 8 unknown frame
    s1["view"]["layers"] = ["tiles"]  # 9 unknown layer
    s1["title"] = EVIL
    s2["view"]["year"] = 1900  # 10 year out of range
    s2["view"]["compare"] = "2026-06-01"  # 11 compare after the date
    s3["id"] = s2["id"]  # 12 duplicate slide id
    anns = s2["annotations"]
    anns[0]["at"] = [10.0, 100.0]  # 13 annotation outside the frame
    anns[0]["text"] = EVIL
    anns[1]["id"] = anns[0]["id"]  # 14 duplicate annotation id
    anns.append({"id": "c", "kind": "circle", "at": [55, 25]})  # 15 unknown kind
    anns.append({"id": "d", "kind": "country", "iso3": "XXX"})  # 16 unknown country
    anns.append({"id": "e", "kind": "border", "segment": "AAA-BBB"})  # 17 unknown segment
    anns.append({"id": "f", "kind": "text", "at": [55, 25], "text": "x", "from": "2026-01-01", "to": "2025-01-01"})
    anns.append({"id": "g", "kind": "text", "text": "no point"})  # 19 text without a point
    anns.append({"id": "h", "kind": "arrow", "at": [55, 25], "head": "north"})  # 20 a head that is no point
    anns.append({"id": "bad id!", "kind": "country", "iso3": "POL"})  # 21 id with bad characters
    s4["annotations"] = [{"id": f"n{i}", "kind": "country", "iso3": "POL"} for i in range(41)]  # 22 too many
    s4["notes"] = "x" * 10_000_000  # 23 10 MB of text (the file is far over 256 KB)
    expected = [
        ("flankmap_briefing", "version 1"),
        ("colour", "Extra inputs"),
        ("title", "markup"),
        ("byline", "markup"),
        ("marking", "at most 60"),
        ("slides[0].view.fill", "Input should be"),
        ("slides[0].view.date", "outside the days covered"),
        ("slides[0].subtitle", "markup"),
        ("slides[0].notes", "markup"),
        ("slides[1].view.date", "date"),
        ("slides[1].view.frame", "Input should be"),
        ("slides[1].view.layers[0]", "Input should be"),
        ("slides[1].title", "markup"),
        ("slides[2].view.year", "greater than or equal"),
        ("slides[2].view.compare", "before the slide's date"),
        ("slides[3].id", "duplicate slide id"),
        ("slides[2].annotations[0].at", "outside the slide's frame"),
        ("slides[2].annotations[0].text", "markup"),
        ("slides[2].annotations[1].id", "duplicate annotation id"),
        ("slides[2].annotations[2].kind", "Input should be"),
        ("slides[2].annotations[3].iso3", "not a country on the map"),
        ("slides[2].annotations[4].segment", "not a border segment"),
        ("slides[2].annotations[5].to", "ends before it starts"),
        ("slides[2].annotations[6].at", "needs at"),
        ("slides[2].annotations[7].head", "tuple"),
        ("slides[2].annotations[8].id", "pattern"),
        ("slides[4].annotations", "at most 40"),
        ("slides[4].notes", "at most 4000"),
        ("", "at most 262,144 bytes"),
    ]
    return doc, expected


def test_a_document_with_twenty_kinds_of_defect_is_refused_with_every_problem():
    doc, expected = _defective()
    with pytest.raises(briefing.BriefingError) as caught:
        briefing.parse(json.dumps(doc))
    problems = caught.value.problems
    missing = [(p, w) for p, w in expected if not any(q == p and w in what for q, what in problems)]
    assert not missing, f"not reported: {missing}\ngot: {problems}"
    for line in caught.value.lines():  # no message echoes markup back
        assert "<script" not in line and "<img" not in line


def test_not_json_and_not_an_object_are_refused():
    for raw in (b"\xff\xfe", b"{", b"[]", b"null"):
        with pytest.raises(briefing.BriefingError):
            briefing.parse(raw)


def test_annotations_show_only_inside_their_date_range():
    b = briefing_example.example()
    poland = b.slides[4]
    ids = [a.id for a in briefing.annotations_on(poland.annotations, poland.view.date)]
    assert ids == ["pol", "kal"]
    before = briefing.annotations_on(poland.annotations, briefing.dt.date(2026, 2, 19))
    assert [a.id for a in before] == ["kal"]


def test_marking_presets_have_their_banner_colours():
    assert briefing.marking("TLP:CLEAR").ground == "#000000"
    assert briefing.marking("unclassified").ground == "#007A33"
    assert briefing.marking("Team only").ground == briefing.NEUTRAL[1]
    assert briefing.marking("  ") is None


def _cli(*args, cwd=REPO):
    return subprocess.run(
        [sys.executable, "-m", "flankmap", "deck", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_cli_refuses_the_defective_file_and_writes_nothing(tmp_path):
    doc, expected = _defective()
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "deck.pdf"
    run = _cli("--briefing", str(src), "--format", "pdf", "--out", str(out))
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) >= len(expected) + 1
    assert lines[-1].endswith("nothing written")
    assert "<script" not in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


def test_cli_bad_arguments_exit_2_with_one_line(tmp_path):
    for args in (("--format", "pdf"), ("--briefing", str(tmp_path / "none.json"), "--format", "pdf", "--out", "x")):
        run = _cli(*args)
        assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1, run.stderr


def test_cli_deck_pptx_opens_in_libreoffice_as_five_pages_and_pdf_has_five_pages(tmp_path):
    src = tmp_path / "ex.json"
    src.write_text(_cli("--example").stdout, encoding="utf-8")
    for fmt in ("pptx", "pdf"):
        run = _cli("--briefing", str(src), "--format", fmt, "--out", str(tmp_path / f"deck.{fmt}"))
        assert run.returncode == 0, run.stderr
    again = _cli("--briefing", str(src), "--format", "pdf", "--out", str(tmp_path / "deck.pdf"))
    assert again.returncode == 2 and "--force" in again.stderr
    from pypdf import PdfReader

    assert len(PdfReader(tmp_path / "deck.pdf").pages) == 5
    from pptx import Presentation

    prs = Presentation(tmp_path / "deck.pptx")
    assert len(prs.slides) == 5
    texts = [sh.text_frame.text for sh in prs.slides[2].shapes if sh.has_text_frame]
    assert "The Baltic withdrawals take effect" in texts and "Belarus" in texts  # editable text boxes
    assert "Sources:" in prs.slides[2].notes_slide.notes_text_frame.text
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (Debian libreoffice-impress) is needed: .ci/run installs it"
    profile = tmp_path / "lo-profile"
    conv = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "lo"), str(tmp_path / "deck.pptx")],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert conv.returncode == 0, conv.stderr
    assert len(PdfReader(tmp_path / "lo" / "deck.pdf").pages) == 5


def test_one_slide_round_trips_through_the_compact_link_parameter():
    b = briefing_example.example()
    text = briefing.to_link_param(b, 2)
    assert text.startswith("1.") and len(text) <= briefing.MAX_LINK_PARAM
    back = briefing.from_link_param(text)
    assert back.slides == (b.slides[2],) and back.marking == b.marking
    doc = b.to_json()
    doc["slides"][0]["notes"] = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(3000))  # incompressible
    assert briefing.to_link_param(briefing.validate(doc), 0) is None  # too long: the page says download the file
    for bad in ("2.abc", "1.", "1.!!!", "1." + "A" * 50, "x"):
        with pytest.raises(briefing.BriefingError):
            briefing.from_link_param(bad)


def test_powerpoint_pictures_leave_the_title_to_the_text_box():
    """The picture carries no title of its own (else the editable box doubles it), with or without own title."""
    from flankmap.render import static_annotations
    from flankmap.view import model

    b = briefing_example.example()
    doc = b.to_json()
    doc["slides"][0]["title"] = ""
    b = briefing.validate(doc)
    for slide in b.slides[:2]:
        d = static_annotations.decor_of(b, slide, editable=True)
        h = static_annotations.heading(model.view_of(slide.view.state()).heading, d)
        assert h.title == ""
