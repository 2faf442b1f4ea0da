"""The installed console script against odd files: one message, exit 2, never a hang or a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("facilitrack")


def facilitrack(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the console script; a hang fails the test after 30 seconds instead of blocking."""
    return subprocess.run(
        [str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=30
    )


def test_a_named_pipe_no_one_writes_to_is_refused_as_a_cohort(tmp_path: Path) -> None:
    """`check FIFO` with no writer: an error at once, not a wait forever."""
    os.mkfifo(tmp_path / "pipe.toml")
    result = facilitrack("check", "pipe.toml", cwd=tmp_path)

    assert 2 == result.returncode
    assert result.stderr.startswith("error: pipe.toml: a named pipe (FIFO) no one is writing to")


def test_a_cohort_read_from_a_pipe_works(tmp_path: Path) -> None:
    """`cat c.toml | facilitrack check /dev/stdin` reads the cohort from the pipe."""
    subprocess.run([str(SCRIPT), "init", "mpg", "--out", "c.toml"], cwd=tmp_path, check=True,
                   capture_output=True)
    result = subprocess.run(
        [str(SCRIPT), "check", "/dev/stdin"], input=(tmp_path / "c.toml").read_text(encoding="utf-8"),
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=30,
    )
    assert (0, "") == (result.returncode, result.stderr)


@pytest.mark.parametrize(("make", "what"), [("fifo", "a named pipe (FIFO)"), ("device", "a device")])
def test_a_store_that_is_not_a_file_is_refused(tmp_path: Path, make: str, what: str) -> None:
    """`--store` naming a FIFO or a device: refused at once (SQLite would wait or misread it)."""
    if make == "fifo":
        os.mkfifo(tmp_path / "s.db")
        store = "s.db"
    else:
        store = "/dev/null"
    results = [
        facilitrack("status", "--store", store, cwd=tmp_path),
        facilitrack("record", "--store", store, "enrol", "--trainee", "ana", "--on", "2026-01-05",
                    "--program", "mpg", "--credential", "licensed", cwd=tmp_path),
    ]
    for result in results:
        assert 2 == result.returncode
        assert result.stderr.startswith(f"error: {store}: {what}, not a store file"), result.stderr


def test_a_store_path_through_a_file_is_named(tmp_path: Path) -> None:
    """`--store FILE/s.db`: the path goes through a file, said so, for reading and for creating."""
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    for args in (["status"], ["record", "enrol", "--trainee", "ana", "--on", "2026-01-05",
                              "--program", "mpg", "--credential", "licensed"]):
        result = facilitrack(*args[:1], "--store", "notes.txt/s.db", *args[1:], cwd=tmp_path)
        assert 2 == result.returncode
        assert result.stderr.startswith("error: notes.txt/s.db: a part of the path is a file, not a folder")
