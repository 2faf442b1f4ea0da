"""The built-in requirement leaves.

Counted from events: `Attendance` (sessions, or distinct weeks), `Participation` (a series'
sessions, attended or missed, with a limit on missed ones), `Artifact` (distinct pieces of work
at a status), `Quantity` (hours, with per-mode limits), `Score` (attempts at a threshold) and
`Distinct` (how many different keys of a set).

Read from the enrolment and the people around it: `CredentialRule` (0.1's credential gate),
`Role` (the trainee, or their co-leader, holds a role), `Pairing` (a trainer is named — and,
with ``role``, is someone holding that role) and `CertificateRequirement` (the person holds a
certificate of a program, maybe another one).
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from .events import ArtifactRecorded, ArtifactStatus, Attended, Event, PersonRecorded
from .ids import KEY_PATTERN
from .requirements import Context, Credit, Measure, Requirement
from .vocabulary import Vocabulary


class Attendance(Requirement):
    """Attend an activity `count` times — or, ``per = "week"``, in `count` different weeks."""

    kind: Literal["attendance"] = "attendance"
    per: Literal["session", "week"] = Field(
        "session", description="`week`: at most one session counts per calendar week (ISO)."
    )
    credited_by: ClassVar[str | None] = "attended"

    def start(self) -> Any:
        return 0 if self.per == "session" else {}

    def tally(self, acc: Any, credit: Credit) -> Any:
        if self.per == "session":
            return acc + 1
        year, week, _ = credit.event.on.isocalendar()
        acc[f"{year}-W{week:02d}"] = 1
        return acc

    def measure(self, acc: Any, context: Context) -> Measure:
        have = acc if self.per == "session" else len(acc)
        return Measure(have, self.count, have >= self.count)

    def synthetic_events(self, trainee: str, on: date, have: int) -> list[Event]:
        """One session per unit; a week apart when counted per week."""
        step = timedelta(weeks=1 if self.per == "week" else 0)
        return [Attended(trainee=trainee, on=on + step * n, activity=self.key) for n in range(have)]


class Participation(Requirement):
    """Take part in a series of `count` sessions: attended or missed, each session held counts;
    more than `max_missed` missed sessions and the series does not count."""

    kind: Literal["participation"] = "participation"
    max_missed: int | None = Field(None, ge=0, description="Missed sessions allowed; none: any.")

    def watches(self) -> tuple[tuple[str, str], ...]:
        return (("attended", self.key), ("absent", self.key))

    def start(self) -> Any:
        return [0, 0]

    def tally(self, acc: Any, credit: Credit) -> Any:
        acc[0 if credit.kind == "attended" else 1] += 1
        return acc

    def measure(self, acc: Any, context: Context) -> Measure:
        attended, missed = acc
        held = attended + missed
        if self.max_missed is not None and missed > self.max_missed:
            return Measure(held, self.count, False,
                           f"missed {missed} sessions; at most {self.max_missed} may be missed")
        reason = f"{missed} missed" if missed else None
        return Measure(held, self.count, held >= self.count, reason)

    def synthetic_events(self, trainee: str, on: date, have: int) -> list[Event]:
        return [Attended(trainee=trainee, on=on, activity=self.key) for _ in range(have)]


class Artifact(Requirement):
    """Hand in `count` artifacts of one key that have reached `status` (or beyond).

    Artifacts are told apart by their ``ref``; events without one are each a new artifact.
    """

    kind: Literal["artifact"] = "artifact"
    status: ArtifactStatus = ArtifactStatus.submitted
    credited_by: ClassVar[str | None] = "artifact"

    def start(self) -> Any:
        return ()  # (ref, best status rank) pairs: a tuple or two is smaller than a dict

    def tally(self, acc: Any, credit: Credit) -> Any:
        event = credit.event
        assert isinstance(event, ArtifactRecorded)
        ref = event.ref or event.id
        rank = event.status.rank
        for i, (seen, best) in enumerate(acc):
            if seen == ref:
                return acc if best >= rank else (*acc[:i], (ref, rank), *acc[i + 1 :])
        return (*acc, (ref, rank))

    def measure(self, acc: Any, context: Context) -> Measure:
        need = self.status.rank
        have = sum(1 for _, rank in acc if rank >= need)
        return Measure(have, self.count, have >= self.count)


class Quantity(Requirement):
    """A total of `count` `unit` (hours) from sessions that record a quantity; at most
    `limits[mode]` of it may come from sessions held in that mode (``online = 10``)."""

    kind: Literal["quantity"] = "quantity"
    count: float = Field(gt=0, description="The total needed, in `unit`.")  # type: ignore[assignment]
    unit: str = Field("hours", min_length=1)
    limits: dict[str, float] = Field(
        default_factory=dict, description="Mode → the most of the total that mode may give."
    )
    per_session: float | None = Field(
        None, gt=0, description="What a session that records no quantity counts for."
    )
    credited_by: ClassVar[str | None] = "attended"

    @model_validator(mode="after")
    def _limit_keys(self) -> Quantity:
        for mode, limit in self.limits.items():
            if not mode or limit < 0:
                raise ValueError(f"limit {mode!r} = {limit} needs a mode key and a number ≥ 0")
        return self

    def refuses(self, credit: Credit) -> str | None:
        if getattr(credit.event, "quantity", None) is None and self.per_session is None:
            return f"records no {self.unit} (give `quantity`)"
        return None

    def start(self) -> Any:
        return {}

    def tally(self, acc: Any, credit: Credit) -> Any:
        event = credit.event
        amount = getattr(event, "quantity", None)
        mode = getattr(event, "mode", None) or ""
        acc[mode] = acc.get(mode, 0.0) + (amount if amount is not None else (self.per_session or 0.0))
        return acc

    def measure(self, acc: Any, context: Context) -> Measure:
        total = math.fsum(min(v, self.limits.get(mode, math.inf)) for mode, v in acc.items())
        have = round(total, 6)
        capped = [m for m, v in acc.items() if v > self.limits.get(m, math.inf)]
        reason = (
            f"only {self.limits[capped[0]]:g} {self.unit} of {capped[0]} count" if capped else None
        )
        return Measure(have, self.count, have >= self.count - 1e-9, reason)

    def synthetic_events(self, trainee: str, on: date, have: int) -> list[Event]:
        """`have` one-unit sessions (the check asks for `count` and `count - 1`)."""
        whole = math.floor(have)
        events: list[Event] = [
            Attended(trainee=trainee, on=on, activity=self.key, quantity=1.0) for _ in range(whole)
        ]
        if have > whole:
            events.append(Attended(trainee=trainee, on=on, activity=self.key, quantity=have - whole))
        return events


class Score(Requirement):
    """Attempts scored at least `min_score`: `count` passing attempts (``any``), the latest
    `count` attempts passing (``latest``), or every attempt passing and at least `count`
    of them (``each``)."""

    kind: Literal["score"] = "score"
    min_score: float
    attempts: Literal["any", "latest", "each"] = "any"
    event: Literal["attended", "artifact"] = Field(
        "artifact", description="Which events carry the scored attempts."
    )

    def watches(self) -> tuple[tuple[str, str], ...]:
        return ((self.event, self.key),)

    def refuses(self, credit: Credit) -> str | None:
        return None if getattr(credit.event, "score", None) is not None else "has no score"

    def start(self) -> Any:
        return []

    def tally(self, acc: Any, credit: Credit) -> Any:
        acc.append([credit.event.on.isoformat(), getattr(credit.event, "score", 0.0)])
        return acc

    def measure(self, acc: Any, context: Context) -> Measure:
        passing = [s >= self.min_score for _, s in acc]
        if self.attempts == "any":
            have = sum(passing)
            return Measure(have, self.count, have >= self.count)
        if self.attempts == "latest":
            run = 0
            for ok in reversed(passing):
                if not ok or run == self.count:
                    break
                run += 1
            reason = None
            if acc and not passing[-1]:
                reason = f"the latest attempt ({acc[-1][0]}) scored {acc[-1][1]:g}, below {self.min_score:g}"
            return Measure(run, self.count, run >= self.count, reason)
        failed = [(day, s) for (day, s), ok in zip(acc, passing, strict=True) if not ok]
        if failed:
            day, s = failed[0]
            return Measure(len(acc), self.count, False,
                           f"the attempt of {day} scored {s:g}, below {self.min_score:g}")
        return Measure(len(acc), self.count, len(acc) >= self.count)

    def synthetic_events(self, trainee: str, on: date, have: int) -> list[Event]:
        if self.event == "attended":
            return [Attended(trainee=trainee, on=on, activity=self.key, score=self.min_score)
                    for _ in range(have)]
        return [
            ArtifactRecorded(trainee=trainee, on=on, artifact=self.key, status=ArtifactStatus.approved,
                             ref=f"{self.key}-{n}", score=self.min_score)
            for n in range(1, have + 1)
        ]


class Distinct(Requirement):
    """Attend (or hand in) `count` different keys of `keys`: three of five modules."""

    kind: Literal["distinct"] = "distinct"
    keys: tuple[str, ...] = Field(min_length=1)
    event: Literal["attended", "artifact"] = "attended"

    @model_validator(mode="after")
    def _enough_keys(self) -> Distinct:
        if self.count > len(set(self.keys)):
            raise ValueError(f"needs {self.count} different keys but lists {len(set(self.keys))}")
        for key in self.keys:
            if not _is_key(key):
                raise ValueError(f"{key!r} is not a key")
        return self

    def watches(self) -> tuple[tuple[str, str], ...]:
        return tuple((self.event, k) for k in dict.fromkeys(self.keys))

    def start(self) -> Any:
        return {}

    def tally(self, acc: Any, credit: Credit) -> Any:
        acc[credit.key] = 1
        return acc

    def measure(self, acc: Any, context: Context) -> Measure:
        return Measure(len(acc), self.count, len(acc) >= self.count)

    def synthetic_events(self, trainee: str, on: date, have: int) -> list[Event]:
        keys = list(dict.fromkeys(self.keys))[:have]
        if self.event == "attended":
            return [Attended(trainee=trainee, on=on, activity=k) for k in keys]
        return [ArtifactRecorded(trainee=trainee, on=on, artifact=k, status=ArtifactStatus.approved,
                                 ref=f"{k}-1") for k in keys]


# -- read from the enrolment --------------------------------------------------------------------


class CredentialRule(Requirement):
    """Who may enter the stage: `allowed` alone, `with_co_leader` only beside a named co-leader.

    The credential gate of facilitrack 0.1; new definitions use `Role`, which asks that the
    co-leader be someone the journal knows.
    """

    kind: Literal["credential"] = "credential"
    key: str = Field("credential", pattern=KEY_PATTERN)
    allowed: tuple[str, ...] = Field(min_length=1)
    with_co_leader: tuple[str, ...] = ()

    def measure(self, acc: Any, context: Context) -> Measure:
        enrolment = context.enrolment
        credential = enrolment.credential
        if credential in self.allowed:
            return Measure(1, 1, True)
        ok = credential in self.with_co_leader and enrolment.co_leader is not None
        return Measure(int(ok), 1, ok)

    def blocker(self, measure: Measure, context: Context) -> tuple[str, str] | None:
        credential = context.enrolment.credential
        if credential in self.with_co_leader:
            return ("co_leader", f"needs a mental-health co-leader for a trainee whose credential is"
                                 f" {credential}; name one in `co_leader`")
        allowed = ", ".join((*self.allowed, *self.with_co_leader))
        return ("credential", f"admits {allowed}; a trainee whose credential is {credential} cannot enter it")

    def synthetic_enrolment(self, have: int, vocabulary: Vocabulary | None = None) -> dict[str, Any] | None:
        """An allowed credential for 1; for 0, a co-leader credential without one, or any other."""
        if have >= 1:
            return {"credential": self.allowed[0]}
        known = vocabulary.credential_keys() if vocabulary is not None else []
        barred = [c for c in known if c not in self.allowed]
        if not barred:
            return None
        return {"credential": barred[0], "co_leader": None}


class Role(Requirement):
    """The trainee holds `role` — or, with ``co_leader = true``, their enrolment names a
    co-leader whom the journal knows to hold it (a rule for leading groups)."""

    kind: Literal["role"] = "role"
    key: str = Field("", pattern=rf"{KEY_PATTERN}|^$", description="Default: the role's key.")
    role: str = Field(pattern=KEY_PATTERN)
    co_leader: bool = Field(False, description="A co-leader holding the role will do.")

    @model_validator(mode="after")
    def _default_key(self) -> Role:
        if not self.key:
            self.__dict__["key"] = self.role
        return self

    def measure(self, acc: Any, context: Context) -> Measure:
        enrolment = context.enrolment
        if context.holds_role(enrolment.trainee, self.role):
            return Measure(1, 1, True)
        if not self.co_leader:
            return Measure(0, 1, False, f"{enrolment.trainee} does not hold the role {self.role}")
        co = enrolment.co_leader
        if co is None:
            return Measure(0, 1, False, f"not {self.role} and no co-leader named")
        if not context.is_known(co):
            return Measure(0, 1, False, f"co-leader {co} is not someone the journal knows")
        if not context.holds_role(co, self.role):
            return Measure(0, 1, False, f"co-leader {co} does not hold the role {self.role}")
        return Measure(1, 1, True)

    def blocker(self, measure: Measure, context: Context) -> tuple[str, str] | None:
        field = "co_leader" if self.co_leader else "credential"
        return (field, measure.reason or f"needs the role {self.role}")

    def synthetic_enrolment(self, have: int, vocabulary: Vocabulary | None = None) -> dict[str, Any] | None:
        """A credential granting the role for 1; for 0, one that does not — granting the fewest
        roles, so that it opens no other route of an ``any_of`` — with no co-leader."""
        if vocabulary is None:
            return None
        granting = vocabulary.credentials_with(self.role)
        others = sorted((c for c in vocabulary.credential_keys() if c not in granting),
                        key=lambda c: len(vocabulary.roles_of(c)))
        if have >= 1:
            return {"credential": granting[0]} if granting else None
        return {"credential": others[0], "co_leader": None} if others else None


class Pairing(Requirement):
    """The trainee is paired with a trainer named on the enrolment — with ``role``, a person
    the journal knows to hold that role (a certified trainer)."""

    kind: Literal["pairing"] = "pairing"
    key: str = Field("certified_trainer", pattern=KEY_PATTERN)
    role: str | None = Field(None, pattern=KEY_PATTERN, description="The role the trainer holds.")

    def measure(self, acc: Any, context: Context) -> Measure:
        trainer = context.enrolment.trainer
        if trainer is None:
            return Measure(0, 1, False, "no trainer named" if self.role else None)
        if self.role is None:
            return Measure(1, 1, True)
        if not context.holds_role(trainer, self.role):
            what = "someone the journal knows" if not context.is_known(trainer) else f"a {self.role}"
            return Measure(0, 1, False, f"trainer {trainer} is not {what}")
        return Measure(1, 1, True)

    def blocker(self, measure: Measure, context: Context) -> tuple[str, str] | None:
        if measure.reason and context.enrolment.trainer is not None:
            return ("trainer", f"needs a certified trainer paired with the trainee: {measure.reason}")
        return ("trainer", "needs a certified trainer paired with the trainee; name one in `trainer`")

    def synthetic_events(self, trainee: str, on: date, have: int) -> list[Event]:
        """With a role: the trainer, recorded as holding it."""
        if self.role is None or not have:
            return []
        return [PersonRecorded(trainee=SYNTHETIC_TRAINER, on=on, roles=(self.role,))]

    def synthetic_enrolment(self, have: int) -> dict[str, Any] | None:
        """A named trainer for 1, none for 0."""
        return {"trainer": SYNTHETIC_TRAINER if have >= 1 else None}


#: The trainer the conformance check pairs synthetic trainees with.
SYNTHETIC_TRAINER = "conformance-trainer"


class CertificateRequirement(Requirement):
    """The person holds a certificate of `program`: its certification, or one `stage`'s
    (a prerequisite across programs, checked across the person's enrolments)."""

    kind: Literal["certificate"] = "certificate"
    key: str = Field("", pattern=rf"{KEY_PATTERN}|^$", description="Default: PROGRAM_certificate.")
    program: str = Field(pattern=KEY_PATTERN)
    stage: str | None = Field(None, pattern=KEY_PATTERN, description="Default: certification.")

    @model_validator(mode="after")
    def _default_key(self) -> CertificateRequirement:
        if not self.key:
            self.__dict__["key"] = f"{self.program}_certificate"
        return self

    def measure(self, acc: Any, context: Context) -> Measure:
        issued = context.certificate_date(self.program, self.stage)
        if issued is None:
            what = f"{self.program} {self.stage}" if self.stage else f"{self.program} certification"
            return Measure(0, 1, False, f"holds no valid {what} certificate")
        return Measure(1, 1, True)


def _is_key(text: str) -> bool:
    return re.fullmatch(KEY_PATTERN, text) is not None


BUILTIN_LEAVES: tuple[type[Requirement], ...] = (
    Attendance, Participation, Artifact, Quantity, Score, Distinct, CredentialRule, Role, Pairing,
    CertificateRequirement,
)
