"""The cohort file: one TOML file per cohort of trainees, run through the engine.

A coordinator keeps a cohort in one file — the program, the trainees, and what happened — and
asks where everyone is (`run_cohort`), what one trainee is missing (`Cohort.explain`) and
whether the file breaks any rule (`Cohort.report` problems). The file is read in four steps,
each of which names the place in the file when it fails (`places`) and records nothing:

1. TOML syntax (``FILE:LINE:COL``), then the shape: the pydantic models of `model`
   (`CohortFile`), whose errors `schema_errors` lists field by field;
2. the references its rows make (`references`): trainee ids, tracks, activity, artifact,
   stage and requirement keys, group ids, event ids;
3. conversion to engine events (`events`), each remembering the row it came from;
4. recording in an in-memory engine, whose refusals are placed back on their rows (`run`).

Steps 1 to 3 are `parse_cohort` (`parse`); `read_cohort` adds step 4. `starter_cohort`
(`starter`) writes a new file for a program. A new top-level table is a new model field on
`CohortFile` plus, when it produces events, a function added to `EVENT_SOURCES`.
"""

from .events import (
    EVENT_SOURCES,
    EventSource,
    Located,
    cohort_events,
    enrolment_events,
    group_session_events,
    row_events,
    staff_events,
)
from .model import (
    ROW_KINDS,
    AbsentRow,
    ArtifactRow,
    AttendedRow,
    CohortFile,
    CohortHeader,
    EventRow,
    HeldRow,
    ResumedRow,
    TraineeRow,
    VoidedRow,
    WaivedRow,
    WithdrawnRow,
    cohort_schema,
)
from .parse import ParsedCohort, parse_cohort
from .run import Cohort, load_cohort, read_cohort, record_batches, run_cohort
from .starter import STARTER_DATE, starter_cohort

__all__ = [
    "EVENT_SOURCES",
    "ROW_KINDS",
    "STARTER_DATE",
    "AbsentRow",
    "ArtifactRow",
    "AttendedRow",
    "Cohort",
    "CohortFile",
    "CohortHeader",
    "EventRow",
    "EventSource",
    "HeldRow",
    "Located",
    "ParsedCohort",
    "ResumedRow",
    "TraineeRow",
    "VoidedRow",
    "WaivedRow",
    "WithdrawnRow",
    "cohort_events",
    "cohort_schema",
    "enrolment_events",
    "group_session_events",
    "load_cohort",
    "parse_cohort",
    "read_cohort",
    "record_batches",
    "row_events",
    "run_cohort",
    "staff_events",
    "starter_cohort",
]
