"""Writing files safely: atomically (never half-written) and, for stores, owner-only."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ._errors import UserError


def write_atomic(path: str | Path, data: str | bytes, *, private: bool = False) -> None:
    """Replace `path` with `data` in one step: readers see the old file or the new, whole."""
    path = Path(path)
    raw = data.encode() if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise UserError(
            f"cannot write here: {exc.strerror}", where=path,
            fix="choose a directory you can write to",
        ) from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(raw)
            out.flush()
            os.fsync(out.fileno())
        Path(tmp).chmod(0o600 if private else 0o644)
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise
