"""Writing report files: regular files atomically with the umask's permissions, devices and FIFOs
written through, symbolic links and folders refused, and every OS error one `UserError`."""

from __future__ import annotations

import errno
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from facilitrack import UserError
from facilitrack._files import write_atomic


@pytest.fixture
def no_replace(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any rename fail loudly, so a regression cannot replace a device such as /dev/null."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"renamed over {args[1]!r}")

    monkeypatch.setattr(os, "replace", refuse)
    monkeypatch.setattr(os, "rename", refuse)


def leftovers(folder: Path) -> list[str]:
    """Temporary files left in `folder`."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_new_file_gets_the_umask_permissions(tmp_path: Path, umask_027: None) -> None:
    """A new report file is created as open() would create it: 0o666 less the umask."""
    path = tmp_path / "report.csv"
    write_atomic(path, "id\nana\n")

    assert "id\nana\n" == path.read_text(encoding="utf-8")
    assert 0o640 == stat.S_IMODE(path.stat().st_mode)


def test_a_private_file_is_owner_only(tmp_path: Path, umask_027: None) -> None:
    """`private` files (exports of a store) are 0o600 whatever the umask, new or replaced."""
    path = tmp_path / "export.json"
    write_atomic(path, "{}", private=True)
    assert 0o600 == stat.S_IMODE(path.stat().st_mode)

    path.chmod(0o644)
    write_atomic(path, "{}", private=True)
    assert 0o600 == stat.S_IMODE(path.stat().st_mode)


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path, umask_027: None) -> None:
    """Replacing a file keeps the permissions its owner gave it, as writing it in place would."""
    path = tmp_path / "report.csv"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o604)
    write_atomic(path, "new")

    assert ("new", 0o604) == (path.read_text(encoding="utf-8"), stat.S_IMODE(path.stat().st_mode))
    assert [] == leftovers(tmp_path)


def test_the_folder_is_flushed_after_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file and then its folder are fsynced, so the rename itself survives a power cut."""
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    write_atomic(tmp_path / "report.txt", "x")

    assert ["file", "folder"] == synced


def test_a_folder_is_refused(tmp_path: Path) -> None:
    """--out naming a folder: an error saying so, with the fix; the folder is untouched."""
    folder = tmp_path / "reports"
    folder.mkdir()
    with pytest.raises(UserError) as caught:
        write_atomic(folder, "x")

    assert (str(folder), "is a folder, not a file") == (caught.value.where, caught.value.what)
    assert "name a file inside it" in (caught.value.fix or "")
    assert folder.is_dir()
    assert [] == leftovers(tmp_path)


@pytest.mark.parametrize("failing", ["write", "fsync"])
def test_a_full_disk_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """ENOSPC while writing or flushing: a UserError, the old file unchanged, no temporary file."""
    path = tmp_path / "report.csv"
    path.write_text("old", encoding="utf-8")

    def full(*args: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, failing, full)
    with pytest.raises(UserError) as caught:
        write_atomic(path, "new")
    monkeypatch.undo()

    assert str(path) == caught.value.where
    assert "no space left on the device" in caught.value.what
    assert "was not changed" in (caught.value.fix or "")
    assert "old" == path.read_text(encoding="utf-8")
    assert [] == leftovers(tmp_path)


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    """--out in a folder that does not exist: said so, with the fix."""
    with pytest.raises(UserError) as caught:
        write_atomic(tmp_path / "nowhere" / "report.csv", "x")
    assert "the folder it would go in does not exist" == caught.value.what


def test_a_path_through_a_file_is_named(tmp_path: Path) -> None:
    """--out whose folder part is a file: said so."""
    (tmp_path / "afile").write_text("", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        write_atomic(tmp_path / "afile" / "report.csv", "x")
    assert "a part of the path is a file, not a folder" == caught.value.what


def test_a_symlink_to_a_file_is_refused(tmp_path: Path) -> None:
    """A symbolic link to a file: refused, naming its target; the link and the target unchanged."""
    target = tmp_path / "real.csv"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "latest.csv"
    link.symlink_to(target)
    with pytest.raises(UserError) as caught:
        write_atomic(link, "new")

    assert f"is a symbolic link (to {target}); refusing to write through it or replace it" == (
        caught.value.what
    )
    assert f"--out {target}" in (caught.value.fix or "")
    assert (True, "old") == (link.is_symlink(), target.read_text(encoding="utf-8"))


def test_a_dangling_symlink_is_refused(tmp_path: Path) -> None:
    """A symbolic link to nothing: refused too, and nothing is created at its target."""
    link = tmp_path / "report.csv"
    link.symlink_to(tmp_path / "missing.csv")
    with pytest.raises(UserError):
        write_atomic(link, "new")
    assert (True, False) == (link.is_symlink(), (tmp_path / "missing.csv").exists())


def test_a_character_device_is_written_through(tmp_path: Path, no_replace: None) -> None:
    """/dev/null, named directly or through a link, is written to and stays a device."""
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    write_atomic("/dev/null", "x")
    write_atomic(link, "x")

    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)
    assert link.is_symlink()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_device_is_an_error(no_replace: None) -> None:
    """/dev/full answers every write with ENOSPC: one UserError naming it."""
    with pytest.raises(UserError) as caught:
        write_atomic("/dev/full", "x")
    assert ("/dev/full", True) == (caught.value.where, "no space left" in caught.value.what)


def test_a_fifo_is_written_through(tmp_path: Path) -> None:
    """A named pipe with a reader gets the text and stays a pipe."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    try:
        _when_open_for_reading(lambda: write_atomic(fifo, "through the pipe\n"))
    finally:
        reader.join(timeout=10)

    assert [b"through the pipe\n"] == got
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def _when_open_for_reading(write: Callable[[], None]) -> None:
    """Retry `write` until the reader thread has opened the pipe (ENXIO until then)."""
    import time

    for _ in range(200):
        try:
            write()
            return
        except UserError as exc:
            if "no one is reading" not in exc.what:
                raise
            time.sleep(0.01)
    raise AssertionError("the reader never opened the pipe")


def test_a_fifo_no_one_reads_is_an_error_not_a_wait(tmp_path: Path) -> None:
    """A named pipe without a reader: an error at once, never a process waiting forever."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UserError) as caught:
        write_atomic(fifo, "x")
    assert "a named pipe (FIFO) no one is reading" == caught.value.what
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_socket_is_refused(tmp_path: Path) -> None:
    """A Unix socket: refused, left in place."""
    import socket

    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(UserError) as caught:
            write_atomic(path, "x")
    assert "is a socket, not a file" == caught.value.what


@pytest.mark.skipif(not Path("/proc/version").is_file(), reason="needs /proc")
def test_a_folder_that_takes_no_new_file_is_named_as_such(no_replace: None) -> None:
    """/proc/version: its folder exists but takes no new file; said so, not "does not exist"."""
    with pytest.raises(UserError) as caught:
        write_atomic("/proc/version", "x")
    assert "cannot create a file in its folder" == caught.value.what
