"""The benchmark workload: trainees through MPG and RPP (1.0), recorded as a real journal is.

Every trainee enrols in one program — 60 % MPG (71 events on the full pathway: 2 workshop days,
12 demonstration sessions with 14 weeks of supervision, 18 group sessions with 20
consultations, three process recordings and a videotape), 40 % RPP (57 events: 2 training days,
two 12-week series with supervision or consultation, three case presentations). Start dates
cycle over half a year, so the journal interleaves many trainees. Events carry content-derived
ids, as the cohort runner gives them, so same-day events sort by id in fold order. On top of
the clean pathway, per trainee, drawn from a seeded generator:

- 5 % of events are recorded 1-21 days after their date (the journal is in recording order);
- 1 % of sessions are first recorded on the wrong day, voided 1-7 days later and recorded again;
- 10 % of artifacts are first recorded ``submitted``, then ``presented`` (distinct refs at status);
- 4 % of trainees miss a session (``absent``) and make it up the following week;
- 3 % are put on hold for four weeks mid-pathway (their later work moves four weeks on);
- 2 % have a requirement waived (supervision or consultation) instead of its last two weeks;
- 2 % withdraw mid-pathway; 1 % name no trainer (never paired: they stop at the second stage);
- 5 % are early-childhood specialists with a named co-leader (the credential rule).

`floor` is the bare fold the engine is measured against: a dict-and-loop fold computing the same
stages from the same journal (voids, order within a day, credentials, pairing, distinct artifacts
at status, waivers, holds, withdrawals) and nothing else — no validation, problems, dates or
certificates. The benchmarks assert that it agrees with the engine.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from facilitrack import (
    Absent,
    ArtifactRecorded,
    Attended,
    Enrolled,
    Event,
    Held,
    Program,
    Resumed,
    Voided,
    Waived,
    Withdrawn,
)

START = date(2025, 1, 6)
EVENTS_PER_TRAINEE = 66  # on average, over both programs and every variation
LATE, VOIDED, SUBMITTED_FIRST = 0.05, 0.01, 0.10
ABSENT, HELD, WAIVED, WITHDRAWN, NO_TRAINER, CO_LED = 0.04, 0.03, 0.02, 0.02, 0.01, 0.05

#: Per program: the weekly series of each stage after the first ((activity, weeks), ...) and
#: the artifacts that close it ((artifact, refs), ...).
PATHWAYS: dict[str, list[tuple[tuple[tuple[str, int], ...], tuple[tuple[str, tuple[str, ...]], ...]]]] = {
    "mpg": [
        ((("demonstration_session", 12), ("supervision", 14)), (("process_recording", ("pr-1",)),)),
        ((("group_session", 18), ("consultation", 20)),
         (("process_recording", ("pr-2", "pr-3")), ("videotape", ("vt-1",)))),
    ],
    "rpp": [
        ((("group_session", 12), ("supervision", 12)), (("case_presentation", ("cp-1",)),)),
        ((("group_session", 12), ("consultation", 12)), (("case_presentation", ("cp-2", "cp-3")),)),
    ],
}
WAIVABLE = {"supervision", "consultation"}


def trainee_events(i: int) -> list[tuple[date, Event]]:  # noqa: PLR0911, PLR0912, PLR0915 -- one pathway, told in order
    """One trainee's events with the day each was recorded, in the order they were recorded."""
    rng = random.Random(i)
    t = f"t{i:06d}"
    program = "mpg" if i % 5 < 3 else "rpp"
    d0 = START + timedelta(days=i % 180)
    co_led = rng.random() < CO_LED
    out: list[tuple[date, Event]] = []
    shift = timedelta(0)  # a hold moves everything after it
    hold_at = rng.randrange(20, 50) if rng.random() < HELD else -1
    stop_at = rng.randrange(5, 60) if rng.random() < WITHDRAWN else -1
    waive = rng.random() < WAIVED
    n = 0

    def add(event: Event) -> bool:
        """Record `event` (late, or wrong first and voided, at random); False once withdrawn."""
        nonlocal n, shift
        n += 1
        if n == stop_at:
            out.append((event.on, Withdrawn(trainee=t, on=event.on, reason="moved away")))
            return False
        late = timedelta(days=rng.randint(1, 21)) if rng.random() < LATE else timedelta(0)
        if isinstance(event, Attended) and rng.random() < VOIDED:
            wrong = event.model_copy(update={"on": event.on + timedelta(days=3)})
            wrong = Attended.model_validate(wrong.model_dump(exclude={"id"}))
            out.append((wrong.on, wrong))
            fixed = event.on + timedelta(days=3 + rng.randint(1, 7))
            out.append((fixed, Voided(trainee=t, on=fixed, target=wrong.id, reason="wrong day")))
            out.append((fixed, event))
        else:
            out.append((event.on + late, event))
        if n == hold_at:
            on = event.on
            out.append((on, Held(trainee=t, on=on, reason="leave")))
            shift += timedelta(weeks=4)
            out.append((on + shift - timedelta(days=1),
                        Resumed(trainee=t, on=on + shift - timedelta(days=1))))
        return True

    credential = "early_childhood" if co_led else rng.choice(("licensed", "licensed", "pre_licensed"))
    trainer = None if rng.random() < NO_TRAINER else "dr-miller"
    track = "toddler" if program == "mpg" else None
    out.append((d0, Enrolled(trainee=t, on=d0, program=program, version="1.0", credential=credential,
                             trainer=trainer, track=track, co_leader="c-rivera" if co_led else None)))
    for k in range(2):
        if not add(Attended(trainee=t, on=d0 + timedelta(days=1 + k), activity="workshop_day")):
            return out
    begin = d0 + timedelta(days=14)
    for series, artifacts in PATHWAYS[program]:
        weeks = max(w for _, w in series)
        waived_key = next((a for a, _ in series if a in WAIVABLE), None) if waive else None
        missed = rng.randrange(weeks - 2) if rng.random() < ABSENT else -1
        for week in range(weeks + (missed >= 0)):
            day = begin + shift + timedelta(weeks=week)
            for activity, count in series:
                if week == missed and activity == series[0][0]:
                    if not add(Absent(trainee=t, on=day, activity=activity)):
                        return out
                    continue
                if week >= count + (missed >= 0 and activity == series[0][0]):
                    continue
                if activity == waived_key and week >= count - 2:
                    continue
                if not add(Attended(trainee=t, on=day, activity=activity)):
                    return out
        end = begin + timedelta(weeks=weeks)  # unshifted: a hold moves each day as it is written
        if waived_key is not None:
            stage = "demonstration" if series is PATHWAYS[program][0][0] else "trainee_led"
            if not add(Waived(trainee=t, on=end + shift - timedelta(weeks=2), requirement=waived_key,
                              stage=stage, reason="illness", approver="dr-miller")):
                return out
        for artifact, refs in artifacts:
            for ref in refs:
                if rng.random() < SUBMITTED_FIRST and not add(
                        ArtifactRecorded(trainee=t, on=end + shift - timedelta(weeks=1), artifact=artifact,
                                         ref=ref, status="submitted")):
                    return out
                if not add(ArtifactRecorded(trainee=t, on=end + shift, artifact=artifact, ref=ref,
                                            status="presented")):
                    return out
        begin = end + timedelta(weeks=1)
    return out


def journal(trainees: int, first: int = 0) -> list[Event]:
    """Every trainee's events, merged in the order they were recorded (by day, then trainee)."""
    rows = [(day, i, k, e) for i in range(first, first + trainees)
            for k, (day, e) in enumerate(trainee_events(i))]
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return [e for _, _, _, e in rows]


# -- the floor ----------------------------------------------------------------------------------


class Rules:
    """What the floor needs of a program: per stage, its counted keys, artifacts and gates."""

    def __init__(self, program: Program) -> None:
        self.stages = [s.key for s in program.stages]
        self.first_stage = program.first_stage_of
        self.counts: list[dict[tuple[str, str], int]] = []  # (kind, key) → need
        self.artifacts: list[dict[str, tuple[int, int]]] = []  # artifact → (need, status rank)
        self.credential: list[tuple[tuple[str, ...], tuple[str, ...]] | None] = []
        self.pairing: list[bool] = []
        for stage in program.stages:
            counts: dict[tuple[str, str], int] = {}
            artifacts: dict[str, tuple[int, int]] = {}
            credential = None
            pairing = False
            for req in stage.requirements:
                kind = req.kind
                if kind == "attendance":
                    counts[("attended", req.key)] = int(req.count)
                elif kind == "artifact":
                    artifacts[req.key] = (int(req.count), req.status.rank)  # type: ignore[attr-defined]
                elif kind == "credential":
                    credential = (req.allowed, req.with_co_leader)  # type: ignore[attr-defined]
                elif kind == "pairing":
                    pairing = True
                else:
                    raise ValueError(f"the floor knows no {kind!r} requirement")
            self.counts.append(counts)
            self.artifacts.append(artifacts)
            self.credential.append(credential)
            self.pairing.append(pairing)


RANK = {"enrolled": 0, "person": 0, "resumed": 1, "waived": 2, "attended": 3, "absent": 3,
        "artifact": 3, "held": 4, "withdrawn": 5}
STATUS_RANK = {"submitted": 1, "presented": 2, "approved": 3}


def floor(events: list[Event], rules: dict[str, Rules]) -> dict[str, list[Any]]:
    """The floor: each trainee's state, a plain list (`stage_name` names where they stand).

    One pass splits the journal per trainee and collects voids; each trainee's live events are
    sorted by the fold's order (date, kind rank, first stage of the key, id) and folded in one
    loop over plain lists and dicts.
    """
    per, voided = split(events)
    return {t: fold_one(mine, rules, voided) for t, mine in per.items()}


def split(events: list[Event]) -> tuple[dict[str, list[Any]], set[str]]:
    """The journal per trainee (each in recording order, voids left out) and the voided ids."""
    voided = set()
    per: dict[str, list[Any]] = {}
    for e in events:
        if e.kind == "voided":
            voided.add(e.target)  # type: ignore[union-attr]
            continue
        mine = per.get(e.trainee)
        if mine is None:
            mine = per[e.trainee] = []
        mine.append(e)
    return per, voided


def stage_name(s: list[Any]) -> str:
    """Where a trainee of the floor stands, named as the engine's machine names it."""
    r: Rules = s[7]
    if s[2]:
        return "withdrawn"
    if s[0] == len(r.stages):
        return "certified"
    return r.stages[s[0]] + ("__on_hold" if s[1] else "")


def order(mine: list[Any], r: Rules, voided: set[str]) -> list[Any]:
    """One trainee's live events in fold order."""
    first = r.first_stage
    stages = r.stages
    rank = RANK

    def key(e: Any) -> tuple[date, int, int, str]:
        kind = e.kind
        if kind in ("attended", "absent"):
            return (e.on, 3, first.get((kind, e.activity), 0), e.id)
        if kind == "artifact":
            return (e.on, 3, first.get((kind, e.artifact), 0), e.id)
        if kind == "waived":
            return (e.on, 2, stages.index(e.stage), e.id)
        return (e.on, rank[kind], 0, e.id)

    if voided:
        mine = [e for e in mine if e.id not in voided]
    return sorted(mine, key=key)


def fold_one(mine: list[Any], rules: dict[str, Rules], voided: set[str]) -> list[Any]:  # noqa: PLR0912 -- the floor is one loop
    """One trainee's state, from their events (the enrolment is the first recorded)."""
    enrolment = mine[0]
    r = rules[enrolment.program]
    # [stage, held, withdrawn, counts, artifacts' best status by ref, waived, enrolment, rules]
    s: list[Any] = [0, False, False, {}, {}, set(), enrolment, r]
    last = len(r.stages)
    for e in order(mine, r, voided):
        kind = e.kind
        if s[2] or s[0] == last:
            break
        if kind == "attended":
            if s[1]:
                continue
            k = ("attended", e.activity)
            need = r.counts[s[0]].get(k)
            if need is not None:
                c = s[3][k] = s[3].get(k, 0) + 1
                if c == need:
                    _settle(s)
        elif kind == "artifact":
            if s[1]:
                continue
            name = e.artifact
            want = r.artifacts[s[0]].get(name)
            if want is not None:
                best = s[4].setdefault(name, {})
                best[e.ref] = max(best.get(e.ref, 0), STATUS_RANK[e.status])
                if sum(1 for v in best.values() if v >= want[1]) == want[0]:
                    _settle(s)
        elif kind == "enrolled":
            _settle(s)
        elif kind == "waived":
            stage = r.stages.index(e.stage)
            if stage >= s[0]:
                s[5].add((stage, e.requirement))
                if not s[1]:
                    _settle(s)
        elif kind == "held":
            s[1] = True
        elif kind == "resumed":
            if s[1]:
                s[1] = False
                _settle(s)
        elif kind == "withdrawn":
            s[2] = True
    return s


def _settle(s: list[Any]) -> None:
    """Advance while the current stage's requirements are all done."""
    r: Rules = s[7]
    while s[0] < len(r.stages) and _met(s, r, s[0]):
        s[0] += 1
        s[3] = {}
        s[4] = {}


def _met(s: list[Any], r: Rules, stage: int) -> bool:
    waived = s[5]
    enrolment = s[6]
    for k, need in r.counts[stage].items():
        if s[3].get(k, 0) < need and (stage, k[1]) not in waived:
            return False
    for name, (need, status) in r.artifacts[stage].items():
        best = s[4].get(name, {})
        if sum(1 for v in best.values() if v >= status) < need and (stage, name) not in waived:
            return False
    credential = r.credential[stage]
    if credential is not None and enrolment.credential not in credential[0] and not (
            enrolment.credential in credential[1] and enrolment.co_leader):
        return False
    return not (r.pairing[stage] and not enrolment.trainer)


def floor_rules(programs: Any) -> dict[str, Rules]:
    """The floor's rulebook for both programs of the workload."""
    return {key: Rules(programs.get(key, "1.0")) for key in ("mpg", "rpp")}


def clean_mpg(i: int) -> Iterator[Event]:
    """One trainee's clean MPG 1.0 pathway (71 events), in date order: a large cohort file's rows
    (`benchmarks/cli.py`)."""
    t = f"c{i:06d}"
    d0 = START + timedelta(days=i % 180)
    yield Enrolled(trainee=t, on=d0, program="mpg", version="1.0", credential="licensed",
                   trainer="dr-miller", track="toddler")
    begin = d0 + timedelta(days=14)
    for k in range(2):
        yield Attended(trainee=t, on=d0 + timedelta(days=1 + k), activity="workshop_day")
    for series, artifacts in PATHWAYS["mpg"]:
        weeks = max(w for _, w in series)
        for week in range(weeks):
            for activity, count in series:
                if week < count:
                    yield Attended(trainee=t, on=begin + timedelta(weeks=week), activity=activity)
        end = begin + timedelta(weeks=weeks)
        for artifact, refs in artifacts:
            for ref in refs:
                yield ArtifactRecorded(trainee=t, on=end, artifact=artifact, ref=ref, status="presented")
        begin = end + timedelta(weeks=1)


# -- the outside pathway: PCIT therapists (examples/pcit) ---------------------------------------


def pcit_journal(trainees: int) -> list[Event]:
    """A PCIT therapist cohort (the example adaptation's program, `pip install ./examples/pcit`).

    Per trainee, about 45 events: 40 hours of initial training (10 asynchronous, then five
    in-person days), 24 weekly consultation calls in the year after it, two cases submitted and
    approved, four session reviews, a scored coding check, a trainer's letter, the scored
    knowledge check, then three hours of continuing education toward renewal. The consultant is
    a trainer listed by a `person` event, so every trainee's pairing reads another person. 5 %
    of events are recorded 1-21 days late; the journal is in recording order.
    """
    from facilitrack import PersonRecorded

    rows: list[tuple[date, int, int, Event]] = [
        (START, -1, 0, PersonRecorded(trainee="trainer-kim", on=START, credential="licensed_clinician",
                                      roles=("pcit_trainer",)))]
    for i in range(trainees):
        rng = random.Random(i)
        t = f"p{i:06d}"
        d0 = START + timedelta(days=i % 180)
        mine: list[Event] = [Enrolled(trainee=t, on=d0, program="pcit_therapist", version="1.0",
                                      credential=rng.choice(("licensed_clinician", "supervised_clinician")),
                                      trainer="trainer-kim")]
        mine.append(Attended(trainee=t, on=d0 + timedelta(days=1), activity="initial_training",
                             quantity=10, mode="asynchronous"))
        mine += [Attended(trainee=t, on=d0 + timedelta(days=7 + k), activity="initial_training",
                          quantity=6, mode="in_person") for k in range(5)]
        calls = d0 + timedelta(days=14)
        mine += [Attended(trainee=t, on=calls + timedelta(weeks=w), activity="consultation_call")
                 for w in range(24)]
        for k, key in enumerate(("cdi_teach_review", "cdi_coach_review", "pdi_teach_review",
                                 "pdi_coach_review")):
            mine.append(ArtifactRecorded(trainee=t, on=calls + timedelta(weeks=4 * k + 2), artifact=key,
                                         status="approved"))
        mine.append(ArtifactRecorded(trainee=t, on=calls + timedelta(weeks=6), artifact="dpics_coding",
                                     status="approved", score=rng.choice((82.0, 86.0, 91.0))))
        for k in range(2):
            on = calls + timedelta(weeks=12 + 8 * k)
            ref = f"{t}-case-{k + 1}"
            mine.append(ArtifactRecorded(trainee=t, on=on, artifact="completed_case", ref=ref,
                                         status="submitted"))
            mine.append(ArtifactRecorded(trainee=t, on=on + timedelta(weeks=2), artifact="completed_case",
                                         ref=ref, status="approved"))
        end = calls + timedelta(weeks=25)
        mine.append(ArtifactRecorded(trainee=t, on=end, artifact="trainer_letter", status="approved"))
        mine.append(Attended(trainee=t, on=end + timedelta(weeks=1), activity="certification_experience",
                             score=rng.choice((84.0, 90.0))))
        mine += [Attended(trainee=t, on=end + timedelta(weeks=20 * (k + 1)), activity="continuing_education",
                          quantity=1) for k in range(3)]
        for k, e in enumerate(mine):
            late = timedelta(days=rng.randint(1, 21)) if rng.random() < LATE else timedelta(0)
            rows.append((e.on + late, i, k, e))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return [e for _, _, _, e in rows]
