"""The benchmark workload: N trainees through the MPG pathway, interleaved in date order.

Each trainee has 71 events — an enrolment, 2 workshop days, 12 demonstration sessions and
14 supervision sessions (the first 12 on the same days as the sessions, so same-date ties are
common), a presented process recording, 18 group sessions, 20 consultations, 2 more process
recordings and a videotape — spread over about eight months. Start dates cycle over half a
year, so the journal interleaves many trainees as a real one does.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from facilitrack import ArtifactRecorded, Attended, Enrolled, Event, Program

START = date(2025, 1, 6)
EVENTS_PER_TRAINEE = 71


def trainee_events(i: int) -> Iterator[Event]:
    """One trainee's pathway, in date order."""
    t = f"t{i:06d}"
    d0 = START + timedelta(days=i % 180)
    n = 0

    def eid() -> str:
        nonlocal n
        n += 1
        return f"{t}-{n:03d}"

    yield Enrolled(id=eid(), trainee=t, on=d0, program="mpg", version="1.0",
                   credential="licensed", trainer="dr-miller", track="toddler")
    for k in range(2):
        yield Attended(id=eid(), trainee=t, on=d0 + timedelta(days=1 + k), activity="workshop_day")
    demo = d0 + timedelta(days=14)
    for week in range(14):
        day = demo + timedelta(weeks=week)
        if week < 12:
            yield Attended(id=eid(), trainee=t, on=day, activity="demonstration_session")
        yield Attended(id=eid(), trainee=t, on=day, activity="supervision")
    yield ArtifactRecorded(id=eid(), trainee=t, on=demo + timedelta(weeks=14), ref="pr-1",
                           artifact="process_recording", status="presented")
    led = demo + timedelta(weeks=15)
    for week in range(20):
        day = led + timedelta(weeks=week)
        if week < 18:
            yield Attended(id=eid(), trainee=t, on=day, activity="group_session")
        yield Attended(id=eid(), trainee=t, on=day, activity="consultation")
    end = led + timedelta(weeks=20)
    for ref in ("pr-2", "pr-3"):
        yield ArtifactRecorded(id=eid(), trainee=t, on=end, ref=ref,
                               artifact="process_recording", status="presented")
    yield ArtifactRecorded(id=eid(), trainee=t, on=end, ref="vt-1", artifact="videotape",
                           status="presented")


def journal(trainees: int) -> list[Event]:
    """Every trainee's events, merged by date as they would be recorded."""
    events = [e for i in range(trainees) for e in trainee_events(i)]
    events.sort(key=lambda e: e.on)  # stable: each trainee's own order is kept within a day
    return events


def needs(program: Program) -> list[dict[tuple[str, str], int]]:
    """Per stage, what each (event kind, key) must reach: the bare fold's whole rulebook."""
    table: list[dict[tuple[str, str], int]] = []
    for stage in program.stages:
        row = {}
        for req in stage.requirements:
            if req.credited_by is not None:
                row[(req.credited_by, req.key)] = req.count
        table.append(row)
    return table


def bare_fold(events: list[Event], rules: list[dict[tuple[str, str], int]]) -> dict[str, list]:
    """The floor: a dict-and-loop fold doing the same counting, and nothing else.

    It checks a stage only when a count reaches its need, as any sensible fold would; no
    validation, no order handling, no problems, no certificates.
    """
    state: dict[str, list] = {}
    last = len(rules)
    for e in events:
        kind = e.kind
        if kind == "enrolled":
            state[e.trainee] = [0, {}]
            continue
        s = state[e.trainee]
        if s[0] == last:
            continue
        key = (kind, e.activity if kind == "attended" else e.artifact)  # type: ignore[union-attr]
        counts = s[1]
        c = counts[key] = counts.get(key, 0) + 1
        need = rules[s[0]]
        if c == need.get(key) and all(counts.get(k, 0) >= n for k, n in need.items()):
            s[0] += 1
            s[1] = {}
    return state


def cohort_toml(trainees: int) -> str:
    """The workload as a coordinator's cohort file: a trainee table and one row per event."""
    lines = ['[cohort]', 'name = "Benchmark cohort"', 'program = "mpg"', 'version = "1.0"',
             'track = "toddler"', ""]
    rows: list[str] = []
    for i in range(trainees):
        events = list(trainee_events(i))
        first = events[0]
        lines += ["[[trainees]]", f'id = "{first.trainee}"', f'name = "Trainee {i}"',
                  'credential = "licensed"', f"enrolled = {first.on}", 'trainer = "dr-miller"', ""]
        for e in events[1:]:
            rows += ["[[events]]", f'trainee = "{e.trainee}"', f"on = {e.on}"]
            if isinstance(e, Attended):
                rows.append(f'attended = "{e.activity}"')
            else:
                assert isinstance(e, ArtifactRecorded)
                rows += [f'artifact = "{e.artifact}"', f'status = "{e.status.value}"', f'ref = "{e.ref}"']
            rows.append("")
    return "\n".join(lines + rows)
