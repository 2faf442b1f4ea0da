"""The installed console script against odd files: one message, exit 2, never a hang or a traceback."""

from __future__ import annotations

import os
import re
import shutil
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


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a starter cohort (c.toml) and a store of it (s.db), made once per module."""
    folder = tmp_path_factory.mktemp("started")
    for args in (["init", "mpg", "--out", "c.toml"], ["import", "c.toml", "--store", "s.db"]):
        subprocess.run([str(SCRIPT), *args], cwd=folder, check=True, capture_output=True)
    return folder


def test_a_named_pipe_no_one_writes_to_is_refused_as_a_cohort(tmp_path: Path) -> None:
    """`check FIFO` with no writer: an error at once, not a wait forever."""
    os.mkfifo(tmp_path / "pipe.toml")
    result = facilitrack("check", "pipe.toml", cwd=tmp_path)

    assert 2 == result.returncode
    assert result.stderr.startswith("error: pipe.toml: a named pipe (FIFO) no one is writing to")


def test_a_cohort_read_from_a_pipe_works(started: Path, tmp_path: Path) -> None:
    """`cat c.toml | facilitrack check /dev/stdin` reads the cohort from the pipe."""
    result = subprocess.run(
        [str(SCRIPT), "check", "/dev/stdin"], input=(started / "c.toml").read_text(encoding="utf-8"),
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


def _undecodable(name: bytes) -> str:
    """A file name of bytes that are not UTF-8, as Python hands it over (surrogate escapes)."""
    return os.fsdecode(name)


def test_file_names_that_are_not_utf8_work_and_print(tmp_path: Path) -> None:
    """A cohort and a store whose names are not UTF-8: read, reported (JSON too) and named."""
    cohort, store = _undecodable(b"spring-\xfe.toml"), _undecodable(b"spring-\xfa.db")
    subprocess.run([str(SCRIPT), "init", "mpg", "--out", cohort], cwd=tmp_path, check=True,
                   capture_output=True)
    results = [
        facilitrack("check", cohort, cwd=tmp_path),
        facilitrack("run", cohort, "--format", "json", cwd=tmp_path),
        facilitrack("import", cohort, "--store", store, cwd=tmp_path),
        facilitrack("status", "--store", store, "--format", "json", cwd=tmp_path),
        facilitrack("groups", cohort, "--format", "json", cwd=tmp_path),
        facilitrack("export", "--store", store, cwd=tmp_path),
        facilitrack("verify", "--store", store, cwd=tmp_path),
    ]
    assert [0] * 7 == [r.returncode for r in results], [r.stderr for r in results]
    assert '"file": "spring-\\\\xfe.toml"' in results[1].stdout
    assert re.match(r"spring-\\xfa\.db: \d+ new events from spring-\\xfe\.toml", results[2].stdout)


@pytest.mark.parametrize(
    "args",
    [
        ["record", "--store", "s.db", "hold", "--trainee", "ana", "--on", "2026-03-01", "--reason", "\udcff"],
        ["record", "--store", "s.db", "hold", "--trainee", "\udcff", "--on", "2026-03-01"],
        ["log", "--store", "s.db", "--trainee", "\udcff"],
        ["explain", "c.toml", "\udcff"],
    ],
)
def test_text_arguments_that_are_not_utf8_are_one_error(
    started: Path, tmp_path: Path, args: list[str]
) -> None:
    """An id or a reason typed in another encoding: exit 2 naming the flag, no traceback."""
    shutil.copytree(started, tmp_path, dirs_exist_ok=True)
    result = facilitrack(*args, cwd=tmp_path)

    assert 2 == result.returncode
    assert "is not UTF-8 text" in result.stderr
    assert "Traceback" not in result.stderr


#: (what the file holds, the command's arguments, the start of the one error message).
BATTERY = [
    (None, ["check", "folder"], "error: folder: is a directory, not a file"),
    (b"x = " + b"[" * 600 + b"]" * 600 + b"\n", ["check", "odd.toml"],
     "error: odd.toml: the TOML is nested too deeply to read"),
    (b'[cohort]\nname = "a\x00b"\n', ["check", "odd.toml"],
     "error: odd.toml:2:10: TOML syntax error: Illegal character '\\x00'"),
    (b'[cohort]\nname = "Jos\xe9"\n', ["check", "odd.toml"],
     "error: odd.toml:2:12: not UTF-8 text (byte 0xe9)"),
    (None, ["run", "c.toml", "--out", "folder"], "error: folder: is a folder, not a file"),
    (None, ["schema", "cohort", "--out", "folder"], "error: folder: is a folder, not a file"),
    (None, ["export", "--store", "s.db", "--out", "folder"], "error: folder: is a folder, not a file"),
    (None, ["init", "mpg", "--out", "folder"], "error: folder: is a folder, not a file"),
    (None, ["status", "--store", "c.toml"], "error: c.toml: cannot open the store: the file is corrupt"),
]


@pytest.mark.parametrize(("content", "args", "message"), BATTERY)
def test_the_console_script_gives_one_error_for_each_odd_input(
    started: Path, tmp_path: Path, content: bytes | None, args: list[str], message: str
) -> None:
    """Each odd input: exit 2, one `error:` line naming the file and a `fix:`, no traceback."""
    shutil.copytree(started, tmp_path, dirs_exist_ok=True)
    (tmp_path / "folder").mkdir()
    if content is not None:
        (tmp_path / "odd.toml").write_bytes(content)
    result = facilitrack(*args, cwd=tmp_path)

    assert 2 == result.returncode
    assert result.stderr.startswith(message), result.stderr
    assert 1 == sum(line.startswith("error:") for line in result.stderr.splitlines())
    assert "\n  fix: " in result.stderr
    assert "Traceback" not in result.stderr


def test_dev_null_as_out_stays_a_device_through_the_console_script(started: Path) -> None:
    """`--out /dev/null` from the installed script: exit 0, /dev/null still a character device."""
    import stat

    result = facilitrack("run", "c.toml", "--out", "/dev/null", cwd=started)
    assert (0, "") == (result.returncode, result.stderr)
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)
