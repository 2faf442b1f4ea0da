"""A store's answers as a coordinator reads them: the report `facilitrack run` gives a cohort
file, and why a recorded event was not credited."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from .._engine.engine import Engine
from .._engine.status import TraineeStatus
from .._journal.base import Store
from .._model.events import Event
from .._model.issuer import Issuer
from .._report import CohortReport, summarise
from .._text import display_path
from .imports import IMPORT_PREFIX, stored_cohorts


def store_report(store: Store, engine: Engine, as_of: date | None = None, *,
                 known_at: datetime | None = None) -> CohortReport:
    """Every enrolment in the store, as `facilitrack run` reports the cohort file it came from.

    The header names the cohort (and its issuer) when the store holds one cohort file's import
    (else the store);
    trainees come in the order they were first recorded; each problem names the row of the file
    it came from where an import remembers it.
    """
    rows = [s for s in engine.statuses(as_of=as_of, known_at=known_at) if s.program is not None or s.problems]
    rows.sort(key=lambda s: _first_seq(store, s.id))
    settings = store.settings()
    cohorts = stored_cohorts(settings)
    places = _places(settings) if len(cohorts) == 1 else {}
    rows = [_placed(s, places) for s in rows] if places else rows
    refs = sorted({(r.program, r.version) for r in rows if r.program and r.version})
    programs = [engine.programs.get(k, v) for k, v in refs]
    location = store.location
    name = location if "://" in location else display_path(Path(location).name)
    track, issuer = None, None
    if len(cohorts) == 1:
        name, track = cohorts[0]["name"], cohorts[0].get("track")
        issuer = Issuer.model_validate(cohorts[0]["issuer"]) if cohorts[0].get("issuer") else None
    summary = summarise(name, location, programs, rows, as_of=as_of, track=track, issuer=issuer,
                        known_at=known_at)
    return CohortReport(cohort=summary, trainees=rows)


def _first_seq(store: Store, person: str) -> int:
    first = next(iter(store.events_after(0, person)), None)
    return first.seq if first is not None else 0


def _places(settings: dict[str, str]) -> dict[str, str]:
    """The cohort-file row of each imported event, by id (from the imports' memory)."""
    out: dict[str, str] = {}
    for key, value in settings.items():
        if key.startswith(IMPORT_PREFIX):
            out.update(json.loads(value))
    return out


def _placed(status: TraineeStatus, places: dict[str, str]) -> TraineeStatus:
    """The status with each problem placed on its row, as a report of the cohort file does
    (a problem an enrolment field can fix: that field of the trainee's row)."""
    problems = []
    for p in status.problems:
        row = places.get(p.event or "")
        where = f"{row}.{p.field}" if row and p.field else row
        problems.append(p.model_copy(update={"where": where}) if where else p)
    return status.model_copy(update={"problems": problems})


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
