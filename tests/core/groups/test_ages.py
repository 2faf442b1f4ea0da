"""Children's ages: whole months at the group's start, and how far apart a group's may be."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from facilitrack import Program
from facilitrack._groups import check_group, whole_months
from facilitrack._model.people import people_index
from facilitrack.plugin import Person
from hypothesis import given, settings

from tests.core.groups.conftest import STAFF, START, TRAINEES, _born, _group, _program, _rules
from tests.strategies import group_starts, months


@pytest.mark.parametrize(("spread", "flagged"), [(8, False), (9, True)])
def test_over_two_spread_of_nine_months_is_flagged_eight_is_not(
    program: Program, people: dict[str, Person], spread: int, flagged: bool
) -> None:
    """Children over two may be at most 8 months apart: 9 is a problem, 8 is not."""
    group = _group(ages=[25, 27, 30, 25 + spread], track="toddler")
    problems = [p for p in check_group(group, program, people) if p.rule == "age_spread"]
    assert flagged == bool(problems)
    if flagged:
        assert "over two span 9 months" in problems[0].message
        assert "mpg-trainings.txt: six months ... eight months" == problems[0].source


@pytest.mark.parametrize(("spread", "flagged"), [(6, False), (7, True)])
def test_up_to_two_spread_limit_is_six_months(
    program: Program, people: dict[str, Person], spread: int, flagged: bool
) -> None:
    """Children under 24 months may be at most 6 months apart."""
    group = _group(ages=[10, 12, 14, 10 + spread])
    assert flagged == ("age_spread" in _rules(check_group(group, program, people)))


def test_bands_are_judged_separately_and_a_mixed_group_by_the_widest(
    program: Program, people: dict[str, Person]
) -> None:
    """22 and 28 months (6 apart, across bands) pass; 18 and 27 (9 apart) break the 8 limit."""
    assert [] == check_group(_group(ages=[22, 23, 26, 28]), program, people)
    problems = check_group(_group(ages=[18, 20, 25, 27]), program, people)
    assert ["age_spread"] == _rules(problems)
    assert "mixes children up to two and over two and spans 9 months" in problems[0].message


def test_age_is_measured_at_the_groups_start(program: Program, people: dict[str, Person]) -> None:
    """`starts` sets the day ages are counted on; by default the first session."""
    group = _group(ages=[25, 27, 30, 33])
    moved = group.model_copy(update={"starts": START + timedelta(days=40)})
    assert [] == check_group(group, program, people)
    assert [] == check_group(moved, program, people)
    assert START == group.start


def test_child_younger_than_three_months_is_flagged(program: Program, people: dict[str, Person]) -> None:
    """The youngest child allowed is 3 whole months old at the start."""
    problems = check_group(_group(ages=[2, 3, 4, 5]), program, people)
    assert ["child_age"] == _rules(problems)
    assert "p1's child is 2 months" in problems[0].message


@pytest.mark.parametrize(
    ("born", "on", "months"),
    [
        (date(2024, 1, 31), date(2024, 2, 29), 1),
        (date(2024, 1, 31), date(2024, 2, 28), 0),
        (date(2023, 1, 31), date(2023, 2, 28), 1),
        (date(2024, 2, 29), date(2025, 2, 28), 12),
        (date(2024, 3, 15), date(2024, 3, 14), -1),
        (date(2023, 9, 14), date(2026, 2, 2), 28),
    ],
)
def test_whole_months_counts_completed_months(born: date, on: date, months: int) -> None:
    """A month completes on the birth day-of-month, or a shorter month's last day."""
    assert months == whole_months(born, on)


@settings(max_examples=200, deadline=None)
@given(start=group_starts(), youngest=months(24, 40), spread=months(0, 16))
def test_over_two_spread_is_flagged_exactly_above_eight(start: date, youngest: int, spread: int) -> None:
    """For any start and ages over two, the spread problem appears iff oldest - youngest > 8."""
    program = _program()
    people = people_index(TRAINEES, STAFF)
    ages = [youngest, youngest + spread // 2, youngest + spread, youngest]
    group = _group(ages=ages)
    group = group.model_copy(update={
        "starts": start,
        "participants": tuple(
            p.model_copy(update={"child_born": _born(m, start)})
            for p, m in zip(group.participants, ages, strict=True)
        ),
    })
    assert (spread > 8) == ("age_spread" in _rules(check_group(group, program, people)))
