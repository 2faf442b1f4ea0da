"""Reading a cohort file: its syntax, its [cohort] table and the program it names."""

from __future__ import annotations

from pathlib import Path

from facilitrack import PluginHost, UnknownKeyError, VersionNotInstalledError

from tests.core.cohort.conftest import HEADER, error_of, write


def test_missing_cohort_table_is_named(tmp_path: Path, host: PluginHost) -> None:
    """A file without [cohort] says so and how to start one."""
    assert "has no [cohort] table" in error_of(write(tmp_path, '[[trainees]]\nid = "a"\n'), host)


def test_toml_syntax_error_names_line_and_column(tmp_path: Path, host: PluginHost) -> None:
    """A syntax error is ``FILE:LINE:COL: message``."""
    path = write(tmp_path, '[cohort]\nname = "x\n')
    assert f"{path}:2:10: TOML syntax error" in error_of(path, host)


def test_program_file_not_found(tmp_path: Path, host: PluginHost) -> None:
    """A missing program file is named at cohort.program_file, relative to the cohort file."""
    path = write(tmp_path, HEADER.replace("demo.toml", "nowhere.toml"))
    assert "cohort.program_file (line 1): program file not found: nowhere.toml" in error_of(path, host)


def test_unknown_installed_program(tmp_path: Path, host: PluginHost) -> None:
    """An installed program key that does not exist is named at cohort.program."""
    path = write(tmp_path, HEADER.replace('program_file = "demo.toml"', 'program = "dmeo"'))
    assert "cohort.program (line 1): unknown program 'dmeo'" in error_of(path, host, UnknownKeyError)


def test_version_pin_not_installed(tmp_path: Path, host: PluginHost) -> None:
    """A pinned version the file does not provide is named at cohort.version."""
    path = write(tmp_path, HEADER.replace('track = "toddler"', 'track = "toddler"\nversion = "2.0"'))
    message = error_of(path, host, VersionNotInstalledError)
    assert "cohort.version (line 1): demo version 2.0 is not installed (installed: 1.0)" in message
