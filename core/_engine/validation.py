"""Checks an event passes before it is recorded: the keys it names exist in its program.

They run once, when an event is recorded; a replay trusts the journal and never runs them.
"""

from __future__ import annotations

from .._errors import InvalidEventError, UnknownKeyError, did_you_mean
from .._model.events import ArtifactRecorded, Attended, Enrolled, Event, Waived
from .._model.program import Program


def check_track(event: Enrolled, program: Program) -> None:
    """An enrolment names a track its program has (or none)."""
    tracks = [t.key for t in program.tracks]
    if event.track is not None and event.track not in tracks:
        raise UnknownKeyError(
            f"program {program.key} has no track {event.track!r}",
            where=f"event {event.id}", event=event,
            fix=did_you_mean(event.track, tracks) if tracks else f"{program.key} has no tracks",
        )


def check_keys(event: Event, program: Program) -> None:
    """An event names only keys its trainee's program declares: activities, artifacts, waivers."""
    if isinstance(event, Attended | ArtifactRecorded):
        noun = "activity" if isinstance(event, Attended) else "artifact"
        key = event.activity if isinstance(event, Attended) else event.artifact
        known = program.keys_of(event.kind)
        if key not in known:
            raise UnknownKeyError(
                f"{program.key} has no {noun} {key!r}",
                where=f"event {event.id}", event=event,
                fix=did_you_mean(key, known),
            )
    elif isinstance(event, Waived):
        stages = [program.stage(event.stage)] if event.stage else list(program.stages)
        if stages == [None]:
            raise UnknownKeyError(
                f"{program.key} has no stage {event.stage!r}",
                where=f"event {event.id}", event=event,
                fix=did_you_mean(event.stage or "", [s.key for s in program.stages]),
            )
        reqs = [r for s in stages if s is not None for r in s.requirements]
        match = [r for r in reqs if r.key == event.requirement]
        if not match:
            raise UnknownKeyError(
                f"{program.key} has no requirement {event.requirement!r} to waive",
                where=f"event {event.id}", event=event,
                fix=did_you_mean(event.requirement, sorted({r.key for r in reqs})),
            )
        if not any(r.waivable for r in match):
            raise InvalidEventError(
                f"{program.key} does not allow waiving {event.requirement!r}",
                event=event, where=f"event {event.id}",
                fix="only requirements marked `waivable` in the definition can be waived",
            )
