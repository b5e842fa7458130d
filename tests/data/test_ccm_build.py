"""The CCM tables are rebuilt from the UN depositary record in reference/ byte for byte; bad inputs are refused."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from flankmap.data import schemas
from scripts import build_ccm_data as build

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
REFERENCE = REPO / "reference"
CCM_FILES = [s.file for s in build.OUTPUTS]
PAGE = build.UNTC_PAGE


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_rebuild_from_reference_matches_data_byte_for_byte(tmp_path):
    out = tmp_path / "data"
    shutil.copytree(DATA, out)
    for name in CCM_FILES:
        (out / name).unlink()
    written = build.build(REFERENCE, out)
    assert sorted(written) == sorted(CCM_FILES)
    for name in CCM_FILES:
        assert (out / name).read_bytes() == (DATA / name).read_bytes(), name
    assert written == {
        schemas.CCM_EVENTS.file: 131,
        schemas.CCM_STATES_PARTIES.file: 102,
        schemas.CCM_CHECKS.file: 1,
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_the_build_reads_nothing_outside_the_repository():
    text = (REPO / "scripts" / "build_ccm_data.py").read_text(encoding="utf-8")
    assert "shared" not in text and "parents[2]" not in text
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    data_target = makefile.split("\ndata:", 1)[1].split("\n\n", 1)[0]
    assert "build_ccm_data.py" in data_target


def _edit(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8", newline="")
    return line


# (kind, file in reference/, old, new, column named, text in the message)
BAD_INPUTS = [
    (
        "unmapped participant",
        "ccm/untc_participants.csv",
        "Holy See,VAT\n",
        "",
        "column Participant",
        "'Holy See' has no ISO3",
    ),
    (
        "misspelt mapping",
        "ccm/untc_participants.csv",
        "Czech Republic,CZE",
        "Czechia,CZE",
        "column untc_participant",
        "'Czechia' is not a participant",
    ),
    (
        "withdrawal not six months later",
        PAGE,
        "took effect for Lithuania on 6 March 2025",
        "took effect for Lithuania on 7 March 2025",
        "column Participant",
        "contradicts Art. 20(3)",
    ),
    (
        "header parties",
        PAGE,
        "Parties :",
        "Parties : 9",  # "Parties : 9 ... 112" -> 9112 cannot be right
        "",
        "the record's header says",
    ),
    (
        "unreadable date",
        PAGE,
        "<td>16 Jun\t 2009 <br></td>",
        "<td>16 Juin\t 2009 <br></td>",
        "column Deposit",
        "is not a date",
    ),
    (
        "treaty date",
        PAGE,
        "1 August 2010, in accordance with article 17(1)",
        "1 September 2010, in accordance with article 17(1)",
        "general entry into force 2010-09-01",
        "flankmap.domain.treaties.CCM declares 2010-08-01",
    ),
    (
        "curated signature",
        "ccm/ccm_events.csv",
        "LTU,context,2024-07-26,",
        "LTU,signature,2024-07-26,",
        "column event_code",
        "comes from the depositary record",
    ),
    (
        "curated formula",
        "ccm/ccm_events.csv",
        'LTU,context,2024-07-26,"Note verbale',
        'LTU,context,2024-07-26,"=Note verbale',
        "column detail",
        "runs as a formula",
    ),
    (
        "curated unknown country",
        "ccm/ccm_events.csv",
        "XKX,not_eligible",
        "ZZZ,not_eligible",
        "column iso3",
        "unknown ISO3",
    ),
]


@pytest.mark.parametrize(("kind", "file", "old", "new", "column", "text"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_each_bad_input_is_refused_and_data_unchanged(tmp_path, kind, file, old, new, column, text):
    ref, out = tmp_path / "reference", tmp_path / "data"
    shutil.copytree(REFERENCE, ref)
    shutil.copytree(DATA, out)
    before = digest(out)
    _edit(ref / file, old, new)
    with pytest.raises(build.Refused) as refused:
        build.build(ref, out)
    problems = refused.value.problems
    assert any(column in p and text in p for p in problems), problems
    assert digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "reference"]


def test_a_refused_page_names_its_line(tmp_path):
    ref, out = tmp_path / "reference", tmp_path / "data"
    shutil.copytree(REFERENCE, ref)
    shutil.copytree(DATA, out)
    line = _edit(ref / PAGE, "<td>Iceland<br></td>", "<td>Island<br></td>")
    with pytest.raises(build.Refused) as refused:
        build.build(ref, out)
    expected = f"{ref / PAGE} line {line - 1}, column Participant: 'Island' has no ISO3"  # the row's <tr> line
    assert any(p.startswith(expected) for p in refused.value.problems), refused.value.problems
