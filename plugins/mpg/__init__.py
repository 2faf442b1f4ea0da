"""MPG — Mindful Parenting Groups: level1 → demonstration → trainee_led, infant and toddler tracks.

The definitions are data beside this module: ``program.toml`` (1.0, kept unchanged for trainees
pinned to it) and ``program-2.0.toml`` (the pathway as the sources say it, on Core v2's
requirement model). Every number in them cites mpg-trainings.txt or crc-faq.txt, or is labelled
as an assumption.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from facilitrack import Program, hookimpl

HERE = Path(__file__).parent
PROGRAM_FILES = (HERE / "program.toml", HERE / "program-2.0.toml")
#: 1.0, as trainees enrolled under it answer (kept for them).
PROGRAM_FILE = PROGRAM_FILES[0]


@hookimpl
def facilitrack_programs(register: Callable[[Program | Path | str], None]) -> None:
    """Offer MPG 1.0 and 2.0."""
    for path in PROGRAM_FILES:
        register(path)
