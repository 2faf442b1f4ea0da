"""A plugin whose hook raises or returns the wrong type is named, whatever hook it implements."""

from __future__ import annotations

import sys
from collections.abc import Generator
from datetime import date, datetime
from typing import Any

import pytest
from facilitrack import PluginError, Program, UserError, hookimpl, load_plugins
from facilitrack.plugin import GroupProblem
from pluggy import Result

from tests.core.host.conftest import GROUP, ON, _AddsToGroupChecks, _Flags, complete_level1, engine_with


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
