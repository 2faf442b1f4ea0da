"""Windows: the span of dates in which work counts toward a requirement.

``window = { from = "met:workshop", months = 12 }`` — only work dated on or after the anchor and
before the anchor plus the length counts (the length is optional: ``{ from = "stage" }`` counts
work from the stage's start on). Work outside is kept and reported as a problem, never credited.

Anchors (``from``):

- ``enrolment`` — the day of the enrolment;
- ``stage`` — the day the node's own stage opened; ``stage:KEY`` — another stage's;
- ``met:KEY`` or ``met:STAGE.KEY`` — the day another requirement was first met;
- ``certificate:PROGRAM`` or ``certificate:PROGRAM.STAGE`` — the day the person's certificate
  of a program (its certification, or one stage's certificate) was issued.

Until an anchor's day is known (the requirement is not met yet), nothing is inside the window.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cached_property, lru_cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .ids import ANCHOR_PATTERN
from .periods import Duration


class Window(BaseModel):
    """Where work counts: from an anchor day, for an optional length."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    start: str = Field(
        "enrolment", alias="from", pattern=ANCHOR_PATTERN,
        description="enrolment, stage, stage:KEY, met:[STAGE.]KEY or certificate:PROGRAM[.STAGE].",
    )
    years: int | None = Field(None, gt=0, le=100)
    months: int | None = Field(None, gt=0, le=1200)
    weeks: int | None = Field(None, gt=0, le=5200)
    days: int | None = Field(None, gt=0, le=36500)

    @model_validator(mode="after")
    def _one_length(self) -> Window:
        if sum(n is not None for n in (self.years, self.months, self.weeks, self.days)) > 1:
            raise ValueError("a window has at most one of years, months, weeks or days")
        return self

    @cached_property  # asked for every event a windowed requirement watches
    def length(self) -> Duration | None:
        """How long the window stays open, if it closes."""
        if all(n is None for n in (self.years, self.months, self.weeks, self.days)):
            return None
        return Duration(years=self.years, months=self.months, weeks=self.weeks, days=self.days)

    @cached_property
    def anchor(self) -> tuple[str, str | None]:
        """``("met", "stage.key")``, ``("enrolment", None)``..."""
        kind, _, ref = self.start.partition(":")
        return kind, (ref or None)

    def span(self, anchor_day: date | None) -> tuple[date, date | None] | None:
        """(first day, first day after) of the window, or None while the anchor is unknown."""
        if anchor_day is None:
            return None
        length = self.length
        return anchor_day, (_after(length, anchor_day) if length is not None else None)

    def describe(self) -> str:
        """``within 12 months of met:workshop``, ``from the stage's start``."""
        length = self.length
        kind, ref = self.anchor
        what = {
            "enrolment": "enrolment", "stage": f"the start of stage {ref}" if ref else "the stage's start",
            "met": f"{ref} being met", "certificate": f"the {ref} certificate",
        }[kind]
        return f"within {length.describe()} of {what}" if length else f"from {what}"


@lru_cache(maxsize=4096)
def _after(length: Duration, start: date) -> date:
    """`Duration.after`, remembered: a window's end is asked of the same few days again and again."""
    return length.after(start)


def in_span(day: date, span: tuple[date, date | None] | None) -> bool:
    """Whether `day` falls inside a window's span."""
    if span is None:
        return False
    first, after = span
    return day >= first and (after is None or day < after)


def anchor_ref(start: str) -> str | None:
    """The node a ``met:`` anchor names, else None."""
    match = re.fullmatch(r"met:(.+)", start) if re.fullmatch(ANCHOR_PATTERN, start) else None
    return match[1] if match else None
