"""A store's answers as a coordinator reads them: the report `facilitrack run` gives a cohort
file, and why a recorded event was not credited."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .._engine.engine import Engine
from .._model.events import Event
from .._report import CohortReport, summarise
from .._text import display_path


def store_report(engine: Engine, location: str, as_of: date | None = None) -> CohortReport:
    """A `CohortReport` of every enrolment in the store at `location`."""
    rows = [s for s in engine.statuses(as_of=as_of) if s.program is not None or s.problems]
    refs = sorted({(r.program, r.version) for r in rows if r.program and r.version})
    programs = [engine.programs.get(k, v) for k, v in refs]
    name = location if "://" in location else display_path(Path(location).name)
    return CohortReport(cohort=summarise(name, location, programs, rows, as_of=as_of), trainees=rows)


def not_credited(engine: Engine, event: Event) -> list[str]:
    """Why the trainee's status does not credit `event` (the problems naming its id), if it does not.

    Asked of the engine's public status, as `check` reports problems, so the two always agree.
    """
    problems = engine.status(event.trainee).problems
    return [_without_verdict(p.reason) for p in problems if p.event == event.id]


def _without_verdict(reason: str) -> str:
    """A problem's reason without its closing "not credited" (the sentence says it already)."""
    for verdict in ("; kept, not credited", "; not credited"):
        reason = reason.removesuffix(verdict)
    return reason
