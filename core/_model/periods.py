"""Lengths of time in definitions — "12 months", "2 years", "20 weeks" — and adding them to dates.

A month is a calendar month: one month after 31 January is the last day of February. A period
that starts on day D covers the days up to, not including, the day one length later (twelve
months from 15 January 2026 is 15 January 2026 to 14 January 2027).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Duration(BaseModel):
    """A length of time, in exactly one unit: ``{ months = 12 }``, ``{ years = 2 }``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    years: int | None = Field(None, gt=0, le=100)
    months: int | None = Field(None, gt=0, le=1200)
    weeks: int | None = Field(None, gt=0, le=5200)
    days: int | None = Field(None, gt=0, le=36500)

    @model_validator(mode="after")
    def _one_unit(self) -> Duration:
        given = [n for n in (self.years, self.months, self.weeks, self.days) if n is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of years, months, weeks or days")
        return self

    def after(self, start: date) -> date:
        """The first day after the period that starts on `start` (its anniversary)."""
        if self.days is not None:
            return _plus_days(start, self.days)
        if self.weeks is not None:
            return _plus_days(start, 7 * self.weeks)
        months = self.months if self.months is not None else 12 * (self.years or 0)
        return add_months(start, months)

    def describe(self) -> str:
        """``12 months``, ``1 year``."""
        for unit, n in (("year", self.years), ("month", self.months), ("week", self.weeks),
                        ("day", self.days)):
            if n is not None:
                return f"{n} {unit}{'s' * (n != 1)}"
        raise AssertionError("a duration has one unit")  # pragma: no cover


def add_months(start: date, months: int) -> date:
    """`start` moved by whole calendar months, clamped to the end of a shorter month."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    year = min(max(year, 1), 9999)
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def _plus_days(start: date, days: int) -> date:
    try:
        return start + timedelta(days=days)
    except OverflowError:
        return date.max
