"""RPP — the Reflective Parenting Program: level1 → demonstration → trainee_led.

The definition is data, in ``program.toml`` beside this module. crc-faq.txt gives the shape
and few numbers; every count it does not give is labelled as an assumption there.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from facilitrack import Program, hookimpl

PROGRAM_FILE = Path(__file__).with_name("program.toml")


@hookimpl
def facilitrack_programs(register: Callable[[Program | Path | str], None]) -> None:
    """Offer RPP 1.0."""
    register(PROGRAM_FILE)
