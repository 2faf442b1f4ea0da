"""Reading TOML files with errors a person can act on (``FILE:LINE:COL: message``).

Every cohort file and program definition is read here, so odd files are handled once: a
UTF-8 byte-order mark (Windows Notepad writes one) is read past; UTF-16, other encodings,
directories, endless devices and TOML nested too deeply to parse are each one `UserError`
naming the file, never a traceback.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

from ._errors import UserError

_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")

#: The most a file may hold. Assumption: a real cohort file is well under a mebibyte (the
#: largest example is 13 KiB; the 21k-row benchmark cohort about 1.5 MiB); the bound only
#: stops an endless device (/dev/zero) or a wrong file from being read into memory whole.
MAX_BYTES = 64 * 1024 * 1024


def read_toml(path: Path, error: type[UserError] = UserError) -> dict[str, Any]:
    """Parse `path`; unreadable files and syntax errors raise `error` naming the place."""
    return parse_toml(read_text(path, error), path, error)


def read_text(path: Path, error: type[UserError] = UserError) -> str:
    """The UTF-8 text of `path`, without a byte-order mark; a file that cannot be read as
    UTF-8 text raises `error` naming it (and, for a bad byte, its line and column)."""
    raw = _read_bytes(path, error)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise error("UTF-16 text, not UTF-8", where=path, fix=_SAVE_AS_UTF8)
    raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        raise error(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", where=f"{path}:{line}:{column}",
            fix=_SAVE_AS_UTF8,
        ) from None


_SAVE_AS_UTF8 = "save the file as UTF-8 (in most editors: Save As, then Encoding: UTF-8)"


def _read_bytes(path: Path, error: type[UserError]) -> bytes:
    """At most `MAX_BYTES` of `path`, with the reason it cannot be read as the error.

    The file is opened without waiting, so a named pipe no one writes to is an error rather
    than a wait forever; a pipe with a writer (``... | facilitrack check /dev/stdin``) is read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as file:
            fifo = stat.S_ISFIFO(os.fstat(fd).st_mode)
            if stat.S_ISDIR(os.fstat(fd).st_mode):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
            os.set_blocking(fd, True)
            raw = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        if path.is_symlink():
            raise error(f"a link to {path.readlink()}, which does not exist", where=path,
                        fix="point the link at the file, or name the file itself") from None
        raise error("file not found", where=path, fix="check the path") from None
    except IsADirectoryError:
        raise error("is a directory, not a file", where=path,
                    fix="name one of the files inside it") from None
    except PermissionError:
        raise error("cannot read file: permission denied", where=path,
                    fix="make it readable by you (chmod u+r), or work on a copy") from None
    except OSError as exc:
        raise error(f"cannot read file: {exc.strerror or exc}", where=path,
                    fix="check that the path names a TOML file") from None
    if fifo and not raw:
        raise error("a named pipe (FIFO) no one is writing to", where=path,
                    fix="start the program that writes to it first, or name the cohort file itself")
    if len(raw) > MAX_BYTES:
        raise error(f"larger than {_size(MAX_BYTES)}: not a file facilitrack reads", where=path,
                    fix="check that the path names a cohort or program TOML file")
    return raw


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB"):
        if n < 1024 or unit == "MiB":
            return f"{n:g} {unit}"
        n //= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def parse_toml(text: str, path: Path | str, error: type[UserError] = UserError) -> dict[str, Any]:
    """Parse TOML text that came from `path` (a leading byte-order mark is ignored)."""
    text = text.removeprefix("\ufeff")
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise error(
            "the TOML is nested too deeply to read (arrays or inline tables inside each other,"
            " hundreds deep)",
            where=path,
            fix="look for a run of unclosed `[` or `{`; cohort and program files need a few levels",
        ) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _AT.search(message)
        if match and match[1]:
            where = f"{path}:{match[1]}:{match[2]}"
        elif match:  # the file ended early: point at its last line
            where = f"{path}:{text.count(chr(10)) + 1}:1"
        else:
            where = str(path)
        message = _AT.sub("", message)
        raise error(f"TOML syntax error: {message}", where=where, fix="correct the TOML there") from None
