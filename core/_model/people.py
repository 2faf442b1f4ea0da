"""Who a group may name: the cohort's trainees and its ``[[staff]]``, one id each."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field, StrictBool

from .events import ID_PATTERN
from .group_rules import Frozen
from .groups import GroupError
from .requirements import MENTAL_HEALTH, Credential


class StaffMember(Frozen):
    """Someone who is not a trainee: a certified trainer, a co-leader, a Child Team member."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    credential: Credential
    certified_trainer: StrictBool = False


class Person(Frozen):
    """Anyone a group may name: a trainee or a staff member, with what the rules ask of them."""

    id: str
    credential: Credential
    certified_trainer: bool = False
    trainee: bool = False
    trainer: str | None = Field(None, description="A trainee's certified trainer (enrolment).")
    name: str | None = None

    @property
    def mental_health(self) -> bool:
        """Whether the credential counts as mental health by default (crc-faq.txt)."""
        return self.credential in MENTAL_HEALTH


def people_index(
    trainees: Iterable[tuple[str, Credential, str | None]],
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
            certified_trainer=member.certified_trainer, name=member.name,
        )
    return people
