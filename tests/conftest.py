"""Fixtures shared by every test: a small program, an engine on it, the real CLI, plugins installed.

The program and what tests build on it are in `tests.builders`; `DEMO` is imported here too, as
tests have always found it."""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from facilitrack import Engine, Program, parse_program, reset_plugins
from hypothesis import settings

from tests.builders import DEMO, engine_on

if TYPE_CHECKING:  # imported here, the kit could not be loaded as a plugin below
    from facilitrack.testing import CliResult

#: The plugin test kit (`facilitrack_check`, `facilitrack_project`) is opt-in, as for any plugin's
#: tests; pytester runs pytest inside a test, to show that.
pytest_plugins = ["facilitrack.testing", "pytester"]

# Property tests are deterministic: the same examples every run (a failure reproduces as is),
# no example database between runs, and no per-example deadline on a loaded machine.
settings.register_profile("facilitrack", derandomize=True, database=None, deadline=None)
settings.load_profile("facilitrack")

@pytest.fixture
def demo_program() -> Program:
    """A three-stage program shaped like the bundled ones, small enough to reason about."""
    return parse_program(DEMO, origin="tests/conftest.py")


@pytest.fixture
def engine(demo_program: Program) -> Engine:
    """An in-memory engine knowing only the demo program, with no plugins loaded."""
    return engine_on(demo_program)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., CliResult]:
    """Run ``facilitrack ARGS`` in-process, as a user types it, from the working directory.

    That is `tmp_path`, unless the test moves; the runner is the test kit's `FacilitrackProject`.
    """
    from facilitrack.testing import FacilitrackProject

    monkeypatch.chdir(tmp_path)
    project = FacilitrackProject(tmp_path, monkeypatch)
    return lambda *args: project.run(*args, cwd=Path.cwd())


@pytest.fixture
def umask_027() -> Iterator[None]:
    """Run under umask 027 (group may read, others nothing), as many sites set it."""
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


InstallPlugins = Callable[..., Path]


@pytest.fixture
def install_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[InstallPlugins]:
    """Install plugins as a distribution on sys.path, for this test only.

    ``install_plugins({"name": SOURCE}, files={"x.toml": TEXT})`` registers module ``ft_name``
    (holding SOURCE) under entry point ``name`` of the ``facilitrack`` group; `files` go beside
    the modules. Returns the directory; plugins are loaded afresh before and after the test.
    """
    site = tmp_path / "site"
    before = set(sys.modules)

    def install(modules: Mapping[str, str], files: Mapping[str, str] | None = None) -> Path:
        info = site / "ft_plugins-0.1.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: ft-plugins\nVersion: 0.1\n")
        lines = [f"{name} = ft_{name}" for name in modules]
        (info / "entry_points.txt").write_text("[facilitrack]\n" + "\n".join(lines) + "\n")
        for name, source in {**{f"ft_{n}.py": s for n, s in modules.items()}, **(files or {})}.items():
            (site / name).write_text(textwrap.dedent(source), encoding="utf-8")
        monkeypatch.syspath_prepend(str(site))
        reset_plugins()
        return site

    yield install
    reset_plugins()
    for name in set(sys.modules) - before:
        if name.startswith("ft_"):
            del sys.modules[name]


# -- PostgreSQL: one throwaway server for the whole run -------------------------------------------

#: Set (as CI does) to fail, rather than skip, when no PostgreSQL server can be started.
REQUIRE_POSTGRES = "FACILITRACK_REQUIRE_POSTGRES"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server started for this test run (and stopped after it); its URL."""
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
