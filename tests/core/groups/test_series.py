"""A group's series of sessions: how many, how often, and when it is over."""

from __future__ import annotations

from datetime import timedelta

from facilitrack import Program
from facilitrack._groups import check_group
from facilitrack.plugin import Person

from tests.core.groups.conftest import START, _group, _rules, _with_sessions


def test_sessions_beyond_the_series_and_in_one_week_are_flagged(
    program: Program, people: dict[str, Person]
) -> None:
    """A 13th session exceeds a 12-session series; two in one week break 'weekly'."""
    assert ["sessions"] == _rules(check_group(_group(sessions=13), program, people))
    twice = _with_sessions(_group(sessions=11), {"on": START + timedelta(days=2)})
    problems = check_group(twice, program, people)
    assert ["sessions"] == _rules(problems)
    assert "two group sessions in one week (2026-02-02 and 2026-02-04)" in problems[0].message


def test_short_series_is_flagged_only_once_ended(program: Program, people: dict[str, Person]) -> None:
    """Nine sessions are a series in progress, until the group is marked ended."""
    assert [] == check_group(_group(sessions=9), program, people)
    problems = check_group(_group(sessions=9, ended=True), program, people)
    assert ["sessions"] == _rules(problems)
    assert "the series ended after 9 group sessions; it has exactly 12" == problems[0].message
