"""Strong Roots Parenting (a Mom Power adaptation): level1 → demonstration → trainee_led.

The definition is data, in ``program.toml`` beside this module. Its description carries the
group's facts with their sources; its facilitator-training counts are labelled assumptions,
because none are published.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from facilitrack import Program, hookimpl

PROGRAM_FILE = Path(__file__).with_name("program.toml")


@hookimpl
def facilitrack_programs(register: Callable[[Program | Path | str], None]) -> None:
    """Offer Strong Roots 1.0."""
    register(PROGRAM_FILE)
