"""Program definitions: a program is data — ordered stages, their requirements, certificates.

Definitions are frozen pydantic models, so they are validated once, hashable into machines, and
serialise to the same JSON/TOML shape they are read from. Plugins build them in Python or ship
a ``program.toml``; `load_program` reads one file with errors that name the file and field.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializeAsAny,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from .._errors import DefinitionError
from .._toml import read_toml
from .group_rules import GroupRules
from .requirements import (
    KEY_PATTERN,
    Artifact,
    Attendance,
    CredentialRule,
    Pairing,
    Requirement,
    RequirementKinds,
)

#: Machine states every program has besides its stages.
CERTIFIED, ON_HOLD, WITHDRAWN = "certified", "on_hold", "withdrawn"
RESERVED_STATES = frozenset({CERTIFIED, ON_HOLD, WITHDRAWN})
VERSION_PATTERN = r"^\d+(\.\d+)*$"

_DEFAULT_KINDS = RequirementKinds()


def _parse_requirement(value: Any, info: ValidationInfo) -> Any:
    context = info.context if isinstance(info.context, Mapping) else {}
    kinds = context.get("kinds", _DEFAULT_KINDS)
    return kinds.parse(value)


AnyRequirement = Annotated[
    SerializeAsAny[Requirement],
    BeforeValidator(
        _parse_requirement,
        json_schema_input_type=Attendance | Artifact | CredentialRule | Pairing,
    ),
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CertificateSpec(_Frozen):
    """The certificate a stage issues when it completes."""

    title: str = Field(min_length=1)
    source: str | None = None


class Track(_Frozen):
    """A variant of a program's pathway (MPG: infant or toddler group facilitation)."""

    key: str = Field(pattern=KEY_PATTERN)
    title: str = Field(min_length=1)
    source: str | None = None


class Stage(_Frozen):
    """One step of the pathway: what it asks for and what completing it issues."""

    key: str = Field(pattern=KEY_PATTERN)
    title: str = Field(min_length=1)
    requirements: tuple[AnyRequirement, ...] = Field(min_length=1)
    certificate: CertificateSpec | None = None
    source: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _unique_requirement_keys(self) -> Stage:
        seen: set[tuple[str, str]] = set()
        for req in self.requirements:
            if (req.kind, req.key) in seen:
                raise ValueError(f"stage {self.key!r} lists {req.kind} {req.key!r} twice")
            seen.add((req.kind, req.key))
        return self

    def requirement(self, key: str) -> Requirement | None:
        """The requirement with this key, if the stage has one."""
        return next((r for r in self.requirements if r.key == key), None)


class Program(_Frozen):
    """A training program: its identity, version and ordered stages."""

    key: str = Field(pattern=KEY_PATTERN)
    name: str = Field(min_length=1)
    version: str = Field(pattern=VERSION_PATTERN)
    organisation: str = Field(min_length=1)
    description: str = ""
    tracks: tuple[Track, ...] = ()
    stages: tuple[Stage, ...] = Field(min_length=1)
    groups: GroupRules | None = Field(None, description="The rules the program's groups follow.")
    source: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _check_group_credits(self) -> Program:
        unknown = self.groups.unknown_credits(self.keys_of("attended")) if self.groups else []
        if unknown:
            raise ValueError(f"groups credit {unknown[0]!r}, which no stage's attendance requirement counts")
        return self

    @model_validator(mode="after")
    def _check_keys(self) -> Program:
        stage_keys = [s.key for s in self.stages]
        for key in stage_keys:
            if key in RESERVED_STATES:
                raise ValueError(f"stage key {key!r} is reserved; choose another name")
        for label, keys in (("stage", stage_keys), ("track", [t.key for t in self.tracks])):
            dupes = sorted({k for k in keys if keys.count(k) > 1})
            if dupes:
                raise ValueError(f"{label} key {dupes[0]!r} is used twice")
        return self

    @property
    def version_tuple(self) -> tuple[int, ...]:
        """The version as numbers, for ordering."""
        return tuple(int(part) for part in self.version.split("."))

    @property
    def ref(self) -> str:
        """``key@version``, how journals and errors name a definition."""
        return f"{self.key}@{self.version}"

    def stage(self, key: str) -> Stage | None:
        """The stage with this key, if any."""
        return next((s for s in self.stages if s.key == key), None)

    @cached_property
    def first_stage_of(self) -> dict[tuple[str, str], int]:
        """(event kind, key) → index of the first stage crediting it: the key vocabulary."""
        index: dict[tuple[str, str], int] = {}
        for i, stage in enumerate(self.stages):
            for req in stage.requirements:
                if req.credited_by is not None:
                    index.setdefault((req.credited_by, req.key), i)
        return index

    @cached_property
    def activity_stage(self) -> dict[str, int]:
        """Activity key → index of the first stage crediting it (the fold's same-day tie-break)."""
        return {key: i for (kind, key), i in self.first_stage_of.items() if kind == "attended"}

    def keys_of(self, event_kind: str) -> list[str]:
        """Every key the program credits through events of this kind, sorted."""
        return sorted(key for kind, key in self.first_stage_of if kind == event_kind)


def parse_program(
    data: Mapping[str, Any], *, origin: str, kinds: RequirementKinds | None = None
) -> Program:
    """Validate a definition mapping; errors name `origin` and the field path."""
    try:
        return Program.model_validate(data, context={"kinds": kinds or _DEFAULT_KINDS})
    except ValidationError as exc:
        raise definition_error(exc, origin) from None


def definition_error(exc: ValidationError, origin: str) -> DefinitionError:
    """Turn pydantic's report into one error naming the file or plugin and each field."""
    lines = []
    for err in exc.errors(include_url=False):
        path = format_loc(err["loc"])
        lines.append(f"{path}: {err['msg']}" if path else str(err["msg"]))
    return DefinitionError(
        "invalid program definition:\n    " + "\n    ".join(lines),
        where=origin,
        fix="correct the fields named above (see `facilitrack schema program`)",
    )


def format_loc(loc: tuple[int | str, ...]) -> str:
    """``('stages', 1, 'requirements', 0, 'count')`` → ``stages[1].requirements[0].count``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.startswith(("function-", "json-or-python")):
            continue
        else:
            out += f".{part}" if out else part
    return out


def load_program(path: str | Path, *, kinds: RequirementKinds | None = None) -> Program:
    """Read a program definition from a TOML file."""
    data = read_toml(Path(path), DefinitionError)
    return parse_program(data, origin=str(path), kinds=kinds)
