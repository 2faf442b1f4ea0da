"""Fixtures shared by every test: a small program, an engine on it, and the real CLI."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from facilitrack import Engine, Program, ProgramRegistry, load_plugins, parse_program

DEMO: dict[str, Any] = {
    "key": "demo",
    "name": "Demo Parenting Groups",
    "version": "1.0",
    "organisation": "Test Org",
    "tracks": [{"key": "infant", "title": "Infant"}, {"key": "toddler", "title": "Toddler"}],
    "stages": [
        {
            "key": "level1",
            "title": "Level 1 workshop",
            "certificate": {"title": "Level 1 Certificate of Completion"},
            "requirements": [
                {"kind": "credential", "allowed": ["licensed", "pre_licensed"],
                 "with_co_leader": ["early_childhood", "other"]},
                {"kind": "attendance", "key": "workshop_day", "count": 2, "source": "test"},
            ],
        },
        {
            "key": "demonstration",
            "title": "Demonstration group",
            "requirements": [
                {"kind": "pairing"},
                {"kind": "attendance", "key": "demo_session", "count": 3},
                {"kind": "artifact", "key": "process_recording", "count": 1,
                 "status": "presented", "waivable": True},
            ],
        },
        {
            "key": "trainee_led",
            "title": "Trainee-led group",
            "certificate": {"title": "Level 2 Certificate of Completion"},
            "requirements": [
                {"kind": "attendance", "key": "group_session", "count": 2},
                {"kind": "artifact", "key": "process_recording", "count": 2, "status": "presented"},
                {"kind": "artifact", "key": "videotape", "count": 1, "status": "approved"},
            ],
        },
    ],
}


@pytest.fixture
def demo_program() -> Program:
    """A three-stage program shaped like the bundled ones, small enough to reason about."""
    return parse_program(DEMO, origin="tests/conftest.py")


@pytest.fixture
def engine(demo_program: Program) -> Engine:
    """An in-memory engine knowing only the demo program, with no plugins loaded."""
    registry = ProgramRegistry()
    registry.add(demo_program, source="tests")
    return Engine(registry, hooks=load_plugins(entry_points_group=None).hooks)


@dataclass
class CliResult:
    """What a command printed and returned."""

    code: int
    out: str
    err: str


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., CliResult]:
    """Run ``facilitrack ARGS`` in-process, as a user types it, from `tmp_path`."""
    from facilitrack._cli import main

    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse's --help and usage errors
                code = exc.code if isinstance(exc.code, int) else 2
        return CliResult(code, out.getvalue(), err.getvalue())

    return run


# -- PostgreSQL: one throwaway server for the whole run -------------------------------------------

#: Set (as CI does) to fail, rather than skip, when no PostgreSQL server can be started.
REQUIRE_POSTGRES = "FACILITRACK_REQUIRE_POSTGRES"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server started for this test run (and stopped after it); its URL."""
    import os

    try:
        import psycopg  # noqa: F401
        from facilitrack.testing import PostgresUnavailable, postgres_server
    except ImportError as exc:
        reason = f"psycopg is not installed ({exc}): pip install 'facilitrack[postgres]'"
    else:
        try:
            with postgres_server() as url:
                yield url
            return
        except PostgresUnavailable as exc:
            reason = f"no PostgreSQL server could be started here: {exc}"
    if os.environ.get(REQUIRE_POSTGRES):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def pg_url(postgres_url: str) -> str:
    """A URL for a new, empty store on the test server (its own schema)."""
    from facilitrack.testing import fresh_schema

    return fresh_schema(postgres_url)
