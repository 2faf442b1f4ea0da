"""Hook calls go through pluggy: wrappers run around them, and tracing sees them."""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path

from facilitrack import Program, hookimpl, load_plugins
from pluggy import Result

from tests.builders import one_stage_program
from tests.core.host.conftest import GROUP, _AddsToGroupChecks, _Flags, complete_level1, engine_with

PROGRAM_TOML = one_stage_program("wrapped", "Wrapped")


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
