"""Every hook a facilitrack plugin can implement, typed and documented in one place.

A plugin is a module (or object) with functions marked ``@facilitrack.hookimpl`` and named as
below, registered under the ``facilitrack`` entry-point group. Every hook is called through
pluggy, so pluggy's wrappers (``@hookimpl(wrapper=True)``, ``hookwrapper=True``), ordering
(``tryfirst``, ``trylast``) and tracing apply as pluggy documents them.

A hook's outcomes are its return values, of the type given below (and, for
`facilitrack_parse_date` alone, a `UserError` for a string of the plugin's format that names
no real day). Anything else — an exception, sys.exit(), a result of the wrong type — is the
plugin's failure: facilitrack reports a `PluginError` naming the plugin and the hook (exit 2
at the command line, nothing recorded), or, while loading, skips that plugin and names it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .._model.events import EventBase
    from .._model.group_results import GroupProblem
    from .._model.groups import Group
    from .._model.people import Person
    from .._model.program import CertificateSpec, Program
    from .._model.requirements import Requirement

PROJECT = "facilitrack"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

RegisterProgram = Callable[["Program | Path | str"], None]
RegisterKind = Callable[["type[Requirement]"], None]


@hookspec
def facilitrack_requirement_kinds(register: RegisterKind) -> None:
    """Register requirement kinds (subclasses of `Requirement`) that definitions may use.

    Called before any program is registered, so a plugin's own programs can use its kinds.

    :param register: call once per class; its ``kind`` field default is the kind's name.
    """


@hookspec
def facilitrack_programs(register: RegisterProgram) -> None:
    """Register the programs this plugin provides.

    :param register: call with a `Program`, or with the path of a program TOML file. Call it
        once per version to offer several versions of one program.
    """


@hookspec
def facilitrack_validate_event(event: EventBase, program: Program, stage: str) -> str | None:
    """Reject an event before it is recorded by returning the reason the user will see.

    Called once per new event, never on replay, and for every program, whichever plugin
    provides it: return None at once for programs this plugin does not judge, as the bundled
    Duet plugin does (``if program.key != "duet": return None``).

    :param event: the event about to be recorded.
    :param program: the definition the trainee's enrolment pins.
    :param stage: the trainee's state before the event (a stage key, ``on_hold``, ...).
    :return: None to accept, or a sentence saying why the event is refused.
    """


@hookspec
def facilitrack_check_group(
    group: Group, program: Program, people: Mapping[str, Person]
) -> Iterable[GroupProblem] | None:
    """Judge a group by rules its program's ``[groups]`` data cannot express.

    Called after the declared rules, each time a group is checked; every id the group names
    is known by then. Return problems that name their rule and cite its source. Called for
    every program's groups, whichever plugin provides the program: return None at once for
    programs this plugin does not judge, as the bundled Duet plugin does
    (``if program.key != "duet": return None``).

    :param group: the group as the cohort file declares it.
    :param program: the definition the group runs under.
    :param people: everyone the group may name (trainees and staff), by id.
    :return: the rules the group breaks (`GroupProblem`), or None / nothing when none.
    """


@hookspec(firstresult=True)
def facilitrack_parse_date(text: str, program: Program) -> date | None:
    """Read a date written as a string in input files (``24.3.2018``), for `program`.

    Called for each date string no ISO reading accepts, plugin after plugin until one answers,
    and for every program, whichever plugin provides it: return None at once for programs
    whose files this plugin does not read, as the bundled Duet plugin does
    (``if program.key != "duet": return None``). A string of this plugin's format that names
    no real day (``31.2.2018``) raises `UserError` saying how to write one.

    :param text: the string as the user wrote it.
    :param program: the program the file is about.
    :return: the date, or None when this plugin does not read that format.
    """


@hookspec
def facilitrack_stage_completed(trainee: str, program: Program, stage: str, on: date) -> None:
    """Observe a trainee completing a stage (after it is recorded).

    Called for every program, whichever plugin provides it: return at once for programs this
    plugin does not watch (``if program.key != "duet": return None``). The result is ignored.

    :param trainee: the trainee id.
    :param program: the pinned definition.
    :param stage: the key of the completed stage.
    :param on: the date of the event that completed it.
    """


@hookspec
def facilitrack_certificate_issued(
    trainee: str, program: Program, stage: str, certificate: CertificateSpec, on: date
) -> None:
    """Observe a certificate being issued (a completed stage that declares one).

    Called for every program, whichever plugin provides it: return at once for programs this
    plugin does not watch (``if program.key != "duet": return None``). The result is ignored.

    :param trainee: the trainee id.
    :param program: the pinned definition.
    :param stage: the key of the stage that issues it.
    :param certificate: the certificate as the definition declares it.
    :param on: the issue date: the date of the completing event.
    """


@hookspec
def facilitrack_certificate_redated(  # noqa: PLR0917 -- pluggy passes hook arguments by name
    trainee: str, program: Program, stage: str, certificate: CertificateSpec, old: date, new: date
) -> None:
    """Observe a certificate whose issue date moved: a session recorded late, dated before the
    one that completed the stage, completes it on another day.

    Called for every program, whichever plugin provides it: return at once for programs this
    plugin does not watch (``if program.key != "duet": return None``). The result is ignored.

    :param trainee: the trainee id.
    :param program: the pinned definition.
    :param stage: the key of the stage that issues it.
    :param certificate: the certificate as the definition declares it.
    :param old: the issue date observers were told before.
    :param new: the issue date now.
    """


@hookspec
def facilitrack_certificate_revoked(
    trainee: str, program: Program, stage: str, certificate: CertificateSpec, on: date
) -> None:
    """Observe a certificate taken back: a void removed work the stage's completion rested on
    (or the enrolment itself), so the stage is no longer completed.

    Called for every program, whichever plugin provides it: return at once for programs this
    plugin does not watch (``if program.key != "duet": return None``). The result is ignored.

    :param trainee: the trainee id.
    :param program: the pinned definition.
    :param stage: the key of the stage that had issued it.
    :param certificate: the certificate as the definition declares it.
    :param on: the issue date it had.
    """
