"""Writing output files safely: atomically, never destroying an existing file unless asked."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

# Export formats (no matplotlib needed to know them: the CLI and the UI read these without loading it).
FORMATS = ("png", "svg", "pdf")
MIME_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


def output_name(
    day: dt.date, fmt: str, fill: str = "status", compare_day: dt.date | None = None, treaty: str = "ottawa"
) -> str:
    """File name used with ``--out-dir``: ``flankmap-2025-12-27.png`` (plus ``-ccm``, ``-vs-<date>``, ``-spending``)."""
    name = f"flankmap-{day.isoformat()}" + ("" if treaty == "ottawa" else f"-{treaty}")
    if compare_day is not None:
        name += f"-vs-{compare_day.isoformat()}"
    if fill in ("spending", "spending_nato"):
        name += "-" + fill.replace("_", "-")
    return f"{name}.{fmt}"


def write_atomic(target: Path, data: bytes, force: bool) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same folder, then rename it into place.

    A failure never leaves a half-written file, and never destroys an existing one. Without ``force`` an
    existing target is left untouched (checked again at the last moment: the link fails if it exists).

    Raises:
        FileExistsError: ``target`` exists and ``force`` is false.
    """
    write_atomic_with(target, lambda fh: fh.write(data), force)


def write_atomic_with(target: Path, write, force: bool) -> None:
    """As :func:`write_atomic`, but ``write(fh)`` writes the content into the open temporary file (so a large
    output, e.g. an animation, is streamed to disk and never held in memory whole).

    Raises:
        FileExistsError: ``target`` exists and ``force`` is false.
    """
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a written image gets the usual mode
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if force:
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)  # atomic "create if absent"
            except OSError as exc:
                if isinstance(exc, FileExistsError) or target.exists():
                    raise FileExistsError(str(target)) from None
                os.rename(tmp, target)  # file system without hard links
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
