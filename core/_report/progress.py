"""Requirement progress as the coordinator's report draws it: the engine's own `Progress` trees."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from .._engine.status import Progress

if TYPE_CHECKING:
    from .._engine.engine import Engine


def requirement_progress(
    engine: Engine, trainee: str, *, program: str | None = None, as_of: date | None = None
) -> list[Progress]:
    """Every requirement of the stage `trainee` is in (or held at), as of `as_of`; none when done."""
    return engine.explain(trainee, program=program, as_of=as_of).requirements
