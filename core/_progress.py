"""What long work is doing now, for a person waiting on it: the library names each phase, a
command draws it.

Reading, checking and recording a cohort of hundreds of thousands of rows takes a while, and
a silent terminal looks hung. The library calls `step` as it enters each phase ("recording
684,000 events"); nothing happens unless a command installed a reporter with `reporting` (the
CLI does so only when standard error is a terminal), so library users and pipes never see it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Reporter = Callable[[str], None]

_reporter: ContextVar[Reporter | None] = ContextVar("facilitrack_progress", default=None)


def step(phase: str) -> None:
    """Say that work has entered `phase` (a few words: "checking 684,000 rows")."""
    report = _reporter.get()
    if report is not None:
        report(phase)


@contextmanager
def reporting(report: Reporter) -> Iterator[None]:
    """Send every `step` taken inside the block to `report`."""
    token = _reporter.set(report)
    try:
        yield
    finally:
        _reporter.reset(token)
