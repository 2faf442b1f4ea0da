"""The demo group for the groups tests: group rules shaped like MPG's and RPP's, staff, trainees,
and a demonstration group built from ages, absences and sessions."""

from __future__ import annotations

import calendar
import copy
from datetime import date, timedelta
from typing import Any

import pytest
from facilitrack import Program, parse_program
from facilitrack._model.people import people_index
from facilitrack.plugin import Group, GroupProblem, GroupSession, Person, StaffMember

from tests.builders import demo_with

START = date(2026, 2, 2)  # a Monday

RULES: dict[str, Any] = {
    "credits": {"demonstration": "demo_session", "trainee_led": "group_session"},
    "facilitators": {"count": 2, "source": "crc-faq.txt: two facilitators"},
    "pairing": {"kinds": ["demonstration"], "supervised_kinds": ["trainee_led"],
                "source": "crc-faq.txt: paired with a certified trainer"},
    "sizes": [{"kinds": ["demonstration"], "participants": {"min": 4, "max": 6},
               "trainees": {"min": 2, "max": 3}, "source": "mpg-trainings.txt: four to six"}],
    "series": [{"count": {"min": 12, "max": 12}, "weekly": True, "source": "crc-faq.txt: 12-week"}],
    "ages": {
        "min_months": 3,
        "bands": [{"label": "up to two", "below_months": 24, "max_spread": 6},
                  {"label": "over two", "max_spread": 8}],
        "source": "mpg-trainings.txt: six months ... eight months",
    },
    "attendance": {"max_missed": 2, "makeup": False, "source": "crc-faq.txt: more than two sessions"},
    "court_ordered": {"source": "crc-faq.txt: court ordered"},
}

STAFF = [
    StaffMember(id="dr-miller", name="Dr. R. Miller", credential="licensed", certified_trainer=True),
    StaffMember(id="lee", name="J. Lee", credential="pre_licensed"),
    StaffMember(id="sam", name="S. Sam", credential="other"),
    StaffMember(id="ct1", name="Child Team 1", credential="early_childhood"),
]
TRAINEES: list[tuple[str, str, str | None]] = [
    ("ana", "licensed", "dr-miller"), ("noa", "pre_licensed", "dr-miller"),
    ("eli", "early_childhood", None),
]


def _program(**rules: Any) -> Program:
    return parse_program(demo_with(groups={**copy.deepcopy(RULES), **rules}), origin="tests")


@pytest.fixture
def program() -> Program:
    """The demo program with MPG/RPP-shaped group rules."""
    return _program()


@pytest.fixture
def people() -> dict[str, Person]:
    """The demo trainees and staff, by id."""
    return people_index(TRAINEES, STAFF)


def _weekly(n: int, start: date = START) -> list[date]:
    return [start + timedelta(weeks=i) for i in range(n)]


def _born(months: int, on: date = START) -> date:
    """A birth date that makes a child exactly `months` old (whole months) on `on`."""
    year, month = divmod(on.year * 12 + on.month - 1 - months, 12)
    return date(year, month + 1, min(on.day, calendar.monthrange(year, month + 1)[1]))


def _group(
    *,
    ages: list[int] | None = None,
    absent: dict[int, list[str]] | None = None,
    sessions: int = 12,
    **fields: Any,
) -> Group:
    """A demonstration group of four dyads, two trainees and a certified trainer."""
    ages = ages if ages is not None else [26, 27, 28, 29]
    data: dict[str, Any] = {
        "id": "g1",
        "kind": "demonstration",
        "facilitators": ["dr-miller", "ana"],
        "trainees": ["ana", "noa"],
        "participants": [
            {"id": f"p{i + 1}", "parent": f"Parent {i + 1}", "child_born": _born(m)}
            for i, m in enumerate(ages)
        ],
        "sessions": [
            {"on": on, "absent": (absent or {}).get(i, [])} for i, on in enumerate(_weekly(sessions))
        ],
    }
    data.update(fields)
    return Group.model_validate(data)


def _with_sessions(group: Group, *sessions: dict[str, Any]) -> Group:
    """`group` with more sessions, written as the cohort file writes them."""
    extra = tuple(GroupSession.model_validate(s) for s in sessions)
    return group.model_copy(update={"sessions": (*group.sessions, *extra)})


def _rules(problems: list[GroupProblem]) -> list[str]:
    return [p.rule for p in problems]
