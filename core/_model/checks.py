"""What an event may name, one rule each — shared by the engine (events recorded) and by cohort
files (rows read): a track, a credential, an activity or artifact, a waivable requirement, a void.

Each function returns a `Refusal` (what is wrong, the fix, the field at fault) or None; callers
turn it into an error placed where they know it happened (an event id, a row of a file).
"""

from __future__ import annotations

from typing import NamedTuple

from .._errors import InvalidEventError, UnknownKeyError, UserError, did_you_mean
from .events import EventBase, Voided
from .program import Program


class Refusal(NamedTuple):
    """Why an event cannot be recorded: `what`, the `fix`, the `field` at fault, and whether it
    names something that does not exist (`unknown`) or something not allowed."""

    what: str
    fix: str
    field: str
    unknown: bool = True

    def error(self, where: str, event: object = None) -> UserError:
        """The refusal as the error to raise, placed at `where`."""
        cls = UnknownKeyError if self.unknown else InvalidEventError
        return cls(self.what, where=where, fix=self.fix, event=event)


def track_refusal(program: Program, track: str | None) -> Refusal | None:
    """A track the program does not have."""
    tracks = [t.key for t in program.tracks]
    if track is None or track in tracks:
        return None
    fix = did_you_mean(track, tracks) if tracks else f"{program.key} has no tracks: leave it out"
    return Refusal(f"{program.key} has no track {track!r}", fix, "track")


def credential_refusal(program: Program, credential: str) -> Refusal | None:
    """A credential the program's vocabulary does not declare."""
    known = program.words.credential_keys()
    if credential in known:
        return None
    return Refusal(f"{program.key} declares no credential {credential!r}", did_you_mean(credential, known),
                   "credential")


def role_refusal(program: Program, role: str) -> Refusal | None:
    """A role the program's vocabulary does not declare."""
    known = program.words.role_keys()
    if role in known:
        return None
    return Refusal(f"{program.key} declares no role {role!r}", did_you_mean(role, known), "roles")


def key_refusal(program: Program, kind: str, key: str) -> Refusal | None:
    """An activity (``attended``, ``absent``) or artifact no requirement of the program counts.

    An absence may name any activity the program counts: only a series' participation counts
    absences, but a missed session of any activity is a fact worth keeping.
    """
    counted = program.first_stage_of
    if (kind, key) in counted or (kind == "absent" and ("attended", key) in counted):
        return None  # the common case, without listing every key
    known = program.keys_of(kind)
    if kind == "absent":
        known = sorted({*known, *program.keys_of("attended")})
    if key in known:
        return None
    noun = "artifact" if kind == "artifact" else "activity"
    return Refusal(f"{program.key} has no {noun} {key!r}", did_you_mean(key, known), "key")


def waiver_refusal(program: Program, stage: str | None, requirement: str) -> Refusal | None:
    """A waiver of a stage or requirement that does not exist, or may not be waived."""
    stage_keys = [s.key for s in program.stages]
    if stage is not None and stage not in stage_keys:
        return Refusal(f"{program.key} has no stage {stage!r}", did_you_mean(stage, stage_keys), "stage")
    nodes = [n for s in program.stages if stage is None or s.key == stage for n in s.nodes()]
    match = [n for n in nodes if n.node_key == requirement]
    if not match:
        where = f" in stage {stage}" if stage else ""
        return Refusal(f"{program.key} has no requirement {requirement!r} to waive{where}",
                       did_you_mean(requirement, sorted({n.node_key for n in nodes})), "requirement")
    if not any(n.waivable for n in match):
        waivable = sorted({n.node_key for n in nodes if n.waivable})
        fix = f"waivable: {', '.join(waivable)}" if waivable else f"{program.key} allows no waivers"
        return Refusal(f"{program.key} does not allow waiving {requirement!r}", fix, "requirement",
                       unknown=False)
    return None


def void_refusal(void: Voided, target: EventBase | None) -> Refusal | None:
    """A void may name any event of the same person that is not itself a void — an enrolment
    included (the person is then as if never enrolled)."""
    if target is None:
        return Refusal(f"cannot void {void.target!r}: no such event",
                       "name the id of a recorded event (`facilitrack log` shows them)", "target")
    if target.trainee != void.trainee:
        return Refusal(f"event {void.target} belongs to {target.trainee!r}, not {void.trainee!r}",
                       "void it under its own trainee", "target", unknown=False)
    if isinstance(target, Voided):
        return Refusal("a void cannot be voided", "record the voided event again, under a new id",
                       "target", unknown=False)
    return None
