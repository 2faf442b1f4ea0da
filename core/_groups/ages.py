"""Children's ages: whole months at the group's start, and how far apart a group's may be.

A child's age is counted in whole months at the group's start (``starts``, or its first
session), a month being complete on the birth day-of-month (or on the last day of a shorter
month). Children are sorted into the rule's bands (for MPG: under 24 months, i.e. "up to two",
and 24 months or more, "over two"); within each band the oldest and youngest may differ by at
most that band's spread. A group with children in more than one band is also judged as a whole,
against the widest spread of the bands it spans, so children either side of a band boundary are
still close in age.

How far apart two children are depends on the rule's `spread_by`. ``months_at_start`` (0.1)
subtracts whole-month ages at the start, which rounds each age down: children born 6 months and
29 days apart may be "6 months apart" or "7 months apart" depending on the day the group starts.
``birth_dates`` compares the birth dates themselves: the youngest must be born on or before the
day `max_spread` calendar months after the oldest's birth (clamped to a shorter month's last
day), whatever day the group starts — born 15 January, the youngest may be born up to 15 July
for six months, and one day later is too far apart.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Mapping
from datetime import date

from .._model.group_results import GroupProblem
from .._model.group_rules import AgeRule, in_months
from .._model.groups import Group
from .._model.periods import add_months


def whole_months(born: date, on: date) -> int:
    """Completed months of age on `on`; negative when `on` is before the birth.

    A month completes on the birth's day-of-month, or on the last day of a month too short to
    have it (born 31 January: one month old on 28 or 29 February).
    """
    months = (on.year - born.year) * 12 + on.month - born.month
    last_day = calendar.monthrange(on.year, on.month)[1]
    if on.day < min(born.day, last_day):
        months -= 1
    return months


def age_problems(group: Group, rule: AgeRule, at: str) -> list[GroupProblem]:
    start = group.start
    if start is None or not group.participants:
        return []
    ages = {p.id: whole_months(p.child_born, start) for p in group.participants}
    problems: list[GroupProblem] = []

    def flag(name: str, message: str) -> None:
        problems.append(GroupProblem(
            rule=name, message=message, source=rule.source, note=rule.note, where=f"{at}.participants",
        ))

    for pid, months in ages.items():
        if rule.min_months is not None and months < rule.min_months:
            flag("child_age", f"{pid}'s child is {in_months(months)} on {start}; the youngest"
                 f" allowed is {in_months(rule.min_months)}")
        if rule.max_months is not None and months > rule.max_months:
            flag("child_age", f"{pid}'s child is {in_months(months)} on {start}; the oldest"
                 f" allowed is {in_months(rule.max_months)}")
    if not rule.bands:
        return problems
    by_band: dict[int, dict[str, int]] = {}
    for pid, months in ages.items():
        band = rule.band(max(months, 0))
        if band is not None:
            by_band.setdefault(rule.bands.index(band), {})[pid] = months
    if rule.spread_by == "birth_dates":
        born = {p.id: p.child_born for p in group.participants}
        _birth_date_problems(rule, by_band, born, flag)
        return problems
    for index in sorted(by_band):
        band = rule.bands[index]
        spread, youngest, oldest = _spread(by_band[index])
        if spread > band.max_spread:
            flag("age_spread", f"children {band.label} span {in_months(spread)} ({youngest}: "
                 f"{in_months(by_band[index][youngest])}, {oldest}: {in_months(by_band[index][oldest])}"
                 f" on {start}); at most {in_months(band.max_spread)}")
    if len(by_band) > 1:
        limit = max(rule.bands[i].max_spread for i in by_band)
        spread, youngest, oldest = _spread(ages)
        if spread > limit:
            labels = " and ".join(rule.bands[i].label for i in sorted(by_band))
            flag("age_spread", f"the group mixes children {labels} and spans {in_months(spread)} "
                 f"({youngest}: {in_months(ages[youngest])}, {oldest}: {in_months(ages[oldest])} on "
                 f"{start}); a mixed group is held to the widest band's {in_months(limit)}")
    return problems


def _spread(ages: Mapping[str, int]) -> tuple[int, str, str]:
    youngest = min(ages, key=lambda p: (ages[p], p))
    oldest = max(ages, key=lambda p: (ages[p], p))
    return ages[oldest] - ages[youngest], youngest, oldest



def latest_birth(oldest: date, months: int) -> date:
    """The last birth date within `months` calendar months after `oldest` (clamped to month end)."""
    return add_months(oldest, months)


def _birth_date_problems(
    rule: AgeRule, by_band: Mapping[int, Mapping[str, int]], born: Mapping[str, date],
    flag: Callable[[str, str], None],
) -> None:
    """Spreads judged on birth dates, per band, then (mixed bands) the group as a whole; each
    problem goes to `flag`."""

    def judge(ids: Iterable[str], months: int, what: str, limit: str) -> None:
        dates = {pid: born[pid] for pid in ids}
        oldest = min(dates, key=lambda p: (dates[p], p))
        youngest = max(dates, key=lambda p: (dates[p], p))
        last = latest_birth(dates[oldest], months)
        if dates[youngest] > last:
            flag("age_spread", f"{what} were born {_between(dates[oldest], dates[youngest])} apart"
                 f" ({oldest}: {dates[oldest]}, {youngest}: {dates[youngest]}); {limit} the youngest"
                 f" is born at most {in_months(months)} after the oldest (by {last})")

    for index in sorted(by_band):
        band = rule.bands[index]
        judge(by_band[index], band.max_spread, f"children {band.label}", "in this band")
    if len(by_band) > 1:
        limit = max(rule.bands[i].max_spread for i in by_band)
        labels = " and ".join(rule.bands[i].label for i in sorted(by_band))
        everyone = [pid for i in by_band for pid in by_band[i]]
        judge(everyone, limit, f"the group mixes children {labels}; they",
              "a mixed group is held to the widest band:")


def _between(first: date, last: date) -> str:
    """``6 months and 29 days``: whole calendar months from `first`, then days."""
    months = whole_months(first, last)
    days = (last - add_months(first, months)).days
    parts = [in_months(months)] if months else []
    if days or not parts:
        parts.append(f"{days} day{'s' * (days != 1)}")
    return " and ".join(parts)
