"""The API for plugin authors: hooks, requirement kinds, program and group models.

A plugin imports from here (and from `facilitrack` itself); every other module of the core is
private and may move. `hookspecs` documents every hook: ``help(facilitrack.plugin.hookspecs)``.
"""

from ._host import hookspecs
from ._host.hookspecs import hookimpl, hookspec
from ._model.group_results import GroupProblem
from ._model.groups import Group, GroupSession, Participant
from ._model.people import Person, StaffMember
from ._model.program import CertificateSpec, Program, Stage, Track
from ._model.requirements import Requirement

__all__ = [
    "CertificateSpec",
    "Group",
    "GroupProblem",
    "GroupSession",
    "Participant",
    "Person",
    "Program",
    "Requirement",
    "StaffMember",
    "Stage",
    "Track",
    "hookimpl",
    "hookspec",
    "hookspecs",
]
