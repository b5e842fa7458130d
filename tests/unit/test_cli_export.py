"""``python -m flankmap export``: exit codes, one-line errors, --force and batch output."""

from __future__ import annotations

from pathlib import Path

import pytest

from flankmap.cli import commands


def run(capsys, *argv):
    code = commands.main(["export", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_writes_one_png(tmp_path, capsys):
    out = tmp_path / "brief.png"
    code, stdout, err = run(capsys, "--date", "2026-02-20", "--format", "png", "--out", str(out))
    assert code == 0, err
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert "wrote" in stdout


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--date", "2026-02-30", "--out", "x.png"], "invalid date"),
        (["--date", "20260220", "--out", "x.png"], "invalid date"),
        (["--date", "1990-01-01", "--out", "x.png"], "out of range"),
        (["--date", "2099-01-01", "--out", "x.png"], "out of range"),
        (["--date", "2026-02-20", "--format", "tiff", "--out", "x.tiff"], "invalid choice"),
        (["--date", "2026-02-20", "--format", "gif", "--out", "x.gif"], "--date does not apply"),
        (["--format", "gif", "--from", "2025-12-20", "--out", "x.gif"], "--from and --to are required"),
        (["--format", "gif", "--from", "2025-12-28", "--to", "2025-12-20", "--out", "x.gif"], "before"),
        (["--format", "gif", "--from", "2025-12-20", "--to", "2025-12-28", "--step", "0d"], "invalid --step"),
        (["--format", "gif", "--from", "2025-12-20", "--to", "2026-13-01", "--out", "x.gif"], "invalid date"),
        (["--format", "html", "--date", "2026-02-30", "--out", "x.html"], "invalid date"),
        (["--format", "html", "--from", "2025-12-20", "--out", "x.html"], "apply to gif and mp4"),
        (["--format", "html", "--compare", "2025-01-01", "--out", "x.html"], "--compare does not apply"),
        (["--format", "html", "--dates", "2025-01-01,2025-02-01"], "--dates does not apply"),
        (["--format", "html", "--out", "x.png"], "does not end in .html"),
        (["--format", "png", "--from", "2025-12-20", "--out", "x.png"], "apply to gif and mp4"),
        (["--date", "2026-02-20", "--format", "pdf", "--out", "x.png"], "does not end in .pdf"),
        (["--dates", "2025-06-27,,2026-02-20"], "comma-separated"),
        (["--dates", "2025-06-27,2026-02-20", "--out", "x.png"], "--out-dir"),
        (["--out", "x.png"], "required"),
        (["--date", "2026-02-20", "--compare", "nope", "--out", "x.png"], "invalid date"),
        (["--date", "2026-02-20", "--layers", "rivers", "--out", "x.png"], "unknown layer"),
        (["--date", "2026-02-20", "--fill", "spending", "--year", "1900", "--out", "x.png"], "--year"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("flankmap: error:")
    assert message in err
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_existing_file_untouched_without_force(tmp_path, capsys):
    out = tmp_path / "brief.png"
    out.write_bytes(b"keep me")
    code, _, err = run(capsys, "--date", "2026-02-20", "--out", str(out))
    assert code == 2 and "--force" in err
    assert out.read_bytes() == b"keep me"
    code, _, err = run(capsys, "--date", "2026-02-20", "--out", str(out), "--force")
    assert code == 0, err
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.png"]  # no temp file left


def test_format_from_out_suffix(tmp_path, capsys):
    out = tmp_path / "brief.svg"
    code, _, err = run(capsys, "--date", "2025-12-27", "--out", str(out))
    assert code == 0, err
    assert b"<svg" in out.read_bytes()[:400]


def test_batch_writes_one_file_per_date(tmp_path, capsys):
    out_dir = tmp_path / "briefs"
    code, stdout, err = run(
        capsys, "--dates", "2025-06-27,2025-12-27,2026-02-20", "--format", "pdf", "--out-dir", str(out_dir)
    )
    assert code == 0, err
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == ["flankmap-2025-06-27.pdf", "flankmap-2025-12-27.pdf", "flankmap-2026-02-20.pdf"]
    assert all(p.read_bytes()[:5] == b"%PDF-" for p in out_dir.iterdir())
    assert stdout.count("wrote") == 3


def test_batch_refuses_before_writing_anything(tmp_path, capsys):
    out_dir = tmp_path / "briefs"
    out_dir.mkdir()
    (out_dir / "flankmap-2026-02-20.png").write_bytes(b"old")
    code, _, err = run(capsys, "--dates", "2025-12-27,2026-02-20", "--out-dir", str(out_dir))
    assert code == 2 and "flankmap-2026-02-20.png" in err
    assert sorted(p.name for p in out_dir.iterdir()) == ["flankmap-2026-02-20.png"]
    assert (out_dir / "flankmap-2026-02-20.png").read_bytes() == b"old"


def test_compare_file_name(tmp_path, capsys):
    code, _, err = run(
        capsys, "--date", "2026-02-20", "--compare", "2025-06-26", "--format", "svg", "--out-dir", str(tmp_path)
    )
    assert code == 0, err
    svg = (tmp_path / "flankmap-2026-02-20-vs-2025-06-26.svg").read_text(encoding="utf-8")
    assert "Estonia: State Party → Withdrawn" in svg


def _run_cli(*args):
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "flankmap", *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])


def test_a_week_date_is_refused_in_one_line():
    week = _run_cli("status", "--date", "2025-W52-6")
    assert week.returncode == 2 and "use YYYY-MM-DD" in week.stderr and "Traceback" not in week.stderr


def test_an_unwritable_folder_is_one_line_and_exit_2():
    unwritable = _run_cli("export", "--date", "2025-12-27", "--format", "svg", "--out-dir", "/dev/null/x")
    assert unwritable.returncode == 2 and len(unwritable.stderr.strip().splitlines()) == 1


def test_a_closed_pipe_stops_quietly():
    import subprocess
    import sys

    piped = subprocess.run(
        f"{sys.executable} -m flankmap events --format csv | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert "Traceback" not in piped.stderr and piped.stdout.startswith("event_date")


def test_writes_one_interactive_html_and_never_overwrites_without_force(tmp_path, capsys):
    out = tmp_path / "map.html"
    code, stdout, err = run(capsys, "--format", "html", "--date", "2025-12-27", "--out", str(out))
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and '"day":"2025-12-27"' in text
    assert "wrote" in stdout
    out.write_text("keep me", encoding="utf-8")
    code, _, err = run(capsys, "--format", "html", "--date", "2025-12-27", "--out", str(out))
    assert code == 2 and "--force" in err and out.read_text(encoding="utf-8") == "keep me"
    code, _, err = run(capsys, "--out", str(out), "--force", "--fill", "spending")  # format from the suffix
    assert code == 0, err
    assert '"fill":"spending"' in out.read_text(encoding="utf-8")


def test_writes_a_gif_with_one_frame_per_step(tmp_path, capsys):
    from PIL import Image

    out = tmp_path / "year.gif"
    argv = ["--format", "gif", "--from", "2025-12-25", "--to", "2025-12-28", "--step", "1d", "--out", str(out)]
    code, stdout, err = run(capsys, *argv)
    assert code == 0, err
    assert "4 frames" in stdout
    assert Image.open(out).n_frames == 4


def test_help_lists_every_command():
    """Fixed defect (merge of the spending command): a bare % in a help text made --help crash."""
    import io
    from contextlib import redirect_stdout

    buf = io.StringIO()
    with redirect_stdout(buf), pytest.raises(SystemExit):
        commands.main(["--help"])
    for command in ("status", "events", "borders", "spending", "export"):
        assert command in buf.getvalue()
    assert "(% of GDP)" in buf.getvalue()


# --- issue 22 (review findings 4 and 25): exact messages, the frame cap, constant memory ---------------------


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["--format", "gif", "--from", "2025-01-01", "--to", "2025-03-01", "--step", "-7d", "--out", "a.gif"],
            "key-dates or a number of days from 1d to 9999d",
        ),
        (
            ["--format", "gif", "--from", "2025-01-01", "--to", "2025-03-01", "--step=-7d", "--out", "a.gif"],
            "from 1d to 9999d",
        ),
        (
            ["--format", "gif", "--from", "2025-01-01", "--to", "2025-03-01", "--step", "10000d", "--out", "a.gif"],
            "from 1d to 9999d",
        ),
        (["--date", "2026-01-01", "--out", ""], "empty --out"),
        (["--format", "gif", "--from", "2025-01-01", "--to", "2025-03-01", "--out", ""], "empty --out"),
        (["--date", "", "--out", "x.png"], "empty date"),
    ],
)
def test_review_25_messages_say_what_is_accepted(tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *argv)
    assert code == 2 and err.count("\n") == 1 and err.startswith("flankmap: error:"), err
    assert message in err, err
    assert list(tmp_path.iterdir()) == []


def test_review_25_an_existing_folder_as_out_says_so_without_suggesting_force(tmp_path, capsys):
    folder = tmp_path / "keep.png"
    folder.mkdir()
    code, _, err = run(capsys, "--date", "2026-01-01", "--out", str(folder))
    assert code == 2 and "is a folder" in err and "--force" not in err, err
    code, _, err = run(capsys, "--date", "2026-01-01", "--out", str(folder), "--force")
    assert code == 2 and "is a folder" in err, err


@pytest.mark.parametrize("fmt", ["svg", "html"])
def test_review_25_a_write_error_names_the_target(tmp_path, capsys, monkeypatch, fmt):
    import errno

    from flankmap.render import files

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "write_atomic", full)
    out = tmp_path / f"x.{fmt}"
    code, _, err = run(capsys, "--date", "2026-01-01", "--format", fmt, "--out", str(out))
    assert code == 2 and err.count("\n") == 1, err
    assert f"cannot write {out}: No space left on device" in err


def test_review_4_a_plan_over_the_frame_cap_is_refused_before_drawing(tmp_path, capsys, monkeypatch):
    from flankmap.render import animation
    from flankmap.render import static_export as briefing

    def never(*_a, **_k):
        raise AssertionError("nothing may be drawn for a refused plan")

    monkeypatch.setattr(briefing, "render_frames", never)
    out = tmp_path / "big.gif"
    argv = ["--format", "gif", "--from", "1997-09-18", "--to", "2026-12-01", "--step", "1d", "--out", str(out)]
    code, _, err = run(capsys, *argv)
    assert code == 2 and err.count("\n") == 1, err
    assert f"more than the limit of {animation.MAX_FRAMES:,}" in err and "narrow --from/--to" in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_review_4_animation_frames_are_streamed_never_collected(monkeypatch):
    """The encoder consumes frames one by one: never more drawn frames alive than the palette's few samples."""
    import datetime as dt
    import gc
    import io
    import weakref

    import numpy as np

    from flankmap.render import animation
    from flankmap.render import static_export as briefing

    real = briefing.render_frames
    alive: list[weakref.ref] = []
    peak = [0]

    class Pixels(np.ndarray):
        pass

    def counting(days, **kwargs):
        for image in real(days, **kwargs):
            view = image.view(Pixels)
            alive.append(weakref.ref(view))
            gc.collect()
            peak[0] = max(peak[0], sum(r() is not None for r in alive))
            yield view

    monkeypatch.setattr(briefing, "render_frames", counting)
    out = io.BytesIO()
    plan = animation.render_to(out, dt.date(2025, 12, 1), dt.date(2025, 12, 31), "gif", step="2d", width_px=320)
    assert len(plan) >= 16
    assert peak[0] <= animation.PALETTE_SAMPLES < len(plan), f"{peak[0]} drawn frames alive at once: collected"
    assert out.getvalue().startswith(b"GIF89a") and out.getvalue().endswith(b";")
