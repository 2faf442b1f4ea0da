"""`--out` as a user (or a hostile one) gives it, for every command that writes a file."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from facilitrack.testing import CliResult

from tests.builders import ANA_WORKSHOP_DAYS, cohort_table, trainee_row, write_cohort

Cli = Callable[..., CliResult]

COHORT = (
    cohort_table(track="infant")
    + trainee_row("ana", "licensed", name="Ana", trainer="dr-lee")
    + ANA_WORKSHOP_DAYS
)

#: Every command with --out, as typed in the folder the fixtures set up.
WRITERS = {
    "run": ["run", "cohort.toml"],
    "groups": ["groups", "cohort.toml"],
    "schema": ["schema", "cohort"],
    "init": ["init", "demo.toml", "--force"],
    "status": ["status", "--store", "s.db"],
    "export": ["export", "--store", "s.db"],
}


@pytest.fixture
def folder(cli: Cli, tmp_path: Path) -> Path:
    """The CLI's working folder: the demo program, a cohort file and a store made from it."""
    write_cohort(tmp_path, COHORT)
    assert 0 == cli("import", "cohort.toml", "--store", "s.db").code
    return tmp_path


@pytest.mark.parametrize("command", WRITERS)
def test_out_naming_a_folder_is_one_error(cli: Cli, folder: Path, command: str) -> None:
    """--out FOLDER: exit 2, the folder named with the fix, no traceback, the folder untouched."""
    (folder / "reports").mkdir()
    result = cli(*WRITERS[command], "--out", "reports")

    assert 2 == result.code
    assert "error: reports: is a folder, not a file\n  fix: name a file inside it" in result.err
    assert "Traceback" not in result.err
    assert [] == list((folder / "reports").iterdir())


@pytest.mark.parametrize("command", WRITERS)
def test_out_naming_a_symlink_is_refused(cli: Cli, folder: Path, command: str) -> None:
    """--out LINK: refused with the target to name instead; the link and its target unchanged."""
    (folder / "real.txt").write_text("keep", encoding="utf-8")
    (folder / "link.txt").symlink_to("real.txt")
    result = cli(*WRITERS[command], "--out", "link.txt")

    assert 2 == result.code
    assert "error: link.txt: is a symbolic link (to real.txt)" in result.err
    assert ((folder / "link.txt").is_symlink(), "keep") == (
        True, (folder / "real.txt").read_text(encoding="utf-8")
    )


@pytest.mark.parametrize("command", WRITERS)
def test_out_dev_null_stays_a_device(
    cli: Cli, folder: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--out /dev/null writes into the device (exit 0) and never renames anything over it."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"renamed over {args[1]!r}")

    monkeypatch.setattr(os, "replace", refuse)
    result = cli(*WRITERS[command], "--out", "/dev/null")

    assert (0, "") == (result.code, result.err)
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)


@pytest.mark.parametrize(("command", "mode"), [("run", 0o640), ("schema", 0o640), ("export", 0o600)])
def test_report_files_respect_the_umask(
    cli: Cli, folder: Path, umask_027: None, command: str, mode: int
) -> None:
    """A new report file gets 0o666 less the umask; an export of a store is owner-only."""
    assert 0 == cli(*WRITERS[command], "--out", "out.txt").code
    assert oct(mode) == oct(stat.S_IMODE((folder / "out.txt").stat().st_mode))


def test_a_full_disk_is_one_error_and_the_old_report_stays(
    cli: Cli, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC while writing a report: exit 2 naming the file, the old report whole, no temp file."""
    (folder / "report.csv").write_text("old", encoding="utf-8")

    def full(*args: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    result = cli("run", "cohort.toml", "--out", "report.csv")
    monkeypatch.undo()

    assert 2 == result.code
    assert result.err.startswith("error: report.csv: no space left on the device\n  fix: free some space")
    assert "old" == (folder / "report.csv").read_text(encoding="utf-8")
    assert [] == [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_init_names_a_folder_as_a_folder_even_without_force(cli: Cli, folder: Path) -> None:
    """`init --out FOLDER` says it is a folder, not that "the file already exists"."""
    (folder / "reports").mkdir()
    result = cli("init", "demo.toml", "--out", "reports")
    assert (2, "error: reports: is a folder, not a file") == (result.code, result.err.splitlines()[0])


@pytest.mark.parametrize("command", ["run", "groups", "schema", "status", "export"])
def test_out_dev_stdout_is_standard_output(cli: Cli, folder: Path, command: str) -> None:
    """--out /dev/stdout prints the output as no --out would, even when stdout is a file."""
    plain = cli(*WRITERS[command])
    result = cli(*WRITERS[command], "--out", "/dev/stdout")
    assert (0, plain.out) == (result.code, result.out)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [["programs"], ["show", "mpg", "--format", "json"]])
def test_standard_output_that_cannot_be_written_is_one_error(args: list[str]) -> None:
    """`> /dev/full`: whether the output fills the buffer or waits in it, one error, exit 2."""
    script = Path(sys.executable).with_name("facilitrack")
    with open("/dev/full", "w") as full:  # noqa: PTH123 -- a device, not a path to work on
        done = subprocess.run([str(script), *args], stdout=full, stderr=subprocess.PIPE, text=True,
                              check=False)
    assert 2 == done.returncode
    assert done.stderr == ("error: standard output: cannot write: No space left on device\n"
                           "  fix: make room, or send it elsewhere (`--out FILE` where the command has it)\n")
