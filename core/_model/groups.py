"""A group as the cohort file writes it: ``[[groups]]`` with its participants and sessions."""

from __future__ import annotations

from datetime import date

from pydantic import Field, StrictBool

from .._errors import UserError
from .dates import DateIn
from .group_rules import Frozen, GroupKind, SessionKind
from .ids import ID_PATTERN, KEY_PATTERN


class GroupError(UserError):
    """A group table in a cohort file contradicts itself (duplicate ids, misplaced fields)."""



class Participant(Frozen):
    """One parent-child dyad."""

    id: str = Field(pattern=ID_PATTERN)
    parent: str = Field(min_length=1, description="The parent's name, as the agency records it.")
    child_born: DateIn
    court_ordered: StrictBool | None = Field(None, description="Overrides the group's `court_ordered`.")


class GroupSession(Frozen):
    """One meeting: everyone expected was there except those listed `absent`.

    Individual and make-up sessions name the `participants` they were held with; a regular
    group session expects every participant of the group.
    """

    on: DateIn
    kind: SessionKind = SessionKind.group
    absent: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    makeup: StrictBool = False
    child_team: tuple[str, ...] = Field((), description="Child Team members present.")
    note: str | None = None

    @property
    def regular(self) -> bool:
        """A session of the series itself: not a make-up."""
        return not self.makeup


class Group(Frozen):
    """A group as the cohort file declares it (``[[groups]]``)."""

    id: str = Field(pattern=ID_PATTERN)
    program: str | None = Field(None, pattern=KEY_PATTERN, description="Default: the cohort's.")
    kind: GroupKind = Field(pattern=KEY_PATTERN, description="A group kind the program declares.")
    track: str | None = None
    format: str | None = Field(
        None, pattern=KEY_PATTERN, description="A format the program declares (Strong Roots); default: none.",
    )
    agency: str | None = Field(None, description="The delivering agency, which issues certificates.")
    court_ordered: StrictBool = False
    starts: DateIn | None = Field(None, description="First session; default: the earliest listed.")
    ended: StrictBool = Field(False, description="The series is over (no more sessions will be added).")
    facilitators: tuple[str, ...] = ()
    trainees: tuple[str, ...] = ()
    participants: tuple[Participant, ...] = ()
    sessions: tuple[GroupSession, ...] = ()

    @property
    def start(self) -> date | None:
        """The day ages are measured on: `starts`, or the first session."""
        if self.starts is not None:
            return self.starts
        return min((s.on for s in self.sessions), default=None)

    def group_sessions(self) -> list[tuple[int, GroupSession]]:
        """Regular group sessions with their index in the file, in date order."""
        return sorted(
            ((i, s) for i, s in enumerate(self.sessions) if s.kind == SessionKind.group and s.regular),
            key=lambda item: item[1].on,
        )

    def court_ordered_for(self, participant: Participant) -> bool:
        """Whether this parent attends by court order."""
        return self.court_ordered if participant.court_ordered is None else participant.court_ordered
