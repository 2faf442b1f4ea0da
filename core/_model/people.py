"""Who a group may name: the cohort's trainees and its ``[[staff]]``, one id each."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from pydantic import Field, StrictBool

from .group_rules import Frozen
from .groups import GroupError
from .ids import ID_PATTERN, KEY_PATTERN
from .vocabulary import Vocabulary


class StaffMember(Frozen):
    """Someone who is not a trainee: a certified trainer, a co-leader, a Child Team member."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    credential: str = Field(pattern=KEY_PATTERN)
    certified_trainer: StrictBool = Field(False, description="Shorthand for roles = [\"certified_trainer\"].")
    roles: tuple[str, ...] = Field((), description="Roles the program's rules speak of.")

    @property
    def all_roles(self) -> tuple[str, ...]:
        """`roles`, with ``certified_trainer`` when the shorthand flag is set."""
        if self.certified_trainer and "certified_trainer" not in self.roles:
            return (*self.roles, "certified_trainer")
        return self.roles


class Person(Frozen):
    """Anyone a group may name: a trainee or a staff member, with what the rules ask of them."""

    id: str
    credential: str
    roles: tuple[str, ...] = ()
    trainee: bool = False
    trainer: str | None = Field(None, description="A trainee's certified trainer (enrolment).")
    track: str | None = Field(None, description="A trainee's track (enrolment, or the cohort's).")
    certified_on: date | None = Field(
        None, description="When the journal certified the person in the cohort's program."
    )
    name: str | None = None

    def holds(self, role: str, words: Vocabulary, on: date | None = None) -> bool:
        """Whether the person holds `role`: by credential, by staff listing, or — for a role the
        program declares ``by_certification`` — by being certified (on or before `on`, if given)."""
        if role in self.roles or role in words.roles_of(self.credential):
            return True
        declared = words.role(role)
        if declared is None or not declared.by_certification or self.certified_on is None:
            return False
        return on is None or self.certified_on <= on


def people_index(
    trainees: Iterable[tuple[str, str, str | None]],
    staff: Iterable[StaffMember],
    *,
    where: str = "staff",
    tracks: Mapping[str, str | None] | None = None,
) -> dict[str, Person]:
    """Everyone a group may name, by id: the cohort's trainees and its staff.

    :param trainees: (id, credential, certified trainer named on the enrolment) of each trainee.
    :param staff: the cohort's ``[[staff]]`` entries.
    :param where: how to name the staff list in errors.
    :param tracks: each trainee's track, where the program has tracks.
    """
    tracks = tracks or {}
    people: dict[str, Person] = {
        tid: Person(id=tid, credential=credential, trainee=True, trainer=trainer, track=tracks.get(tid))
        for tid, credential, trainer in trainees
    }
    for i, member in enumerate(staff):
        if member.id in people:
            what = "a trainee" if people[member.id].trainee else "another staff member"
            raise GroupError(
                f"staff id {member.id!r} is already used by {what}",
                where=f"{where}[{i}].id",
                fix="give each person one id, listed once (as a trainee or as staff)",
            )
        people[member.id] = Person(
            id=member.id, credential=member.credential,
            roles=member.all_roles, name=member.name,
        )
    return people
