"""The cohort file: one TOML file per cohort of trainees, run through the engine.

A coordinator keeps a cohort in one file — the program, the trainees, and what happened — and
asks where everyone is (`run_cohort`), what one trainee is missing (`Cohort.explain`) and
whether the file breaks any rule (`Cohort.report` problems). The file is read in four steps,
each of which names the place in the file when it fails and records nothing:

1. TOML syntax (``FILE:LINE:COL``), then the shape: the pydantic models below (`CohortFile`);
2. references: trainee ids, tracks, activity, artifact, stage and requirement keys, event ids;
3. conversion to engine events (`cohort_events`), each remembering the row it came from;
4. recording in an in-memory engine, whose refusals are placed back on their rows.

Tables, one model each: ``[cohort]`` (`CohortHeader`), ``[[trainees]]`` (`TraineeRow`, one
enrolment each), ``[[events]]`` (`EventRow`: a row is an attendance, an artifact, a waiver,
a hold, a resumption, a withdrawal or a void, told apart by which of those keys it has),
``[[staff]]`` (`StaffMember`: people who are not trainees) and ``[[groups]]`` (`Group`, with
its ``[[groups.participants]]`` and ``[[groups.sessions]]``; the rules they are judged by are
the program's, in `facilitrack.groups`). A new top-level table is a new model field on
`CohortFile` plus, when it produces events, a function added to `EVENT_SOURCES`: groups add
`group_session_events`, one ``attended`` event per trainee present at each session.

Event ids: a row's ``id`` when it gives one; a group session's credit is ``GROUP:DATE:TRAINEE``;
otherwise derived from the content, as the core does, so importing the same file twice records
nothing new. Identical rows are distinct facts (two sessions on one day): the second, third...
of them get the occurrence number mixed into their id, so each counts. A row repeating a group
session's credit is a problem (`Cohort.report`), since it would count the session twice.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import tomli_w
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    model_validator,
)

from .dates import DATE_HELP, DateIn
from .engine import Engine
from .errors import (
    InvalidEventError,
    UnknownKeyError,
    UserError,
    VersionNotInstalledError,
    did_you_mean,
)
from .events import (
    ID_PATTERN,
    ArtifactRecorded,
    Attended,
    Enrolled,
    Event,
    Held,
    Resumed,
    Voided,
    Waived,
    Withdrawn,
)
from .groups import (
    Group,
    Person,
    StaffMember,
    people_index,
    report_group,
    session_credits,
    validate_groups,
)
from .plugins import Hooks, PluginHost, load_plugins
from .program import VERSION_PATTERN, Program, Stage, format_loc
from .registry import ProgramRegistry
from .report import (
    CertificateRow,
    CohortReport,
    CohortSummary,
    GroupsReport,
    MissingRow,
    ProblemRow,
    RequirementRow,
    TraineeExplanation,
    TraineeReport,
)
from .requirements import KEY_PATTERN, ArtifactStatus, Credential, CredentialRule, Requirement
from .status import TraineeStatus
from .tomlfile import parse_toml

# -- the file's tables -----------------------------------------------------------------------


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
    name: str | None = Field(None, description="The name reports show.")
    credential: Credential
    enrolled: DateIn = Field(description=DATE_HELP)
    trainer: str | None = Field(None, description="The certified trainer they are paired with.")
    co_leader: str | None = Field(
        None, description="A mental-health co-leader: required where the credential is not MH."
    )
    track: str | None = Field(None, pattern=KEY_PATTERN, description="Overrides cohort.track.")
    recorded_by: str | None = None


class _Row(_Table):
    """Fields every ``[[events]]`` row has."""

    trainee: str = Field(min_length=1, max_length=128, description="A trainee id.")
    id: str | None = Field(
        None, pattern=ID_PATTERN, description="An event id; derived from the content when absent."
    )
    recorded_by: str | None = None


class _Repeated(_Row):
    """A row that may stand for several events: one on `on`, one per date of `dates`, or `weekly`."""

    on: DateIn | None = Field(None, description=DATE_HELP)
    dates: list[DateIn] | None = Field(None, min_length=1, description="One event per date.")
    weekly: int | None = Field(
        None, ge=1, le=520, description="This many events, a week apart, starting `on`."
    )

    @model_validator(mode="after")
    def _when(self) -> _Repeated:
        if (self.on is None) == (self.dates is None):
            raise ValueError("give `on` (one date) or `dates` (a list of dates), not both or neither")
        if self.weekly is not None and self.on is None:
            raise ValueError("`weekly` repeats from `on`: give `on`, not `dates`")
        if self.id is not None and len(self.occurrences()) > 1:
            raise ValueError("an explicit `id` names one event: give a single date")
        return self

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


class ArtifactRow(_Repeated):
    """``artifact = "key"``: work reached `status` (referenced, never stored); one per date."""

    artifact: str = Field(pattern=KEY_PATTERN, description="An artifact key the program declares.")
    status: ArtifactStatus
    ref: str | None = Field(None, description="Tells artifacts apart: the same ref is one artifact.")
    sha256: str | None = Field(None, pattern=r"^[0-9a-f]{64}$")

    @model_validator(mode="after")
    def _one_per_ref(self) -> ArtifactRow:
        if (self.ref is not None or self.sha256 is not None) and len(self.occurrences()) > 1:
            raise ValueError("a `ref` or `sha256` names one artifact: give a single date")
        return self


class WaivedRow(_Row):
    """``waived = "requirement"``: an approver waives a requirement, with a reason."""

    waived: str = Field(pattern=KEY_PATTERN, description="The key of the requirement waived.")
    on: DateIn = Field(description=DATE_HELP)
    stage: str | None = Field(None, pattern=KEY_PATTERN, description="Default: the current stage.")
    reason: str = Field(min_length=1)
    approver: str = Field(min_length=1)


class HeldRow(_Row):
    """``held = true``: training pauses; nothing is credited until it resumes."""

    held: Literal[True]
    on: DateIn = Field(description=DATE_HELP)
    reason: str | None = None


class ResumedRow(_Row):
    """``resumed = true``: training continues where it was held."""

    resumed: Literal[True]
    on: DateIn = Field(description=DATE_HELP)


class WithdrawnRow(_Row):
    """``withdrawn = true``: the trainee leaves the program."""

    withdrawn: Literal[True]
    on: DateIn = Field(description=DATE_HELP)
    reason: str | None = None


class VoidedRow(_Row):
    """``voided = "EVENT-ID"``: an earlier event is void, as if never recorded."""

    voided: str = Field(pattern=ID_PATTERN, description="The id of the event to void.")
    on: DateIn = Field(description=DATE_HELP)
    reason: str = Field(min_length=1)


ROW_KINDS: dict[str, type[_Row]] = {
    "attended": AttendedRow,
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
        present = [k for k in ROW_KINDS if k in value]
        return _tag(present[0]) if len(present) == 1 else None
    for kind, cls in ROW_KINDS.items():
        if isinstance(value, cls):
            return _tag(kind)
    return None


EventRow = Annotated[
    Annotated[AttendedRow, Tag("<attended>")]
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
    trainees: list[TraineeRow] = Field(default_factory=list)
    events: list[EventRow] = Field(default_factory=list)
    staff: list[StaffMember] = Field(
        default_factory=list, description="People groups name who are not trainees (trainers, co-leaders)."
    )
    groups: list[Group] = Field(
        default_factory=list, description="Parenting groups: facilitators, trainees, parents, sessions."
    )

    def people(self) -> dict[str, Person]:
        """Everyone a group may name, by id: the trainees, then the staff."""
        trainees = ((t.id, t.credential, t.trainer) for t in self.trainees)
        return people_index(trainees, self.staff)


# -- conversion to engine events -------------------------------------------------------------


@dataclass(frozen=True)
class Located:
    """An engine event and the place in the file it came from (``events[3]``)."""

    event: Event
    where: str
    explicit_id: bool = False


EventSource = Callable[[CohortFile, Program], Iterable[Located]]


def enrolment_events(doc: CohortFile, program: Program) -> Iterator[Located]:
    """One enrolment per ``[[trainees]]`` row."""
    for i, t in enumerate(doc.trainees):
        yield Located(
            Enrolled(
                trainee=t.id, on=t.enrolled, program=program.key, version=program.version,
                track=t.track or doc.cohort.track, credential=t.credential,
                co_leader=t.co_leader, trainer=t.trainer, recorded_by=t.recorded_by,
            ),
            f"trainees[{i}]",
        )


def row_events(doc: CohortFile, program: Program) -> Iterator[Located]:
    """The events of the ``[[events]]`` rows, one per session for multi-date attendance."""
    del program  # every key the rows hold is already the engine's
    for i, row in enumerate(doc.events):
        where = f"events[{i}]"
        common: dict[str, Any] = {"trainee": row.trainee, "recorded_by": row.recorded_by}
        if row.id is not None:
            common["id"] = row.id
        explicit = row.id is not None
        event: Event
        if isinstance(row, AttendedRow):
            for on, suffix in row.occurrences():
                yield Located(Attended(on=on, activity=row.attended, **common), where + suffix, explicit)
            continue
        if isinstance(row, ArtifactRow):
            for on, suffix in row.occurrences():
                work = ArtifactRecorded(
                    on=on, artifact=row.artifact, status=row.status, ref=row.ref, sha256=row.sha256,
                    **common,
                )
                yield Located(work, where + suffix, explicit)
            continue
        if isinstance(row, WaivedRow):
            event = Waived(
                on=row.on, requirement=row.waived, stage=row.stage, reason=row.reason,
                approver=row.approver, **common,
            )
        elif isinstance(row, HeldRow):
            event = Held(on=row.on, reason=row.reason, **common)
        elif isinstance(row, ResumedRow):
            event = Resumed(on=row.on, **common)
        elif isinstance(row, WithdrawnRow):
            event = Withdrawn(on=row.on, reason=row.reason, **common)
        else:
            assert isinstance(row, VoidedRow)
            event = Voided(on=row.on, target=row.voided, reason=row.reason, **common)
        yield Located(event, where, explicit)


def group_session_events(doc: CohortFile, program: Program) -> Iterator[Located]:
    """Each group session's credit to every trainee present (`facilitrack.groups.group_events`).

    The ids (``GROUP:DATE:TRAINEE``) are given, not derived: a row may void one by its id.
    """
    for g, group in enumerate(doc.groups):
        for index, event in session_credits(group, program):
            yield Located(event, f"groups[{g}].sessions[{index}]", explicit_id=True)


#: Every table that produces events, in file order. A new table adds its function here;
#: `cohort_events` numbers identical events across all of them.
EVENT_SOURCES: tuple[EventSource, ...] = (enrolment_events, row_events, group_session_events)


def occurrence_id(event: Event, occurrence: int) -> str:
    """The id of the `occurrence`-th identical copy of `event` in one file (2, 3, ...)."""
    content = {**event.content(), "occurrence": occurrence}
    blob = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "ev-" + hashlib.sha256(blob.encode()).hexdigest()[:24]


def cohort_events(
    doc: CohortFile, program: Program, sources: Sequence[EventSource] = EVENT_SOURCES
) -> list[Located]:
    """Every event the file states, with its place; identical facts are numbered apart."""
    seen: Counter[str] = Counter()
    out: list[Located] = []
    for source in sources:
        for item in source(doc, program):
            if not item.explicit_id:
                seen[item.event.id] += 1
                n = seen[item.event.id]
                if n > 1:
                    renamed = item.event.model_copy(update={"id": occurrence_id(item.event, n)})
                    out.append(Located(renamed, item.where))
                    continue
            out.append(item)
    return out


# -- reading ---------------------------------------------------------------------------------

#: ``[name]``, ``[[name]]``, ``[[a.b]]``: a table header of bare keys, on a line of its own.
_TABLE_HEADER = re.compile(
    r"^\s*(\[\[?)\s*([A-Za-z0-9_-]+(?:\s*\.\s*[A-Za-z0-9_-]+)*)\s*\]\]?\s*(?:#.*)?$"
)
#: One step of a place in the file: ``groups[0]``, ``.sessions[3]``, ``.absent``.
_STEP = re.compile(r"\.?([A-Za-z0-9_-]+)(?:\[(\d+)\])?")


def _steps(loc: str) -> list[tuple[str, int | None]]:
    """``groups[0].sessions[3].absent`` → [("groups", 0), ("sessions", 3), ("absent", None)].

    Reading stops where the path does: ``events[3] (week 2)`` is ``events[3]``.
    """
    steps: list[tuple[str, int | None]] = []
    pos = 0
    while (match := _STEP.match(loc, pos)) is not None and match.end() > pos:
        steps.append((match[1], int(match[2]) if match[2] else None))
        pos = match.end()
    return steps


def _path(steps: Sequence[tuple[str, int | None]]) -> str:
    return ".".join(name + (f"[{index}]" if index is not None else "") for name, index in steps)


def _size(data: Any, key: str) -> int:
    """How many tables `data` holds at `key` (``groups[0].sessions``): a list's length, or 1."""
    for name, index in _steps(key):
        data = data.get(name) if isinstance(data, Mapping) else None
        if index is not None:
            data = data[index] if isinstance(data, list) and index < len(data) else None
    if isinstance(data, list):
        return len(data)
    return 1 if isinstance(data, Mapping) else 0


@dataclass(frozen=True)
class _Places:
    """Turns a position inside the file into ``FILE: events[3].attended (line 40)``.

    `lines` maps each table written with its own header to the lines of those headers, nested
    tables under their parent (``groups[0].sessions``: one line per ``[[groups.sessions]]``
    of the first group). A place inside a table resolves to the nearest enclosing one.
    """

    path: Path
    lines: Mapping[str, Sequence[int]]

    @classmethod
    def scan(cls, path: Path, text: str, data: Mapping[str, Any]) -> _Places:
        found: dict[str, list[int]] = {}
        arrays: set[str] = set()
        for number, line in enumerate(text.splitlines(), start=1):
            match = _TABLE_HEADER.match(line)
            if not match:
                continue
            *parents, name = (part.strip() for part in match[2].split("."))
            prefix = ""
            for part in parents:  # [[groups.sessions]] belongs to the last [[groups]] so far
                prefix = f"{prefix}.{part}" if prefix else part
                if prefix in arrays:
                    prefix += f"[{len(found[prefix]) - 1}]"
            key = f"{prefix}.{name}" if prefix else name
            found.setdefault(key, []).append(number)
            if match[1] == "[[":
                arrays.add(key)
        trusted: dict[str, list[int]] = {}
        for key in sorted(found, key=lambda k: len(_steps(k))):  # parents before children
            steps = _steps(key)
            parents = [_path([*steps[:i], (n, None)]) for i, (n, at) in enumerate(steps) if at is not None]
            # tables written inline cannot be placed by line, nor can anything inside them
            if _size(data, key) == len(found[key]) and all(p in trusted for p in parents):
                trusted[key] = found[key]
        return cls(path, trusted)

    def line(self, loc: str) -> int | None:
        steps = _steps(loc)
        for depth in range(len(steps), 0, -1):
            name, index = steps[depth - 1]
            numbers = self.lines.get(_path([*steps[: depth - 1], (name, None)]), ())
            if (index or 0) < len(numbers):
                return numbers[index or 0]
        return None

    def at(self, loc: str) -> str:
        line = self.line(loc)
        return f"{self.path}: {loc}" + (f" (line {line})" if line else "")


def _file_loc(loc: Sequence[int | str]) -> str:
    """A pydantic loc as a path in the file, without the row-kind tags (``events[3].on``)."""
    return format_loc(tuple(p for p in loc if not (isinstance(p, str) and p.startswith("<"))))


_PATTERN_HELP = {
    KEY_PATTERN: "a key in lower case: letters, digits and _, starting with a letter",
    ID_PATTERN: "an id of letters, digits and . _ : @ / - (at most 128)",
}


def _fields_at(loc: Sequence[int | str]) -> list[str]:
    """The field names allowed in the table at `loc` (for unknown-field errors)."""
    model: type[BaseModel] = CohortFile
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if part.startswith("<"):  # an [[events]] row's kind tag
            model = ROW_KINDS.get(part.strip("<>"), _Row)
            continue
        field_info = model.model_fields.get(part)
        inner = _model_in(field_info.annotation) if field_info is not None else None
        if inner is None:
            break
        model = inner
    return list(model.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The one model a field holds (``list[Group]`` → Group), if exactly one."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    found = {m for arg in get_args(annotation) if (m := _model_in(arg)) is not None}
    return found.pop() if len(found) == 1 else None


def _message(err: Mapping[str, Any]) -> str:
    kind = err["type"]
    loc = err["loc"]
    if kind == "extra_forbidden":
        name = str(loc[-1])
        return f"unknown field {name!r}; {did_you_mean(name, _fields_at(loc))}"
    if kind == "literal_error" and err.get("ctx", {}).get("expected") == "True":
        return f"write `{loc[-1]} = true` (a row of this kind has no other value)"
    if kind == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern")
        if pattern in _PATTERN_HELP:
            return f"{err['input']!r} is not {_PATTERN_HELP[pattern]}"
    message = str(err["msg"])
    return message.removeprefix("Value error, ")


def _schema_error(exc: ValidationError, places: _Places) -> UserError:
    lines = []
    for err in exc.errors(include_url=False):
        loc = _file_loc(err["loc"])
        line = places.line(loc) if loc else None
        at = f"{loc} (line {line})" if line else loc
        lines.append(f"{at}: {_message(err)}" if at else _message(err))
    return UserError(
        "invalid cohort file:\n    " + "\n    ".join(lines),
        where=places.path,
        fix="correct the fields named above (`facilitrack schema cohort` describes them all)",
    )


def _placed(exc: UserError, where: str) -> UserError:
    exc.where = where
    exc.args = (exc.render(),)
    return exc


def _resolve_program(
    header: CohortHeader, path: Path, host: PluginHost, places: _Places
) -> tuple[Program, ProgramRegistry]:
    if header.program_file is not None:
        file = (path.parent / header.program_file).resolve()
        if not file.is_file():
            raise UserError(
                f"program file not found: {header.program_file} (looked for {file})",
                where=places.at("cohort.program_file"),
                fix="the path is relative to the cohort file",
            )
        registry = ProgramRegistry(host.kinds)
        key = registry.load_file(file).key
    else:
        assert header.program is not None
        registry, key = host.programs, header.program
        if key not in registry.keys():  # noqa: SIM118 -- a registry, not a dict
            raise UnknownKeyError(
                f"unknown program {key!r}: no installed plugin provides it",
                where=places.at("cohort.program"),
                fix=f"{did_you_mean(key, registry.keys())} (`facilitrack programs` lists them;"
                " a definition file goes in `program_file`)",
            )
    if header.version is not None and header.version not in [p.version for p in registry.versions(key)]:
        installed = ", ".join(p.version for p in registry.versions(key))
        raise VersionNotInstalledError(
            f"{key} version {header.version} is not installed (installed: {installed})",
            where=places.at("cohort.version"),
            fix="pin an installed version, or leave `version` out for the latest",
        )
    return registry.get(key, header.version), registry


def _check_references(doc: CohortFile, program: Program, places: _Places) -> None:
    """Every id and key the rows use exists; errors name the row and the nearest valid key."""
    tracks = [t.key for t in program.tracks]

    def check_track(track: str | None, loc: str) -> None:
        if track is None or track in tracks:
            return
        fix = did_you_mean(track, tracks) if tracks else f"{program.key} has no tracks: leave it out"
        raise UnknownKeyError(f"{program.key} has no track {track!r}", where=places.at(loc), fix=fix)

    check_track(doc.cohort.track, "cohort.track")
    rows: dict[str, int] = {}
    for i, t in enumerate(doc.trainees):
        if t.id in rows:
            first = places.at(f"trainees[{rows[t.id]}]").split(": ", 1)[1]
            raise UserError(
                f"trainee id {t.id!r} is used twice: by {first} and by this row",
                where=places.at(f"trainees[{i}].id"),
                fix="give each trainee their own id",
            )
        rows[t.id] = i
        check_track(t.track, f"trainees[{i}].track")
    stage_keys = [s.key for s in program.stages]
    for i, row in enumerate(doc.events):
        if row.trainee not in rows:
            raise UnknownKeyError(
                f"unknown trainee {row.trainee!r}: no [[trainees]] row has that id",
                where=places.at(f"events[{i}].trainee"),
                fix=did_you_mean(row.trainee, list(rows)),
            )
        if isinstance(row, AttendedRow | ArtifactRow):
            if isinstance(row, AttendedRow):
                kind, noun, key = "attended", "activity", row.attended
            else:
                kind, noun, key = "artifact", "artifact", row.artifact
            known = program.keys_of(kind)
            if key not in known:
                raise UnknownKeyError(
                    f"{program.key} has no {noun} {key!r}",
                    where=places.at(f"events[{i}].{kind}"),
                    fix=did_you_mean(key, known),
                )
        elif isinstance(row, WaivedRow):
            _check_waiver(row, program, stage_keys, places, i)


def _check_waiver(row: WaivedRow, program: Program, stage_keys: list[str], places: _Places, i: int) -> None:
    if row.stage is not None and row.stage not in stage_keys:
        raise UnknownKeyError(
            f"{program.key} has no stage {row.stage!r}",
            where=places.at(f"events[{i}].stage"),
            fix=did_you_mean(row.stage, stage_keys),
        )
    stages = [s for s in program.stages if row.stage is None or s.key == row.stage]
    match = [r for s in stages for r in s.requirements if r.key == row.waived]
    if not match:
        keys = sorted({r.key for s in stages for r in s.requirements})
        raise UnknownKeyError(
            f"{program.key} has no requirement {row.waived!r} to waive"
            + (f" in stage {row.stage}" if row.stage else ""),
            where=places.at(f"events[{i}].waived"),
            fix=did_you_mean(row.waived, keys),
        )
    if not any(r.waivable for r in match):
        waivable = sorted({r.key for s in stages for r in s.requirements if r.waivable})
        raise InvalidEventError(
            f"{program.key} does not allow waiving {row.waived!r}",
            where=places.at(f"events[{i}].waived"),
            fix=f"waivable: {', '.join(waivable)}" if waivable else f"{program.key} allows no waivers",
        )


def _check_groups(doc: CohortFile, program: Program, places: _Places) -> dict[str, Person]:
    """Every id the groups name resolves, and people and groups are named once; returns the people.

    Errors name the place (``groups[0].sessions[3].absent``, with its line) and the nearest id.
    """
    try:
        people = doc.people()
        validate_groups(doc.groups, program, people)
    except UserError as exc:
        raise _placed(exc, places.at(exc.where or "groups")) from None
    return people


def _check_ids(located: Sequence[Located], places: _Places) -> None:
    """Explicit ids are unique; voids name an event of the same trainee that is not a void."""
    by_id: dict[str, Located] = {}
    for item in located:
        if item.explicit_id and item.event.id in by_id:
            first = places.at(by_id[item.event.id].where).split(": ", 1)[1]
            own = f"{item.where}.id" if item.where.startswith("events[") else item.where
            raise UserError(
                f"event id {item.event.id!r} is used twice: by {first} and by this row",
                where=places.at(own),
                fix="give each event its own id",
            )
        by_id.setdefault(item.event.id, item)
    for item in located:
        event = item.event
        if not isinstance(event, Voided):
            continue
        target = by_id.get(event.target)
        if target is None:
            mine = [x.event.id for x in located if x.event.trainee == event.trainee and x.explicit_id]
            raise UnknownKeyError(
                f"cannot void {event.target!r}: no event of this file has that id",
                where=places.at(f"{item.where}.voided"),
                fix=f"give the row to void an `id` and name it here; {did_you_mean(event.target, mine)}",
            )
        if target.event.trainee != event.trainee:
            raise InvalidEventError(
                f"{event.target!r} ({target.where}) belongs to {target.event.trainee!r},"
                f" not {event.trainee!r}",
                where=places.at(f"{item.where}.voided"),
                fix="void it under its own trainee",
            )
        if isinstance(target.event, Voided | Enrolled):
            what = "a void" if isinstance(target.event, Voided) else "an enrolment"
            raise InvalidEventError(
                f"{event.target!r} ({target.where}) is {what}, which a cohort file cannot void",
                where=places.at(f"{item.where}.voided"),
                fix="delete or correct the row itself" if isinstance(target.event, Voided)
                else "correct the [[trainees]] row, or record `withdrawn = true`",
            )


_EVENT_WHERE = re.compile(r"(?:^|: )event (\S+)$")


def _record(engine: Engine, located: Sequence[Located], places: _Places) -> None:
    """Record enrolments, then each day's events in date order, then voids.

    Day by day, a plugin validating an event sees the trainee's stage at the start of its day
    rather than before the whole file; voids come last so they can name any row.
    """
    where = {item.event.id: item.where for item in located}
    enrolments: list[Event] = [x.event for x in located if isinstance(x.event, Enrolled)]
    voids: list[Event] = [x.event for x in located if isinstance(x.event, Voided)]
    days: dict[date, list[Event]] = {}
    for item in located:
        if not isinstance(item.event, Enrolled | Voided):
            days.setdefault(item.event.on, []).append(item.event)
    batches = [enrolments, *(days[d] for d in sorted(days)), voids]
    try:
        for batch in batches:
            if batch:
                engine.record(batch)
    except (UnknownKeyError, InvalidEventError) as exc:
        event = getattr(exc, "event", None)
        event_id = getattr(event, "id", None)
        if event_id is None and exc.where:
            match = _EVENT_WHERE.search(exc.where)
            event_id = match[1] if match else None
        if event_id in where:
            raise _placed(exc, places.at(where[event_id])) from None
        raise


class _HeaderOnly(BaseModel):
    """The ``[cohort]`` table alone: read first, since the program decides how dates read."""

    cohort: CohortHeader


def _parse(text: str, path: Path, host: PluginHost) -> tuple[CohortFile, Program, ProgramRegistry, _Places]:
    raw = parse_toml(text, path)
    places = _Places.scan(path, text, raw)
    if "cohort" not in raw:
        raise UserError(
            "the file has no [cohort] table", where=path,
            fix='start it with [cohort], name = "...", program = "KEY" (`facilitrack init`)',
        )
    try:
        header = _HeaderOnly.model_validate(raw).cohort
    except ValidationError as exc:
        raise _schema_error(exc, places) from None
    program, registry = _resolve_program(header, path, host, places)
    hooks = host.hooks

    def parse_date(text: str) -> date | None:
        return hooks.parse_date(text, program)

    try:
        doc = CohortFile.model_validate(raw, context={"parse_date": parse_date})
    except ValidationError as exc:
        raise _schema_error(exc, places) from None
    return doc, program, registry, places


# -- the cohort ------------------------------------------------------------------------------


@dataclass
class Cohort:
    """A cohort file read and run: its rows, its program, and an engine holding its events."""

    path: Path
    doc: CohortFile
    program: Program
    engine: Engine
    located: list[Located]
    places: _Places = field(repr=False)
    plugin_problems: list[str] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict, repr=False)
    hooks: Hooks | None = field(default=None, repr=False)

    @property
    def events(self) -> list[Event]:
        """Every engine event the file states (for importing it into a journal)."""
        return [x.event for x in self.located]

    def where(self, event_id: str) -> str | None:
        """The row an event came from (``events[3]``), if it came from this file."""
        return next((x.where for x in self.located if x.event.id == event_id), None)

    def group_reports(self) -> GroupsReport:
        """Each ``[[groups]]`` table judged: the rules it breaks (placed as ``groups[0]...``),
        every parent's attendance and completion, and the sessions credited to each trainee."""
        return GroupsReport(
            cohort=self.doc.cohort.name, file=str(self.path), program=self.program.key,
            version=self.program.version,
            groups=[
                report_group(group, self.program, self.people, hooks=self.hooks, where=f"groups[{g}]")
                for g, group in enumerate(self.doc.groups)
            ],
        )

    def trainee_row(self, trainee: str) -> tuple[int, TraineeRow]:
        """A trainee's position and row; unknown ids raise with the nearest one."""
        for i, row in enumerate(self.doc.trainees):
            if row.id == trainee:
                return i, row
        ids = [t.id for t in self.doc.trainees]
        raise UnknownKeyError(
            f"no trainee {trainee!r} in this cohort", where=self.path, fix=did_you_mean(trainee, ids)
        )

    def report(self, as_of: date | None = None) -> CohortReport:
        """Every trainee's stage, certificates, what is missing and any problems."""
        where = {x.event.id: x.where for x in self.located}
        trainees = [
            self._trainee(i, row, self.engine.status(row.id, as_of=as_of), where, as_of)
            for i, row in enumerate(self.doc.trainees)
        ]
        header = self.doc.cohort
        return CohortReport(
            cohort=CohortSummary(
                name=header.name, file=str(self.path), program=self.program.key,
                program_name=self.program.name, version=self.program.version, track=header.track,
                as_of=as_of, trainees=len(trainees),
                certified=sum(1 for t in trainees if t.certified),
                with_problems=sum(1 for t in trainees if t.problems),
            ),
            trainees=trainees,
        )

    def explain(self, trainee: str, as_of: date | None = None) -> TraineeExplanation:
        """Each requirement of the trainee's current stage, the dates that counted, what is next."""
        i, row = self.trainee_row(trainee)
        expl = self.engine.explain(trainee, as_of=as_of)
        where = {x.event.id: x.where for x in self.located}
        requirements = [
            RequirementRow(
                requirement=p.requirement, kind=p.kind, title=p.title, have=p.have, need=p.need,
                met=p.met, waived=p.waived, dates=p.dates, source=p.source, note=p.note,
            )
            for p in expl.requirements
        ]
        return TraineeExplanation(
            cohort=self.doc.cohort.name,
            trainee=self._trainee(i, row, expl.status, where, as_of),
            as_of=as_of,
            stage=expl.requirements[0].stage if expl.requirements else None,
            requirements=requirements,
            next_stage=expl.next_stage,
            next_title=expl.next_title,
            next_certificate=expl.next_certificate,
        )

    def _trainee(
        self, index: int, row: TraineeRow, st: TraineeStatus, where: dict[str, str], as_of: date | None
    ) -> TraineeReport:
        problems = self._row_problems(index, row, st)
        problems += [p for p in self._credited_twice.get(row.id, []) if as_of is None or p.on <= as_of]
        problems += [
            ProblemRow(where=where.get(p.event), event=p.event, on=p.on, reason=p.reason)
            for p in st.problems
        ]
        return TraineeReport(
            id=row.id, name=row.name, credential=row.credential.value, trainer=row.trainer,
            co_leader=row.co_leader, program=st.program, version=st.version, track=st.track,
            stage=st.stage, stage_title=st.stage_title, certified=st.certified,
            certificates=[CertificateRow(stage=c.stage, title=c.title, on=c.on) for c in st.certificates],
            missing=[
                MissingRow(stage=m.stage, requirement=m.requirement, title=m.title, have=m.have, need=m.need)
                for m in st.missing
            ],
            problems=problems,
        )

    @cached_property
    def _credited_twice(self) -> dict[str, list[ProblemRow]]:
        """``attended`` rows repeating a group session's credit (same trainee, day, activity), by trainee.

        Both count, so the session would be credited twice; most likely the row predates the group.
        """
        attended = [(x.where, x.event) for x in self.located if isinstance(x.event, Attended)]
        by_group = {
            (event.trainee, event.on, event.activity): where
            for where, event in attended if where.startswith("groups[")
        }
        out: dict[str, list[ProblemRow]] = {}
        for where, event in attended:
            group = by_group.get((event.trainee, event.on, event.activity))
            if group is not None and where.startswith("events["):
                out.setdefault(event.trainee, []).append(ProblemRow(
                    where=where, event=event.id, on=event.on,
                    reason=f"{event.activity} on {event.on} is also credited by {group} (a group"
                    " session): both count; delete the row, or list the trainee absent there",
                ))
        return out

    def _row_problems(self, index: int, row: TraineeRow, st: TraineeStatus) -> list[ProblemRow]:
        """Requirements of the current stage no event can meet: only the trainee row can."""
        out: list[ProblemRow] = []
        enrolment = next(
            x.event.id for x in self.located if x.where == f"trainees[{index}]"
        )
        for m in st.missing:
            stage = self.program.stage(m.stage)
            req = stage.requirement(m.requirement) if stage else None
            if isinstance(req, CredentialRule):
                if row.credential in req.with_co_leader:
                    place = "co_leader"
                    reason = (
                        f"stage {m.stage} needs a mental-health co-leader for a trainee whose"
                        f" credential is {row.credential.value}; name one in `co_leader`"
                    )
                else:
                    place = "credential"
                    allowed = ", ".join(c.value for c in (*req.allowed, *req.with_co_leader))
                    reason = (
                        f"stage {m.stage} admits {allowed}; a trainee whose credential is"
                        f" {row.credential.value} cannot enter it"
                    )
            elif m.requirement == "certified_trainer" or (req is not None and req.kind == "pairing"):
                place = "trainer"
                reason = (
                    f"stage {m.stage} needs a certified trainer paired with the trainee;"
                    " name one in `trainer`"
                )
            else:
                continue
            out.append(ProblemRow(
                where=f"trainees[{index}].{place}", event=enrolment, on=row.enrolled, reason=reason,
            ))
        return out


def read_cohort(text: str, path: str | Path, *, host: PluginHost | None = None) -> Cohort:
    """Read cohort TOML `text` that came from `path` (relative program files resolve there)."""
    path = Path(path)
    host = host or load_plugins()
    doc, program, registry, places = _parse(text, path, host)
    _check_references(doc, program, places)
    people = _check_groups(doc, program, places)
    located = cohort_events(doc, program)
    _check_ids(located, places)
    engine = Engine(registry, hooks=host.hooks)
    _record(engine, located, places)
    return Cohort(
        path=path, doc=doc, program=program, engine=engine, located=located, places=places,
        plugin_problems=[str(p) for p in host.problems], people=people, hooks=host.hooks,
    )


def load_cohort(path: str | Path, *, host: PluginHost | None = None) -> Cohort:
    """Read and run a cohort file; every error names the file and the place in it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError("file not found", where=path, fix="check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise UserError(f"cannot read file: {reason}", where=path, fix="check the file") from None
    return read_cohort(text, path, host=host)


def run_cohort(
    path: str | Path, as_of: date | None = None, *, host: PluginHost | None = None
) -> CohortReport:
    """Where every trainee of the cohort file at `path` stands, as of `as_of` (default: all)."""
    return load_cohort(path, host=host).report(as_of)


def cohort_schema() -> dict[str, Any]:
    """The JSON Schema of cohort files (for editors: ``#:schema ./cohort.schema.json``)."""
    return CohortFile.model_json_schema()


# -- a starter file --------------------------------------------------------------------------

STARTER_DATE = date(2026, 1, 5)
_CREDENTIALS = tuple(Credential)


def _toml_value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return tomli_w.dumps({"v": value})[4:].strip()


def _toml_table(name: str, row: Mapping[str, Any], notes: Mapping[str, str]) -> list[str]:
    lines = [f"[[{name}]]" if name != "cohort" else "[cohort]"]
    for key, value in row.items():
        line = f"{key} = {_toml_value(value)}"
        note = notes.get(key)
        lines.append(f"{line:<36}  # {note}" if note else line)
    return lines


@dataclass
class _Block:
    """Event rows the starter shows together, live when the file still checks clean with them."""

    comment: str
    rows: list[dict[str, Any]]
    notes: dict[str, str] = field(default_factory=dict)


def _describe_requirement(req: Requirement) -> str:
    extra = " (waivable)" if req.waivable else ""
    if isinstance(req, CredentialRule):
        text = "credential: " + ", ".join(c.value for c in req.allowed)
        if req.with_co_leader:
            text += "; " + ", ".join(c.value for c in req.with_co_leader) + " with a `co_leader`"
        return text + extra
    if req.kind == "pairing":
        return f"{req.key}: a certified `trainer` named on the trainee{extra}"
    if req.credited_by == "attended":
        return f"{req.key}: attend {req.count}{extra}"
    if req.credited_by == "artifact":
        status = getattr(req, "status", ArtifactStatus.submitted)
        return f"{req.key}: {req.count} artifact{'s' if req.count > 1 else ''}, status {status}{extra}"
    return f"{req.key}: {req.kind} x{req.count}{extra}"


def _credential_for(program: Program) -> Credential:
    rules = [r for s in program.stages for r in s.requirements if isinstance(r, CredentialRule)]
    for credential in _CREDENTIALS:
        if all(credential in r.allowed for r in rules):
            return credential
    return rules[0].allowed[0] if rules else Credential.licensed


def _completing_rows(stage: Stage, trainee: str, start: date) -> tuple[list[dict[str, Any]], date]:
    """Rows meeting every attendance and artifact requirement of `stage`, from `start`."""
    rows: list[dict[str, Any]] = []
    day = start
    for req in stage.requirements:
        if req.credited_by == "attended":
            row: dict[str, Any] = {"trainee": trainee, "attended": req.key}
            if req.count == 1:
                row["on"], day = day, day + timedelta(days=1)
            elif req.count <= 4:
                row["dates"] = [day + timedelta(days=i) for i in range(req.count)]
                day += timedelta(days=req.count)
            else:
                row["on"], row["weekly"] = day, req.count
                day += timedelta(days=1)
            rows.append(row)
        elif req.credited_by == "artifact":
            status = getattr(req, "status", ArtifactStatus.submitted)
            for n in range(req.count):
                rows.append({
                    "trainee": trainee, "on": day, "artifact": req.key, "status": status.value,
                    "ref": f"{trainee}-{req.key}-{n + 1}",
                })
                day += timedelta(days=1)
    last = max((d for r in rows for d in _row_dates(r)), default=start)
    return rows, max(day, last + timedelta(days=1))


def _row_dates(row: Mapping[str, Any]) -> list[date]:
    if "dates" in row:
        return list(row["dates"])
    on: date = row["on"]
    return [on + timedelta(weeks=i) for i in range(row.get("weekly", 1))]


def _first(stage: Stage, credited_by: str) -> Requirement | None:
    return next((r for r in stage.requirements if r.credited_by == credited_by), None)


def _starter_blocks(program: Program) -> tuple[list[_Block], list[_Block]]:
    """The base rows (trainee 1 through the first stage) and the optional blocks after it."""
    first, t1, t2 = program.stages[0], "trainee-1", "trainee-2"
    activities, artifacts = program.keys_of("attended"), program.keys_of("artifact")
    notes = {
        "attended": "one of: " + ", ".join(activities) if activities else "this program has none",
        "artifact": "one of: " + ", ".join(artifacts) if artifacts else "this program has none",
        "status": "submitted < presented < approved",
    }
    start = STARTER_DATE + timedelta(days=5)
    if len(program.stages) > 1:
        rows, day = _completing_rows(first, t1, start)
        base = [_Block(f"{t1} completes {first.key}: every session and artifact it asks for", rows, notes)]
        current = program.stages[1]
    else:
        req = _first(first, "attended")
        rows = [{"trainee": t1, "on": start, "attended": req.key}] if req else []
        base = [_Block(f"{t1} begins {first.key}", rows, notes)]
        day, current = start + timedelta(days=1), first
    blocks: list[_Block] = []
    resumed = day + timedelta(weeks=2)
    blocks.append(_Block(
        "a hold, and the day training resumed",
        [{"trainee": t1, "on": day, "held": True, "reason": "leave of absence"},
         {"trainee": t1, "on": resumed, "resumed": True}],
    ))
    day = resumed + timedelta(days=1)
    session = _first(current, "attended")
    if session is not None:
        blocks.append(_Block(
            "a row recorded by mistake, and its void (the journal keeps both; neither counts)",
            [{"id": f"{t1}-wrong-date", "trainee": t1, "on": day, "attended": session.key},
             {"trainee": t1, "on": day + timedelta(days=1), "voided": f"{t1}-wrong-date",
              "reason": "recorded on the wrong date; see the next row"}],
            notes,
        ))
        day += timedelta(days=2)
        row: dict[str, Any] = {"trainee": t1, "on": day, "attended": session.key}
        if session.count > 2:
            row["weekly"] = 2
        blocks.append(_Block(
            f"sessions of {current.key} (`weekly = N`: N sessions a week apart; or `dates = [...]`)",
            [row], notes,
        ))
        day += timedelta(days=1)
    more, day = _waiver_and_artifact(program, current, t1, day, notes)
    blocks += more
    session0 = _first(first, "attended")
    rows2: list[dict[str, Any]] = []
    if session0 is not None:
        rows2.append({"trainee": t2, "on": start, "attended": session0.key})
    rows2.append({"trainee": t2, "on": start + timedelta(weeks=3), "withdrawn": True,
                  "reason": "moved to another agency"})
    blocks.append(_Block(f"{t2} attends, then withdraws", rows2, notes))
    return base, blocks


def _waiver_and_artifact(
    program: Program, current: Stage, t1: str, day: date, notes: dict[str, str]
) -> tuple[list[_Block], date]:
    """A waiver of a waivable requirement, then an artifact of the current stage."""
    blocks: list[_Block] = []
    waivable = next((r for r in current.requirements if r.waivable), None)
    stage_of = current
    if waivable is None:
        stage_of, waivable = next(
            ((s, r) for s in program.stages for r in s.requirements if r.waivable), (current, None)
        )
    if waivable is not None:
        row = {"trainee": t1, "on": day, "waived": waivable.key}
        if stage_of is not current:
            row["stage"] = stage_of.key
        row |= {"reason": "equivalent training elsewhere", "approver": "training-director"}
        waivable_keys = sorted({r.key for s in program.stages for r in s.requirements if r.waivable})
        blocks.append(_Block(
            "a waiver: who approved it and why (`stage` defaults to the current one)",
            [row], {"waived": "waivable: " + ", ".join(waivable_keys)},
        ))
        day += timedelta(days=1)
    works = [r for r in current.requirements if r.credited_by == "artifact"]
    waived_key = waivable.key if waivable is not None else None
    work = next((r for r in works if r.key != waived_key), works[0] if works else None)
    if work is not None:
        status = getattr(work, "status", ArtifactStatus.submitted)
        blocks.append(_Block(
            "an artifact reaching a status (`ref` tells artifacts apart; `sha256` is optional)",
            [{"trainee": t1, "on": day, "artifact": work.key, "status": status.value,
              "ref": f"{t1}-{work.key}-1"}],
            notes,
        ))
        day += timedelta(days=1)
    return blocks, day


def _starter_header(program: Program, invocation: str) -> list[str]:
    lines = [
        f"# A cohort of {program.name} {program.version} ({program.organisation}).",
        f"# Written by `{invocation}`. Edit it, then:",
        "#   facilitrack check cohort.toml      # exit 0 clean, 1 rules broken, 2 invalid input",
        "#   facilitrack run cohort.toml        # where everyone is; --format json|toml|csv",
        "#   facilitrack explain cohort.toml trainee-1",
        "# For checking and completion in your editor (Taplo, Even Better TOML):",
        "#   facilitrack schema cohort --out cohort.schema.json",
        "# and make the first line of this file:  #:schema ./cohort.schema.json",
        "#",
        "# The pathway, stage by stage, and what each stage asks for:",
    ]
    for stage in program.stages:
        cert = f" (issues {stage.certificate.title})" if stage.certificate else ""
        lines.append(f"#   {stage.key}: {stage.title}{cert}")
        lines.extend(f"#     - {_describe_requirement(r)}" for r in stage.requirements)
    lines.append("#   then: certified")
    return lines


def _render_starter(
    program: Program, header: Mapping[str, Any], trainees: Sequence[Mapping[str, Any]],
    blocks: Sequence[tuple[_Block, bool]], invocation: str,
) -> str:
    out = _starter_header(program, invocation)
    track_note = (
        "one of: " + ", ".join(t.key for t in program.tracks) + " (a trainee may set their own)"
        if program.tracks else ""
    )
    out += ["", *_toml_table("cohort", header, {"track": track_note})]
    if not program.tracks:
        out.append(f"# track: {program.key} has no tracks")
    trainee_notes = {
        "credential": " | ".join(c.value for c in _CREDENTIALS),
        "trainer": "the certified trainer they are paired with",
        "co_leader": "a mental-health co-leader, where the credential is not MH",
    }
    for t in trainees:
        out += ["", *_toml_table("trainees", t, trainee_notes)]
    out += [
        "",
        "# Events: each row is one of attended, artifact, waived, held, resumed, withdrawn, voided.",
        "# Rows may give an `id` (to void them later) and `recorded_by`. Dates are TOML dates.",
    ]
    for block, live in blocks:
        out += ["", f"# {block.comment}"]
        if not live:
            out.append("# (commented out: with the rows above, `facilitrack check` would flag it)")
        for row in block.rows:
            lines = _toml_table("events", row, block.notes)
            out += lines if live else [f"# {line}" for line in lines]
    return "\n".join(out) + "\n"


def starter_cohort(
    program: Program,
    *,
    path: str | Path = "cohort.toml",
    program_file: str | None = None,
    host: PluginHost | None = None,
) -> str:
    """A commented cohort file for `program` that `facilitrack check` passes.

    It lists the program's stages, keys and choices in comments, enrols two trainees and shows
    an event of each kind; a kind the program cannot show without a problem is commented out.

    :param path: where the file will be written (a `program_file` is relative to it).
    :param program_file: name the program by this file instead of its installed key.
    """
    host = host or load_plugins()
    header: dict[str, Any] = {"name": f"{program.name} - new cohort"}
    header |= {"program_file": program_file} if program_file else {"program": program.key}
    if program.tracks:
        header["track"] = program.tracks[0].key
    credential = _credential_for(program)
    first_rule = next((r for r in program.stages[0].requirements if isinstance(r, CredentialRule)), None)
    second: dict[str, Any] = {"id": "trainee-2", "name": "Second Trainee"}
    if first_rule is not None and first_rule.with_co_leader:
        second |= {"credential": first_rule.with_co_leader[0].value, "enrolled": STARTER_DATE,
                   "trainer": "trainer-1", "co_leader": "trainee-1"}
    else:
        second |= {"credential": credential.value, "enrolled": STARTER_DATE, "trainer": "trainer-1"}
    trainees = [
        {"id": "trainee-1", "name": "First Trainee", "credential": credential.value,
         "enrolled": STARTER_DATE, "trainer": "trainer-1"},
        second,
    ]
    invocation = f"facilitrack init {program_file or program.key}"
    base, optional = _starter_blocks(program)
    chosen: list[tuple[_Block, bool]] = [(b, True) for b in base]
    for block in optional:
        trial = _render_starter(program, header, trainees, [*chosen, (block, True)], invocation)
        chosen.append((block, _clean(trial, path, host)))
    return _render_starter(program, header, trainees, chosen, invocation)


def _clean(text: str, path: str | Path, host: PluginHost) -> bool:
    """Whether cohort `text` reads and runs without a problem."""
    try:
        report = read_cohort(text, path, host=host).report()
    except UserError:
        return False
    return not report.problems
