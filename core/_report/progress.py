"""Requirement progress as the coordinator's report draws it: have against need, per requirement.

The one adapter between today's engine answer (`Engine.explain`) and the HTML report's
progress bars; the unified output model replaces only `requirement_progress`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from .._engine.engine import Engine


class RequirementProgress(BaseModel):
    """One requirement of the trainee's current (or held) stage."""

    model_config = ConfigDict(frozen=True)

    stage: str
    requirement: str
    kind: str
    title: str
    have: int
    need: int
    met: bool
    waived: bool = False


def requirement_progress(
    engine: Engine, trainee: str, *, as_of: date | None = None
) -> list[RequirementProgress]:
    """Every requirement of the stage `trainee` is in (or held at), as of `as_of`; none when done."""
    return [
        RequirementProgress(
            stage=p.stage, requirement=p.requirement, kind=p.kind, title=p.title, have=p.have,
            need=p.need, met=p.met, waived=p.waived,
        )
        for p in engine.explain(trainee, as_of=as_of).requirements
    ]
