"""A store's cohort report: every trainee's status, as `facilitrack run` reports a cohort file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .._engine.engine import Engine
from .._report import (
    CertificateRow,
    CohortReport,
    CohortSummary,
    MissingRow,
    ProblemRow,
    TraineeReport,
)


def store_report(engine: Engine, location: str, as_of: date | None = None) -> CohortReport:
    """A `CohortReport` of every trainee in the store at `location`."""
    rows = []
    for trainee in engine.trainees():
        st = engine.status(trainee, as_of=as_of)
        state = engine.state(trainee)
        rows.append(TraineeReport(
            id=st.id, credential=state.credential.value if state.credential else "",
            trainer=state.trainer, co_leader=state.co_leader, program=st.program,
            version=st.version, track=st.track, stage=st.stage, stage_title=st.stage_title,
            certified=st.certified,
            certificates=[CertificateRow(stage=c.stage, title=c.title, on=c.on) for c in st.certificates],
            missing=[MissingRow(stage=m.stage, requirement=m.requirement, title=m.title,
                                have=m.have, need=m.need) for m in st.missing],
            problems=[ProblemRow(event=p.event, on=p.on, reason=p.reason) for p in st.problems],
        ))
    refs = sorted({(r.program, r.version) for r in rows if r.program and r.version})
    names = sorted({engine.programs.get(k, v).name for k, v in refs})
    name = location if "://" in location else Path(location).name
    return CohortReport(
        cohort=CohortSummary(
            name=name, file=location,
            program=", ".join(sorted({k for k, _ in refs})) or "-",
            program_name=", ".join(names) or "-",
            version=", ".join(sorted({v for _, v in refs})) or "-",
            as_of=as_of, trainees=len(rows), certified=sum(1 for r in rows if r.certified),
            with_problems=sum(1 for r in rows if r.problems),
        ),
        trainees=rows,
    )
