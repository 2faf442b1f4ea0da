"""The progress line long commands draw on standard error, when it is a terminal.

One line, redrawn in place: the phase the library is in (`facilitrack._progress.step`) and
the seconds it has taken so far, ticking from a background thread so a long phase still shows
life. It is erased when the command finishes, so what the command prints is all that stays.
Never drawn when standard error is not a terminal: logs and pipes get no carriage returns.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from .._progress import reporting
from .._text import one_line

#: Seconds between redraws of the elapsed time.
TICK = 0.25


class Line:
    """A status line on `stream`: the current phase and how long it has taken."""

    def __init__(self, stream: TextIO, command: str) -> None:
        self.stream = stream
        self.command = command
        self.phase = ""
        self.since = time.monotonic()
        self.lock = threading.Lock()
        self.done = threading.Event()

    def enter(self, phase: str) -> None:
        """Show `phase`, from now."""
        with self.lock:
            self.phase, self.since = one_line(phase), time.monotonic()
        self.draw()

    def draw(self) -> None:
        with self.lock:
            if not self.phase:
                return
            took = time.monotonic() - self.since
            self.stream.write(f"\r{self.command}: {self.phase} … {took:.0f} s\x1b[K")
            self.stream.flush()

    def tick(self) -> None:
        while not self.done.wait(TICK):
            self.draw()

    def erase(self) -> None:
        self.done.set()
        with self.lock:
            if self.phase:
                self.stream.write("\r\x1b[K")
                self.stream.flush()


@contextmanager
def progress(command: str, stream: TextIO | None = None) -> Iterator[None]:
    """Draw the phases of the work done inside the block, when `stream` (stderr) is a terminal."""
    stream = stream or sys.stderr
    if not stream.isatty():
        yield
        return
    line = Line(stream, command)
    ticker = threading.Thread(target=line.tick, name="facilitrack-progress", daemon=True)
    ticker.start()
    try:
        with reporting(line.enter):
            yield
    finally:
        line.erase()
        ticker.join()
