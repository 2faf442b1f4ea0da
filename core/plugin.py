"""The API for plugin authors: hooks, requirement kinds, program and group models.

A plugin imports from here (and from `facilitrack` itself); every other module of the core is
private and may move. A requirement kind subclasses `Requirement` (a leaf of a stage's
requirement tree) and is registered through the ``facilitrack_requirement_kinds`` hook;
`hookspecs` documents every hook: ``help(facilitrack.plugin.hookspecs)``.
"""

from ._host import hookspecs
from ._host.hookspecs import hookimpl, hookspec
from ._model.events import ArtifactRecorded, ArtifactStatus, Attended, Event, PersonRecorded
from ._model.group_results import GroupProblem
from ._model.group_rules import GroupRules
from ._model.groups import Group, GroupSession, Participant
from ._model.leaves import (
    Artifact,
    Attendance,
    CertificateRequirement,
    CredentialRule,
    Distinct,
    Pairing,
    Participation,
    Quantity,
    Role,
    Score,
)
from ._model.people import Person, StaffMember
from ._model.periods import Duration
from ._model.program import CertificateSpec, Program, Stage, Track
from ._model.requirements import Context, Credit, Measure, Node, Requirement
from ._model.tree import AllOf, AnyOf, NOf, RequirementKinds
from ._model.vocabulary import CredentialDef, RoleDef, Vocabulary
from ._model.windows import Window

__all__ = [
    "AllOf",
    "AnyOf",
    "Artifact",
    "ArtifactRecorded",
    "ArtifactStatus",
    "Attendance",
    "Attended",
    "CertificateRequirement",
    "CertificateSpec",
    "Context",
    "CredentialDef",
    "CredentialRule",
    "Credit",
    "Distinct",
    "Duration",
    "Event",
    "Group",
    "GroupProblem",
    "GroupRules",
    "GroupSession",
    "Measure",
    "NOf",
    "Node",
    "Pairing",
    "Participant",
    "Participation",
    "Person",
    "PersonRecorded",
    "Program",
    "Quantity",
    "Requirement",
    "RequirementKinds",
    "Role",
    "RoleDef",
    "Score",
    "StaffMember",
    "Stage",
    "Track",
    "Vocabulary",
    "Window",
    "hookimpl",
    "hookspec",
    "hookspecs",
]
