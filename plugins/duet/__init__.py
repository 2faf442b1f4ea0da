"""Duet — the Israeli adaptation: level1 (two-day seminar) → level2 (the practical stage).

The definitions are data beside this module: ``program.toml`` (1.0, kept unchanged for trainees
pinned to it) and ``program-2.0.toml``. Duet's courses are announced with day-first dates
(``24.3.2018``), so this plugin also reads such dates in Duet input files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from facilitrack import Program, UserError, hookimpl

HERE = Path(__file__).parent
PROGRAM_FILES = (HERE / "program.toml", HERE / "program-2.0.toml")
#: 1.0, as trainees enrolled under it answer (kept for them).
PROGRAM_FILE = PROGRAM_FILES[0]

#: d.m.yyyy, as duet-clinician-training.txt writes course dates ("24.3.2018").
DAY_FIRST = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


@hookimpl
def facilitrack_programs(register: Callable[[Program | Path | str], None]) -> None:
    """Offer Duet 1.0 and 2.0."""
    for path in PROGRAM_FILES:
        register(path)


@hookimpl
def facilitrack_parse_date(text: str, program: Program) -> date | None:
    """Read ``d.m.yyyy`` for Duet; None for other programs and other formats.

    A string of that shape that names no real day (``31.2.2018``) is an error, not a miss:
    the user clearly meant a Duet date, so they are told which part is wrong.
    """
    if program.key != "duet":
        return None
    match = DAY_FIRST.fullmatch(text)
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise UserError(
            f"{text!r} is not a date: {exc}",
            fix="write the day first, then the month, then the year: d.m.yyyy (24.3.2018)",
        ) from None
