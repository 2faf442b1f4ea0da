"""Plugin loading: entry points, isolation of broken plugins, allow and block lists."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from facilitrack import hookimpl, load_plugins, reset_plugins

GOOD = '''
from pathlib import Path
from facilitrack import hookimpl

@hookimpl
def facilitrack_programs(register):
    register(Path(__file__).with_name("good.toml"))
'''

GOOD_TOML = '''
key = "goodprog"
name = "Good"
version = "1.0"
organisation = "Org"
[[stages]]
key = "only"
title = "Only stage"
[[stages.requirements]]
kind = "attendance"
key = "day"
count = 1
'''

BAD_DEFINITION = '''
from facilitrack import hookimpl

@hookimpl
def facilitrack_programs(register):
    register({"key": "x"})  # not a Program: refused
'''

MISSPELT = '''
from facilitrack import hookimpl

@hookimpl
def facilitrack_program(register):
    pass
'''


@pytest.fixture
def fake_dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An installed distribution whose entry points name good, broken and faulty plugins."""
    (tmp_path / "ft_good.py").write_text(GOOD)
    (tmp_path / "good.toml").write_text(GOOD_TOML)
    (tmp_path / "ft_broken.py").write_text("raise ImportError('missing dependency: lxml')\n")
    (tmp_path / "ft_baddef.py").write_text(BAD_DEFINITION)
    (tmp_path / "ft_misspelt.py").write_text(MISSPELT)
    info = tmp_path / "ft_fake-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: ft-fake\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(textwrap.dedent("""
        [facilitrack]
        good = ft_good
        broken = ft_broken
        baddef = ft_baddef
        misspelt = ft_misspelt
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    reset_plugins()
    yield tmp_path
    reset_plugins()


ONLY_FAKE = ["good", "broken", "baddef", "misspelt"]


def test_a_broken_plugin_does_not_stop_the_others(fake_dist: Path) -> None:
    """Import, definition and hook-name failures are reported by name; good plugins load."""
    host = load_plugins(allow=ONLY_FAKE)
    problems = {p.plugin: p.error for p in host.problems}
    assert ["baddef", "broken", "misspelt"] == sorted(problems)
    assert "missing dependency: lxml" in problems["broken"]
    assert "facilitrack_program is not a facilitrack hook" in problems["misspelt"]
    assert ["goodprog"] == host.programs.keys()
    assert "plugin good" == host.programs.source("goodprog")


def test_block_list_skips_a_plugin(fake_dist: Path) -> None:
    """A blocked plugin is never imported, so its failure cannot show."""
    host = load_plugins(allow=ONLY_FAKE, block=["broken", "baddef", "misspelt"])
    assert [] == host.problems
    assert ["good"] == host.plugin_names()


def test_environment_lists_apply(fake_dist: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """FACILITRACK_PLUGINS and FACILITRACK_BLOCK_PLUGINS choose plugins by name."""
    monkeypatch.setenv("FACILITRACK_PLUGINS", "good, broken")
    monkeypatch.setenv("FACILITRACK_BLOCK_PLUGINS", "broken")
    host = load_plugins()
    assert ["good"] == host.plugin_names()


def test_loading_is_idempotent(fake_dist: Path) -> None:
    """Loading twice with the same lists returns the same host, importing nothing again."""
    assert load_plugins(allow=["good"]) is load_plugins(allow=["good"])


def test_bundled_programs_are_entry_points() -> None:
    """The four bundled programs register through the same group a third party uses."""
    from importlib.metadata import entry_points

    names = {ep.name for ep in entry_points(group="facilitrack")}
    assert {"rpp", "mpg", "strong_roots", "duet"} <= names


def test_bare_core_and_plugins_are_not_importable(tmp_path: Path) -> None:
    """Installing facilitrack adds no top-level `core` or `plugins` module, wherever the checkout is."""
    # A fresh interpreter in isolated mode (no current directory, no PYTHONPATH), run from an
    # empty folder, sees only what is installed: the checkout's own core/ and plugins/, and the
    # name of the folder it was cloned into, play no part.
    import importlib.metadata
    import subprocess
    import sys

    probe = "import importlib.util as u; print([str(u.find_spec(n)) for n in ('core', 'plugins')])"
    found = subprocess.run(
        [sys.executable, "-I", "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout.strip()
    top_level = importlib.metadata.distribution("facilitrack").read_text("top_level.txt") or ""

    assert "['None', 'None']" == found
    assert ["facilitrack", "facilitrack_plugins"] == sorted(top_level.split())


def test_every_hook_is_documented() -> None:
    """Each hookspec has a docstring naming each of its parameters."""
    import inspect

    from facilitrack._host import hookspecs

    specs = [f for n, f in vars(hookspecs).items() if n.startswith("facilitrack_")]
    assert specs
    for spec in specs:
        doc = inspect.getdoc(spec) or ""
        for param in inspect.signature(spec).parameters:
            assert f":param {param}:" in doc, f"{spec.__name__} does not document {param}"


class _Twice:
    @hookimpl
    def facilitrack_programs(self, register: object) -> None:
        raise RuntimeError("boom")


def test_registration_failure_is_isolated() -> None:
    """A plugin object whose registration raises is reported and unregistered."""
    host = load_plugins([_Twice()], entry_points_group=None)
    assert 1 == len(host.problems)
    assert "RuntimeError: boom" in host.problems[0].error
    assert [] == host.plugin_names()
