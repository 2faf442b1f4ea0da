"""What a requirement reads when it is measured: the enrolment, the day, and the people around.

`LeafContext` is the `facilitrack.plugin.Context` the fold hands a leaf's ``measure``. Facts
about the trainee come from their own state; facts about other people (is the trainer a certified
trainer? does the co-leader hold the mental-health role?) come from a `Directory` — every answer
is remembered in the person's state, so that when it changes later (a trainer recorded after
the trainee) the engine knows to fold the person again.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple, Protocol

from .._model.events import Enrolled
from .._model.program import Program
from .._model.vocabulary import Vocabulary
from .certificates import certificate_on
from .state import EnrolmentState, PersonState


class PersonFacts(NamedTuple):
    """What the journal says of another person on a day, as far as a program's rules ask.

    A `person` event holds from its day; a person's first one also covers the days before it
    (staff are listed after they qualified). Assumption: no source says how a trainer's
    listing dates; this keeps a late listing from stranding trainees, and a later change
    (a trainer who retires) from reaching back. A wrong listing is corrected by voiding it.
    """

    credential: str | None
    roles: frozenset[str]
    certified: bool


class Directory(Protocol):
    """Looks other people up for the fold."""

    def facts(self, person: str, program: Program, on: date) -> PersonFacts | None:
        """What holds of `person` on day `on` (None: nobody the journal knows)."""


class LeafContext:
    """The enrolment, the day, and the people around, for one measurement."""

    __slots__ = ("_directory", "_enrolment", "_person", "on")

    def __init__(self, person: PersonState, enrolment: EnrolmentState, on: date,
                 directory: Directory) -> None:
        self._person = person
        self._enrolment = enrolment
        self._directory = directory
        self.on = on

    @property
    def enrolment(self) -> Enrolled:
        return self._enrolment.enrolment

    @property
    def vocabulary(self) -> Vocabulary:
        return self._enrolment.program.words

    def holds_role(self, person: str | None, role: str) -> bool:
        if person is None:
            return False
        program = self._enrolment.program
        words = program.words
        if person == self._person.id:
            profile = self._person.profile
            own = role in words.roles_of(self._enrolment.enrolment.credential)
            return own or (profile is not None and role in profile.roles)
        question = role_question(program.key, role, self.on)
        answer = self._ask(person, question)
        if answer is not None:
            return answer
        held = holds(self._directory.facts(person, program, self.on), words, role)
        self._person.consult(person, question, held)
        return held

    def is_known(self, person: str | None) -> bool:
        if person is None:
            return False
        if person == self._person.id:
            return True
        answer = self._ask(person, "known")
        if answer is not None:
            return answer
        known = self._directory.facts(person, self._enrolment.program, self.on) is not None
        self._person.consult(person, "known", known)
        return known

    def certificate_date(self, program: str, stage: str | None) -> date | None:
        return certificate_on(self._person, program, stage, self.on)

    def _ask(self, person: str, question: str) -> bool | None:
        return self._person.consulted.get((person, question))


def role_question(program: str, role: str, on: date) -> str:
    """How a fold remembers asking whether someone held `role` (in `program`) on day `on`."""
    return f"role:{program}:{role}@{on.isoformat()}"


def holds(facts: PersonFacts | None, words: Vocabulary, role: str) -> bool:
    """Whether a person with these facts holds `role`: by credential, by a `person` event, or
    (a role declared `by_certification`) by being certified in the program."""
    if facts is None:
        return False
    declared = words.role(role)
    return (role in facts.roles or role in words.roles_of(facts.credential)
            or (facts.certified and declared is not None and declared.by_certification))
