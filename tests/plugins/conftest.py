"""Fixtures for the bundled programs: each loaded from its plugin alone, and an engine on it."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from facilitrack import Attended, Engine, Program, ProgramRegistry, load_plugins
from facilitrack.testing import programs_of


@pytest.fixture
def bundled() -> Callable[[str], Program]:
    """The program a bundled plugin registers, loaded with no other plugin."""

    def load(name: str) -> Program:
        [program] = programs_of(importlib.import_module(f"facilitrack_plugins.{name}"))
        return program

    return load


@pytest.fixture
def engine_for() -> Callable[[Program], Engine]:
    """An in-memory engine that knows only `program`, with no plugin hooks."""

    def make(program: Program) -> Engine:
        registry = ProgramRegistry()
        registry.add(program, source="tests")
        return Engine(registry, hooks=load_plugins(entry_points_group=None).hooks)

    return make


@pytest.fixture
def weekly() -> Callable[[str, str, int, date], list[Attended]]:
    """`n` attendances of one activity, a week apart from `start`."""

    def make(trainee: str, activity: str, n: int, start: date) -> list[Attended]:
        return [
            Attended(trainee=trainee, activity=activity, on=start + timedelta(weeks=k))
            for k in range(n)
        ]

    return make
