"""RPP — the Reflective Parenting Program: level1 → demonstration (→ trainee_led in 1.0).

The definitions are data beside this module: ``program.toml`` (1.0, kept unchanged for trainees
pinned to it) and ``program-2.0.toml`` (level1 → demonstration, as crc-faq.txt describes Levels
1 and 2). crc-faq.txt gives the shape and few numbers; every count it does not give is labelled
as an assumption there.
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
    """Offer RPP 1.0 and 2.0."""
    for path in PROGRAM_FILES:
        register(path)
