"""facilitrack: track clinicians through parenting-group facilitator training.

The public API for systems that embed the engine. Plugin authors have `facilitrack.plugin`,
store authors `facilitrack.store`, readers of reports `facilitrack.report`, and everyone who
extends facilitrack `facilitrack.testing`; every module whose name starts with ``_`` is private
and may move.

Names are imported on first use (PEP 562), so ``import facilitrack`` costs almost nothing and a
command loads only what it needs.
"""

from __future__ import annotations

import importlib
import warnings
from typing import TYPE_CHECKING, Any

from ._lazy import load

if TYPE_CHECKING:
    from ._cohort import Cohort, ParsedCohort, load_cohort, parse_cohort, read_cohort, run_cohort
    from ._engine.engine import Engine
    from ._engine.status import Certificate, Explanation, Problem, Progress, TraineeStatus
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
    from ._host.hookspecs import hookimpl
    from ._host.plugins import PluginHost, load_plugins, reset_plugins
    from ._host.registry import ProgramRegistry
    from ._journal import MemoryJournal, SQLiteJournal
    from ._model.events import (
        Absent,
        ArtifactRecorded,
        ArtifactStatus,
        Attended,
        Enrolled,
        Event,
        Held,
        PersonRecorded,
        Resumed,
        Voided,
        Waived,
        Withdrawn,
        parse_event,
    )
    from ._model.program import Program, load_program, parse_program

    __version__: str

#: Public name → the private module that defines it.
_NAMES: dict[str, str] = {
    "Absent": "._model.events",
    "ArtifactRecorded": "._model.events",
    "ArtifactStatus": "._model.events",
    "Attended": "._model.events",
    "Certificate": "._engine.status",
    "Cohort": "._cohort",
    "ConflictError": "._errors",
    "DefinitionError": "._errors",
    "Engine": "._engine.engine",
    "Enrolled": "._model.events",
    "Event": "._model.events",
    "Explanation": "._engine.status",
    "FacilitrackError": "._errors",
    "Held": "._model.events",
    "InvalidEventError": "._errors",
    "JournalError": "._errors",
    "MemoryJournal": "._journal",
    "ParsedCohort": "._cohort",
    "PersonRecorded": "._model.events",
    "PluginError": "._errors",
    "PluginHost": "._host.plugins",
    "Problem": "._engine.status",
    "Program": "._model.program",
    "ProgramRegistry": "._host.registry",
    "Progress": "._engine.status",
    "Resumed": "._model.events",
    "SQLiteJournal": "._journal",
    "TraineeStatus": "._engine.status",
    "UnknownKeyError": "._errors",
    "UserError": "._errors",
    "VersionNotInstalledError": "._errors",
    "Voided": "._model.events",
    "Waived": "._model.events",
    "Withdrawn": "._model.events",
    "hookimpl": "._host.hookspecs",
    "load_cohort": "._cohort",
    "load_plugins": "._host.plugins",
    "load_program": "._model.program",
    "parse_cohort": "._cohort",
    "parse_event": "._model.events",
    "parse_program": "._model.program",
    "read_cohort": "._cohort",
    "reset_plugins": "._host.plugins",
    "run_cohort": "._cohort",
}

#: Names of facilitrack 0.1's top level that moved: (module, name there, what to use now).
_MOVED: dict[str, tuple[str, str, str]] = {
    "Requirement": ("._model.requirements", "Requirement", "facilitrack.plugin.Requirement"),
    "TraineeState": ("._model.requirements", "LegacyView",
                     "facilitrack.plugin.Context (a requirement's measure(acc, context))"),
    "Stage": ("._model.program", "Stage", "facilitrack.plugin.Stage"),
    "CertificateSpec": ("._model.program", "CertificateSpec", "facilitrack.plugin.CertificateSpec"),
    "GroupProblem": ("._model.group_results", "GroupProblem", "facilitrack.plugin.GroupProblem"),
    "Group": ("._model.groups", "Group", "facilitrack.plugin.Group"),
    "Person": ("._model.people", "Person", "facilitrack.plugin.Person"),
    "TraineeReport": ("._engine.status", "TraineeStatus", "facilitrack.TraineeStatus"),
    "IssuedCertificate": ("._engine.status", "Certificate", "facilitrack.Certificate"),
}

__all__ = [
    "Absent",
    "ArtifactRecorded",
    "ArtifactStatus",
    "Attended",
    "Certificate",
    "Cohort",
    "ConflictError",
    "DefinitionError",
    "Engine",
    "Enrolled",
    "Event",
    "Explanation",
    "FacilitrackError",
    "Held",
    "InvalidEventError",
    "JournalError",
    "MemoryJournal",
    "ParsedCohort",
    "PersonRecorded",
    "PluginError",
    "PluginHost",
    "Problem",
    "Program",
    "ProgramRegistry",
    "Progress",
    "Resumed",
    "SQLiteJournal",
    "TraineeStatus",
    "UnknownKeyError",
    "UserError",
    "VersionNotInstalledError",
    "Voided",
    "Waived",
    "Withdrawn",
    "__version__",
    "hookimpl",
    "load_cohort",
    "load_plugins",
    "load_program",
    "parse_cohort",
    "parse_event",
    "parse_program",
    "read_cohort",
    "reset_plugins",
    "run_cohort",
]


def __getattr__(name: str) -> Any:
    """Import a public name on first use; the version from the installed metadata."""
    if name in _NAMES:
        return load(globals(), _NAMES, name)
    if name == "__version__":
        from importlib.metadata import version

        return version("facilitrack")
    moved = _MOVED.get(name)
    if moved is not None:
        where, attr, instead = moved
        warnings.warn(
            f"facilitrack.{name} is deprecated; use {instead}", DeprecationWarning, stacklevel=2
        )
        return getattr(importlib.import_module(where, __name__), attr)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
