"""The hash chain every durable store keeps, and the walk that checks it.

Shared by the SQLite and PostgreSQL stores so both chain and verify alike. What is chained:

- **Events.** Each row carries ``hash``, computed by its ``format``: format 1 (rows written
  before schema 2 of the SQLite store) is ``sha256(prev_hash + body)``; format 2 is
  ``sha256(prev_hash + recorded_at + "\\n" + body [+ "\\n" + pinned])``, where ``pinned`` is
  the digest of the program definition an enrolment pins, when the store held it. So editing
  a row's body, its recording time, or the definition an enrolment was recorded under, breaks
  the chain at that row.
- **Side chains.** Stored program definitions and settings are chained among themselves
  (``hash = sha256(prev_hash + name + "\\n" + digest)``, ``digest = sha256(body)``), with their
  count and last hash in the store's head, like the events.
- **Sealed legacy rows.** The recording times of format-1 rows were never chained; the
  migration that introduced format 2 sealed them (`seal`), so an edit after it is caught.
- **Derived tables** (the per-trainee index) are recomputed from the events and compared.
- **Snapshots** carry ``sha256(event hash at their seq + "\\n" + tag + "\\n" + body)``: one
  that does not check out is ignored when loading, and named by `verify`.

None of this resists someone who recomputes every hash after an edit: docs/journal.md says
how to anchor a store (keep `verify`'s output elsewhere).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from pydantic import ValidationError

from .._model.events import EVENT_ADAPTER, EVENT_LIST_ADAPTER, Enrolled
from .._text import counted

#: The hash the first row of every chain links from.
GENESIS = "0" * 64

#: The hash format of rows written now (see the module docstring).
FORMAT = 2

_PAGE = 500  # bodies parsed per call when verifying


def sha256(text: str) -> str:
    """Hex SHA-256 of UTF-8 text."""
    return hashlib.sha256(text.encode()).hexdigest()


def chain_hash(prev_hash: str, body: str) -> str:
    """Format 1: ``sha256(prev_hash + body)``, hex (rows written before format 2)."""
    return sha256(prev_hash + body)


def row_hash(prev_hash: str, recorded_at: str, body: str, pinned: str | None = None) -> str:
    """Format 2: ``sha256(prev_hash + recorded_at + "\\n" + body [+ "\\n" + pinned])``, hex."""
    tail = "" if pinned is None else "\n" + pinned
    return sha256(f"{prev_hash}{recorded_at}\n{body}{tail}")


def hash_of(fmt: int, prev_hash: str, recorded_at: str, body: str, pinned: str | None) -> str | None:
    """The hash a row of format `fmt` must carry; None for an unknown format."""
    if fmt == 1:
        return chain_hash(prev_hash, body)
    if fmt == 2:
        return row_hash(prev_hash, recorded_at, body, pinned)
    return None


def link_hash(prev_hash: str, name: str, digest: str) -> str:
    """A side-chain row's hash: ``sha256(prev_hash + name + "\\n" + digest)``."""
    return sha256(f"{prev_hash}{name}\n{digest}")


def snapshot_digest(event_hash: str, tag: str, body: str) -> str:
    """What a snapshot carries: ``sha256(event hash at its seq + "\\n" + tag + "\\n" + body)``."""
    return sha256(f"{event_hash}\n{tag}\n{body}")


def seal(rows: Iterable[tuple[int, str]]) -> str:
    """The digest of format-1 rows' (seq, recorded_at), in order: what a migration sealed."""
    h = hashlib.sha256()
    for seq, recorded_at in rows:
        h.update(f"{seq}\t{recorded_at}\n".encode())
    return h.hexdigest()


def snapshot_data(body: str) -> dict[str, Any] | None:
    """A stored snapshot body as data, or None when it is not a JSON object."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


@dataclass(frozen=True)
class ChainProblem:
    """Something stored that does not check out.

    :param part: ``events``, ``sealed`` (recording times of format-1 rows), ``definitions``,
        ``settings``, ``index`` or ``cache`` (snapshots,
        which are ignored when damaged: the store still answers, from the events).
    """

    seq: int
    id: str | None
    reason: str
    part: str = "events"

    def __str__(self) -> str:
        if self.part != "events":
            return self.reason
        who = f"seq {self.seq} (id {self.id})" if self.id else f"seq {self.seq}"
        return f"{who}: {self.reason}"


class ChainRow(NamedTuple):
    """An event row as `verify` reads it."""

    seq: int
    id: str
    trainee: str
    kind: str
    on: str
    recorded_at: str
    recorded_by: str | None
    body: str
    prev_hash: str
    hash: str
    format: int
    pinned: str | None


class SideRow(NamedTuple):
    """A row of a side chain (definitions, settings) as `verify` reads it."""

    pos: int
    name: str
    body: str
    digest: str
    prev_hash: str
    hash: str


@dataclass
class EventChecker:
    """Walks event rows in seq order and names each that does not check out.

    :param definitions: digest of each stored definition by ``key@version``, to check what
        enrolments pinned.
    """

    definitions: Mapping[str, str] = field(default_factory=dict)
    problems: list[ChainProblem] = field(default_factory=list)
    last_seq: int = 0
    last_hash: str = GENESIS
    last_id: str | None = None
    legacy: list[tuple[int, str]] = field(default_factory=list)
    derived: dict[str, list[int]] = field(default_factory=dict)  # trainee → [first seq, count]
    _hashes: dict[str, int] = field(default_factory=dict)
    _prev: ChainRow | None = None
    _newest_format: int = 1

    def feed(self, rows: Iterable[ChainRow]) -> None:
        page: list[ChainRow] = []
        for row in rows:
            page.append(row)
            if len(page) == _PAGE:
                self._page(page)
                page = []
        if page:
            self._page(page)

    def _page(self, rows: list[ChainRow]) -> None:
        """Parse a page of bodies in one call; a page with a bad body is checked row by row."""
        events: list[Any] | None
        try:
            events = EVENT_LIST_ADAPTER.validate_json("[" + ",".join(r.body for r in rows) + "]")
        except ValidationError:
            events = None
        for i, row in enumerate(rows):
            self._row(row, events[i] if events is not None else None)

    def _row(self, row: ChainRow, event: Any) -> None:
        self.problems.extend(self._own(row, event))
        if row.seq != self.last_seq + 1:
            first = self.last_seq + 1
            gap = f"seq {first}" if row.seq == first + 1 else f"seq {first}..{row.seq - 1}"
            self.problems.append(ChainProblem(
                row.seq, row.id, f"{gap} deleted (between {self.last_id or 'the start'} and {row.id})"))
        elif row.prev_hash != self.last_hash:
            self.problems.append(self._link(row))
        if row.format == 1:
            self.legacy.append((row.seq, row.recorded_at))
        counted = self.derived.setdefault(row.trainee, [row.seq, 0])
        counted[1] += 1
        self._hashes[row.hash] = row.seq
        self.last_seq, self.last_hash, self.last_id = row.seq, row.hash, row.id
        self._prev = row

    def _own(self, row: ChainRow, event: Any) -> list[ChainProblem]:  # noqa: PLR0911 -- one check per return
        """A row's own checks: hash against content, columns against body, what it pinned.

        :param event: the row's body parsed (None when its page did not parse).
        """
        seq, id_ = row.seq, row.id
        expected = hash_of(row.format, row.prev_hash, row.recorded_at, row.body, row.pinned)
        if expected is None:
            return [ChainProblem(seq, id_, f"edited: unknown hash format {row.format}")]
        if row.format < self._newest_format:
            return [ChainProblem(seq, id_, "edited: its hash format is older than a row before it")]
        self._newest_format = row.format
        if expected != row.hash:
            return [ChainProblem(seq, id_, "edited: the stored hash does not match the row's content")]
        if event is not None:
            data = {"id": event.id, "trainee": event.trainee, "kind": event.kind,
                    "on": event.on.isoformat(), "recorded_by": event.recorded_by}
            if isinstance(event, Enrolled):
                data["program"], data["version"] = event.program, event.version
            return self._columns(row, data)
        try:
            data = json.loads(row.body)
        except ValueError:
            return [ChainProblem(seq, id_, "edited: the body is not JSON")]
        if not isinstance(data, dict):
            return [ChainProblem(seq, id_, "edited: the body is not an event")]
        try:
            EVENT_ADAPTER.validate_json(row.body)
        except ValidationError:
            return [ChainProblem(seq, id_, "edited: the body is not a valid event")]
        return self._columns(row, data)

    def _columns(self, row: ChainRow, data: Mapping[str, Any]) -> list[ChainProblem]:
        """The columns beside the body against the event, and the definition it pinned."""
        seq, id_ = row.seq, row.id
        columns = {"id": id_, "trainee": row.trainee, "kind": row.kind, "on": row.on,
                   "recorded_by": row.recorded_by}
        wrong = [k for k, v in columns.items() if data.get(k) != v]
        if wrong:
            return [ChainProblem(seq, id_, f"edited: column {', '.join(wrong)} differs from the event")]
        if row.pinned is not None:
            ref = f"{data.get('program')}@{data.get('version')}"
            stored = self.definitions.get(ref)
            if stored is None:
                return [ChainProblem(seq, id_, f"the definition it pinned ({ref}) is missing")]
            if stored != row.pinned:
                return [ChainProblem(seq, id_, f"the definition it pinned ({ref}) was changed after")]
        return []

    def _link(self, row: ChainRow) -> ChainProblem:
        """Why a row does not chain from the one before it: an insertion, a deletion, an edit."""
        prev = self._prev
        seq, id_ = row.seq, row.id
        if prev is not None and row.prev_hash == prev.prev_hash:
            return ChainProblem(prev.seq, prev.id,
                                f"inserted: seq {seq} (id {id_}) chains from the row before it")
        if row.prev_hash in self._hashes:
            at = self._hashes[row.prev_hash]
            where = (prev.seq, prev.id) if prev else (seq, id_)
            return ChainProblem(*where, f"inserted: seq {seq} (id {id_}) chains from seq {at}")
        if prev is not None:
            return ChainProblem(
                prev.seq, prev.id,
                f"edited or a row deleted after it: seq {seq} (id {id_}) does not chain from it")
        return ChainProblem(seq, id_, "edited or a row deleted before it: the chain does not start here")

    def finish(self, head: tuple[int, str] | None, sealed: str | None) -> list[ChainProblem]:
        """The problems found, with the head (version, hash) and the legacy seal compared."""
        out = list(self.problems)
        if head is not None and head != (self.last_seq, self.last_hash):
            version = head[0]
            if version > self.last_seq:
                out.append(ChainProblem(
                    self.last_seq + 1, None,
                    f"deleted: the store recorded {counted(version, 'event')}, {self.last_seq} remain"
                    f" (the last rows after {self.last_id or 'the start'} are gone)"))
            else:
                out.append(ChainProblem(
                    self.last_seq, self.last_id,
                    f"the last rows do not match the store's head (version {version}): added"
                    " or edited outside facilitrack"))
        if sealed is not None and seal(self.legacy) != sealed:
            out.append(ChainProblem(
                0, None, "edited: the recording times of rows written before hash format 2"
                " differ from those sealed when the store was upgraded", "sealed"))
        return out


def side_problems(
    rows: Iterable[SideRow], head: tuple[int, str], what: str, part: str
) -> Iterator[ChainProblem]:
    """Check a side chain (`what`: "program definition", "setting") and its head."""
    last_pos, last_hash = 0, GENESIS
    for row in rows:
        label = f"{what} {row.name!r} (#{row.pos})"
        if sha256(row.body) != row.digest:
            yield ChainProblem(row.pos, None, f"{label}: edited: its content does not match its digest", part)
        elif link_hash(row.prev_hash, row.name, row.digest) != row.hash:
            yield ChainProblem(row.pos, None, f"{label}: edited: its hash does not match", part)
        if row.pos != last_pos + 1:
            yield ChainProblem(row.pos, None, f"{label}: a {what} before it was deleted", part)
        elif row.prev_hash != last_hash:
            yield ChainProblem(row.pos, None, f"{label}: does not chain from the {what} before it", part)
        last_pos, last_hash = row.pos, row.hash
    if (last_pos, last_hash) != head:
        yield ChainProblem(last_pos, None,
                           f"{what}s: the store recorded {head[0]}, {last_pos} check out against its head"
                           " (one deleted, added or edited outside facilitrack)", part)


def index_problems(
    derived: Mapping[str, list[int]], index: Mapping[str, tuple[int, int]]
) -> Iterator[ChainProblem]:
    """The per-trainee index (first seq, event count) against what the events say."""
    for trainee in sorted(set(derived) | set(index)):
        want = tuple(derived[trainee]) if trainee in derived else None
        have = index.get(trainee)
        if want != have:
            yield ChainProblem(0, None, f"index: trainee {trainee!r} is listed as {have}"
                               f" (first seq, events) but the events say {want}", "index")


def snapshot_problem(
    trainee: str, seq: int, *, tag: str, body: str, digest: str, event_hash: str | None
) -> ChainProblem | None:
    """A damaged snapshot (it is ignored when loading), or None when it checks out."""
    why = None
    if snapshot_data(body) is None:
        why = "is not a JSON object"
    elif event_hash is None:
        why = f"names seq {seq}, which the store does not hold"
    elif snapshot_digest(event_hash, tag, body) != digest:
        why = "does not match its digest (edited outside facilitrack)"
    if why is None:
        return None
    return ChainProblem(seq, None, f"snapshot of {trainee} (seq {seq}) {why}; it is ignored and"
                        " the state is rebuilt from the events", "cache")
