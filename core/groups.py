"""Groups: who facilitates them, who takes part, which sessions were held, and who completed.

A group is data from the cohort file: facilitators (trainees and staff), the trainees taking
part or leading, parent-child dyads, and its sessions with who was absent. A program declares
the rules its groups follow as `GroupRules` in its definition (``[groups]`` in program.toml);
`check_group` judges a group against them, and plugins add rules data cannot express through
the ``facilitrack_check_group`` hook. Every problem names its rule and the rule's source.

From the same sessions come two results:

* parents' completion (`parent_completions`): a parent who misses more sessions than the
  program allows has not completed; one who completes gets a record with the dates of their
  first and last session and the certificate the delivering agency issues;
* trainees' credit (`group_events`): each session credits the trainees present with an
  ``attended`` event of the activity the program's rules name for the group's kind, under an id
  made of group, date and trainee, so importing the same file twice records nothing new.

How ages are judged (`AgeRule`): a child's age is counted in whole months at the group's start
(``starts``, or its first session), a month being complete on the birth day-of-month (or on the
last day of a shorter month). Children are sorted into the rule's bands (for MPG: under 24
months, i.e. "up to two", and 24 months or more, "over two"); within each band the oldest and
youngest may differ by at most that band's spread. A group with children in more than one band
is also judged as a whole, against the widest spread of the bands it spans, so children either
side of a band boundary are still close in age.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .dates import DateIn
from .errors import UnknownKeyError, UserError, did_you_mean
from .events import ID_PATTERN, Attended
from .requirements import KEY_PATTERN, MENTAL_HEALTH, Credential

if TYPE_CHECKING:
    from .plugins import Hooks
    from .program import Program


class GroupError(UserError):
    """A group table in a cohort file contradicts itself (duplicate ids, misplaced fields)."""


class GroupKind(StrEnum):
    """What a group is for, as far as training goes."""

    demonstration = "demonstration"  # trainees take part beside a certified trainer
    trainee_led = "trainee_led"  # a trainee leads their own group
    community = "community"  # an agency's group, no trainee credited


class SessionKind(StrEnum):
    """A meeting of the whole group, or an individual session with one family."""

    group = "group"
    individual = "individual"


ALL_KINDS: tuple[GroupKind, ...] = tuple(GroupKind)

CompletionStatus = Literal["completed", "not_completed", "in_progress"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Cited(_Frozen):
    """A rule: where its numbers come from, and any labelled assumption."""

    source: str | None = Field(None, description="Where the rule comes from (a citation).")
    note: str | None = Field(None, description="An assumption, labelled as one, where no source.")

    def describe(self) -> str:
        """The rule in one sentence (`facilitrack show`); each rule says its own."""
        raise NotImplementedError(type(self).__name__)


# -- the rules a program declares ------------------------------------------------------------


class Bounds(_Frozen):
    """An inclusive range of counts; no `max` means no upper limit."""

    min: int = Field(0, ge=0)
    max: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Bounds:
        if self.max is not None and self.max < self.min:
            raise ValueError(f"max {self.max} is below min {self.min}")
        return self

    def describe(self) -> str:
        """``4 to 6``, ``exactly 12``, ``at least 18``."""
        if self.max is None:
            return f"at least {self.min}"
        if self.max == self.min:
            return f"exactly {self.min}"
        return f"{self.min} to {self.max}"


class FacilitatorRule(_Cited):
    """How many facilitators a group has, and who may lead without a mental-health co-leader.

    `count` is a minimum: a third co-leader is not a problem. With `mental_health_co_leader`,
    a facilitator whose credential is not in `mental_health` needs a co-facilitator whose is.
    Both are judged for the group and for every group session among those present.
    """

    count: int = Field(2, ge=1)
    mental_health_co_leader: bool = True
    mental_health: tuple[Credential, ...] = Field(
        default_factory=lambda: tuple(sorted(MENTAL_HEALTH)), min_length=1
    )

    def describe(self) -> str:
        """At least `count`, and who leads only beside a mental-health co-leader."""
        text = f"at least {self.count} facilitators, in the group and at every session"
        if self.mental_health_co_leader:
            *first, last = (c.value for c in self.mental_health)
            mh = f"{', '.join(first)} or {last}" if first else last
            text += f"; one whose credential is not {mh} leads only beside one whose is"
        return text


class PairingRule(_Cited):
    """Each trainee of a group (taking part, leading or co-facilitating) is paired with a
    certified trainer: in groups of `kinds` the trainer co-leads, among the facilitators; in
    groups of `supervised_kinds` the trainer named on the trainee's enrolment (``trainer``)
    supervises from outside the group, and must be a certified trainer where staff lists them.
    """

    kinds: tuple[GroupKind, ...] = ()
    supervised_kinds: tuple[GroupKind, ...] = ()

    def describe(self) -> str:
        """Where a certified trainer co-leads, and where the enrolment's trainer supervises."""
        parts = []
        if self.kinds:
            parts.append(f"a certified trainer co-leads {_kinds(self.kinds)} groups")
        if self.supervised_kinds:
            parts.append(f"in {_kinds(self.supervised_kinds)} groups, each trainee's enrolment"
                         " names a certified trainer")
        return "; ".join(parts) or "no pairing"


class SizeRule(_Cited):
    """How many dyads and trainees a group of these kinds has."""

    kinds: tuple[GroupKind, ...] = Field(ALL_KINDS, min_length=1)
    participants: Bounds | None = None
    trainees: Bounds | None = None

    def describe(self) -> str:
        """How many dyads and trainees, for which kinds."""
        parts = []
        if self.participants is not None:
            parts.append(f"{self.participants.describe()} parent-child dyads")
        if self.trainees is not None:
            parts.append(f"{self.trainees.describe()} trainees")
        return f"{_kinds(self.kinds)} groups: {', '.join(parts) or 'any size'}"


class SeriesRule(_Cited):
    """How many sessions a group of these kinds delivers.

    For group sessions, `count` is the length of the series; reaching its `max` ends the series,
    otherwise the group's ``ended`` flag does. For individual sessions it is counted per
    participant. With `weekly`, two group sessions in one calendar week (Monday to Sunday) are
    a problem; a week without a session (a holiday) is not.
    """

    kinds: tuple[GroupKind, ...] = Field(ALL_KINDS, min_length=1)
    session: SessionKind = SessionKind.group
    count: Bounds
    weekly: bool = False

    def describe(self) -> str:
        """How many sessions, of which kind, how often."""
        per = " per family" if self.session == SessionKind.individual else ""
        weekly = ", weekly" if self.weekly else ""
        return (f"{_kinds(self.kinds)} groups: {self.count.describe()} {self.session.value}"
                f" sessions{per}{weekly}")


class AgeBand(_Frozen):
    """Children younger than `below_months` (the last band: any older) and their widest spread."""

    label: str = Field(min_length=1, description="How people say it: 'up to two'.")
    below_months: int | None = Field(None, gt=0)
    max_spread: int = Field(ge=0, description="Oldest minus youngest, in whole months.")


class AgeRule(_Cited):
    """Children's ages at the group's start, and how far apart they may be (module docstring)."""

    min_months: int | None = Field(None, ge=0)
    max_months: int | None = Field(None, ge=0)
    bands: tuple[AgeBand, ...] = ()

    @model_validator(mode="after")
    def _bands_ascend(self) -> AgeRule:
        bounds = [b.below_months for b in self.bands]
        if bounds and bounds[-1] is not None:
            raise ValueError("the last age band has no `below_months`: it takes every older child")
        inner = [b for b in bounds[:-1] if b is not None]
        if len(inner) != len(bounds[:-1]) or inner != sorted(set(inner)):
            raise ValueError("age bands need rising `below_months`, and only the last may omit it")
        return self

    def band(self, months: int) -> AgeBand | None:
        """The band a child of this age falls in."""
        for band in self.bands:
            if band.below_months is None or months < band.below_months:
                return band
        return None

    def describe(self) -> str:
        """The youngest and oldest child, and each band's widest spread."""
        parts = []
        if self.min_months is not None:
            parts.append(f"children at least {_months(self.min_months)} old at the start")
        if self.max_months is not None:
            parts.append(f"at most {_months(self.max_months)} old")
        for band in self.bands:
            under = f" (under {_months(band.below_months)})" if band.below_months else ""
            parts.append(f"{band.label}{under}: at most {_months(band.max_spread)} apart")
        return "; ".join(parts) or "any ages"


class AttendanceRule(_Cited):
    """Parents' attendance: how many sessions they may miss and still complete; make-ups."""

    max_missed: int | None = Field(None, ge=0, description="More missed than this: not completed.")
    makeup: bool = Field(False, description="Whether make-up sessions are offered.")

    def describe(self) -> str:
        """How many sessions a parent may miss, and whether make-ups count."""
        parts = []
        if self.max_missed is not None:
            parts.append(f"a parent who misses more than {self.max_missed} sessions has not completed")
        parts.append("make-up sessions offered" if self.makeup else "no make-up sessions")
        return "; ".join(parts)


class ChildTeamRule(_Cited):
    """At every group session a Child Team member is present for every child present."""

    per_child: int = Field(1, ge=1)

    def describe(self) -> str:
        """Child Team members per child present."""
        members = f"{self.per_child} Child Team member{'s' * (self.per_child != 1)}"
        return f"{members} per child at every group session"


class CourtOrderedRule(_Cited):
    """The program's groups may serve as court-ordered parenting groups (agency certificate)."""

    allowed: bool = True

    def describe(self) -> str:
        """Whether the groups serve as court-ordered parenting groups."""
        if not self.allowed:
            return "not a court-ordered parenting group"
        return "may serve as a court-ordered parenting group; the delivering agency issues the certificate"


class GroupRules(_Cited):
    """Everything a program says about its groups; each part is optional.

    `credits` maps a group kind to the attendance activity its group sessions credit to the
    trainees present; `individual_credits` does the same for individual sessions.
    """

    credits: dict[GroupKind, str] = Field(default_factory=dict)
    individual_credits: dict[GroupKind, str] = Field(default_factory=dict)
    facilitators: FacilitatorRule | None = None
    pairing: PairingRule | None = None
    sizes: tuple[SizeRule, ...] = ()
    series: tuple[SeriesRule, ...] = ()
    ages: AgeRule | None = None
    attendance: AttendanceRule | None = None
    child_team: ChildTeamRule | None = None
    court_ordered: CourtOrderedRule | None = None

    @model_validator(mode="after")
    def _credit_keys(self) -> GroupRules:
        for key in [*self.credits.values(), *self.individual_credits.values()]:
            if not _matches(KEY_PATTERN, key):
                raise ValueError(f"credited activity {key!r} is not a key (lowercase, digits, _)")
        return self

    def unknown_credits(self, known: Sequence[str]) -> list[str]:
        """Credited activities that are not among `known` (the program's attendance keys)."""
        named = [*self.credits.values(), *self.individual_credits.values()]
        return sorted({key for key in named if key not in known})

    def series_for(self, kind: GroupKind, session: SessionKind) -> SeriesRule | None:
        """The first series rule for sessions of this kind in groups of this kind."""
        return next((r for r in self.series if kind in r.kinds and r.session == session), None)


def _matches(pattern: str, text: str) -> bool:
    return re.fullmatch(pattern, text) is not None


class RuleLine(NamedTuple):
    """One declared rule as a person reads it (`facilitrack show`)."""

    rule: str
    text: str
    source: str | None
    note: str | None


def describe_rules(rules: GroupRules) -> list[RuleLine]:
    """Every rule `rules` declares, one line each, with its source and note."""
    out = []
    for what, table in (("group", rules.credits), ("individual", rules.individual_credits)):
        if table:
            credited = "; ".join(f"{_kind(k)}: {activity}" for k, activity in table.items())
            out.append(RuleLine("credits", f"each {what} session credits the trainees present"
                                f" ({credited})", None, None))
    named: list[tuple[str, _Cited | None]] = [
        ("facilitators", rules.facilitators), ("pairing", rules.pairing),
        *(("size", r) for r in rules.sizes), *(("sessions", r) for r in rules.series),
        ("ages", rules.ages), ("attendance", rules.attendance), ("child_team", rules.child_team),
        ("court_ordered", rules.court_ordered),
    ]
    out += [RuleLine(name, rule.describe(), rule.source, rule.note) for name, rule in named if rule]
    return out


def _kind(kind: GroupKind) -> str:
    return kind.value.replace("_", "-")


def _kinds(kinds: Sequence[GroupKind]) -> str:
    return "all" if set(kinds) == set(GroupKind) else ", ".join(_kind(k) for k in kinds)


# -- groups as the cohort file writes them ----------------------------------------------------


class StaffMember(_Frozen):
    """Someone who is not a trainee: a certified trainer, a co-leader, a Child Team member."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    credential: Credential
    certified_trainer: bool = False


class Person(_Frozen):
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


class Participant(_Frozen):
    """One parent-child dyad."""

    id: str = Field(pattern=ID_PATTERN)
    parent: str = Field(min_length=1, description="The parent's name, as the agency records it.")
    child_born: DateIn
    court_ordered: bool | None = Field(None, description="Overrides the group's `court_ordered`.")


class GroupSession(_Frozen):
    """One meeting: everyone expected was there except those listed `absent`.

    Individual and make-up sessions name the `participants` they were held with; a regular
    group session expects every participant of the group.
    """

    on: DateIn
    kind: SessionKind = SessionKind.group
    absent: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    makeup: bool = False
    child_team: tuple[str, ...] = Field((), description="Child Team members present.")
    note: str | None = None

    @property
    def regular(self) -> bool:
        """A session of the series itself: not a make-up."""
        return not self.makeup


class Group(_Frozen):
    """A group as the cohort file declares it (``[[groups]]``)."""

    id: str = Field(pattern=ID_PATTERN)
    program: str | None = Field(None, pattern=KEY_PATTERN, description="Default: the cohort's.")
    kind: GroupKind
    track: str | None = None
    agency: str | None = Field(None, description="The delivering agency, which issues certificates.")
    court_ordered: bool = False
    starts: DateIn | None = Field(None, description="First session; default: the earliest listed.")
    ended: bool = Field(False, description="The series is over (no more sessions will be added).")
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


# -- what the checks and completion report --------------------------------------------------


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class GroupProblem(_Out):
    """A rule a group breaks: the rule's name, what is wrong, and where the rule comes from."""

    rule: str = Field(min_length=1)
    message: str = Field(min_length=1)
    source: str | None = None
    note: str | None = None
    where: str | None = Field(None, description="The place in the cohort file.")


class CompletionCertificate(_Out):
    """A parent's record of completing the series; the delivering agency issues the certificate."""

    issued_by: str | None = Field(description="The delivering agency, where the group names it.")
    court_ordered: bool
    first_session: date
    last_session: date
    on: date = Field(description="The date of the series' last session.")


class ParentCompletion(_Out):
    """One parent's attendance over the series and whether they completed it."""

    id: str
    parent: str
    status: CompletionStatus
    completed: bool
    missed: int
    absences: list[date] = Field(description="The regular group sessions the parent missed.")
    attended: int
    sessions: int = Field(description="Regular group sessions held so far.")
    allowed_missed: int | None
    court_ordered: bool
    first_attended: date | None
    last_attended: date | None
    certificate: CompletionCertificate | None
    reason: str
    source: str | None = None


class TraineeCredit(_Out):
    """How many sessions of a group credit one trainee, and with which activity."""

    trainee: str
    activity: str
    sessions: int
    dates: list[date]


class GroupReport(_Out):
    """A group's composition check, its parents' completion and its trainees' credit."""

    id: str
    program: str
    kind: GroupKind
    track: str | None
    agency: str | None
    facilitators: list[str]
    trainees: list[str]
    sessions: int = Field(description="Regular group sessions held.")
    series_over: bool
    problems: list[GroupProblem]
    participants: list[ParentCompletion]
    credits: list[TraineeCredit]

    def text(self) -> str:
        """The report as a person reads it."""
        track = f", {self.track}" if self.track else ""
        state = "series over" if self.series_over else "in progress"
        lines = [
            f"{self.id} ({self.program}, {self.kind.value.replace('_', '-')}{track}):"
            f" {self.sessions} session{'s' * (self.sessions != 1)}, {state}",
            f"  facilitators: {', '.join(self.facilitators) or '(none)'}",
        ]
        if self.trainees:
            lines.append(f"  trainees: {', '.join(self.trainees)}")
        if not self.problems:
            lines.append("  composition: no rule broken")
        for problem in self.problems:
            lines.append(f"  [problem] {problem.rule}: {problem.message}")
            if problem.where:
                lines.append(f"            at: {problem.where}")
            if problem.source:
                lines.append(f"            source: {problem.source}")
            if problem.note:
                lines.append(f"            note: {problem.note}")
        if self.participants:
            lines.append("  parents:")
        for p in self.participants:
            court = ", court-ordered" if p.court_ordered else ""
            lines.append(
                f"    {p.id:<10} {p.status.replace('_', ' '):<13} missed {p.missed}"
                f" of {p.sessions}{court}: {p.reason}"
            )
        for credit in self.credits:
            lines.append(f"  credits {credit.trainee}: {credit.sessions} x {credit.activity}")
        return "\n".join(lines)


# -- people ---------------------------------------------------------------------------------


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


# -- references -----------------------------------------------------------------------------


def validate_group(
    group: Group, program: Program, people: Mapping[str, Person], *, where: str | None = None
) -> None:
    """Refuse a group whose ids do not resolve or whose sessions contradict themselves.

    Raises `UnknownKeyError` naming the nearest valid id, or `GroupError`; `where` names the
    group in the file (``groups[0]``).
    """
    at = where or f"group {group.id}"
    tracks = [t.key for t in program.tracks]
    if group.track is not None and group.track not in tracks:
        raise UnknownKeyError(
            f"program {program.key} has no track {group.track!r}",
            where=f"{at}.track",
            fix=did_you_mean(group.track, tracks) if tracks else f"{program.key} has no tracks: remove it",
        )
    trainee_ids = sorted(p for p, person in people.items() if person.trainee)
    staff_ids = sorted(p for p, person in people.items() if not person.trainee)
    _known(group.facilitators, sorted(people), f"{at}.facilitators", "person")
    for tid in group.trainees:
        if tid in people and not people[tid].trainee:
            raise UnknownKeyError(
                f"{tid!r} is staff, not a trainee", where=f"{at}.trainees",
                fix="list trainees here; staff who lead the group belong in `facilitators`",
            )
    _known(group.trainees, trainee_ids, f"{at}.trainees", "trainee")
    _unique(group.facilitators, f"{at}.facilitators")
    _unique(group.trainees, f"{at}.trainees")
    _unique([p.id for p in group.participants], f"{at}.participants")
    participant_ids = sorted(p.id for p in group.participants)
    expected = sorted({*participant_ids, *group.trainees, *group.facilitators})
    seen: dict[tuple[date, SessionKind, bool, tuple[str, ...]], int] = {}
    for i, session in enumerate(group.sessions):
        here = f"{at}.sessions[{i}]"
        _known(session.absent, expected, f"{here}.absent", "participant, trainee or facilitator")
        _known(session.participants, participant_ids, f"{here}.participants", "participant")
        _known(session.child_team, staff_ids, f"{here}.child_team", "staff member")
        _unique(session.absent, f"{here}.absent")
        _unique(session.participants, f"{here}.participants")
        if session.kind == SessionKind.individual or session.makeup:
            if not session.participants:
                what = "an individual" if session.kind == SessionKind.individual else "a make-up"
                raise GroupError(
                    f"{what} session names no participants",
                    where=f"{here}.participants",
                    fix="list the participant ids it was held with",
                )
        elif session.participants:
            raise GroupError(
                "a regular group session expects every participant; `participants` is for"
                " individual and make-up sessions",
                where=f"{here}.participants",
                fix="remove `participants` and list those not there in `absent`",
            )
        key = (session.on, session.kind, session.makeup, tuple(sorted(session.participants)))
        if key in seen:
            raise GroupError(
                f"sessions[{seen[key]}] and sessions[{i}] are the same session ({session.on})",
                where=here,
                fix="list each session once; correct the date if they were different days",
            )
        seen[key] = i


def validate_groups(groups: Sequence[Group], program: Program, people: Mapping[str, Person]) -> None:
    """`validate_group` for each of a cohort file's groups, which have distinct ids and follow
    the cohort's `program`; errors name the place as ``groups[0]...``."""
    seen: dict[str, int] = {}
    for g, group in enumerate(groups):
        if group.id in seen:
            raise GroupError(
                f"group id {group.id!r} is used twice: by groups[{seen[group.id]}] and by this group",
                where=f"groups[{g}].id",
                fix="give each group its own id (its sessions' event ids are made from it)",
            )
        seen[group.id] = g
        if group.program is not None and group.program != program.key:
            raise UnknownKeyError(
                f"this cohort follows {program.key}; its groups cannot run under {group.program!r}",
                where=f"groups[{g}].program",
                fix=f"leave `program` out: a group follows the cohort's program ({program.key})",
            )
        validate_group(group, program, people, where=f"groups[{g}]")


def _known(ids: Iterable[str], valid: list[str], where: str, noun: str) -> None:
    for value in ids:
        if value not in valid:
            raise UnknownKeyError(
                f"unknown {noun} {value!r}",
                where=where,
                fix=did_you_mean(value, valid),
            )


def _unique(ids: Sequence[str], where: str) -> None:
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise GroupError(f"{dupes[0]!r} is listed twice", where=where, fix="list each id once")


# -- ages -------------------------------------------------------------------------------------


def whole_months(born: date, on: date) -> int:
    """Completed months of age on `on`; negative when `on` is before the birth.

    A month completes on the birth's day-of-month, or on the last day of a month too short to
    have it (born 31 January: one month old on 28 or 29 February).
    """
    months = (on.year - born.year) * 12 + on.month - born.month
    last_day = calendar.monthrange(on.year, on.month)[1]
    if on.day < min(born.day, last_day):
        months -= 1
    return months


def _age_problems(group: Group, rule: AgeRule, at: str) -> list[GroupProblem]:
    start = group.start
    if start is None or not group.participants:
        return []
    ages = {p.id: whole_months(p.child_born, start) for p in group.participants}
    problems: list[GroupProblem] = []

    def flag(name: str, message: str) -> None:
        problems.append(GroupProblem(
            rule=name, message=message, source=rule.source, note=rule.note, where=f"{at}.participants",
        ))

    for pid, months in ages.items():
        if rule.min_months is not None and months < rule.min_months:
            flag("child_age", f"{pid}'s child is {_months(months)} on {start}; the youngest"
                 f" allowed is {_months(rule.min_months)}")
        if rule.max_months is not None and months > rule.max_months:
            flag("child_age", f"{pid}'s child is {_months(months)} on {start}; the oldest"
                 f" allowed is {_months(rule.max_months)}")
    if not rule.bands:
        return problems
    by_band: dict[int, dict[str, int]] = {}
    for pid, months in ages.items():
        band = rule.band(max(months, 0))
        if band is not None:
            by_band.setdefault(rule.bands.index(band), {})[pid] = months
    for index in sorted(by_band):
        band = rule.bands[index]
        spread, youngest, oldest = _spread(by_band[index])
        if spread > band.max_spread:
            flag("age_spread", f"children {band.label} span {_months(spread)} ({youngest}: "
                 f"{_months(by_band[index][youngest])}, {oldest}: {_months(by_band[index][oldest])}"
                 f" on {start}); at most {_months(band.max_spread)}")
    if len(by_band) > 1:
        limit = max(rule.bands[i].max_spread for i in by_band)
        spread, youngest, oldest = _spread(ages)
        if spread > limit:
            labels = " and ".join(rule.bands[i].label for i in sorted(by_band))
            flag("age_spread", f"the group mixes children {labels} and spans {_months(spread)} "
                 f"({youngest}: {_months(ages[youngest])}, {oldest}: {_months(ages[oldest])} on "
                 f"{start}); a mixed group is held to the widest band's {_months(limit)}")
    return problems


def _spread(ages: Mapping[str, int]) -> tuple[int, str, str]:
    youngest = min(ages, key=lambda p: (ages[p], p))
    oldest = max(ages, key=lambda p: (ages[p], p))
    return ages[oldest] - ages[youngest], youngest, oldest


def _months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"


# -- composition checks -----------------------------------------------------------------------


def check_group(
    group: Group,
    program: Program,
    people: Mapping[str, Person],
    *,
    hooks: Hooks | None = None,
    where: str | None = None,
) -> list[GroupProblem]:
    """Every rule `group` breaks: the program's declared rules, then the plugins' checks.

    Call `validate_group` first: this assumes every id resolves.

    :param hooks: plugin hooks to ask (``facilitrack_check_group``); None asks none.
    :param where: how to name the group in the file (``groups[0]``).
    """
    at = where or f"group {group.id}"
    rules = program.groups
    problems: list[GroupProblem] = []
    if rules is not None:
        if rules.facilitators is not None:
            problems += _facilitator_problems(group, rules.facilitators, people, at)
        if rules.pairing is not None:
            problems += _pairing_problems(group, rules.pairing, people, at)
        for size in rules.sizes:
            if group.kind in size.kinds:
                problems += _size_problems(group, size, at)
        problems += _series_problems(group, rules, at)
        if rules.ages is not None:
            problems += _age_problems(group, rules.ages, at)
        problems += _makeup_problems(group, rules.attendance, at)
        if rules.child_team is not None:
            problems += _child_team_problems(group, rules.child_team, at)
        problems += _court_problems(group, rules.court_ordered, at)
    if hooks is not None:
        problems += [  # a plugin's problem without a place is placed on the group
            p if p.where else p.model_copy(update={"where": at})
            for p in hooks.check_group(group, program, people)
        ]
    return problems


def _leader_problems(
    ids: Sequence[str], rule: FacilitatorRule, people: Mapping[str, Person], at: str, when: str
) -> list[GroupProblem]:
    problems = []
    if len(ids) < rule.count:
        listed = ", ".join(ids) or "none"
        problems.append(GroupProblem(
            rule="facilitators",
            message=f"{when}{len(ids)} facilitator{'s' * (len(ids) != 1)} ({listed});"
                    f" a group needs at least {rule.count}",
            source=rule.source, note=rule.note, where=at,
        ))
    if rule.mental_health_co_leader:
        has_mh = any(people[i].credential in rule.mental_health for i in ids)
        problems += [
            GroupProblem(
                rule="mental_health_co_leader",
                message=f"{when}{pid} ({people[pid].credential.value}) leads without a"
                        " mental-health co-leader",
                source=rule.source, note=rule.note, where=at,
            )
            for pid in ([] if has_mh else ids)
        ]
    return problems


def _facilitator_problems(
    group: Group, rule: FacilitatorRule, people: Mapping[str, Person], at: str
) -> list[GroupProblem]:
    problems = _leader_problems(group.facilitators, rule, people, f"{at}.facilitators", "")
    if problems:
        return problems  # the group itself is short: each session would only repeat it
    number = 0
    for i, session in sorted(enumerate(group.sessions), key=lambda item: item[1].on):
        if session.kind != SessionKind.group:
            continue
        number += session.regular
        present = [f for f in group.facilitators if f not in session.absent]
        label = f"session {number}" if session.regular else "make-up session"
        problems += _leader_problems(
            present, rule, people, f"{at}.sessions[{i}].absent", f"{label} on {session.on} had "
        )
    return problems


def _pairing_problems(
    group: Group, rule: PairingRule, people: Mapping[str, Person], at: str
) -> list[GroupProblem]:
    trainees = list(dict.fromkeys([*group.trainees, *(f for f in group.facilitators if people[f].trainee)]))
    kind = group.kind.value.replace("_", "-")
    problems = []
    if group.kind in rule.kinds:
        if any(people[f].certified_trainer for f in group.facilitators):
            return []
        problems = [
            GroupProblem(
                rule="pairing",
                message=f"trainee {pid} has no certified trainer among this {kind} group's facilitators",
                source=rule.source, note=rule.note, where=f"{at}.facilitators",
            )
            for pid in trainees
        ]
    elif group.kind in rule.supervised_kinds:
        for pid in trainees:
            trainer = people[pid].trainer
            named = people.get(trainer) if trainer is not None else None
            if trainer is None or (named is not None and not named.certified_trainer):
                why = "names no trainer" if trainer is None else f"names {trainer}, not a certified trainer"
                problems.append(GroupProblem(
                    rule="pairing",
                    message=f"trainee {pid} leads this {kind} group, but their enrolment {why}",
                    source=rule.source, note=rule.note, where=f"{at}.trainees",
                ))
    return problems


def _size_problems(group: Group, rule: SizeRule, at: str) -> list[GroupProblem]:
    problems = []
    kind = group.kind.value.replace("_", "-")
    for noun, bounds, have, field in (
        ("parent-child dyads", rule.participants, len(group.participants), "participants"),
        ("trainees", rule.trainees, len(group.trainees), "trainees"),
    ):
        if bounds is None:
            continue
        if have < bounds.min or (bounds.max is not None and have > bounds.max):
            problems.append(GroupProblem(
                rule="group_size" if field == "participants" else "trainee_count",
                message=f"{have} {noun}; a {kind} group has {bounds.describe()}",
                source=rule.source, note=rule.note, where=f"{at}.{field}",
            ))
    return problems


def series_over(group: Group, rules: GroupRules | None) -> bool:
    """Whether the group's series is over: marked ``ended``, or its fixed length reached."""
    if group.ended:
        return True
    rule = rules.series_for(group.kind, SessionKind.group) if rules else None
    return bool(rule and rule.count.max is not None and len(group.group_sessions()) >= rule.count.max)


def _series_problems(group: Group, rules: GroupRules, at: str) -> list[GroupProblem]:
    problems: list[GroupProblem] = []
    over = series_over(group, rules)
    kind = group.kind.value.replace("_", "-")
    rule = rules.series_for(group.kind, SessionKind.group)
    if rule is not None:
        held = group.group_sessions()
        n = len(held)
        if rule.count.max is not None and n > rule.count.max:
            extra = held[rule.count.max][0]
            problems.append(GroupProblem(
                rule="sessions",
                message=f"{n} group sessions; a {kind} group's series has {rule.count.describe()}",
                source=rule.source, note=rule.note, where=f"{at}.sessions[{extra}]",
            ))
        elif over and n < rule.count.min:
            problems.append(GroupProblem(
                rule="sessions",
                message=f"the series ended after {n} group sessions; it has {rule.count.describe()}",
                source=rule.source, note=rule.note, where=f"{at}.ended",
            ))
        if rule.weekly:
            weeks: dict[tuple[int, int], date] = {}
            for i, session in held:
                week = session.on.isocalendar()[:2]
                if week in weeks:
                    problems.append(GroupProblem(
                        rule="sessions",
                        message=f"two group sessions in one week ({weeks[week]} and {session.on});"
                                " the group meets weekly",
                        source=rule.source, note=rule.note, where=f"{at}.sessions[{i}]",
                    ))
                weeks[week] = session.on
    individual = rules.series_for(group.kind, SessionKind.individual)
    if individual is not None:
        for p in group.participants:
            n = len(_individual_sessions(group, p.id))
            too_many = individual.count.max is not None and n > individual.count.max
            if too_many or (over and n < individual.count.min):
                problems.append(GroupProblem(
                    rule="individual_sessions",
                    message=f"{p.id} had {n} individual session{'s' * (n != 1)};"
                            f" each family has {individual.count.describe()}",
                    source=individual.source, note=individual.note, where=f"{at}.sessions",
                ))
    return problems


def _individual_sessions(group: Group, pid: str) -> list[GroupSession]:
    return [
        s for s in group.sessions
        if s.kind == SessionKind.individual and s.regular and pid in s.participants and pid not in s.absent
    ]


def _makeup_problems(group: Group, rule: AttendanceRule | None, at: str) -> list[GroupProblem]:
    if rule is None or rule.makeup:
        return []
    return [
        GroupProblem(
            rule="makeup_session",
            message=f"make-up session on {s.on} for {', '.join(s.participants)}: make-up sessions"
                    " are not offered; it is not counted",
            source=rule.source, note=rule.note, where=f"{at}.sessions[{i}].makeup",
        )
        for i, s in enumerate(group.sessions)
        if s.makeup
    ]


def _child_team_problems(group: Group, rule: ChildTeamRule, at: str) -> list[GroupProblem]:
    problems = []
    for i, session in enumerate(group.sessions):
        if session.kind != SessionKind.group or not session.regular:
            continue
        children = [p.id for p in group.participants if p.id not in session.absent]
        need, team = len(children) * rule.per_child, len(session.child_team)
        if team < need:
            problems.append(GroupProblem(
                rule="child_team",
                message=f"session on {session.on} had {len(children)} children and"
                        f" {team} Child Team member{'s' * (team != 1)}; each child has"
                        f" {rule.per_child} of their own",
                source=rule.source, note=rule.note, where=f"{at}.sessions[{i}].child_team",
            ))
    return problems


def _court_problems(group: Group, rule: CourtOrderedRule | None, at: str) -> list[GroupProblem]:
    ordered = [p.id for p in group.participants if group.court_ordered_for(p)]
    if not ordered:
        return []
    if rule is None or not rule.allowed:
        return [GroupProblem(
            rule="court_ordered",
            message=f"{', '.join(ordered)} attend by court order, but the program does not declare"
                    " its groups eligible as court-ordered parenting groups",
            source=rule.source if rule else None, note=rule.note if rule else None, where=at,
        )]
    if group.agency is None:
        return [GroupProblem(
            rule="court_ordered",
            message=f"{', '.join(ordered)} attend by court order, and the agency that issues their"
                    " certificate is not named (set `agency`)",
            source=rule.source, note=rule.note, where=f"{at}.agency",
        )]
    return []


# -- parents' completion ----------------------------------------------------------------------


def parent_completions(group: Group, program: Program) -> list[ParentCompletion]:
    """Each parent's attendance and completion, in the order the group lists them."""
    rules = program.groups
    attendance = rules.attendance if rules else None
    series = rules.series_for(group.kind, SessionKind.group) if rules else None
    over = series_over(group, rules)
    held = [s for _, s in group.group_sessions()]
    delivered = series is None or len(held) >= series.count.min
    makeups_allowed = attendance is not None and attendance.makeup
    out = []
    for p in group.participants:
        absences = [s.on for s in held if p.id in s.absent]
        made_up = [
            s.on for s in group.sessions
            if s.makeup and makeups_allowed and p.id in s.participants and p.id not in s.absent
        ]
        missed = max(len(absences) - len(made_up), 0)
        present = sorted(
            [s.on for s in held if p.id not in s.absent]
            + [s.on for s in _individual_sessions(group, p.id)]
            + made_up
        )
        allowed = attendance.max_missed if attendance else None
        court = group.court_ordered_for(p)
        status: CompletionStatus
        certificate = None
        source = None
        if allowed is not None and missed > allowed:
            status, source = "not_completed", attendance.source if attendance else None
            dates = ", ".join(d.isoformat() for d in absences)
            reason = f"missed {missed} sessions ({dates}); more than {allowed} missed: not completed"
        elif not over:
            status = "in_progress"
            reason = f"series in progress: {len(held)} sessions held, {missed} missed"
        elif not delivered:
            assert series is not None
            status, source = "not_completed", series.source
            reason = f"the series ended after {len(held)} of {series.count.min} sessions"
        elif not present:
            status = "not_completed"
            reason = "attended no session"
        else:
            status = "completed"
            limit = f" (at most {allowed} allowed)" if allowed is not None else ""
            reason = f"completed: missed {missed} of {len(held)} sessions{limit}"
            source = attendance.source if attendance else None
            certificate = CompletionCertificate(
                issued_by=group.agency, court_ordered=court, first_session=present[0],
                last_session=present[-1], on=max(s.on for s in group.sessions),
            )
        out.append(ParentCompletion(
            id=p.id, parent=p.parent, status=status, completed=status == "completed", missed=missed,
            absences=absences, attended=len(held) - len(absences), sessions=len(held), allowed_missed=allowed,
            court_ordered=court, first_attended=present[0] if present else None,
            last_attended=present[-1] if present else None, certificate=certificate,
            reason=reason, source=source,
        ))
    return out


# -- crediting trainees -----------------------------------------------------------------------


def session_event_id(group: Group, session: GroupSession, trainee: str) -> str:
    """A stable id for the credit one session gives one trainee: group, date, trainee.

    Individual sessions add their participants, since one day may hold several. Ids longer
    than events allow keep a readable head and a hash of the whole.
    """
    parts = [group.id, session.on.isoformat()]
    if session.kind == SessionKind.individual:
        parts.append("individual-" + "+".join(sorted(session.participants)))
    parts.append(trainee)
    event_id = ":".join(parts)
    if len(event_id) > 128 or not _matches(ID_PATTERN, event_id):
        digest = hashlib.sha256(event_id.encode()).hexdigest()[:24]
        head = "".join(c if c.isalnum() or c in "_.:@/-" else "_" for c in group.id[:80])
        event_id = f"{head}:{session.on.isoformat()}:{digest}"
    return event_id


def group_events(group: Group, program: Program) -> list[Attended]:
    """The ``attended`` events a group's sessions credit to the trainees present, by date.

    Regular sessions only: a make-up session credits no one. Which activity a session
    credits comes from the program's `GroupRules.credits` (group sessions) and
    `GroupRules.individual_credits` (individual sessions); a kind with none credits nothing.
    """
    return [event for _, event in session_credits(group, program)]


def session_credits(group: Group, program: Program) -> list[tuple[int, Attended]]:
    """`group_events`, each with the index of its session in ``sessions`` (for error places)."""
    rules = program.groups
    if rules is None:
        return []
    out = []
    for index, session in sorted(enumerate(group.sessions), key=lambda item: item[1].on):
        if not session.regular:
            continue
        table = rules.credits if session.kind == SessionKind.group else rules.individual_credits
        activity = table.get(group.kind)
        if activity is None:
            continue
        out += [
            (index, Attended(
                id=session_event_id(group, session, trainee), on=session.on, trainee=trainee,
                activity=activity, recorded_by=f"group {group.id}",
            ))
            for trainee in group.trainees
            if trainee not in session.absent
        ]
    return out


def trainee_credits(events: Iterable[Attended]) -> list[TraineeCredit]:
    """Group `group_events` output by trainee and activity."""
    table: dict[tuple[str, str], list[date]] = {}
    for event in events:
        table.setdefault((event.trainee, event.activity), []).append(event.on)
    return [
        TraineeCredit(trainee=t, activity=a, sessions=len(dates), dates=sorted(dates))
        for (t, a), dates in sorted(table.items())
    ]


def report_group(
    group: Group,
    program: Program,
    people: Mapping[str, Person],
    *,
    hooks: Hooks | None = None,
    where: str | None = None,
) -> GroupReport:
    """Validate `group`, then check it, judge its parents and count its trainees' credit."""
    validate_group(group, program, people, where=where)
    return GroupReport(
        id=group.id,
        program=program.key,
        kind=group.kind,
        track=group.track,
        agency=group.agency,
        facilitators=list(group.facilitators),
        trainees=list(group.trainees),
        sessions=len(group.group_sessions()),
        series_over=series_over(group, program.groups),
        problems=check_group(group, program, people, hooks=hooks, where=where),
        participants=parent_completions(group, program),
        credits=trainee_credits(group_events(group, program)),
    )
