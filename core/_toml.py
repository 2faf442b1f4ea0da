"""Reading TOML files with errors a person can act on (``FILE:LINE:COL: message``)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from ._errors import UserError

_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def read_toml(path: Path, error: type[UserError] = UserError) -> dict[str, Any]:
    """Parse `path`; unreadable files and syntax errors raise `error` naming the place."""
    return parse_toml(read_text(path, error), path, error)


def read_text(path: Path, error: type[UserError] = UserError) -> str:
    """The UTF-8 text of `path`; a missing or unreadable file raises `error` naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error("file not found", where=path, fix="check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise error(f"cannot read file: {reason}", where=path, fix="check the file") from None


def parse_toml(text: str, path: Path | str, error: type[UserError] = UserError) -> dict[str, Any]:
    """Parse TOML text that came from `path`."""
    try:
        return tomllib.loads(text)
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
