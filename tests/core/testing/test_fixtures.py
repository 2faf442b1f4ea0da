"""The test kit's `facilitrack_project`: input files in a directory, the real CLI run in it."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import tomli_w
from facilitrack.testing import CliResult, FacilitrackProject

from tests.builders import ANA_WORKSHOP_DAYS, DEMO, cohort_table, trainee_row

Project = Callable[..., FacilitrackProject]

COHORT = textwrap.indent(  # indented as in a test's source: the kit dedents it
    cohort_table(track="infant", program_file="programs/demo.toml")
    + trainee_row("ana", "licensed", trainer="dr-lee")
    + ANA_WORKSHOP_DAYS,
    "    ",
)


def test_a_project_writes_its_files_and_runs_the_cli_in_them(facilitrack_project: Project) -> None:
    """Files (nested mappings are directories, text is dedented) are what the command reads."""
    project = facilitrack_project({"cohort.toml": COHORT, "programs": {"demo.toml": tomli_w.dumps(DEMO)}})
    before = Path.cwd()

    result = project.run("run", "cohort.toml")

    result.assert_success()
    assert ("run", "cohort.toml") == result.args
    assert "ana demonstration level1 demo_session 0/3" in " ".join(result.out.split())
    assert "" == result.err
    assert before == Path.cwd()


def test_a_failing_command_gives_its_code_and_message(facilitrack_project: Project) -> None:
    """Bad input: exit 2 and the one-line error, as a user sees them; assert_failed accepts it."""
    project = facilitrack_project({"cohort.toml": "[cohort]\nname = 1\n"})

    result = project.run("check", "cohort.toml")

    result.assert_failed(2)
    assert result.err.startswith("error: cohort.toml")
    with pytest.raises(AssertionError, match=r"(?s)expected exit code 0\n\$ facilitrack check cohort.toml"
                                             r"\nexit code: 2\nstderr:\n  error: cohort.toml"):
        result.assert_success()


def test_usage_errors_and_help_exit_as_argparse_makes_them(facilitrack_project: Project) -> None:
    """argparse's own exits (usage error 2, --help 0) are results, not exceptions in the test."""
    project = facilitrack_project()

    assert 2 == project.run("no-such-command").code
    assert (0, "usage: facilitrack") == (project.run("--help").code, project.run("--help").out[:18])


def test_environment_applies_to_one_run_only(facilitrack_project: Project) -> None:
    """`env=` sets variables for that command: here a block list that hides the mpg plugin."""
    project = facilitrack_project()

    hidden = project.run("show", "mpg", env={"FACILITRACK_BLOCK_PLUGINS": "mpg"})
    shown = project.run("show", "mpg")

    assert (2, 0) == (hidden.code, shown.code)
    assert "FACILITRACK_BLOCK_PLUGINS" not in os.environ


def test_a_result_reads_as_the_session_it_was() -> None:
    """str(result): the command line, the exit code and each non-empty stream, indented."""
    result = CliResult(("check", "c.toml"), 1, "", "problem\n")

    assert "$ facilitrack check c.toml\nexit code: 1\nstderr:\n  problem\n" == str(result)
