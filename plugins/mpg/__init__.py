"""MPG — Mindful Parenting Groups: level1 → demonstration → trainee_led, infant and toddler tracks.

The definition is data, in ``program.toml`` beside this module; every number in it cites
mpg-trainings.txt or crc-faq.txt.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from facilitrack import Program, hookimpl

PROGRAM_FILE = Path(__file__).with_name("program.toml")


@hookimpl
def facilitrack_programs(register: Callable[[Program | Path | str], None]) -> None:
    """Offer MPG 1.0."""
    register(PROGRAM_FILE)
