"""Reflective Circle facilitator training: an example facilitrack adaptation.

The program is data (``program.toml`` beside this module). Its facilitation stage counts
*rounds* of facilitation, which no built-in requirement kind does, so this plugin adds the
``rounds`` kind and registers it through the ``facilitrack_requirement_kinds`` hook.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, Literal

from facilitrack import Attended, Event, Program
from facilitrack.plugin import Context, Measure, Requirement, hookimpl
from pydantic import Field

PROGRAM_FILE = Path(__file__).with_name("program.toml")


class Rounds(Requirement):
    """Facilitate `count` whole rounds: each round is `sessions_per_round` sessions of `key`."""

    kind: Literal["rounds"] = "rounds"
    sessions_per_round: int = Field(gt=0)
    credited_by: ClassVar[str | None] = "attended"

    def measure(self, acc: Any, context: Context) -> Measure:
        """Whole rounds so far: a round half done counts for nothing."""
        rounds = acc // self.sessions_per_round
        return Measure(rounds, self.count, rounds >= self.count)

    def synthetic_events(self, trainee: str, on: date, have: int) -> list[Event]:
        """`have` rounds are `have * sessions_per_round` sessions (for the conformance check)."""
        sessions = have * self.sessions_per_round
        return [Attended(trainee=trainee, on=on, activity=self.key) for _ in range(sessions)]


@hookimpl
def facilitrack_requirement_kinds(register: Callable[[type[Requirement]], None]) -> None:
    """Let definitions say ``kind = "rounds"``."""
    register(Rounds)


@hookimpl
def facilitrack_programs(register: Callable[[Program | Path | str], None]) -> None:
    """Offer Reflective Circle 1.0."""
    register(PROGRAM_FILE)
