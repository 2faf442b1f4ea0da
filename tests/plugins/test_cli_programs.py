"""`facilitrack programs` and `facilitrack show`, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from facilitrack import Program, load_program, reset_plugins

from tests.builders import one_stage_program
from tests.conftest import InstallPlugins

ROOT = Path(__file__).resolve().parents[2]
TOML_EXAMPLE = ROOT / "examples" / "adaptation-toml" / "program.toml"
BUNDLED = ["duet", "mpg", "rpp", "strong_roots"]

TWOVER_PLUGIN = """
from pathlib import Path
from facilitrack import hookimpl

@hookimpl
def facilitrack_programs(register):
    register(Path(__file__).with_name("twover_1_0.toml"))
    register(Path(__file__).with_name("twover_1_1.toml"))
"""


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Two more plugins installed (as a distribution on sys.path): one broken, one with 2 versions."""
    site = tmp_path / "site"
    dist = site / "facilitrack_test_plugins-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: facilitrack-test-plugins\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(
        "[facilitrack]\nbroken = facilitrack_test_no_such_module\ntwover = twover_plugin\n"
    )
    package = site / "twover_plugin"
    package.mkdir()
    (package / "__init__.py").write_text(TWOVER_PLUGIN)
    for version, count in (("1.0", 2), ("1.1", 3)):
        twover = one_stage_program("twover", "Two Versions", version=version, title="The only stage",
                                   count=count)
        (package / f"twover_{version.replace('.', '_')}.toml").write_text(twover)
    monkeypatch.syspath_prepend(str(site))
    reset_plugins()
    yield
    reset_plugins()


# -- programs ----------------------------------------------------------------------------------


def test_programs_lists_each_program_with_version_and_plugin(cli: Callable[..., Any]) -> None:
    """Every bundled program is listed with its version and the plugin it came from."""
    result = cli("programs")

    assert (0, "") == (result.code, result.err)
    rows = {line.split()[0]: line.split() for line in result.out.splitlines()[1:]}
    for key in BUNDLED:
        assert [key, "1.0,", "2.0", "plugin", key] == rows[key][:5]


def test_programs_reports_a_broken_plugin_on_stderr(cli: Callable[..., Any], installed: None) -> None:
    """A plugin that fails to load is named with its error; the others are still listed."""
    result = cli("programs")

    assert 0 == result.code
    assert "plugin 'broken' was not loaded: ModuleNotFoundError" in result.err
    assert "facilitrack_test_no_such_module" in result.err
    rows = [" ".join(line.split()) for line in result.out.splitlines()]
    assert "twover 1.0, 1.1 plugin twover Two Versions" in rows
    assert "mpg 1.0, 2.0 plugin mpg Mindful Parenting Groups" in rows


def test_a_plugin_exiting_on_import_is_named_and_the_programs_still_listed(
    cli: Callable[..., Any], install_plugins: InstallPlugins
) -> None:
    """A plugin whose import calls sys.exit(3) is a warning naming it, not a silent exit 3."""
    install_plugins({"quits": "import sys\nsys.exit(3)\n"})

    result = cli("programs")

    assert 0 == result.code
    assert "warning: plugin 'quits' was not loaded: it called sys.exit(3)\n" == result.err
    rows = [" ".join(line.split()) for line in result.out.splitlines()]
    assert "mpg 1.0, 2.0 plugin mpg Mindful Parenting Groups" in rows


def test_the_console_script_survives_a_plugin_that_exits(install_plugins: InstallPlugins) -> None:
    """As a user runs it, in a subprocess: the exiting plugin is a warning, the command exits 0."""
    site = install_plugins({"quits": "import sys\nsys.exit(3)\n"})
    script = Path(sys.executable).with_name("facilitrack")

    result = subprocess.run(
        [str(script), "programs"], capture_output=True, text=True, check=False, timeout=60,
        env={**os.environ, "PYTHONPATH": str(site)},
    )

    assert (0, "warning: plugin 'quits' was not loaded: it called sys.exit(3)\n") == (
        result.returncode, result.stderr
    )
    assert "mpg" in result.stdout


def test_a_misspelt_allow_list_is_a_warning_not_silence(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """FACILITRACK_PLUGINS=mgp loads nothing, and says why: no plugin has that name."""
    monkeypatch.setenv("FACILITRACK_PLUGINS", "mgp")

    result = cli("programs")

    assert 0 == result.code
    assert result.err.startswith(
        "warning: plugin 'mgp' is not installed: FACILITRACK_PLUGINS names it; did you mean 'mpg'?"
        " (installed: "
    )
    installed = result.err.split("(installed: ", 1)[1].rstrip(")\n").split(", ")
    assert {"duet", "mpg", "rpp", "strong_roots"} <= set(installed)


def test_a_program_left_out_by_the_allow_list_is_named_as_such(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cohort of a program whose plugin the allow list leaves out says so, not "there are none"."""
    monkeypatch.setenv("FACILITRACK_PLUGINS", "mgp")

    result = cli("check", str(ROOT / "examples" / "mpg" / "cohort.toml"))

    assert 2 == result.code
    assert "unknown program 'mpg': no plugin loaded provides it" in result.err
    assert "FACILITRACK_PLUGINS leaves out installed plugins: " in result.err
    assert "mpg" in result.err.split("leaves out installed plugins: ", 1)[1]
    assert "there are none" not in result.err


def test_programs_json_and_program_files(cli: Callable[..., Any]) -> None:
    """`--program-file` adds a TOML program, listed under its path; JSON gives the same rows."""
    result = cli("programs", "--program-file", str(TOML_EXAMPLE), "--format", "json")
    rows = {row["key"]: row for row in json.loads(result.out)}

    assert {"key": "coaching_groups", "version": "1.0", "versions": ["1.0"],
            "name": "Parent-Child Coaching Groups", "from": str(TOML_EXAMPLE)} == rows["coaching_groups"]
    assert "plugin mpg" == rows["mpg"]["from"]


def test_programs_refuses_a_file_claiming_an_installed_key(cli: Callable[..., Any], tmp_path: Path) -> None:
    """A program file may not take over a key a plugin owns: exit 2, naming both."""
    clash = tmp_path / "mpg.toml"
    clash.write_text((ROOT / "plugins" / "mpg" / "program.toml").read_text())

    result = cli("programs", "--program-file", str(clash))

    assert 2 == result.code
    assert "claimed by both plugin mpg and" in result.err
    assert "Traceback" not in result.err


# -- show --------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1.0", "2.0"])
@pytest.mark.parametrize("key", BUNDLED)
def test_show_text_fits_80_columns_and_names_every_requirement(
    cli: Callable[..., Any], bundled: Callable[..., Program], key: str, version: str
) -> None:
    """The text view lists each stage and requirement with its source, in 80 columns."""
    result = cli("show", key, "--version", version)
    program = bundled(key, version)

    assert 0 == result.code
    assert [] == [line for line in result.out.splitlines() if len(line) > 80]
    flat = " ".join(result.out.split())
    for number, stage in enumerate(program.stages, 1):
        assert f"{number}. {stage.key}: {' '.join(stage.title.split())}" in flat
        for req in stage.requirements:
            assert f"{req.label()} [{req.kind}" in flat
            if req.source:
                assert " ".join(req.source.split())[:40] in flat


def test_show_text_of_mpg(cli: Callable[..., Any]) -> None:
    """MPG's text view: header, tracks, counts with kinds, waivable marks, certificates."""
    out = cli("show", "mpg", "--version", "1.0").out

    assert out.startswith("mpg 1.0: Mindful Parenting Groups\n  organisation: Center for Reflective")
    assert "  from: plugin mpg\n" in out
    assert "tracks: infant (Infant Group Facilitation), toddler" in out
    assert "     - 12 x Demonstration Group weeks [attendance demonstration_session]\n" in out
    assert "     - 14 x weekly hour-long group supervision [attendance supervision,\n       waivable]" in out
    assert "         allowed: licensed, pre_licensed\n" in out
    assert "     certificate: MPG Level 2 Certificate of Completion\n" in out
    assert out.endswith("  4. certified\n")


@pytest.mark.parametrize("version", ["1.0", "2.0"])
@pytest.mark.parametrize("key", BUNDLED)
def test_show_json_is_the_definition(
    cli: Callable[..., Any], bundled: Callable[..., Program], key: str, version: str
) -> None:
    """`--format json` prints `Program.model_dump(mode="json")`, non-ASCII kept as is."""
    result = cli("show", key, "--version", version, "--format", "json")

    assert bundled(key, version).model_dump(mode="json") == json.loads(result.out)


def test_show_mermaid_draws_the_pathway(cli: Callable[..., Any]) -> None:
    """`--format mermaid` is the state diagram: stages in order, then certified."""
    out = cli("show", "mpg", "--format", "mermaid").out

    assert "stateDiagram-v2" in out
    for edge in ("level1 --> demonstration: advance", "demonstration --> trainee_led: advance",
                 "trainee_led --> certified: advance", "on_hold --> level1: resume"):
        assert edge in out


def test_show_program_file(cli: Callable[..., Any]) -> None:
    """`--program-file` shows a data-only program, naming the file it came from."""
    result = cli("show", "--program-file", str(TOML_EXAMPLE))

    assert 0 == result.code
    assert result.out.startswith("coaching_groups 1.0: Parent-Child Coaching Groups\n")
    assert f"  from: {TOML_EXAMPLE}\n" in result.out
    json_out = cli("show", "--program-file", str(TOML_EXAMPLE), "--format", "json").out
    assert load_program(TOML_EXAMPLE).model_dump(mode="json") == json.loads(json_out)


def test_show_program_file_names_the_field_at_fault(cli: Callable[..., Any], tmp_path: Path) -> None:
    """A broken program file is exit 2 with the file and field, never a traceback."""
    bad = tmp_path / "bad.toml"
    bad.write_text(TOML_EXAMPLE.read_text().replace("count = 12", "count = 0"))

    result = cli("show", "--program-file", str(bad))

    assert 2 == result.code
    assert f"{bad}: invalid program definition" in result.err
    assert "stages[1].requirements[1].count: Input should be greater than 0" in result.err


def test_show_pinned_version(cli: Callable[..., Any], installed: None) -> None:
    """`--version` shows an older installed version; the default is the latest."""
    old = cli("show", "twover", "--version", "1.0")
    latest = cli("show", "twover")

    assert 0 == old.code
    assert old.out.startswith("twover 1.0: Two Versions\n")
    assert "installed versions: 1.0, 1.1" in old.out
    assert "- 2 x day [attendance day]" in old.out
    assert "- 3 x day [attendance day]" in latest.out


def test_show_version_not_installed(cli: Callable[..., Any]) -> None:
    """An unknown version is exit 2, listing the installed ones."""
    result = cli("show", "mpg", "--version", "9.9")

    assert 2 == result.code
    assert "program mpg has no version '9.9' installed (installed: 1.0, 2.0)" in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "mgp"], "unknown program 'mgp'"),
        (["show"], "name the program to show"),
        (["show", "rpp", "--program-file", str(TOML_EXAMPLE)],
         "the file defines program 'coaching_groups', not 'rpp'"),
        (["show", "--program-file", "missing.toml"], "missing.toml: file not found"),
    ],
)
def test_show_bad_input(cli: Callable[..., Any], args: list[str], message: str) -> None:
    """Bad input is exit 2 with what went wrong and a fix, never a traceback."""
    result = cli(*args)

    assert 2 == result.code
    assert message in result.err
    assert "fix:" in result.err
    assert "Traceback" not in result.err


def test_unknown_program_suggests_the_nearest(cli: Callable[..., Any]) -> None:
    """A misspelt key is answered with the program meant."""
    assert "did you mean 'mpg'?" in cli("show", "mgp").err


@pytest.mark.parametrize(
    ("command", "example"),
    [("programs", "example:\n  facilitrack programs"), ("show", "example:\n  facilitrack show mpg")],
)
def test_help_shows_an_example(cli: Callable[..., Any], command: str, example: str) -> None:
    """Each command's --help ends with an example invocation."""
    result = cli(command, "--help")

    assert 0 == result.code
    assert example in result.out



@pytest.mark.parametrize("key", BUNDLED)
def test_show_marks_every_number_of_a_2_0_program_cited_or_assumed(cli: Callable[..., Any], key: str) -> None:
    """`show KEY` (2.0, the latest) has no `uncited:` line: each number is cited or an assumption."""
    out = cli("show", key).out

    assert out.startswith(f"{key} 2.0: ")
    assert [] == [line for line in out.splitlines() if "uncited:" in line]
    assert out.count("cited: ") + out.count("assumption: ") >= 10
