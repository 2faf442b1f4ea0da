"""Children's ages: whole months at the group's start, and how far apart a group's may be.

A child's age is counted in whole months at the group's start (``starts``, or its first
session), a month being complete on the birth day-of-month (or on the last day of a shorter
month). Children are sorted into the rule's bands (for MPG: under 24 months, i.e. "up to two",
and 24 months or more, "over two"); within each band the oldest and youngest may differ by at
most that band's spread. A group with children in more than one band is also judged as a whole,
against the widest spread of the bands it spans, so children either side of a band boundary are
still close in age.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date

from .._model.group_results import GroupProblem
from .._model.group_rules import AgeRule, in_months
from .._model.groups import Group


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

