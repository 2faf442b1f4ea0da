"""Who a group may name: the cohort's trainees and its ``[[staff]]``, one id each."""

from __future__ import annotations

from collections.abc import Iterable

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
    name: str | None = None

    def holds(self, role: str, words: Vocabulary) -> bool:
        """Whether the person holds `role`: by credential, by staff listing, or as trainer."""
        return role in self.roles or role in words.roles_of(self.credential)


def people_index(
    trainees: Iterable[tuple[str, str, str | None]],
    staff: Iterable[StaffMember],
    *,
    where: str = "staff",
) -> dict[str, Person]:
    """Everyone a group may name, by id: the cohort's trainees and its staff.

    :param trainees: (id, credential, certified trainer named on the enrolment) of each trainee.
    :param staff: the cohort's ``[[staff]]`` entries.
    :param where: how to name the staff list in errors.
    """
    people: dict[str, Person] = {
        tid: Person(id=tid, credential=credential, trainee=True, trainer=trainer)
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
