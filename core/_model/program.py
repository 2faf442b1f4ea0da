"""Program definitions: a program is data — ordered stages, their requirement trees, certificates.

Definitions are frozen pydantic models, so they are validated once, hashable into machines, and
serialise to the same JSON/TOML shape they are read from. Plugins build them in Python or ship
a ``program.toml``; `load_program` reads one file with errors that name the file and field.

Besides its stages a definition declares its `Vocabulary` (credentials and roles) and the rules
of its groups; a stage may open early (``opens_when``, a requirement of an earlier stage being
met), and a certificate may be valid for a time and renewed (``valid_for``, ``renewal``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .._errors import DefinitionError
from .._toml import read_toml
from .group_rules import GroupRules
from .ids import KEY_PATTERN, REF_PATTERN, VERSION_PATTERN, pattern_message
from .leaves import CredentialRule, Pairing, Role
from .periods import Duration
from .requirements import Node, Requirement, split_ref
from .tree import DEFAULT_KINDS, AnyNode, RequirementKinds
from .vocabulary import LEGACY_VOCABULARY, Vocabulary

#: Machine states every program has besides its stages.
#: Where a trainee may stand besides a program's own stages (what `TraineeStatus.stage` says).
CERTIFIED, ON_HOLD, WITHDRAWN, NOT_ENROLLED = "certified", "on_hold", "withdrawn", "not_enrolled"
RESERVED_STATES = frozenset({CERTIFIED, ON_HOLD, WITHDRAWN, NOT_ENROLLED})

#: The stage index renewal requirements count as (after every stage).
RENEWAL = "renewal"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CertificateSpec(_Frozen):
    """The certificate a stage issues when it completes; it may expire and be renewed.

    With `valid_for`, the certificate is valid for that long from its issue. With `renewal`
    (only on the last stage's certificate), meeting those requirements while certified renews
    it for another `valid_for`, counted from the day it would have expired (or, when met after
    expiry, from the day they are met).
    """

    title: str = Field(min_length=1)
    source: str | None = None
    note: str | None = None
    valid_for: Duration | None = None
    renewal: tuple[AnyNode, ...] = ()

    @model_validator(mode="after")
    def _renewal_needs_validity(self) -> CertificateSpec:
        if self.renewal and self.valid_for is None:
            raise ValueError("a certificate with `renewal` requirements needs `valid_for`")
        return self


class Track(_Frozen):
    """A variant of a program's pathway (MPG: infant or toddler group facilitation)."""

    key: str = Field(pattern=KEY_PATTERN)
    title: str = Field(min_length=1)
    source: str | None = None


class Stage(_Frozen):
    """One step of the pathway: what it asks for and what completing it issues."""

    key: str = Field(pattern=KEY_PATTERN)
    title: str = Field(min_length=1)
    requirements: tuple[AnyNode, ...] = Field(min_length=1)
    certificate: CertificateSpec | None = None
    opens_when: str | None = Field(
        None, pattern=REF_PATTERN,
        description="`stage.key` of an earlier stage: this stage takes credit once that is met.",
    )
    source: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _unique_keys(self) -> Stage:
        seen: set[str] = set()
        for node in self.nodes():
            if node.node_key in seen:
                raise ValueError(
                    f"stage {self.key!r} names {node.node_key!r} twice; give one a distinct `key`"
                )
            seen.add(node.node_key)
        return self

    def nodes(self) -> Iterator[Node]:
        """Every requirement node of the stage, depth first."""
        for node in self.requirements:
            yield from node.walk()

    def leaves(self) -> Iterator[Requirement]:
        """Every leaf requirement of the stage, depth first."""
        return (n for n in self.nodes() if isinstance(n, Requirement))

    def requirement(self, key: str) -> Node | None:
        """The node with this key, if the stage has one."""
        return next((n for n in self.nodes() if n.node_key == key), None)


class Program(_Frozen):
    """A training program: its identity, version, vocabulary and ordered stages."""

    key: str = Field(pattern=KEY_PATTERN)
    name: str = Field(min_length=1)
    version: str = Field(pattern=VERSION_PATTERN)
    organisation: str = Field(min_length=1)
    description: str = ""
    vocabulary: Vocabulary | None = Field(
        None, description="Credentials and roles; none: the four credentials of facilitrack 0.1."
    )
    tracks: tuple[Track, ...] = ()
    stages: tuple[Stage, ...] = Field(min_length=1)
    groups: GroupRules | None = Field(None, description="The rules the program's groups follow.")
    source: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _check_keys(self) -> Program:
        stage_keys = [s.key for s in self.stages]
        for key in stage_keys:
            if key in RESERVED_STATES or "__" in key:
                raise ValueError(f"stage key {key!r} is reserved (or holds `__`); choose another name")
        for label, keys in (("stage", stage_keys), ("track", [t.key for t in self.tracks])):
            dupes = sorted({k for k in keys if keys.count(k) > 1})
            if dupes:
                raise ValueError(f"{label} key {dupes[0]!r} is used twice")
        for i, stage in enumerate(self.stages):
            if stage.certificate is not None and stage.certificate.renewal and i != len(self.stages) - 1:
                raise ValueError(f"stage {stage.key!r}: only the last stage's certificate can be renewed")
        return self

    @model_validator(mode="after")
    def _check_references(self) -> Program:
        for i, stage in enumerate(self.stages):
            if stage.opens_when is not None:
                where, _ = self.resolve(stage.opens_when, stage.key)
                if where >= i:
                    raise ValueError(
                        f"stage {stage.key!r} opens when {stage.opens_when!r} is met, which is not"
                        " a requirement of an earlier stage"
                    )
        waits: dict[int, tuple[str, list[Node]]] = {}
        for stage in self.stages:
            for node_ in stage.nodes():
                waits[id(node_)] = (f"{stage.key}.{node_.node_key}",
                                    [self.resolve(ref, stage.key)[1] for ref in _refs(node_)])
        cycle = _first_cycle(waits)
        if cycle:
            raise ValueError(f"{' waits for '.join(cycle)}: a requirement that waits for itself"
                             " (`opens_when`, or a window from its own completion) can never be met")
        return self

    @model_validator(mode="after")
    def _check_vocabulary(self) -> Program:
        words = self.words
        for stage in self.stages:
            for leaf in stage.leaves():
                where = f"stage {stage.key!r}, {leaf.kind} {leaf.key!r}"
                if isinstance(leaf, CredentialRule):
                    words.check_credentials([*leaf.allowed, *leaf.with_co_leader], where)
                elif isinstance(leaf, Role | Pairing) and leaf.role is not None:
                    words.check_roles([leaf.role], where)
        if self.groups is not None:
            self.groups.check_words(words)
            self.__dict__["groups"] = self.groups.with_words(words)
        return self

    @model_validator(mode="after")
    def _check_group_credits(self) -> Program:
        unknown = self.groups.unknown_credits(self.keys_of("attended")) if self.groups else []
        if unknown:
            raise ValueError(f"groups credit {unknown[0]!r}, which no stage's attendance requirement counts")
        return self

    @property
    def words(self) -> Vocabulary:
        """The vocabulary in force: the declared one, or facilitrack 0.1's."""
        return self.vocabulary if self.vocabulary is not None else LEGACY_VOCABULARY

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

    def stage_index(self, key: str) -> int:
        """The position of the stage with this key (ValueError if none)."""
        for i, stage in enumerate(self.stages):
            if stage.key == key:
                return i
        raise ValueError(f"{self.key} has no stage {key!r}")

    def resolve(self, ref: str, own_stage: str) -> tuple[int, Node]:
        """The stage index and node a reference (``key`` or ``stage.key``) names."""
        stage_key, key = split_ref(ref)
        stage_key = stage_key or own_stage
        stage = self.stage(stage_key)
        node = stage.requirement(key) if stage is not None else None
        if stage is None or node is None:
            raise ValueError(f"{ref!r} names no requirement (in stage {stage_key!r})")
        return self.stage_index(stage_key), node

    @property
    def renewal(self) -> tuple[Node, ...]:
        """The renewal requirements of the final certificate, if any."""
        cert = self.stages[-1].certificate
        return cert.renewal if cert is not None else ()

    @cached_property
    def first_stage_of(self) -> dict[tuple[str, str], int]:
        """(event kind, key) → index of the first stage crediting it: the key vocabulary, and
        where events sort within a day. A waiver's key is its requirement's (``waived``).

        Renewal requirements count as a stage after the last.
        """
        index: dict[tuple[str, str], int] = {}
        groups: list[tuple[int, Iterator[Node]]] = [(i, s.nodes()) for i, s in enumerate(self.stages)]
        groups.append((len(self.stages), (n for r in self.renewal for n in r.walk())))
        for i, nodes in groups:
            for node in nodes:
                index.setdefault(("waived", node.node_key), i)
                if isinstance(node, Requirement):
                    for watched in node.watches():
                        index.setdefault(watched, i)
        return index

    def stage_of(self, event: Any) -> int:
        """Where an event sorts among its day's events of the same kind: the first stage that
        counts its key (a waiver naming a stage: that stage), else 0."""
        kind = event.kind
        if kind == "waived":
            if event.stage is not None:
                return next((i for i, s in enumerate(self.stages) if s.key == event.stage), 0)
            return self.first_stage_of.get((kind, event.requirement), 0)
        key = getattr(event, "activity", None) or getattr(event, "artifact", None)
        return self.first_stage_of.get((kind, key), 0) if key is not None else 0

    def keys_of(self, event_kind: str) -> list[str]:
        """Every key the program credits through events of this kind, sorted."""
        return sorted(key for kind, key in self.first_stage_of if kind == event_kind)


def _first_cycle(waits: Mapping[int, tuple[str, list[Node]]]) -> list[str] | None:
    """The names along the first cycle of requirements waiting for one another, or None."""
    done: set[int] = set()
    for start in waits:
        if start in done:
            continue
        path: list[int] = [start]
        todo: list[list[int]] = [[id(t) for t in waits[start][1]]]
        while path:
            if not todo[-1]:
                done.add(path.pop())
                todo.pop()
                continue
            nxt = todo[-1].pop()
            if nxt in path:
                return [waits[n][0] for n in path[path.index(nxt):]] + [waits[nxt][0]]
            if nxt not in done:
                path.append(nxt)
                todo.append([id(t) for t in waits[nxt][1]])
    return None


def _refs(node: Node) -> list[str]:
    refs = [node.opens_when] if node.opens_when else []
    if node.window is not None:
        kind, ref = node.window.anchor
        if kind == "met" and ref is not None:
            refs.append(ref)
    return refs


def parse_program(
    data: Mapping[str, Any], *, origin: str, kinds: RequirementKinds | None = None
) -> Program:
    """Validate a definition mapping; errors name `origin` and the field path."""
    deep = _too_deep(data)
    if deep is not None:
        raise DefinitionError(
            f"{deep}…: nested more than {MAX_NESTING} tables and lists deep", where=origin,
            fix="flatten the requirement tree: real pathways need a few levels of all_of/any_of/n_of")
    try:
        return Program.model_validate(data, context={"kinds": kinds or DEFAULT_KINDS})
    except ValidationError as exc:
        raise definition_error(exc, origin) from None


#: How deep tables and lists may nest in a definition. A requirement tree takes two a level, so
#: this allows 13 levels of ``all_of``/``any_of``/``n_of``; assumption: real pathways use
#: two or three, and a definition hundreds deep would exhaust Python's stack while validated.
MAX_NESTING = 32


def _too_deep(data: Mapping[str, Any]) -> str | None:
    """Where the first value nested deeper than `MAX_NESTING` begins (its first steps), or None."""
    stack: list[tuple[Any, tuple[int | str, ...]]] = [(data, ())]
    while stack:
        value, loc = stack.pop()
        if len(loc) > MAX_NESTING:
            return format_loc(loc[:6])
        if isinstance(value, Mapping):
            stack.extend((v, (*loc, str(k))) for k, v in value.items())
        elif isinstance(value, list | tuple):
            stack.extend((v, (*loc, i)) for i, v in enumerate(value))
    return None


def definition_error(exc: ValidationError, origin: str) -> DefinitionError:
    """Turn pydantic's report into one error naming the file or plugin and each field."""
    lines = []
    errors = exc.errors(include_url=False)
    for err in errors:
        loc = err["loc"]
        if err["type"] == "too_short" and any(len(e["loc"]) > len(loc) and e["loc"][:len(loc)] == loc
                                              for e in errors):
            continue  # a list left short by its own items' errors, reported above
        path = format_loc(loc)
        msg = pattern_message(err) or str(err["msg"]).removeprefix("Value error, ")
        lines.append(f"{path}: {msg}" if path else msg)
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


def program_schema(kinds: RequirementKinds = DEFAULT_KINDS) -> dict[str, Any]:
    """The JSON Schema of a definition file: every field, and each requirement kind `kinds`
    knows (plugins' too) as one alternative of a requirement, told apart by ``kind``."""
    from pydantic.json_schema import models_json_schema

    classes = kinds.classes()
    _, top = models_json_schema([(Program, "validation"), *((c, "validation") for c in classes)],
                                ref_template="#/$defs/{model}")
    defs = top["$defs"]
    names = {c.__name__: c.model_fields["kind"].default for c in classes}
    defs["Node"] = {
        "description": "A requirement: one of the kinds below, chosen by its `kind`.",
        "oneOf": [{"$ref": f"#/$defs/{name}"} for name in names],
        "discriminator": {"propertyName": "kind",
                          "mapping": {kind: f"#/$defs/{name}" for name, kind in names.items()}},
    }
    program = defs.pop("Program")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **program, "$defs": defs}


def same_definition(kept: Mapping[str, Any], program: Program) -> bool:
    """Whether a definition kept as JSON data (in a store, an export) is `program`.

    The one comparison for "the same ``key@version`` must be identical": the data is read
    again, so a copy an earlier release kept without the defaults this one writes still
    matches, and a changed count does not.
    """
    if dict(kept) == program.model_dump(mode="json"):
        return True
    used = {type(leaf) for stage in program.stages for leaf in stage.leaves()}
    try:
        return parse_program(kept, origin="kept", kinds=DEFAULT_KINDS.including(used)) == program
    except (DefinitionError, ValueError):
        return False


def load_program(path: str | Path, *, kinds: RequirementKinds | None = None) -> Program:
    """Read a program definition from a TOML file."""
    data = read_toml(Path(path), DefinitionError)
    return parse_program(data, origin=str(path), kinds=kinds)
