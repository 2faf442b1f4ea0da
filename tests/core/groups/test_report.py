"""A group's whole report: validated, checked, its parents judged and its trainees' credit counted."""

from __future__ import annotations

import tomllib

from facilitrack import Program
from facilitrack._groups import report_group
from facilitrack.plugin import Group, Person

from tests.core.groups.conftest import _rules


def test_cohort_group_tables_parse_as_documented(program: Program, people: dict[str, Person]) -> None:
    """The [[groups]] tables of the cohort contract parse into a Group and report."""
    text = """
[[groups]]
id = "mpg-demo-spring"
kind = "demonstration"
track = "toddler"
facilitators = ["dr-miller", "ana"]
trainees = ["ana", "noa"]

[[groups.participants]]
id = "p1"
parent = "Maya R."
child_born = 2023-09-14

[[groups.sessions]]
on = 2026-02-02
absent = ["p1", "noa"]
"""
    group = Group.model_validate(tomllib.loads(text)["groups"][0])
    report = report_group(group, program, people)
    assert ["group_size"] == _rules(report.problems)
    assert ("p1", False, 1, "in_progress") == (
        report.participants[0].id, report.participants[0].completed, report.participants[0].missed,
        report.participants[0].status,
    )
    assert ["ana"] == [c.trainee for c in report.credits]
    assert "mpg-demo-spring (demo, demonstration, toddler): 1 session, in progress" in report.text()
