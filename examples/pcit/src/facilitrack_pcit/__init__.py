"""PCIT Therapist and Within Agency Trainer certification: an example facilitrack adaptation.

Two linked programs, modelled on PCIT International's public descriptions (README.md lists the
sources): ``pcit_therapist`` and ``pcit_trainer``, whose first stage asks for a valid therapist
certificate. Both are data (``therapist.toml``, ``trainer.toml``). Two rules data cannot say
live here: the trainer's consultation is counted in consecutive calendar months (the
``monthly`` requirement kind), and initial-training hours must name a mode the 10-hour limit on
``asynchronous`` hours knows, or a misspelt mode would escape it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, Literal

from facilitrack import Attended, Event, Program
from facilitrack.plugin import Context, Credit, Measure, Requirement, hookimpl

THERAPIST_FILE = Path(__file__).with_name("therapist.toml")
TRAINER_FILE = Path(__file__).with_name("trainer.toml")

#: How initial training may be held: in person, live online (both synchronous) or asynchronous
#: (recorded, self-paced). P1: "Ten hours can be provided via asynchronous formats".
TRAINING_MODES = ("in_person", "live_virtual", "asynchronous")


class Monthly(Requirement):
    """Sessions of `key` in `count` consecutive calendar months: a month without one starts the
    count again (P8: "at least 12 continuous months with a frequency of at least once a month")."""

    kind: Literal["monthly"] = "monthly"
    credited_by: ClassVar[str | None] = "attended"

    def start(self) -> Any:
        """No month yet: the months with a session, as sorted month numbers (JSON data)."""
        return []

    def tally(self, acc: Any, credit: Credit) -> Any:
        """Note the month of one more session; a second session in a month adds nothing."""
        month = _month_number(credit.event.on)
        return acc if month in acc else sorted([*acc, month])

    def measure(self, acc: Any, context: Context) -> Measure:
        """The longest run of consecutive months with a session, against `count`."""
        longest = run = 0
        for i, month in enumerate(acc):
            run = run + 1 if i and month == acc[i - 1] + 1 else 1
            longest = max(longest, run)
        return Measure(longest, self.count, longest >= self.count)

    def synthetic_events(self, trainee: str, on: date, have: int) -> list[Event]:
        """One session a month for `have` months from `on` (for the conformance check)."""
        return [Attended(trainee=trainee, activity=self.key, on=_months_after(on, n)) for n in range(have)]


def _month_number(day: date) -> int:
    return day.year * 12 + day.month - 1


def _months_after(day: date, months: int) -> date:
    year, month = divmod(_month_number(day) + months, 12)
    return date(year, month + 1, min(day.day, 28))


@hookimpl
def facilitrack_requirement_kinds(register: Callable[[type[Requirement]], None]) -> None:
    """Let definitions say ``kind = "monthly"``."""
    register(Monthly)


@hookimpl
def facilitrack_programs(register: Callable[[Program | Path | str], None]) -> None:
    """Offer PCIT Therapist 1.0 and PCIT Within Agency Trainer 1.0."""
    register(THERAPIST_FILE)
    register(TRAINER_FILE)


@hookimpl
def facilitrack_validate_event(event: Event, program: Program, stage: str) -> str | None:
    """Refuse initial-training hours held in a mode the per-mode limit does not know."""
    if program.key != "pcit_therapist":
        return None
    mode = getattr(event, "mode", None)
    if getattr(event, "activity", None) != "initial_training" or mode is None or mode in TRAINING_MODES:
        return None
    return (f"initial training is held {', '.join(TRAINING_MODES)}; {mode!r} is none of these"
            " (the 10-hour limit counts asynchronous hours by their mode)")
