"""Places in a cohort file: ``FILE: events[3].attended (line 40)``, so every error names its row."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._errors import UserError

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


def _shape(data: Any) -> Any:
    """The tables inside parsed TOML and nothing else: a table as its nested tables by key, an
    array as its items' shapes — or as its length when no item holds a table. `_size` reads it
    as it would the data, and a large file's values are not kept alive for it."""
    if isinstance(data, Mapping):  # only values that may hold tables are looked into
        nested = ((k, _shape(v)) for k, v in data.items() if isinstance(v, Mapping | list))
        return {k: s for k, s in nested if s is not None}
    if isinstance(data, list):
        shapes = [_shape(item) for item in data]
        if all(s is None for s in shapes):
            return None
        return shapes if any(shapes) else len(data)
    return None


def _size(shape: Any, key: str) -> int:
    """How many tables the `_shape` holds at `key` (``groups[0].sessions``): a list's length, or 1."""
    for name, index in _steps(key):
        shape = shape.get(name) if isinstance(shape, Mapping) else None
        if index is not None:
            if isinstance(shape, int):  # an array of tables none of which holds a table
                shape = {} if index < shape else None
            else:
                shape = shape[index] if isinstance(shape, list) and index < len(shape) else None
    if isinstance(shape, list):
        return len(shape)
    if isinstance(shape, int):
        return shape
    return 1 if isinstance(shape, Mapping) else 0


@dataclass(frozen=True)
class Places:
    """Turns a position inside the file into ``FILE: events[3].attended (line 40)``.

    `lines` maps each table written with its own header to the lines of those headers, nested
    tables under their parent (``groups[0].sessions``: one line per ``[[groups.sessions]]``
    of the first group). A place inside a table resolves to the nearest enclosing one.
    """

    path: Path
    lines: Mapping[str, Sequence[int]]

    @classmethod
    def scan(cls, path: Path, text: str, data: Mapping[str, Any]) -> Places:
        """The places of `text`, whose parsed TOML is `data`; its headers are read on first use."""
        return cls(path, _HeaderLines(text, _shape(data)))

    def line(self, loc: str) -> int | None:
        """The line of the table header nearest `loc`, where one is known."""
        steps = _steps(loc)
        for depth in range(len(steps), 0, -1):
            name, index = steps[depth - 1]
            numbers = self.lines.get(_path([*steps[: depth - 1], (name, None)]), ())
            if (index or 0) < len(numbers):
                return numbers[index or 0]
        return None

    def label(self, loc: str) -> str:
        """``events[3].attended (line 40)``: the place, with its line where known."""
        line = self.line(loc)
        return loc + (f" (line {line})" if line else "")

    def at(self, loc: str) -> str:
        """``FILE: events[3].attended (line 40)``."""
        return f"{self.path}: {self.label(loc)}"

    def place(self, exc: UserError, loc: str) -> UserError:
        """`exc`, now naming `loc` in this file as where it happened."""
        exc.where = self.at(loc)
        exc.args = (exc.render(),)
        return exc

class _HeaderLines(Mapping[str, Sequence[int]]):
    """A file's table headers by place, found on first use: only errors and problems need them."""

    def __init__(self, text: str, shape: Mapping[str, Any]) -> None:
        self._text, self._shape = text, shape
        self._found: dict[str, list[int]] | None = None

    def _table(self) -> dict[str, list[int]]:
        if self._found is None:
            self._found = _header_lines(self._text, self._shape)
        return self._found

    def __getitem__(self, key: str) -> Sequence[int]:
        return self._table()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())


def _header_lines(text: str, shape: Mapping[str, Any]) -> dict[str, list[int]]:
    """The lines of the table headers of `text` (its tables' `_shape`) that place a table for sure."""
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
        if _size(shape, key) == len(found[key]) and all(p in trusted for p in parents):
            trusted[key] = found[key]
    return trusted
