"""Steps the engine tests take on the demo program: enrol, attend, hand in, finish level 1."""

from __future__ import annotations

from datetime import date
from typing import Any

from facilitrack import ArtifactRecorded, Attended, Engine

D = date.fromisoformat


def enrol(engine: Engine, trainee: str = "ana", **kw: Any) -> None:
    kw.setdefault("credential", "licensed")
    kw.setdefault("trainer", "dr-miller")
    engine.enrol(trainee, "demo", on=kw.pop("on", D("2026-01-05")), **kw)


def attend(engine: Engine, activity: str, *days: str, trainee: str = "ana") -> None:
    engine.record(Attended(trainee=trainee, on=D(d), activity=activity) for d in days)


def artifact(engine: Engine, key: str, on: str, status: str = "presented", **kw: Any) -> None:
    engine.record(ArtifactRecorded(trainee=kw.pop("trainee", "ana"), on=D(on), artifact=key,
                                   status=status, **kw))  # type: ignore[arg-type]


def finish_level1(engine: Engine, trainee: str = "ana") -> None:
    attend(engine, "workshop_day", "2026-01-10", "2026-01-11", trainee=trainee)
