"""References a cohort file's rows make: every id and key they use exists, and each id is used once.

Errors name the row (``events[3].attended``, with its line) and the nearest valid key.
"""

from __future__ import annotations

from collections.abc import Sequence

from .._errors import InvalidEventError, UnknownKeyError, UserError, did_you_mean
from .._groups import Person, validate_groups
from .._model.events import Enrolled, Voided
from .._model.program import Program
from .events import Located
from .model import ArtifactRow, AttendedRow, CohortFile, WaivedRow
from .places import Places


def check_references(doc: CohortFile, program: Program, places: Places) -> None:
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
            first = places.label(f"trainees[{rows[t.id]}]")
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


def _check_waiver(row: WaivedRow, program: Program, stage_keys: list[str], places: Places, i: int) -> None:
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

