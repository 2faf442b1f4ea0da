"""facilitrack: track clinicians through parenting-group facilitator training.

The public API. Plugins and embedding systems import from here only; the modules behind it
are private and may move.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._cohort import (
    Cohort,
    CohortFile,
    ParsedCohort,
    load_cohort,
    parse_cohort,
    read_cohort,
    run_cohort,
    starter_cohort,
)
from ._engine.engine import Engine
from ._engine.machine import mermaid
from ._engine.state import TraineeState
from ._engine.status import Explanation, IssuedCertificate, Problem, Progress, TraineeStatus
from ._errors import (
    ConflictError,
    DefinitionError,
    FacilitrackError,
    InvalidEventError,
    JournalError,
    PluginError,
    UnknownKeyError,
    UserError,
    VersionNotInstalledError,
)
from ._groups import (
    AgeBand,
    AgeRule,
    AttendanceRule,
    Bounds,
    ChildTeamRule,
    CompletionCertificate,
    CourtOrderedRule,
    FacilitatorRule,
    Group,
    GroupError,
    GroupKind,
    GroupProblem,
    GroupReport,
    GroupRules,
    GroupSession,
    PairingRule,
    ParentCompletion,
    Participant,
    Person,
    SeriesRule,
    SessionKind,
    SizeRule,
    StaffMember,
    TraineeCredit,
    check_group,
    describe_rules,
    group_events,
    parent_completions,
    people_index,
    report_group,
    validate_group,
    validate_groups,
    whole_months,
)
from ._host.hookspecs import hookimpl
from ._host.plugins import Hooks, PluginHost, PluginProblem, load_plugins, reset_plugins
from ._host.registry import ProgramRegistry
from ._journal import Journal, MemoryJournal, SnapshotJournal, SQLiteJournal
from ._model.events import (
    ArtifactRecorded,
    Attended,
    Enrolled,
    Event,
    EventBase,
    Held,
    Resumed,
    Voided,
    Waived,
    Withdrawn,
    parse_event,
)
from ._model.program import CertificateSpec, Program, Stage, Track, load_program, parse_program
from ._model.requirements import (
    MENTAL_HEALTH,
    Artifact,
    ArtifactStatus,
    Attendance,
    Credential,
    CredentialRule,
    Pairing,
    Requirement,
    RequirementKinds,
)
from ._report import CohortReport, GroupsReport, TraineeExplanation, TraineeReport

if TYPE_CHECKING:
    __version__: str

__all__ = [
    "MENTAL_HEALTH",
    "AgeBand",
    "AgeRule",
    "Artifact",
    "ArtifactRecorded",
    "ArtifactStatus",
    "Attendance",
    "AttendanceRule",
    "Attended",
    "Bounds",
    "CertificateSpec",
    "ChildTeamRule",
    "Cohort",
    "CohortFile",
    "CohortReport",
    "CompletionCertificate",
    "ConflictError",
    "CourtOrderedRule",
    "Credential",
    "CredentialRule",
    "DefinitionError",
    "Engine",
    "Enrolled",
    "Event",
    "EventBase",
    "Explanation",
    "FacilitatorRule",
    "FacilitrackError",
    "Group",
    "GroupError",
    "GroupKind",
    "GroupProblem",
    "GroupReport",
    "GroupRules",
    "GroupSession",
    "GroupsReport",
    "Held",
    "Hooks",
    "InvalidEventError",
    "IssuedCertificate",
    "Journal",
    "JournalError",
    "MemoryJournal",
    "Pairing",
    "PairingRule",
    "ParentCompletion",
    "ParsedCohort",
    "Participant",
    "Person",
    "PluginError",
    "PluginHost",
    "PluginProblem",
    "Problem",
    "Program",
    "ProgramRegistry",
    "Progress",
    "Requirement",
    "RequirementKinds",
    "Resumed",
    "SQLiteJournal",
    "SeriesRule",
    "SessionKind",
    "SizeRule",
    "SnapshotJournal",
    "StaffMember",
    "Stage",
    "Track",
    "TraineeCredit",
    "TraineeExplanation",
    "TraineeReport",
    "TraineeState",
    "TraineeStatus",
    "UnknownKeyError",
    "UserError",
    "VersionNotInstalledError",
    "Voided",
    "Waived",
    "Withdrawn",
    "__version__",
    "check_group",
    "describe_rules",
    "group_events",
    "hookimpl",
    "load_cohort",
    "load_plugins",
    "load_program",
    "mermaid",
    "parent_completions",
    "parse_cohort",
    "parse_event",
    "parse_program",
    "people_index",
    "read_cohort",
    "report_group",
    "reset_plugins",
    "run_cohort",
    "starter_cohort",
    "validate_group",
    "validate_groups",
    "whole_months",
]


def __getattr__(name: str) -> str:
    """The installed version, read lazily (as pluggy does) so import stays cheap."""
    if name == "__version__":
        from importlib.metadata import version

        return version("facilitrack")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
