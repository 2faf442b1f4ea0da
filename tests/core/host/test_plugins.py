"""Plugin loading: entry points, isolation of broken plugins, allow and block lists."""

from __future__ import annotations

import textwrap
import tomllib
from collections.abc import Callable, Iterator
from importlib.metadata import entry_points
from pathlib import Path
from typing import Literal

import pytest
from facilitrack import hookimpl, load_plugins, parse_program, reset_plugins
from facilitrack.plugin import Requirement

from tests.builders import one_stage_program
from tests.conftest import InstallPlugins

GOOD = '''
from pathlib import Path
from facilitrack import hookimpl

@hookimpl
def facilitrack_programs(register):
    register(Path(__file__).with_name("good.toml"))
'''

GOOD_TOML = one_stage_program("goodprog", "Good", organisation="Org")

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


# -- plugins that exit or are interrupted ------------------------------------------------------

QUITS_REGISTERING = '''
import sys
from facilitrack import hookimpl

@hookimpl
def facilitrack_programs(register):
    sys.exit("no licence file")
'''


def test_a_plugin_calling_sys_exit_on_import_is_named_and_the_others_load(
    install_plugins: InstallPlugins,
) -> None:
    """sys.exit() in a plugin's import is that plugin's failure, not the program's end."""
    install_plugins({"quits": "import sys\nsys.exit(3)\n", "good": GOOD}, files={"good.toml": GOOD_TOML})

    host = load_plugins(allow=["quits", "good"])

    assert [("quits", "it called sys.exit(3)")] == [(p.plugin, p.error) for p in host.problems]
    assert ["goodprog"] == host.programs.keys()


def test_a_plugin_calling_sys_exit_while_registering_is_named(install_plugins: InstallPlugins) -> None:
    """sys.exit() inside a registration hook isolates that plugin like any other failure."""
    install_plugins({"quits": QUITS_REGISTERING, "good": GOOD}, files={"good.toml": GOOD_TOML})

    host = load_plugins(allow=["quits", "good"])

    assert [("quits", "it called sys.exit('no licence file')")] == [
        (p.plugin, p.error) for p in host.problems
    ]
    assert ["good"] == host.plugin_names()


def test_keyboard_interrupt_while_loading_still_interrupts(install_plugins: InstallPlugins) -> None:
    """Ctrl-C during a plugin's import is the user's, not the plugin's: it is not swallowed."""
    install_plugins({"slow": "raise KeyboardInterrupt\n"})

    with pytest.raises(KeyboardInterrupt):
        load_plugins(allow=["slow"])


# -- allow and block lists name only installed plugins -----------------------------------------


def installed_names() -> str:
    """The installed plugins' entry-point names, as a warning lists them."""
    return ", ".join(sorted(ep.name for ep in entry_points(group="facilitrack")))


@pytest.mark.parametrize(
    ("env", "given", "message"),
    [
        ({"FACILITRACK_PLUGINS": "god"}, {},
         "plugin 'god' is not installed: FACILITRACK_PLUGINS names it; did you mean 'good'?"),
        ({"FACILITRACK_PLUGINS": "good", "FACILITRACK_BLOCK_PLUGINS": "goood"}, {},
         "plugin 'goood' is not installed: FACILITRACK_BLOCK_PLUGINS names it; did you mean 'good'?"),
        ({}, {"allow": ["god"]},
         "plugin 'god' is not installed: the allow list names it; did you mean 'good'?"),
        ({"FACILITRACK_PLUGINS": "GOOD"}, {},
         "plugin 'GOOD' is not installed: FACILITRACK_PLUGINS names it; did you mean 'good'?"),
    ],
)
def test_an_unknown_name_in_a_list_is_named_with_the_installed_ones(
    install_plugins: InstallPlugins, monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str], given: dict[str, list[str]], message: str,
) -> None:
    """A misspelt name in FACILITRACK_PLUGINS or _BLOCK_PLUGINS is a warning, with a suggestion."""
    install_plugins({"good": GOOD}, files={"good.toml": GOOD_TOML})
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    host = load_plugins(**given)

    assert [f"{message} (installed: {installed_names()})"] == [str(p) for p in host.problems]


def test_an_allow_list_of_no_names_is_a_warning_and_the_left_out_are_known(
    install_plugins: InstallPlugins, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """FACILITRACK_PLUGINS="," leaves every plugin out, and says so; the host knows which it left out."""
    install_plugins({"good": GOOD}, files={"good.toml": GOOD_TOML})
    monkeypatch.setenv("FACILITRACK_PLUGINS", ",")

    host = load_plugins()

    assert ["FACILITRACK_PLUGINS names no plugin: every plugin is left out"] == list(map(str, host.problems))
    assert "good" in host.left_out
    assert "FACILITRACK_PLUGINS" == host.left_out_by


# -- a program key or requirement kind two plugins claim ---------------------------------------

MPG_COPY = '''
from pathlib import Path
from facilitrack import hookimpl

@hookimpl
def facilitrack_programs(register):
    register(Path(__file__).with_name("mpg_copy.toml"))
'''


@pytest.mark.parametrize("name", ["acme", "zeta"])
def test_a_key_two_plugins_claim_loads_neither_whatever_their_order(
    install_plugins: InstallPlugins, name: str
) -> None:
    """A third party's `mpg` and the bundled one are both named and both skipped, in either order."""
    mpg = (Path(__file__).resolve().parents[3] / "plugins" / "mpg" / "program.toml").read_text()
    install_plugins({name: MPG_COPY}, files={"mpg_copy.toml": mpg.replace("Center for", "Acme for")})

    host = load_plugins(allow=["mpg", name, "rpp"])

    assert {
        name: "it registers program key 'mpg', as plugin 'mpg' does: neither is loaded"
              " (block one: FACILITRACK_BLOCK_PLUGINS=mpg, or give one program another key)",
        "mpg": f"it registers program key 'mpg', as plugin {name!r} does: neither is loaded"
               f" (block one: FACILITRACK_BLOCK_PLUGINS={name}, or give one program another key)",
    } == {p.plugin: p.error for p in host.problems}
    assert (["rpp"], ["rpp"]) == (host.programs.keys(), host.plugin_names())


def test_a_broken_plugin_claiming_a_key_does_not_take_it_from_the_plugin_that_has_it(
    install_plugins: InstallPlugins,
) -> None:
    """Only plugins that load on their own can clash: a broken `mpg` copy leaves the bundled one."""
    install_plugins({"acme": MPG_COPY}, files={"mpg_copy.toml": 'key = "mpg"\nname = "Broken"\n'})

    host = load_plugins(allow=["mpg", "acme"])

    assert ["acme"] == [p.plugin for p in host.problems]
    assert "plugin mpg" == host.programs.source("mpg")


class _Stars(Requirement):
    kind: Literal["stars"] = "stars"


class _OtherStars(Requirement):
    kind: Literal["stars"] = "stars"


class _OffersStars:
    @hookimpl
    def facilitrack_requirement_kinds(self, register: Callable[[type[Requirement]], None]) -> None:
        register(_Stars)


class _OffersOtherStars:
    @hookimpl
    def facilitrack_requirement_kinds(self, register: Callable[[type[Requirement]], None]) -> None:
        register(_OtherStars)


@pytest.mark.parametrize(
    "plugins", [[_OffersStars(), _OffersOtherStars()], [_OffersOtherStars(), _OffersStars()]]
)
def test_a_requirement_kind_two_plugins_claim_loads_neither(plugins: list[object]) -> None:
    """Two classes for one kind name: both plugins are named and skipped, in either order."""
    host = load_plugins(plugins, entry_points_group=None)

    assert {
        "_OffersStars": "it registers requirement kind 'stars', as plugin '_OffersOtherStars' does:"
                        " neither is loaded (block one: FACILITRACK_BLOCK_PLUGINS=_OffersOtherStars,"
                        " or give one kind another name)",
        "_OffersOtherStars": "it registers requirement kind 'stars', as plugin '_OffersStars' does:"
                             " neither is loaded (block one: FACILITRACK_BLOCK_PLUGINS=_OffersStars,"
                             " or give one kind another name)",
    } == {p.plugin: p.error for p in host.problems}
    assert "stars" not in host.kinds.names()


def test_an_entry_point_name_two_packages_use_loads_neither(
    install_plugins: InstallPlugins, tmp_path: Path
) -> None:
    """Two installed packages naming their plugin `dup`: one warning naming both; the others load."""
    site = install_plugins({"dup": "", "good": GOOD}, files={"good.toml": GOOD_TOML})
    other = site / "ft_other-0.1.dist-info"
    other.mkdir()
    (other / "METADATA").write_text("Metadata-Version: 2.1\nName: ft-other\nVersion: 0.1\n")
    (other / "entry_points.txt").write_text("[facilitrack]\ndup = ft_other_dup\n")

    host = load_plugins(allow=["dup", "good"])

    assert [("dup", "two installed packages name a plugin 'dup' (ft_dup, ft_other_dup): neither is"
                    " loaded; uninstall one")] == [(p.plugin, p.error) for p in host.problems]
    assert ["good"] == host.plugin_names()


# -- all or nothing ----------------------------------------------------------------------------

HALF_PROGRAM = parse_program(tomllib.loads(one_stage_program("halfprog", "Half")), origin="tests")


class _Moons(Requirement):
    kind: Literal["moons"] = "moons"


class _FailsAfterRegistering:
    """Registers a kind and a program, then fails: nothing of it may stay."""

    @hookimpl
    def facilitrack_requirement_kinds(self, register: Callable[[type[Requirement]], None]) -> None:
        register(_Moons)

    @hookimpl
    def facilitrack_programs(self, register: Callable[[object], None]) -> None:
        register(HALF_PROGRAM)
        raise RuntimeError("half-way")


class _SecondProgramInvalid:
    """Registers a kind and a good program, then a definition that is not one."""

    @hookimpl
    def facilitrack_requirement_kinds(self, register: Callable[[type[Requirement]], None]) -> None:
        register(_Moons)

    @hookimpl
    def facilitrack_programs(self, register: Callable[[object], None]) -> None:
        register(HALF_PROGRAM)
        register({"key": "x"})


class _SecondKindInvalid:
    """Registers a good kind, then something that is not a requirement kind, and a good program."""

    @hookimpl
    def facilitrack_requirement_kinds(self, register: Callable[[object], None]) -> None:
        register(_Moons)
        register(object)

    @hookimpl
    def facilitrack_programs(self, register: Callable[[object], None]) -> None:
        register(HALF_PROGRAM)


@pytest.mark.parametrize("plugin", [_FailsAfterRegistering, _SecondProgramInvalid, _SecondKindInvalid])
def test_a_plugin_failing_half_way_leaves_nothing_registered(plugin: type) -> None:
    """Registration is all or nothing: what a plugin offered before failing is dropped with it,
    and the plugin is named once."""
    host = load_plugins([plugin(), _OffersStars()], entry_points_group=None)

    assert [plugin.__name__] == [p.plugin for p in host.problems]
    assert ["_OffersStars"] == host.plugin_names()
    assert [] == host.programs.keys()
    assert ["stars"] == [k for k in host.kinds.names() if k in ("moons", "stars")]
