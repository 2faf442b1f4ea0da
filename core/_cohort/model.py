"""The cohort file's tables, one pydantic model each; `CohortFile` is the whole file.

``[cohort]`` (`CohortHeader`), ``[issuer]`` (`Issuer`: who issues certificates),
``[[trainees]]`` (`TraineeRow`, one enrolment each),
``[[events]]`` (`EventRow`: a row is an attendance, an absence, an artifact, a waiver, a hold, a
resumption, a withdrawal or a void, told apart by which of those keys it has), ``[[staff]]`` (`StaffMember`:
people who are not trainees) and ``[[groups]]`` (`Group`, with its ``[[groups.participants]]``
and ``[[groups.sessions]]``; the rules they are judged by are the program's, in
`facilitrack.groups`).

Numbers and flags are strict (`StrictInt`, `StrictBool`, a strict ``Literal[True]``, `TrueFlag`): TOML has
native integers and booleans, so ``weekly = "3"`` or ``held = 1`` is a mistake to point out,
not to guess at. Dates still read from strings, through the program's date reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictInt,
    Tag,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .._model.dates import DATE_HELP, DateIn
from .._model.events import ArtifactStatus
from .._model.groups import Group
from .._model.ids import ID_PATTERN, KEY_PATTERN, VERSION_PATTERN
from .._model.issuer import EMAIL_PATTERN, Contact, Issuer
from .._model.people import Person, StaffMember, people_index


def _exactly_true(value: Any) -> Any:
    """Let only the TOML boolean through: ``held = 1`` must not pass as ``held = true``."""
    if not isinstance(value, bool):
        raise PydanticCustomError("literal_error", "Input should be True", {"expected": "True"})
    return value


#: ``held = true``: a strict ``Literal[True]`` (pydantic cannot make a Literal strict itself).
TrueFlag = Annotated[Literal[True], BeforeValidator(_exactly_true)]


class _Table(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CohortHeader(_Table):
    """``[cohort]``: what the cohort is called and which program it follows."""

    name: str = Field(min_length=1, description="The cohort's name, as reports show it.")
    program: str | None = Field(
        None, pattern=KEY_PATTERN, description="An installed program (`facilitrack programs`)."
    )
    program_file: str | None = Field(
        None, min_length=1, description="A program definition TOML file, relative to this file."
    )
    version: str | None = Field(
        None, pattern=VERSION_PATTERN, description="Pin this program version (default: latest)."
    )
    track: str | None = Field(None, pattern=KEY_PATTERN, description="The track, where it has tracks.")

    @model_validator(mode="after")
    def _one_program(self) -> CohortHeader:
        if (self.program is None) == (self.program_file is None):
            raise ValueError("give exactly one of `program` (an installed program) or `program_file`")
        return self


class TraineeRow(_Table):
    """``[[trainees]]``: one trainee and their enrolment."""

    id: str = Field(min_length=1, max_length=128, description="How events name the trainee.")
    name: str | None = Field(None, min_length=1, max_length=200, description="The name reports show.")
    given_name: str | None = Field(None, min_length=1, max_length=200)
    family_name: str | None = Field(None, min_length=1, max_length=200)
    email: str | None = Field(None, pattern=EMAIL_PATTERN, max_length=254,
                              description="For certificates and exports only; never sent anywhere.")
    credential: str = Field(pattern=KEY_PATTERN, description="A credential the program declares.")
    enrolled: DateIn = Field(description=DATE_HELP)
    trainer: str | None = Field(None, description="The certified trainer they are paired with.")
    co_leader: str | None = Field(
        None, description="A mental-health co-leader: required where the credential is not MH."
    )
    track: str | None = Field(None, pattern=KEY_PATTERN, description="Overrides cohort.track.")
    recorded_by: str | None = None


class BaseRow(_Table):
    """Fields every ``[[events]]`` row has."""

    trainee: str = Field(min_length=1, max_length=128, description="A trainee id.")
    id: str | None = Field(
        None, pattern=ID_PATTERN, description="An event id; derived from the content when absent."
    )
    recorded_by: str | None = None


class _Repeated(BaseRow):
    """A row that may stand for several events: one on `on`, one per date of `dates`, or `weekly`."""

    on: DateIn | None = Field(None, description=DATE_HELP)
    dates: list[DateIn] | None = Field(None, min_length=1, description="One event per date.")
    weekly: StrictInt | None = Field(
        None, ge=1, le=520, description="This many events, a week apart, starting `on`."
    )

    @model_validator(mode="after")
    def _when(self) -> _Repeated:
        if (self.on is None) == (self.dates is None):
            raise ValueError("give `on` (one date) or `dates` (a list of dates), not both or neither")
        if self.weekly is not None and self.on is None:
            raise ValueError("`weekly` repeats from `on`: give `on`, not `dates`")
        if self.weekly is not None and self.on is not None and self._past_the_last_date(self.on, self.weekly):
            raise ValueError(
                f"`weekly = {self.weekly}` from {self.on.isoformat()} runs past"
                f" {date.max.isoformat()}, the last date there is; check the year of `on`"
            )
        if self.id is not None and len(self.occurrences()) > 1:
            raise ValueError("an explicit `id` names one event: give a single date")
        return self

    @staticmethod
    def _past_the_last_date(on: date, weekly: int) -> bool:
        return (date.max - on).days < 7 * (weekly - 1)

    def occurrences(self) -> list[tuple[date, str]]:
        """Each event's date, with the suffix that places it in the row."""
        if self.dates is not None:
            return [(d, f".dates[{i}]") for i, d in enumerate(self.dates)]
        assert self.on is not None
        count = self.weekly or 1
        if count == 1:
            return [(self.on, "")]
        return [(self.on + timedelta(weeks=i), f" (week {i + 1})") for i in range(count)]


class AttendedRow(_Repeated):
    """``attended = "activity"``: one session on `on`, one per date of `dates`, or `weekly`."""

    attended: str = Field(pattern=KEY_PATTERN, description="An activity key the program declares.")
    quantity: float | None = Field(None, ge=0, le=10_000, description="Hours (or the unit counted).")
    mode: str | None = Field(None, pattern=KEY_PATTERN, description="How it was held: live, online...")
    score: float | None = Field(None, description="A result, where the session is scored.")


class AbsentRow(_Repeated):
    """``absent = "activity"``: the trainee, a member of a group, missed a session of it."""

    absent: str = Field(pattern=KEY_PATTERN, description="An activity key the program declares.")
    reason: str | None = None


class ArtifactRow(_Repeated):
    """``artifact = "key"``: work reached `status` (referenced, never stored); one per date."""

    artifact: str = Field(pattern=KEY_PATTERN, description="An artifact key the program declares.")
    status: ArtifactStatus
    ref: str | None = Field(None, description="Tells artifacts apart: the same ref is one artifact.")
    sha256: str | None = Field(None, pattern=r"^[0-9a-f]{64}$")
    score: float | None = Field(None, description="A result, where the work is scored.")

    @model_validator(mode="after")
    def _one_per_ref(self) -> ArtifactRow:
        if (self.ref is not None or self.sha256 is not None) and len(self.occurrences()) > 1:
            raise ValueError("a `ref` or `sha256` names one artifact: give a single date")
        return self


class WaivedRow(BaseRow):
    """``waived = "requirement"``: an approver waives a requirement, with a reason."""

    waived: str = Field(pattern=KEY_PATTERN, description="The key of the requirement waived.")
    on: DateIn = Field(description=DATE_HELP)
    stage: str | None = Field(None, pattern=KEY_PATTERN, description="Default: the current stage.")
    reason: str = Field(min_length=1)
    approver: str = Field(min_length=1)


class HeldRow(BaseRow):
    """``held = true``: training pauses; nothing is credited until it resumes."""

    held: TrueFlag
    on: DateIn = Field(description=DATE_HELP)
    reason: str | None = None


class ResumedRow(BaseRow):
    """``resumed = true``: training continues where it was held."""

    resumed: TrueFlag
    on: DateIn = Field(description=DATE_HELP)


class WithdrawnRow(BaseRow):
    """``withdrawn = true``: the trainee leaves the program."""

    withdrawn: TrueFlag
    on: DateIn = Field(description=DATE_HELP)
    reason: str | None = None


class VoidedRow(BaseRow):
    """``voided = "EVENT-ID"``: an earlier event is void, as if never recorded."""

    voided: str = Field(pattern=ID_PATTERN, description="The id of the event to void.")
    on: DateIn = Field(description=DATE_HELP)
    reason: str = Field(min_length=1)


ROW_KINDS: dict[str, type[BaseRow]] = {
    "attended": AttendedRow,
    "absent": AbsentRow,
    "artifact": ArtifactRow,
    "waived": WaivedRow,
    "held": HeldRow,
    "resumed": ResumedRow,
    "withdrawn": WithdrawnRow,
    "voided": VoidedRow,
}
_KIND_MESSAGE = "a row needs exactly one of: " + ", ".join(ROW_KINDS)


def _tag(kind: str) -> str:
    return f"<{kind}>"


def _row_kind(value: Any) -> str | None:
    if isinstance(value, Mapping):
        present = ROW_KINDS.keys() & value.keys()  # one set operation per row of a large file
        return _tag(next(iter(present))) if len(present) == 1 else None
    for kind, cls in ROW_KINDS.items():
        if isinstance(value, cls):
            return _tag(kind)
    return None


EventRow = Annotated[
    Annotated[AttendedRow, Tag("<attended>")]
    | Annotated[AbsentRow, Tag("<absent>")]
    | Annotated[ArtifactRow, Tag("<artifact>")]
    | Annotated[WaivedRow, Tag("<waived>")]
    | Annotated[HeldRow, Tag("<held>")]
    | Annotated[ResumedRow, Tag("<resumed>")]
    | Annotated[WithdrawnRow, Tag("<withdrawn>")]
    | Annotated[VoidedRow, Tag("<voided>")],
    Discriminator(_row_kind, custom_error_type="event_kind", custom_error_message=_KIND_MESSAGE),
]


class CohortFile(_Table):
    """A cohort file: ``[cohort]``, ``[[trainees]]``, ``[[events]]``, ``[[staff]]``, ``[[groups]]``."""

    model_config = ConfigDict(
        title="facilitrack cohort",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    cohort: CohortHeader
    issuer: Issuer | None = Field(None, description="Who issues the certificates of completion.")
    trainees: list[TraineeRow] = Field(default_factory=list)
    events: list[EventRow] = Field(default_factory=list)
    staff: list[StaffMember] = Field(
        default_factory=list, description="People groups name who are not trainees (trainers, co-leaders)."
    )
    groups: list[Group] = Field(
        default_factory=list, description="Parenting groups: facilitators, trainees, parents, sessions."
    )

    def contacts(self) -> dict[str, Contact]:
        """How reports and certificates name each trainee and staff member (from their rows)."""
        out = {
            t.id: Contact(id=t.id, name=t.name, given_name=t.given_name, family_name=t.family_name,
                          email=t.email)
            for t in self.trainees
        }
        out.update((s.id, Contact(id=s.id, name=s.name)) for s in self.staff)
        return out

    def people(self) -> dict[str, Person]:
        """Everyone a group may name, by id: the trainees, then the staff."""
        trainees = ((t.id, t.credential, t.trainer) for t in self.trainees)
        tracks = {t.id: t.track or self.cohort.track for t in self.trainees}
        return people_index(trainees, self.staff, tracks=tracks)



def cohort_schema() -> dict[str, Any]:
    """The JSON Schema of cohort files (for editors: ``#:schema ./cohort.schema.json``)."""
    return CohortFile.model_json_schema()
