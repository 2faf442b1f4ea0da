"""The progress line of long commands: drawn on a terminal's standard error, never elsewhere."""

from __future__ import annotations

import io
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

from facilitrack._cli._progress import progress
from facilitrack._progress import step

ROOT = Path(__file__).resolve().parents[2]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_drawn_on_a_terminal_then_erased() -> None:
    """Each phase is drawn over the last, with the seconds it took, and the line is erased at the end."""
    stream = _Terminal()
    with progress("check", stream):
        step("checking 12 rows")
        step("recording 30 events")
    text = stream.getvalue()
    assert text.startswith("\rcheck: checking 12 rows … ")
    assert "\rcheck: recording 30 events … " in text
    assert text.endswith("\r\x1b[K")


def test_not_drawn_when_not_a_terminal() -> None:
    """Standard error sent to a file or a pipe gets no progress line at all."""
    stream = io.StringIO()
    with progress("check", stream):
        step("checking 12 rows")
    assert "" == stream.getvalue()


def test_check_draws_on_a_terminal(tmp_path: Path) -> None:
    """`facilitrack check` with stderr on a terminal draws its phases there; its report is unchanged."""
    cohort = shutil.copy(ROOT / "examples" / "mpg" / "cohort.toml", tmp_path / "cohort.toml")
    leader, follower = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "facilitrack", "check", str(cohort)],
                              stdout=subprocess.PIPE, stderr=follower, text=True, check=False)
        os.close(follower)
        drawn = _read_all(leader)
    finally:
        os.close(leader)
    piped = subprocess.run([sys.executable, "-m", "facilitrack", "check", str(cohort)],
                           capture_output=True, text=True, check=False)
    assert "check: recording " in drawn
    assert drawn.endswith("\r\x1b[K")
    assert piped.stdout == done.stdout
    assert "" == piped.stderr


def _read_all(fd: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the terminal's other end is closed: all was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8")
