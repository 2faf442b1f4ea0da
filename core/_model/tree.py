"""Requirement trees: ``all_of``, ``any_of`` and ``n_of`` nodes, and the kinds a definition may use.

```toml
[[stages.requirements]]
kind = "any_of"
key = "cases"
title = "2 completed cases, or 1 graduated case and 1 reviewed by a trainer"

  [[stages.requirements.requirements]]
  kind = "artifact"
  key = "completed_case"
  count = 2
  ...
```

`RequirementKinds` maps each ``kind`` to its class: the built-in leaves, the three
combinations, and the leaves plugins register. Parsing a definition looks each node's kind up
there (the registry travels in pydantic's validation context), so a plugin's kind can appear
anywhere in a tree, in TOML or in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, SerializeAsAny, ValidationInfo, model_validator

from .ids import KEY_PATTERN
from .leaves import BUILTIN_LEAVES
from .requirements import Measure, Node, Requirement, warn_legacy


def _parse_node(value: Any, info: ValidationInfo) -> Any:
    context = info.context if isinstance(info.context, Mapping) else {}
    kinds: RequirementKinds = context.get("kinds") or DEFAULT_KINDS
    return kinds.parse(value, context)


AnyNode = Annotated[SerializeAsAny[Node], BeforeValidator(_parse_node)]


class Combination(Node):
    """A node that combines other requirements; its key names it in waivers and explanations."""

    key: str = Field(pattern=KEY_PATTERN)
    requirements: tuple[AnyNode, ...] = Field(min_length=1)

    def children(self) -> tuple[Node, ...]:
        return self.requirements

    @model_validator(mode="after")
    def _unique_keys(self) -> Combination:
        keys = [child.node_key for child in self.requirements]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"{self.key!r} lists {dupes[0]!r} twice; give one a distinct `key`")
        return self

    def combine(self, measures: list[Measure]) -> Measure:
        """This node's progress from its children's."""
        raise NotImplementedError


class AllOf(Combination):
    """Every requirement below is met."""

    kind: Literal["all_of"] = "all_of"

    def combine(self, measures: list[Measure]) -> Measure:
        met = sum(m.met for m in measures)
        return Measure(met, len(measures), met == len(measures))


class AnyOf(Combination):
    """At least one requirement below is met."""

    kind: Literal["any_of"] = "any_of"

    def combine(self, measures: list[Measure]) -> Measure:
        met = any(m.met for m in measures)
        return Measure(int(met), 1, met)


class NOf(Combination):
    """At least `n` of the requirements below are met."""

    kind: Literal["n_of"] = "n_of"
    n: int = Field(gt=0)

    @model_validator(mode="after")
    def _enough(self) -> NOf:
        if self.n > len(self.requirements):
            raise ValueError(f"{self.key!r} needs {self.n} of {len(self.requirements)} requirements")
        return self

    def combine(self, measures: list[Measure]) -> Measure:
        met = sum(m.met for m in measures)
        return Measure(met, self.n, met >= self.n)


COMBINATIONS: tuple[type[Combination], ...] = (AllOf, AnyOf, NOf)

RegisterKind = Callable[[type[Requirement]], None]


class RequirementKinds:
    """The requirement kinds a definition may use: the built-ins plus those plugins register."""

    def __init__(self) -> None:
        self._kinds: dict[str, type[Node]] = {}
        for cls in (*BUILTIN_LEAVES, *COMBINATIONS):
            self._add(cls)

    def register(self, cls: type[Requirement]) -> None:
        """Add a leaf kind; its ``kind`` field must default to a unique name.

        A kind written for facilitrack 0.1 (counting through ``have(state)``) still works and
        gets a `DeprecationWarning` naming the replacement.
        """
        if not (isinstance(cls, type) and issubclass(cls, Requirement)):
            raise TypeError(f"{cls!r} is not a subclass of facilitrack.plugin.Requirement")
        self._add(cls)
        if cls.is_legacy():
            warn_legacy(cls)

    def _add(self, cls: type[Node]) -> None:
        name = cls.model_fields["kind"].default
        if not isinstance(name, str) or not name:
            raise TypeError(f"{cls.__name__}.kind needs a default naming the kind")
        known = self._kinds.get(name)
        if known is not None and known is not cls:
            raise ValueError(f"requirement kind {name!r} is registered twice")
        self._kinds[name] = cls

    def including(self, classes: Iterable[type[Node]]) -> RequirementKinds:
        """A copy that also knows `classes` (kinds a parsed definition already uses)."""
        other = RequirementKinds()
        for cls in (*self.classes(), *classes):
            other._add(cls)
        return other

    def names(self) -> list[str]:
        """Known kind names, sorted."""
        return sorted(self._kinds)

    def classes(self) -> list[type[Node]]:
        """Every known kind's class, by name."""
        return [self._kinds[n] for n in self.names()]

    def parse(self, data: Any, context: Mapping[str, Any] | None = None) -> Node:
        """Build a node from a mapping, choosing the class by its ``kind``."""
        if isinstance(data, Node):
            return data
        if not isinstance(data, dict):
            raise ValueError("a requirement is a table with a `kind`")
        name = data.get("kind")
        cls = self._kinds.get(name) if isinstance(name, str) else None
        if cls is None:
            raise ValueError(f"unknown requirement kind {name!r}; known kinds: {', '.join(self.names())}")
        return cls.model_validate(data, context=dict(context or {"kinds": self}))


DEFAULT_KINDS = RequirementKinds()
