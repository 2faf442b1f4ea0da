"""Plugins and engines for the host tests: a group to check, an engine on the demo program with
only the given plugins, level 1 completed in it, and plugins that flag groups."""

from __future__ import annotations

from collections.abc import Generator
from datetime import date
from typing import Any

from facilitrack import Attended, Engine, Program, hookimpl
from facilitrack.plugin import Group, GroupProblem

from tests.builders import engine_on

GROUP = Group.model_validate({"id": "g1", "kind": "community"})
ON = date(2026, 1, 5)


def engine_with(program: Program, *plugins: object) -> Engine:
    """An in-memory engine on `program` whose hooks are these plugin objects' alone."""
    return engine_on(program, None, *plugins)


def complete_level1(engine: Engine) -> None:
    """Enrol ana in the demo program and give her both workshop days: level1 completes."""
    engine.enrol("ana", "demo", on=ON, credential="licensed", trainer="dr-miller")
    engine.record(Attended(trainee="ana", on=date(2026, 1, d), activity="workshop_day") for d in (10, 11))


def problem(rule: str) -> GroupProblem:
    return GroupProblem(rule=rule, message=f"{rule} broken", source="tests")


class _Flags:
    @hookimpl
    def facilitrack_check_group(self, group: Group) -> list[GroupProblem]:
        return [problem("flagged")]


class _AddsToGroupChecks:
    """A third party's new-style wrapper: it sees every plugin's problems and adds its own."""

    @hookimpl(wrapper=True)
    def facilitrack_check_group(self) -> Generator[None, list[Any], list[Any]]:
        found = yield
        return [*found, [problem("wrapped")]]
