"""The rules a program declares for its groups (``[groups]`` in program.toml), each citing its source."""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .._text import counted, plural
from .ids import KEY_PATTERN
from .vocabulary import Vocabulary

#: A group kind is a key the program declares (`GroupRules.kinds`).
GroupKind = str


class GroupKindDef(BaseModel):
    """A kind of group a program runs, as far as training goes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=KEY_PATTERN)
    title: str = ""


#: The group kinds of definitions that declare none (facilitrack 0.1's three).
LEGACY_GROUP_KINDS: tuple[GroupKindDef, ...] = (
    GroupKindDef(key="demonstration", title="trainees take part beside a certified trainer"),
    GroupKindDef(key="trainee_led", title="a trainee leads their own group"),
    GroupKindDef(key="community", title="an agency's group; no trainee is credited"),
)


class GroupFormat(BaseModel):
    """A format a program's groups may run in (Strong Roots: "multiple formats"), with what that
    format fixes: rules that name `formats` judge only groups declaring one of them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=KEY_PATTERN)
    title: str = ""
    facilitators: int | None = Field(
        None, ge=1, description="How many facilitators a group of this format has, at least."
    )
    source: str | None = Field(None, description="Where the format comes from (a citation).")
    note: str | None = Field(None, description="An assumption, labelled as one, where no source.")

    def describe(self) -> str:
        """The format in one sentence (`facilitrack show`)."""
        title = f": {self.title}" if self.title else ""
        count = f"; at least {self.facilitators} facilitators" if self.facilitators else ""
        return f"groups declaring format = \"{self.key}\"{title}{count}"


class SessionKind(StrEnum):
    """A meeting of the whole group, or an individual session with one family."""

    group = "group"
    individual = "individual"


#: In a rule's ``kinds``: every group kind the program declares.
ALL_KINDS: tuple[GroupKind, ...] = ()


class Frozen(BaseModel):
    """A table of a definition or a cohort file: immutable, and unknown fields are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class _Cited(Frozen):
    """A rule: where its numbers come from, and any labelled assumption."""

    source: str | None = Field(None, description="Where the rule comes from (a citation).")
    note: str | None = Field(None, description="An assumption, labelled as one, where no source.")

    def describe(self) -> str:
        """The rule in one sentence (`facilitrack show`); each rule says its own."""
        raise NotImplementedError(type(self).__name__)



class Bounds(Frozen):
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

    def of(self, noun: str) -> str:
        """``4 to 6 trainees``, ``exactly 1 trainee``: `noun` agreeing with the last number."""
        last = self.min if self.max is None else self.max
        return f"{self.describe()} {noun if last == 1 else plural(noun)}"


class FacilitatorRule(_Cited):
    """How many facilitators a group has, and who may lead without a mental-health co-leader.

    `count` is a minimum: a third co-leader is not a problem. With `mental_health_co_leader`,
    a facilitator whose credential is not in `mental_health` needs a co-facilitator whose is.
    Both are judged for the group and for every group session among those present.
    """

    count: int = Field(2, ge=1)
    mental_health_co_leader: bool = True
    mental_health: tuple[str, ...] | None = Field(
        None, min_length=1,
        description="Credentials that lead alone; default: those granting the role `mental_health`.",
    )

    def leading_credentials(self, words: Vocabulary) -> tuple[str, ...]:
        """The credentials whose holders need no mental-health co-leader."""
        if self.mental_health is not None:
            return self.mental_health
        return tuple(sorted(words.credentials_with("mental_health")))

    def describe(self) -> str:
        """At least `count`, and who leads only beside a mental-health co-leader."""
        text = f"at least {counted(self.count, 'facilitator')}, in the group and at every session"
        if self.mental_health_co_leader:
            *first, last = self.mental_health or ("a mental-health professional",)
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
    role: str = Field("certified_trainer", pattern=KEY_PATTERN, description="Who a trainee pairs with.")
    known: bool = Field(
        False, description="The enrolment's trainer must be someone the cohort knows (a trainee or"
        " staff) holding `role`; without it, a name the cohort does not know is not judged.",
    )

    def describe(self) -> str:
        """Where a certified trainer co-leads, and where the enrolment's trainer supervises."""
        parts = []
        if self.kinds:
            parts.append(f"a certified trainer co-leads {_kinds(self.kinds)} groups")
        if self.supervised_kinds:
            known = ", someone the cohort knows to hold the role" if self.known else ""
            parts.append(f"in {_kinds(self.supervised_kinds)} groups, each trainee's enrolment"
                         f" names a certified trainer{known}")
        return "; ".join(parts) or "no pairing"


class SizeRule(_Cited):
    """How many dyads and trainees a group of these kinds has."""

    kinds: tuple[GroupKind, ...] = Field(ALL_KINDS, description="Default: every kind.")
    participants: Bounds | None = None
    trainees: Bounds | None = None

    def describe(self) -> str:
        """How many dyads and trainees, for which kinds."""
        parts = []
        if self.participants is not None:
            parts.append(self.participants.of("parent-child dyad"))
        if self.trainees is not None:
            parts.append(self.trainees.of("trainee"))
        return f"{_kinds(self.kinds)} groups: {', '.join(parts) or 'any size'}"


class SeriesRule(_Cited):
    """How many sessions a group of these kinds delivers.

    For group sessions, `count` is the length of the series; reaching its `max` ends the series,
    otherwise the group's ``ended`` flag does. For individual sessions it is counted per
    participant. With `weekly`, two group sessions in one calendar week (Monday to Sunday) are
    a problem; a week without a session (a holiday) is not. With `formats`, only groups that
    declare one of those formats follow the rule; a group of another format, or of none, has no
    fixed length (it ends when marked ``ended``).
    """

    kinds: tuple[GroupKind, ...] = Field(ALL_KINDS, description="Default: every kind.")
    formats: tuple[str, ...] = Field((), description="Only groups of these formats; default: every group.")
    session: SessionKind = SessionKind.group
    count: Bounds
    weekly: bool = False

    def applies(self, kind: GroupKind, session: SessionKind, group_format: str | None) -> bool:
        """Whether a group of this kind and format follows the rule for sessions of this kind."""
        return (
            (not self.kinds or kind in self.kinds) and self.session == session
            and (not self.formats or group_format in self.formats)
        )

    def describe(self) -> str:
        """How many sessions, of which kind, how often."""
        per = " per family" if self.session == SessionKind.individual else ""
        weekly = ", weekly" if self.weekly else ""
        formats = f" of format {', '.join(self.formats)}" if self.formats else ""
        return (f"{_kinds(self.kinds)} groups{formats}:"
                f" {self.count.of(f'{self.session.value} session')}{per}{weekly}")


class AgeBand(Frozen):
    """Children younger than `below_months` (the last band: any older) and their widest spread."""

    label: str = Field(min_length=1, description="How people say it: 'up to two'.")
    below_months: int | None = Field(None, gt=0)
    max_spread: int = Field(ge=0, description="Oldest minus youngest, in months (see `spread_by`).")


#: How an age rule measures how far apart two children are.
SpreadBy = Literal["months_at_start", "birth_dates"]


class AgeRule(_Cited):
    """Children's ages at the group's start, and how far apart they may be (`facilitrack.groups.ages`).

    `spread_by` says how a band's `max_spread` is measured: ``months_at_start`` (facilitrack
    0.1's) subtracts the children's ages in whole months at the group's start, so the answer
    depends on the day the group starts; ``birth_dates`` compares birth dates directly: the
    youngest child is born no later than `max_spread` calendar months after the oldest (the
    same day-of-month, or the last day of a shorter month).
    """

    min_months: int | None = Field(None, ge=0)
    max_months: int | None = Field(None, ge=0)
    bands: tuple[AgeBand, ...] = ()
    spread_by: SpreadBy = Field("months_at_start", description="months_at_start or birth_dates.")

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
            parts.append(f"children at least {in_months(self.min_months)} old at the start")
        if self.max_months is not None:
            parts.append(f"at most {in_months(self.max_months)} old")
        for band in self.bands:
            under = f" (under {in_months(band.below_months)})" if band.below_months else ""
            if self.spread_by == "birth_dates":
                apart = f"the youngest born at most {in_months(band.max_spread)} after the oldest"
            else:
                apart = f"at most {in_months(band.max_spread)} apart"
            parts.append(f"{band.label}{under}: {apart}")
        return "; ".join(parts) or "any ages"


class AttendanceRule(_Cited):
    """Parents' attendance: how many sessions they may miss and still complete; make-ups."""

    max_missed: int | None = Field(None, ge=0, description="More missed than this: not completed.")
    makeup: bool = Field(False, description="Whether make-up sessions are offered.")

    def describe(self) -> str:
        """How many sessions a parent may miss, and whether make-ups count."""
        parts = []
        if self.max_missed is not None:
            parts.append(f"a parent who misses more than {counted(self.max_missed, 'session')} has not"
                         " completed")
        parts.append("make-up sessions offered" if self.makeup else "no make-up sessions")
        return "; ".join(parts)


class ChildTeamRule(_Cited):
    """At every group session a Child Team member is present for every child present."""

    per_child: int = Field(1, ge=1)

    def describe(self) -> str:
        """Child Team members per child present."""
        members = counted(self.per_child, "Child Team member")
        return f"{members} per child at every group session"


class CourtOrderedRule(_Cited):
    """The program's groups may serve as court-ordered parenting groups (agency certificate).

    With ``judged = false`` the program's sources say nothing of court orders: a parent's court
    order is recorded on their completion and never flagged.
    """

    allowed: bool = True
    judged: bool = Field(True, description="false: court orders are recorded, not judged.")

    def describe(self) -> str:
        """Whether the groups serve as court-ordered parenting groups."""
        if not self.judged:
            return "court orders are recorded on a parent's completion, not judged"
        if not self.allowed:
            return "not a court-ordered parenting group"
        return "may serve as a court-ordered parenting group; the delivering agency issues the certificate"


class IndividualRule(_Cited):
    """Whether a group may hold individual sessions (with one family) at all.

    With ``allowed = false`` (RPP: a group model only) every individual session is a problem and
    counts for no one: not as a parent's attendance, nor toward their completion.
    """

    allowed: bool = True

    def describe(self) -> str:
        """Whether individual sessions are part of the groups."""
        if self.allowed:
            return "individual sessions with one family may be held"
        return "a group model only: an individual session is a problem and counts for no one"


class TrackRule(_Cited):
    """Groups of these kinds run one track, the track of every trainee they credit."""

    kinds: tuple[GroupKind, ...] = Field(ALL_KINDS, description="Default: every kind.")

    def describe(self) -> str:
        """Which groups name a track, and that it is their trainees'."""
        return f"{_kinds(self.kinds)} groups name a track, and it is the track of every trainee they credit"


class CompletionRule(_Cited):
    """What dates a parent's completion record.

    ``any_session`` (facilitrack 0.1's): the first and last session of any kind the parent was at,
    and the last session of any kind held. ``group_sessions``: the regular group sessions only —
    make-up and individual sessions never date the record.
    """

    dated_by: Literal["any_session", "group_sessions"] = "any_session"

    def describe(self) -> str:
        """What the completion record's dates come from."""
        if self.dated_by == "group_sessions":
            return ("a parent's completion record is dated by the series' regular group sessions"
                    " (first and last attended, and the series' last); make-up and individual"
                    " sessions never date it")
        return "a parent's completion record is dated by any session, of any kind"


class GroupRules(_Cited):
    """Everything a program says about its groups; each part is optional.

    `credits` maps a group kind to the attendance activity its group sessions credit to the
    trainees present; `individual_credits` does the same for individual sessions.
    """

    kinds: tuple[GroupKindDef, ...] = Field(
        LEGACY_GROUP_KINDS, description="The kinds of group the program runs."
    )
    formats: tuple[GroupFormat, ...] = Field(
        (), description="Formats a group may declare (`format`); none: groups declare none."
    )
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
    individual: IndividualRule | None = None
    track: TrackRule | None = None
    completion: CompletionRule | None = None

    @model_validator(mode="after")
    def _credit_keys(self) -> GroupRules:
        for key in [*self.credits.values(), *self.individual_credits.values()]:
            if re.fullmatch(KEY_PATTERN, key) is None:
                raise ValueError(f"credited activity {key!r} is not a key (lowercase, digits, _)")
        return self

    @model_validator(mode="after")
    def _every_kind_by_default(self) -> GroupRules:
        """A size, series or track rule that names no kinds applies to every declared kind."""
        every = tuple(self.kind_keys())
        for name in ("sizes", "series"):
            rules = getattr(self, name)
            filled = (r if r.kinds else r.model_copy(update={"kinds": every}) for r in rules)
            self.__dict__[name] = tuple(filled)
        if self.track is not None and not self.track.kinds:
            self.__dict__["track"] = self.track.model_copy(update={"kinds": every})
        return self

    @model_validator(mode="after")
    def _known_formats(self) -> GroupRules:
        keys = self.format_keys()
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"format {dupes[0]!r} is declared twice")
        for rule in self.series:
            for name in rule.formats:
                if name not in keys:
                    declared = ", ".join(keys) or "none"
                    raise ValueError(f"a series rule names the format {name!r}; declared: {declared}")
        return self

    def with_words(self, words: Vocabulary) -> GroupRules:
        """These rules with defaults read from the program's vocabulary made explicit."""
        rule = self.facilitators
        if rule is None or rule.mental_health is not None:
            return self
        leading = rule.leading_credentials(words)
        if not leading:
            return self
        return self.model_copy(update={"facilitators": rule.model_copy(update={"mental_health": leading})})

    def unknown_credits(self, known: Sequence[str]) -> list[str]:
        """Credited activities that are not among `known` (the program's attendance keys)."""
        named = [*self.credits.values(), *self.individual_credits.values()]
        return sorted({key for key in named if key not in known})

    def kind_keys(self) -> list[str]:
        """The group kinds the program declares."""
        return [k.key for k in self.kinds]

    def format_keys(self) -> list[str]:
        """The group formats the program declares."""
        return [f.key for f in self.formats]

    def format(self, key: str | None) -> GroupFormat | None:
        """The declared format with this key."""
        return next((f for f in self.formats if f.key == key), None)

    def check_words(self, words: Vocabulary) -> None:
        """Raise ValueError for a kind, credential or role the program does not declare."""
        kinds = self.kind_keys()
        named = [*self.credits, *self.individual_credits]
        for rule in (self.pairing, *self.sizes, *self.series, self.track):
            if rule is not None:
                named += [*rule.kinds, *getattr(rule, "supervised_kinds", ())]
        for kind in named:
            if kind not in kinds:
                raise ValueError(f"groups name the group kind {kind!r}; declared: {', '.join(kinds)}")
        if self.facilitators is not None and self.facilitators.mental_health is not None:
            words.check_credentials(self.facilitators.mental_health, "groups.facilitators.mental_health")

    def series_for(
        self, kind: GroupKind, session: SessionKind, group_format: str | None = None
    ) -> SeriesRule | None:
        """The first series rule for sessions of this kind in groups of this kind and format."""
        return next((r for r in self.series if r.applies(kind, session, group_format)), None)


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
            credited = "; ".join(f"{kind_label(k)}: {activity}" for k, activity in table.items())
            out.append(RuleLine("credits", f"each {what} session credits the trainees present"
                                f" ({credited})", None, None))
    out += [RuleLine("format", f.describe(), f.source, f.note) for f in rules.formats]
    named: list[tuple[str, _Cited | None]] = [
        ("facilitators", rules.facilitators), ("pairing", rules.pairing),
        *(("size", r) for r in rules.sizes), *(("sessions", r) for r in rules.series),
        ("ages", rules.ages), ("attendance", rules.attendance), ("child_team", rules.child_team),
        ("court_ordered", rules.court_ordered), ("individual", rules.individual),
        ("track", rules.track), ("completion", rules.completion),
    ]
    every = set(rules.kind_keys())
    out += [RuleLine(name, _for_every_kind(rule, every).describe(), rule.source, rule.note)
            for name, rule in named if rule]
    return out


def _for_every_kind(rule: _Cited, every: set[str]) -> _Cited:
    """A rule over every declared kind reads as "all groups"."""
    kinds = getattr(rule, "kinds", None)
    if kinds and set(kinds) == every and not isinstance(rule, PairingRule):
        return rule.model_copy(update={"kinds": ()})
    return rule


def kind_label(kind: GroupKind) -> str:
    """``trainee-led``: a kind as reports and messages write it."""
    return str(kind).replace("_", "-")


def _kinds(kinds: Sequence[GroupKind]) -> str:
    return "all" if not kinds else ", ".join(kind_label(k) for k in kinds)



def in_months(n: int) -> str:
    """``1 month``, ``7 months``."""
    return counted(n, "month")
