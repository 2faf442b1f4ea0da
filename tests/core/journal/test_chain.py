"""The hash chain: every column of an event row, of a stored definition and of a snapshot is either
in its hash or checked against the body, so editing any one of them alone is named."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from facilitrack import Attended, Enrolled
from facilitrack._journal.chain import (
    GENESIS,
    ChainRow,
    EventChecker,
    SideRow,
    link_hash,
    row_hash,
    sha256,
    side_problems,
    snapshot_digest,
    snapshot_problem,
)

DAY = date(2026, 1, 5)
PINNED = sha256("the demo definition")
AT = "2026-01-05T09:00:00.000000+00:00"


def event_rows() -> list[ChainRow]:
    """Three rows chained as a store writes them: an enrolment pinning its definition, two sessions."""
    events = [
        Enrolled(trainee="ana", on=DAY, program="demo", version="1.0", credential="licensed",
                 recorded_by="kim"),
        Attended(trainee="ana", on=DAY, activity="workshop_day", recorded_by="kim"),
        Attended(trainee="noa", on=DAY, activity="workshop_day", recorded_by="kim"),
    ]
    rows, prev = [], GENESIS
    for seq, event in enumerate(events, 1):
        body = event.model_dump_json()
        pinned = PINNED if seq == 1 else None
        h = row_hash(prev, AT, body, pinned)
        rows.append(ChainRow(seq, event.id, event.trainee, event.kind, event.on.isoformat(), AT,
                             event.recorded_by, body, prev, h, 2, pinned))
        prev = h
    return rows


def verify(rows: list[ChainRow], definitions: dict[str, str] | None = None) -> list[str]:
    """What `verify` says of these rows, their head being the last row's (as if rewritten too)."""
    checker = EventChecker({"demo@1.0": PINNED} if definitions is None else definitions)
    checker.feed(rows)
    head = (rows[-1].seq, rows[-1].hash) if rows else None
    return [str(p) for p in checker.finish(head, None)]


def test_rows_as_written_check_out() -> None:
    assert [] == verify(event_rows())


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("recorded_at", "2026-01-04T09:00:00.000000+00:00"),
        ("body", "same columns, another activity"),
        ("id", "other-id"),
        ("trainee", "noa"),
        ("kind", "absent"),
        ("on", "2026-01-06"),
        ("recorded_by", "lee"),
    ],
)
def test_editing_any_one_column_of_a_row_is_named(column: str, value: Any) -> None:
    rows = event_rows()
    if column == "body":  # every column still agrees with the body: only the hash can tell
        value = Attended(id=rows[1].id, trainee="ana", on=DAY, activity="demo_session",
                         recorded_by="kim").model_dump_json()
    rows[1] = rows[1]._replace(**{column: value})
    found = verify(rows)
    assert found
    assert found[0].startswith(f"seq 2 (id {rows[1].id})")


def test_a_pinned_digest_edited_with_the_definition_it_names_is_named() -> None:
    """The enrolment's pinned digest is in its hash: changing the stored definition and the digest
    the enrolment pinned together is still named, at the enrolment."""
    rows = event_rows()
    other = sha256("another definition")
    rows[0] = rows[0]._replace(pinned=other)
    assert ["seq 1"] == [p.split(" (")[0] for p in verify(rows, {"demo@1.0": other})][:1]


def test_a_row_deleted_and_the_chain_relinked_is_named() -> None:
    """Deleting a row, renumbering the next and pointing it at the row before: its hash was made
    from the deleted row's hash, so it no longer checks out."""
    first, _, third = event_rows()
    relinked = third._replace(seq=2, prev_hash=first.hash)
    found = verify([first, relinked])
    assert found
    assert found[0].startswith(f"seq 2 (id {third.id})")


def definition_rows() -> list[SideRow]:
    rows, prev = [], GENESIS
    for pos, (name, body) in enumerate([("demo@1.0", "{}"), ("demo@1.1", "{ }"), ("mpg@1.0", "[]")], 1):
        digest = sha256(body)
        h = link_hash(prev, name, digest)
        rows.append(SideRow(pos, name, body, digest, prev, h))
        prev = h
    return rows


def side(rows: list[SideRow]) -> list[str]:
    """Problems of a side chain whose head was rewritten to match its last row."""
    head = (rows[-1].pos, rows[-1].hash)
    return [str(p) for p in side_problems(rows, head, "program definition", "definitions")]


def test_definitions_as_written_check_out() -> None:
    assert [] == side(definition_rows())


@pytest.mark.parametrize("edit", ["name", "body and digest", "deleted and renumbered"])
def test_editing_a_stored_definition_is_named(edit: str) -> None:
    """A definition renamed, or its body changed with its digest recomputed, no longer matches its
    hash; one deleted with the rest renumbered breaks the link to the one before."""
    rows = definition_rows()
    if edit == "name":
        rows[1] = rows[1]._replace(name="demo@2.0")
    elif edit == "body and digest":
        rows[1] = rows[1]._replace(body="{  }", digest=sha256("{  }"))
    else:
        rows = [rows[0], rows[2]._replace(pos=2)]
    found = side(rows)
    assert found
    assert "(#2)" in found[0]


def test_a_snapshot_checks_out_only_against_its_event_its_tag_and_its_body() -> None:
    """A snapshot's digest binds the event hash it was taken at, its tag and its body."""
    event_hash, tag, body = sha256("event"), "engine-3", '{"stage": "level1"}'
    digest = snapshot_digest(event_hash, tag, body)
    assert snapshot_problem("ana", 7, tag=tag, body=body, digest=digest, event_hash=event_hash) is None
    changed = [
        {"tag": "engine-4", "body": body, "event_hash": event_hash},
        {"tag": tag, "body": '{"stage": "demonstration"}', "event_hash": event_hash},
        {"tag": tag, "body": body, "event_hash": sha256("another event")},
        {"tag": tag, "body": body, "event_hash": None},
    ]
    for kw in changed:
        problem = snapshot_problem("ana", 7, digest=digest, **kw)
        assert problem is not None
        assert "snapshot of ana (seq 7)" in str(problem)


def test_verify_names_where_rows_were_deleted_inserted_or_rewritten_in_another_format() -> None:
    """What `verify` says names the rows: a run of deleted rows, a row chained from an earlier one,
    a format nobody writes, a row of an older format after a newer one."""
    first, second, third = event_rows()
    late = third._replace(seq=5)
    assert [f"seq 5 (id {third.id}): seq 2..4 deleted (between {first.id} and {third.id})"] == verify(
        [first, late])[:1]
    again = third._replace(seq=4, prev_hash=first.hash, hash=row_hash(first.hash, AT, third.body))
    assert [f"seq 3 (id {third.id}): inserted: seq 4 (id {third.id}) chains from seq 1"] == verify(
        [first, second, third, again])
    assert [f"seq 2 (id {second.id}): edited: unknown hash format 3"] == verify(
        [first, second._replace(format=3), third])[:1]
    old = second._replace(format=1)
    assert [f"seq 2 (id {second.id}): edited: its hash format is older than a row before it"] == verify(
        [first, old, third])[:1]


@pytest.mark.parametrize(
    ("body", "reason"),
    [("not json", "the body is not JSON"), ("[1, 2]", "the body is not an event"),
     ('{"kind": "nope"}', "the body is not a valid event")],
)
def test_a_body_rewritten_with_its_hash_recomputed_but_no_event_is_named(body: str, reason: str) -> None:
    """The hash checks out, but the body is not an event: that row is named, and the rows of the
    same page around it are still checked one by one."""
    first, second, third = event_rows()
    broken = second._replace(body=body, hash=row_hash(second.prev_hash, AT, body))
    relinked = third._replace(prev_hash=broken.hash,
                              hash=row_hash(broken.hash, AT, third.body))
    assert [f"seq 2 (id {second.id}): edited: {reason}"] == verify([first, broken, relinked])
    assert [f"seq 3 (id {third.id}): edited: column kind differs from the event"] == verify(
        [first, broken, relinked._replace(kind="absent")])[1:]


def test_a_first_row_that_does_not_chain_from_the_start_is_named() -> None:
    """The first row left after the rows before it were deleted (its hash recomputed) is named."""
    first, second, third = event_rows()
    orphan = first._replace(prev_hash=sha256("gone"), hash=row_hash(sha256("gone"), AT, first.body, PINNED))
    assert [f"seq 1 (id {first.id}): edited or a row deleted before it: the chain does not start here"] == (
        verify([orphan, second, third])[:1])
