"""Hook calls go through pluggy (wrappers run, tracing sees them), and a failing plugin is named."""

from __future__ import annotations

import sys
from collections.abc import Callable, Generator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from facilitrack import (
    Attended,
    Engine,
    PluginError,
    Program,
    ProgramRegistry,
    UserError,
    hookimpl,
    load_plugins,
)
from facilitrack.plugin import Group, GroupProblem
from pluggy import Result

GROUP = Group.model_validate({"id": "g1", "kind": "community"})
ON = date(2026, 1, 5)
PROGRAM_TOML = """
key = "wrapped"
name = "Wrapped"
version = "1.0"
organisation = "Tests"
[[stages]]
key = "only"
title = "Only stage"
[[stages.requirements]]
kind = "attendance"
key = "day"
count = 1
"""


def engine_with(program: Program, *plugins: object) -> Engine:
    """An in-memory engine on `program` whose hooks are these plugin objects' alone."""
    registry = ProgramRegistry()
    registry.add(program, source="tests")
    return Engine(registry, hooks=load_plugins(list(plugins), entry_points_group=None).hooks)


def complete_level1(engine: Engine) -> None:
    """Enrol ana in the demo program and give her both workshop days: level1 completes."""
    engine.enrol("ana", "demo", on=ON, credential="licensed", trainer="dr-miller")
    engine.record(Attended(trainee="ana", on=date(2026, 1, d), activity="workshop_day") for d in (10, 11))


def problem(rule: str) -> GroupProblem:
    return GroupProblem(rule=rule, message=f"{rule} broken", source="tests")


# -- through pluggy: wrappers and tracing ------------------------------------------------------


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


def test_a_new_style_wrapper_runs_around_group_checks(demo_program: Program) -> None:
    """A `wrapper=True` implementation wraps the other plugins' results, as pluggy promises."""
    hooks = load_plugins([_Flags(), _AddsToGroupChecks()], entry_points_group=None).hooks

    assert ["flagged", "wrapped"] == [p.rule for p in hooks.check_group(GROUP, demo_program, {})]


class _Timeline:
    """Observers that write into one shared list: an old-style hookwrapper and a plain observer."""

    def __init__(self, seen: list[str]) -> None:
        self.seen = seen


class _TimesStages(_Timeline):
    @hookimpl(hookwrapper=True)
    def facilitrack_stage_completed(self, stage: str) -> Generator[None, Result[None], None]:
        self.seen.append(f"before {stage}")
        yield
        self.seen.append(f"after {stage}")


class _HearsStages(_Timeline):
    @hookimpl
    def facilitrack_stage_completed(self, stage: str) -> None:
        self.seen.append(f"heard {stage}")


def test_an_old_style_hookwrapper_runs_around_observers(demo_program: Program) -> None:
    """A `hookwrapper=True` observer runs before and after the plain observers."""
    seen: list[str] = []
    engine = engine_with(demo_program, _HearsStages(seen), _TimesStages(seen))

    complete_level1(engine)

    assert ["before level1", "heard level1", "after level1"] == seen


class _WrapsRegistration:
    """A wrapper around program registration that offers a program of its own, and records."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen: list[str] = []

    @hookimpl(wrapper=True)
    def facilitrack_programs(
        self, register: Callable[[Path], None]
    ) -> Generator[None, list[None], list[None]]:
        self.seen.append("before")
        register(self.path)
        result = yield
        self.seen.append("after")
        return result


def test_registration_hooks_run_wrappers_too(tmp_path: Path) -> None:
    """facilitrack_programs goes through pluggy: a wrapper runs, and what it registers is its own."""
    path = tmp_path / "wrapped.toml"
    path.write_text(PROGRAM_TOML, encoding="utf-8")
    wrapper = _WrapsRegistration(path)

    host = load_plugins([wrapper], entry_points_group=None)

    assert (["before", "after"], []) == (wrapper.seen, host.problems)
    assert "plugin _WrapsRegistration" == host.programs.source("wrapped")


class _FailingRegistrationWrapper:
    @hookimpl(wrapper=True)
    def facilitrack_programs(self) -> Generator[None, list[None], list[None]]:
        yield
        raise RuntimeError("wrapper bug")


def test_a_failing_registration_wrapper_is_dropped_and_the_others_register(tmp_path: Path) -> None:
    """A wrapper that breaks the registration call is named; the call runs again without it."""
    path = tmp_path / "wrapped.toml"
    path.write_text(PROGRAM_TOML, encoding="utf-8")

    host = load_plugins([_WrapsRegistration(path), _FailingRegistrationWrapper()], entry_points_group=None)

    assert [("_FailingRegistrationWrapper", "RuntimeError: wrapper bug")] == [
        (p.plugin, p.error) for p in host.problems
    ]
    assert ["wrapped"] == host.programs.keys()


def test_pluggy_tracing_sees_hook_calls(demo_program: Program) -> None:
    """`pm.enable_tracing()` shows the facade's hook calls, as it does any pluggy call."""
    host = load_plugins([_Flags()], entry_points_group=None)
    lines: list[str] = []
    host.pm.trace.root.setwriter(lines.append)
    undo = host.pm.enable_tracing()
    try:
        host.hooks.check_group(GROUP, demo_program, {})
    finally:
        undo()
        host.pm.trace.root.setwriter(None)

    assert [] != [line for line in lines if "facilitrack_check_group" in line]


# -- a plugin that raises or returns the wrong type is named ----------------------------------


class _CrashingValidator:
    @hookimpl
    def facilitrack_validate_event(self) -> str | None:
        raise ZeroDivisionError("division by zero")


class _ValidatorReturningANumber:
    @hookimpl
    def facilitrack_validate_event(self) -> object:
        return 42


class _ValidatorExiting:
    @hookimpl
    def facilitrack_validate_event(self) -> None:
        sys.exit(3)


@pytest.mark.parametrize(
    ("plugin", "said"),
    [
        (_CrashingValidator(), "failed on event 'ev-"),
        (_CrashingValidator(), "': ZeroDivisionError: division by zero"),
        (_ValidatorReturningANumber(), "facilitrack_validate_event returned 42, not a str or None"),
        (_ValidatorExiting(), "': it called sys.exit(3)"),
    ],
)
def test_a_failing_validation_hook_is_named_and_nothing_is_recorded(
    demo_program: Program, plugin: object, said: str
) -> None:
    """An exception, sys.exit() or a wrong result is a PluginError naming the plugin; no event is kept."""
    engine = engine_with(demo_program, plugin)

    with pytest.raises(PluginError) as caught:
        engine.enrol("ana", "demo", on=ON, credential="licensed")

    assert type(plugin).__name__ == caught.value.plugin
    assert caught.value.what.startswith("facilitrack_validate_event ")
    assert said in caught.value.what
    assert [] == engine.trainees()


class _CrashingDates:
    @hookimpl
    def facilitrack_parse_date(self, text: str) -> date | None:
        return date(*(int(part) for part in text.split("/")))


class _DatesAsText:
    @hookimpl
    def facilitrack_parse_date(self, text: str) -> object:
        return "2026-01-10"


class _DatesWithTimes:
    @hookimpl
    def facilitrack_parse_date(self, text: str) -> object:
        return datetime(2026, 1, 10, 9, 0)  # the wrong type is the point


@pytest.mark.parametrize(
    ("plugin", "said"),
    [
        (_CrashingDates(), "facilitrack_parse_date failed reading '10.1.2026': ValueError: invalid literal"),
        (_DatesAsText(), "facilitrack_parse_date returned '2026-01-10', not a date or None"),
        (_DatesWithTimes(), "returned datetime.datetime(2026, 1, 10, 9, 0), not a date or None"),
    ],
)
def test_a_failing_date_hook_is_named(demo_program: Program, plugin: object, said: str) -> None:
    """A date reader that raises or returns something other than a date is named in a PluginError."""
    hooks = load_plugins([plugin], entry_points_group=None).hooks

    with pytest.raises(PluginError) as caught:
        hooks.parse_date("10.1.2026", demo_program)

    assert type(plugin).__name__ == caught.value.plugin
    assert said in caught.value.what


class _RefusesImpossibleDays:
    @hookimpl
    def facilitrack_parse_date(self, text: str) -> date | None:
        raise UserError(f"{text!r} names no real day", fix="write d.m.yyyy")


def test_a_date_hook_refusing_a_day_on_purpose_speaks_for_itself(demo_program: Program) -> None:
    """A UserError from facilitrack_parse_date is the plugin's message to the user, passed on as is."""
    hooks = load_plugins([_RefusesImpossibleDays()], entry_points_group=None).hooks

    with pytest.raises(UserError) as caught:
        hooks.parse_date("31.2.2026", demo_program)

    assert not isinstance(caught.value, PluginError)
    assert ("'31.2.2026' names no real day", "write d.m.yyyy") == (caught.value.what, caught.value.fix)


class _CrashingGroupRule:
    @hookimpl
    def facilitrack_check_group(self) -> list[GroupProblem]:
        raise KeyError("facilitators")


class _GroupRuleReturningANumber:
    @hookimpl
    def facilitrack_check_group(self) -> object:
        return 7


@pytest.mark.parametrize(
    ("plugins", "said"),
    [
        ([_CrashingGroupRule()], "facilitrack_check_group failed on group 'g1': KeyError: 'facilitators'"),
        ([_GroupRuleReturningANumber()], "facilitrack_check_group returned 7, not GroupProblems"),
        ([_CrashingGroupRule(), _AddsToGroupChecks()], "failed on group 'g1': KeyError"),
    ],
)
def test_a_failing_group_rule_is_named_even_inside_a_wrapper(
    demo_program: Program, plugins: list[object], said: str
) -> None:
    """The plugin whose rule failed is named, not a wrapper the failure passed through."""
    hooks = load_plugins(plugins, entry_points_group=None).hooks

    with pytest.raises(PluginError) as caught:
        hooks.check_group(GROUP, demo_program, {})

    assert type(plugins[0]).__name__ == caught.value.plugin
    assert said in caught.value.what


class _CrashingObserver:
    @hookimpl
    def facilitrack_certificate_issued(self) -> None:
        raise ConnectionError("mail server down")


def test_a_failing_observer_is_named_and_the_journal_keeps_the_events(demo_program: Program) -> None:
    """An observer that fails after recording is named; what was recorded stays recorded."""
    engine = engine_with(demo_program, _CrashingObserver())

    with pytest.raises(PluginError) as caught:
        complete_level1(engine)

    assert "_CrashingObserver" == caught.value.plugin
    assert "ConnectionError: mail server down" in caught.value.what
    assert "the journal is intact" in (caught.value.fix or "")
    assert "demonstration" == engine.status("ana").stage


class _FailingWrapper:
    @hookimpl(wrapper=True)
    def facilitrack_check_group(self) -> Generator[None, list[Any], list[Any]]:
        yield
        raise RuntimeError("wrapper bug")


class _WrapperForcingANumber:
    @hookimpl(hookwrapper=True)
    def facilitrack_check_group(self) -> Generator[None, Result[Any], None]:
        outcome = yield
        outcome.force_result(7)


@pytest.mark.parametrize(
    ("wrapper", "said"),
    [
        (_FailingWrapper(), "facilitrack_check_group failed on group 'g1': RuntimeError: wrapper bug"),
        (_WrapperForcingANumber(), "facilitrack_check_group returned 7, not a list of results"),
    ],
)
def test_a_failing_wrapper_is_named(demo_program: Program, wrapper: object, said: str) -> None:
    """A wrapper that raises, or that changes the result to the wrong type, is the one named."""
    hooks = load_plugins([_Flags(), wrapper], entry_points_group=None).hooks

    with pytest.raises(PluginError) as caught:
        hooks.check_group(GROUP, demo_program, {})

    assert type(wrapper).__name__ == caught.value.plugin
    assert said in caught.value.what


class _ReturnsItsPrograms:
    @hookimpl
    def facilitrack_programs(self) -> list[str]:
        return ["program.toml"]


def test_a_registration_hook_returning_instead_of_registering_is_named() -> None:
    """Returning programs, rather than calling `register`, is a mistake reported, not ignored."""
    host = load_plugins([_ReturnsItsPrograms()], entry_points_group=None)

    assert [("_ReturnsItsPrograms", "facilitrack_programs returned ['program.toml'], not None;"
             " call register(...) for each one instead")] == [
        (p.plugin, p.error) for p in host.problems
    ]
