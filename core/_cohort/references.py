"""References a cohort file's rows make: every id and key they use exists, and each id is used once.

Errors name the row (``events[3].attended``, with its line) and the nearest valid key.
"""

from __future__ import annotations

from collections.abc import Sequence

from .._errors import UnknownKeyError, UserError, did_you_mean
from .._groups import Person, validate_groups
from .._model.checks import (
    Refusal,
    credential_refusal,
    key_refusal,
    role_refusal,
    track_refusal,
    void_refusal,
    waiver_refusal,
)
from .._model.events import Voided
from .._model.program import Program
from .events import Located
from .model import AbsentRow, ArtifactRow, AttendedRow, CohortFile, WaivedRow
from .places import Places


def check_references(doc: CohortFile, program: Program, places: Places) -> None:
    """Every id and key the rows use exists; errors name the row and the nearest valid key.

    The rules are the engine's own (`facilitrack._model.checks`); here they are placed on rows.
    """
    def refuse(refusal: Refusal | None, loc: str) -> None:
        if refusal is not None:
            raise refusal.error(places.at(loc))

    refuse(track_refusal(program, doc.cohort.track), "cohort.track")
    rows: dict[str, int] = {}
    for i, t in enumerate(doc.trainees):
        if t.id in rows:
            first = places.label(f"trainees[{rows[t.id]}]")
            raise UserError(
                f"trainee id {t.id!r} is used twice: by {first} and by this row",
                where=places.at(f"trainees[{i}].id"),
                fix="give each trainee their own id",
            )
        rows[t.id] = i
        refuse(track_refusal(program, t.track), f"trainees[{i}].track")
        refuse(credential_refusal(program, t.credential), f"trainees[{i}].credential")
    for i, member in enumerate(doc.staff):
        refuse(credential_refusal(program, member.credential), f"staff[{i}].credential")
        for role in member.all_roles:
            refuse(role_refusal(program, role), f"staff[{i}].roles")
    for i, row in enumerate(doc.events):
        if row.trainee not in rows:
            raise UnknownKeyError(
                f"unknown trainee {row.trainee!r}: no [[trainees]] row has that id",
                where=places.at(f"events[{i}].trainee"),
                fix=did_you_mean(row.trainee, list(rows)),
            )
        if isinstance(row, AttendedRow):
            refuse(key_refusal(program, "attended", row.attended), f"events[{i}].attended")
        elif isinstance(row, AbsentRow):
            refuse(key_refusal(program, "absent", row.absent), f"events[{i}].absent")
        elif isinstance(row, ArtifactRow):
            refuse(key_refusal(program, "artifact", row.artifact), f"events[{i}].artifact")
        elif isinstance(row, WaivedRow):
            refusal = waiver_refusal(program, row.stage, row.waived)
            field = "stage" if refusal is not None and refusal.field == "stage" else "waived"
            refuse(refusal, f"events[{i}].{field}")


def check_groups(doc: CohortFile, program: Program, places: Places) -> dict[str, Person]:
    """Every id the groups name resolves, and people and groups are named once; returns the people.

    Errors name the place (``groups[0].sessions[3].absent``, with its line) and the nearest id.
    """
    try:
        people = doc.people()
        validate_groups(doc.groups, program, people)
    except UserError as exc:
        raise places.place(exc, exc.where or "groups") from None
    return people


def check_ids(located: Sequence[Located], places: Places) -> None:
    """Explicit ids are unique; voids name an event of the same trainee that is not a void."""
    by_id: dict[str, Located] = {}
    for item in located:
        if item.explicit_id and item.event.id in by_id:
            first = places.label(by_id[item.event.id].where)
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
        refusal = void_refusal(event, target.event)
        if refusal is not None:
            raise refusal.error(places.at(f"{item.where}.voided"))

