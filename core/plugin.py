"""The API for plugin authors: hooks, requirement kinds, program and group models.

A plugin imports from here (and from `facilitrack` itself); every other module of the core is
private and may move. A requirement kind subclasses `Requirement` (a leaf of a stage's
requirement tree) and is registered through the ``facilitrack_requirement_kinds`` hook;
`hookspecs` documents every hook: ``help(facilitrack.plugin.hookspecs)``.

Names are imported on first use (PEP 562): loading a plugin costs only the models it names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._lazy import load

if TYPE_CHECKING:
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

#: Public name → the private module that defines it (`hookspecs`: that module itself).
_NAMES: dict[str, str] = {
    "AllOf": "._model.tree",
    "AnyOf": "._model.tree",
    "Artifact": "._model.leaves",
    "ArtifactRecorded": "._model.events",
    "ArtifactStatus": "._model.events",
    "Attendance": "._model.leaves",
    "Attended": "._model.events",
    "CertificateRequirement": "._model.leaves",
    "CertificateSpec": "._model.program",
    "Context": "._model.requirements",
    "CredentialDef": "._model.vocabulary",
    "CredentialRule": "._model.leaves",
    "Credit": "._model.requirements",
    "Distinct": "._model.leaves",
    "Duration": "._model.periods",
    "Event": "._model.events",
    "Group": "._model.groups",
    "GroupProblem": "._model.group_results",
    "GroupRules": "._model.group_rules",
    "GroupSession": "._model.groups",
    "hookimpl": "._host.hookspecs",
    "hookspec": "._host.hookspecs",
    "hookspecs": "._host.hookspecs",
    "Measure": "._model.requirements",
    "Node": "._model.requirements",
    "NOf": "._model.tree",
    "Pairing": "._model.leaves",
    "Participant": "._model.groups",
    "Participation": "._model.leaves",
    "Person": "._model.people",
    "PersonRecorded": "._model.events",
    "Program": "._model.program",
    "Quantity": "._model.leaves",
    "Requirement": "._model.requirements",
    "RequirementKinds": "._model.tree",
    "Role": "._model.leaves",
    "RoleDef": "._model.vocabulary",
    "Score": "._model.leaves",
    "StaffMember": "._model.people",
    "Stage": "._model.program",
    "Track": "._model.program",
    "Vocabulary": "._model.vocabulary",
    "Window": "._model.windows",
}

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


def __getattr__(name: str) -> Any:
    """Import a name's module when the name is first used (a plugin pays only for what it uses)."""
    return load(globals(), _NAMES, name)


def __dir__() -> list[str]:
    return __all__
