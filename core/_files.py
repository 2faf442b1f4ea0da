"""Writing files safely: reports, schemas, starters and exports (`write_atomic`)."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import secrets
import stat
from pathlib import Path

from ._errors import UserError


def write_atomic(path: str | Path, data: str | bytes, *, private: bool = False) -> None:
    """Write `data` to `path` so that no one ever sees it half-written.

    What is at `path` decides how:

    - **Nothing, or a regular file**: a temporary file beside it is written, flushed to disk
      and renamed over it, then the folder is flushed too, so after a crash or a power cut
      the path holds the old content or the new, whole. A new file gets the permissions
      ``open()`` would give it (``0o666`` less the umask); a file replaced keeps its own
      permissions (and its owner, where the writer may set it), as writing in place would.
      `private` files (anything read from a store) are owner-only, ``0o600``, either way.
    - **A character device or a named pipe** (``/dev/null``, ``/dev/stdout``, a FIFO), named
      directly or through a symbolic link: written through, in place; there is no file to
      replace. A FIFO no one is reading is an error, never a wait forever.
    - **A symbolic link to a file, or to nothing**: refused, naming its target. Following it
      would let a link planted in a shared folder (``/tmp``) send a report of trainees'
      names into some other file, even one the writer did not mean to touch; replacing it
      would silently break the link its owner made. Name the target instead.
    - **A folder, a socket or a block device** (a disk): refused.

    Every refusal and every OS error (a full disk, a missing folder, no permission) is one
    `UserError` naming `path` and the fix; the temporary file is removed and an existing
    file is left as it was.
    """
    path = Path(path)
    raw = data.encode() if isinstance(data, str) else data
    kind = _target_kind(path)
    if kind == "stream":
        _write_through(path, raw)
    else:
        _replace(path, raw, private=private)


def check_writable(path: str | Path) -> None:
    """Raise the `UserError` `write_atomic` would for what is at `path`, before any work is done."""
    _target_kind(Path(path))


def _target_kind(path: Path) -> str:
    """``"file"`` (absent or regular: replace it) or ``"stream"`` (a device or FIFO: write through)."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return "file"
    except OSError as exc:
        raise _os_error(exc, path) from None
    if stat.S_ISLNK(mode):
        try:
            followed = path.stat().st_mode
        except OSError:
            followed = None
        if followed is not None and (stat.S_ISCHR(followed) or stat.S_ISFIFO(followed)):
            return "stream"
        target = path.readlink()
        raise UserError(
            f"is a symbolic link (to {target}); refusing to write through it or replace it",
            where=path,
            fix=f"name the file itself: --out {path.parent.joinpath(target).resolve()}"
            " (or remove the link first)",
        )
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return "stream"
    what = {
        stat.S_IFDIR: "is a folder, not a file",
        stat.S_IFSOCK: "is a socket, not a file",
        stat.S_IFBLK: "is a block device (a disk), not a file",
    }.get(stat.S_IFMT(mode), "is not a regular file")
    fix = (
        f"name a file inside it, such as --out {path / 'report.txt'}"
        if stat.S_ISDIR(mode) else "choose a file path for --out"
    )
    raise UserError(what, where=path, fix=fix)


def _replace(path: Path, raw: bytes, *, private: bool) -> None:
    """Write a temporary file beside `path`, flush it, rename it over `path`, flush the folder."""
    folder = path.parent
    try:
        old = path.stat()
    except FileNotFoundError:
        old = None
    except OSError as exc:
        raise _os_error(exc, path) from None
    tmp = folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        # The kernel applies the umask to 0o666 here, as open() does for a new file.
        fd = os.open(tmp, flags, 0o600 if private else 0o666)
    except OSError as exc:
        raise _os_error(exc, path) from None
    try:
        try:
            if private:
                os.fchmod(fd, 0o600)
            elif old is not None:
                os.fchmod(fd, stat.S_IMODE(old.st_mode) & 0o777)
            if old is not None and (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
                with contextlib.suppress(PermissionError):
                    os.fchown(fd, old.st_uid, old.st_gid)
            _write_all(fd, raw)
            os.fsync(fd)
        finally:
            os.close(fd)
        tmp.replace(path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise _os_error(exc, path) from None
        raise
    _sync_folder(folder, path)


def _sync_folder(folder: Path, path: Path) -> None:
    """Flush `folder`, so that the rename in it is on disk too."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise _os_error(exc, path, written=True) from None
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):  # not every system can
            raise _os_error(exc, path, written=True) from None
    finally:
        os.close(fd)


def _write_through(path: Path, raw: bytes) -> None:
    """Write to a device or a FIFO in place; a FIFO with no reader is an error at once."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise UserError(
                "a named pipe (FIFO) no one is reading", where=path,
                fix="start the program that reads it first, or write to a file",
            ) from None
        raise _os_error(exc, path) from None
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):  # it changed since it was looked at
            raise UserError("changed while it was being written", where=path, fix="try again")
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        _write_all(fd, raw)
    except OSError as exc:
        raise _os_error(exc, path) from None
    finally:
        os.close(fd)


def _write_all(fd: int, raw: bytes) -> None:
    view = memoryview(raw)
    while view:
        view = view[os.write(fd, view) :]


_REASONS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("no space left on the device", "free some space, or write elsewhere"),
    errno.EDQUOT: ("the disk quota is used up", "free some space, or write elsewhere"),
    errno.EACCES: ("permission denied", "choose a folder you can write to"),
    errno.EPERM: ("not permitted", "choose a folder you can write to"),
    errno.EROFS: ("the file system is read-only", "choose a folder on a writable disk"),
    errno.ENOENT: ("the folder it would go in does not exist", "create the folder first, or choose another"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "check the path"),
    errno.EISDIR: ("is a folder, not a file", "name a file inside it"),
    errno.ENAMETOOLONG: ("the name is too long", "choose a shorter name"),
    errno.EIO: ("the device reported an input/output error", "check the disk, then try again"),
}


def _os_error(exc: OSError, path: Path, *, written: bool = False) -> UserError:
    """`exc` as a `UserError` naming `path`, saying what was and was not changed."""
    what, fix = _REASONS.get(exc.errno or 0, (f"cannot write: {exc.strerror or exc}", "check the path"))
    if exc.errno == errno.ENOENT and path.parent.is_dir():  # /proc, /sys: no new files there
        what, fix = "cannot create a file in its folder", "choose a folder you can write to"
    if written:
        return UserError(
            f"written, but its folder could not be flushed to disk: {what}", where=path,
            fix=f"{fix}; check the file after a crash",
        )
    unchanged = "; the file was not changed" if path.is_file() else "; nothing was written"
    return UserError(what, where=path, fix=fix + unchanged)
