"""``facilitrack init``: a commented starter cohort file for a program, which `facilitrack check` passes.

Its trainees are ``ana`` and ``noa``, paired with the certified trainer ``dr-miller``: the ids the
README's tour and the docs use, so their commands work on a starter as written. Its comments
name the file it is written to, and its example group, commented out, is built from the
program's group rules so that it passes `check` once uncommented.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import tomli_w

from .._errors import UserError
from .._host.plugins import PluginHost, load_plugins
from .._model.group_rules import GroupKind, GroupRules
from .._model.program import Program, Stage
from .._model.requirements import ArtifactStatus, Credential, CredentialRule, Requirement
from .._text import display_path, one_line
from .run import read_cohort

STARTER_DATE = date(2026, 1, 5)
_CREDENTIALS = tuple(Credential)
#: The starter's people, as the README tour and the docs name them.
FIRST, SECOND, TRAINER = "ana", "noa", "dr-miller"


def _toml_value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return tomli_w.dumps({"v": value})[4:].strip()


def _toml_table(name: str, row: Mapping[str, Any], notes: Mapping[str, str]) -> list[str]:
    lines = [f"[[{name}]]" if name != "cohort" else "[cohort]"]
    for key, value in row.items():
        line = f"{key} = {_toml_value(value)}"
        note = notes.get(key)
        lines.append(f"{line:<36}  # {note}" if note else line)
    return lines


@dataclass
class _Block:
    """Event rows the starter shows together, live when the file still checks clean with them."""

    comment: str
    rows: list[dict[str, Any]]
    notes: dict[str, str] = field(default_factory=dict)


def _describe_requirement(req: Requirement) -> str:
    extra = " (waivable)" if req.waivable else ""
    if isinstance(req, CredentialRule):
        text = "credential: " + ", ".join(c.value for c in req.allowed)
        if req.with_co_leader:
            text += "; " + ", ".join(c.value for c in req.with_co_leader) + " with a `co_leader`"
        return text + extra
    if req.kind == "pairing":
        return f"{req.key}: a certified `trainer` named on the trainee{extra}"
    if req.credited_by == "attended":
        return f"{req.key}: attend {req.count}{extra}"
    if req.credited_by == "artifact":
        status = getattr(req, "status", ArtifactStatus.submitted)
        return f"{req.key}: {req.count} artifact{'s' if req.count > 1 else ''}, status {status}{extra}"
    return f"{req.key}: {req.kind} x{req.count}{extra}"


def _credential_for(program: Program) -> Credential:
    rules = [r for s in program.stages for r in s.requirements if isinstance(r, CredentialRule)]
    for credential in _CREDENTIALS:
        if all(credential in r.allowed for r in rules):
            return credential
    return rules[0].allowed[0] if rules else Credential.licensed


def _completing_rows(stage: Stage, trainee: str, start: date) -> tuple[list[dict[str, Any]], date]:
    """Rows meeting every attendance and artifact requirement of `stage`, from `start`."""
    rows: list[dict[str, Any]] = []
    day = start
    for req in stage.requirements:
        if req.credited_by == "attended":
            row: dict[str, Any] = {"trainee": trainee, "attended": req.key}
            if req.count == 1:
                row["on"], day = day, day + timedelta(days=1)
            elif req.count <= 4:
                row["dates"] = [day + timedelta(days=i) for i in range(req.count)]
                day += timedelta(days=req.count)
            else:
                row["on"], row["weekly"] = day, req.count
                day += timedelta(days=1)
            rows.append(row)
        elif req.credited_by == "artifact":
            status = getattr(req, "status", ArtifactStatus.submitted)
            for n in range(req.count):
                rows.append({
                    "trainee": trainee, "on": day, "artifact": req.key, "status": status.value,
                    "ref": f"{trainee}-{req.key}-{n + 1}",
                })
                day += timedelta(days=1)
    last = max((d for r in rows for d in _row_dates(r)), default=start)
    return rows, max(day, last + timedelta(days=1))


def _row_dates(row: Mapping[str, Any]) -> list[date]:
    if "dates" in row:
        return list(row["dates"])
    on: date = row["on"]
    return [on + timedelta(weeks=i) for i in range(row.get("weekly", 1))]


def _first(stage: Stage, credited_by: str) -> Requirement | None:
    return next((r for r in stage.requirements if r.credited_by == credited_by), None)


def _starter_blocks(program: Program) -> tuple[list[_Block], list[_Block]]:
    """The base rows (trainee 1 through the first stage) and the optional blocks after it."""
    first, t1, t2 = program.stages[0], FIRST, SECOND
    activities, artifacts = program.keys_of("attended"), program.keys_of("artifact")
    notes = {
        "attended": "one of: " + ", ".join(activities) if activities else "this program has none",
        "artifact": "one of: " + ", ".join(artifacts) if artifacts else "this program has none",
        "status": "submitted < presented < approved",
    }
    start = STARTER_DATE + timedelta(days=5)
    if len(program.stages) > 1:
        rows, day = _completing_rows(first, t1, start)
        base = [_Block(f"{t1} completes {first.key}: every session and artifact it asks for", rows, notes)]
        current = program.stages[1]
    else:
        req = _first(first, "attended")
        rows = [{"trainee": t1, "on": start, "attended": req.key}] if req else []
        base = [_Block(f"{t1} begins {first.key}", rows, notes)]
        day, current = start + timedelta(days=1), first
    blocks: list[_Block] = []
    resumed = day + timedelta(weeks=2)
    blocks.append(_Block(
        "a hold, and the day training resumed",
        [{"trainee": t1, "on": day, "held": True, "reason": "leave of absence"},
         {"trainee": t1, "on": resumed, "resumed": True}],
    ))
    day = resumed + timedelta(days=1)
    session = _first(current, "attended")
    if session is not None:
        blocks.append(_Block(
            "a row recorded by mistake, and its void (the journal keeps both; neither counts)",
            [{"id": f"{t1}-wrong-date", "trainee": t1, "on": day, "attended": session.key},
             {"trainee": t1, "on": day + timedelta(days=1), "voided": f"{t1}-wrong-date",
              "reason": "recorded on the wrong date; see the next row"}],
            notes,
        ))
        day += timedelta(days=2)
        row: dict[str, Any] = {"trainee": t1, "on": day, "attended": session.key}
        if session.count > 2:
            row["weekly"] = 2
        blocks.append(_Block(
            f"sessions of {current.key} (`weekly = N`: N sessions a week apart; or `dates = [...]`)",
            [row], notes,
        ))
        day += timedelta(days=1)
    more, day = _waiver_and_artifact(program, current, t1, day, notes)
    blocks += more
    session0 = _first(first, "attended")
    rows2: list[dict[str, Any]] = []
    if session0 is not None:
        rows2.append({"trainee": t2, "on": start, "attended": session0.key})
    rows2.append({"trainee": t2, "on": start + timedelta(weeks=3), "withdrawn": True,
                  "reason": "moved to another agency"})
    blocks.append(_Block(f"{t2} attends, then withdraws", rows2, notes))
    return base, blocks


def _waiver_and_artifact(
    program: Program, current: Stage, t1: str, day: date, notes: dict[str, str]
) -> tuple[list[_Block], date]:
    """A waiver of a waivable requirement, then an artifact of the current stage."""
    blocks: list[_Block] = []
    waivable = next((r for r in current.requirements if r.waivable), None)
    stage_of = current
    if waivable is None:
        stage_of, waivable = next(
            ((s, r) for s in program.stages for r in s.requirements if r.waivable), (current, None)
        )
    if waivable is not None:
        row = {"trainee": t1, "on": day, "waived": waivable.key}
        if stage_of is not current:
            row["stage"] = stage_of.key
        row |= {"reason": "equivalent training elsewhere", "approver": "training-director"}
        waivable_keys = sorted({r.key for s in program.stages for r in s.requirements if r.waivable})
        blocks.append(_Block(
            "a waiver: who approved it and why (`stage` defaults to the current one)",
            [row], {"waived": "waivable: " + ", ".join(waivable_keys)},
        ))
        day += timedelta(days=1)
    works = [r for r in current.requirements if r.credited_by == "artifact"]
    waived_key = waivable.key if waivable is not None else None
    work = next((r for r in works if r.key != waived_key), works[0] if works else None)
    if work is not None:
        status = getattr(work, "status", ArtifactStatus.submitted)
        blocks.append(_Block(
            "an artifact reaching a status (`ref` tells artifacts apart; `sha256` is optional)",
            [{"trainee": t1, "on": day, "artifact": work.key, "status": status.value,
              "ref": f"{t1}-{work.key}-1"}],
            notes,
        ))
        day += timedelta(days=1)
    return blocks, day


def _starter_header(program: Program, invocation: str, shown: str) -> list[str]:
    lines = [
        f"# A cohort of {one_line(program.name)} {program.version} ({one_line(program.organisation)}).",
        f"# Written by `{invocation}`. Edit it, then:",
        f"#   facilitrack check {shown}      # exit 0 clean, 1 rules broken, 2 invalid input",
        f"#   facilitrack run {shown}        # where everyone is; --format json, toml or csv",
        f"#   facilitrack explain {shown} {FIRST}",
        "# For checking and completion in your editor (Taplo, Even Better TOML):",
        "#   facilitrack schema cohort --out cohort.schema.json",
        "# and make the first line of this file:  #:schema ./cohort.schema.json",
        "#",
        "# The pathway, stage by stage, and what each stage asks for:",
    ]
    for stage in program.stages:  # titles are the program's text: kept on their comment line
        cert = f" (issues {one_line(stage.certificate.title)})" if stage.certificate else ""
        lines.append(f"#   {stage.key}: {one_line(stage.title)}{cert}")
        lines.extend(f"#     - {one_line(_describe_requirement(r))}" for r in stage.requirements)
    lines.append("#   then: certified")
    return lines


def _render_starter(
    program: Program, header: Mapping[str, Any], trainees: Sequence[Mapping[str, Any]],
    blocks: Sequence[tuple[_Block, bool]], *, invocation: str, shown: str,
    groups_live: bool = False, groups_flagged: bool = False,
) -> str:
    out = _starter_header(program, invocation, shown)
    track_note = (
        "one of: " + ", ".join(t.key for t in program.tracks) + " (a trainee may set their own)"
        if program.tracks else ""
    )
    out += ["", *_toml_table("cohort", header, {"track": track_note})]
    if not program.tracks:
        out.append(f"# track: {program.key} has no tracks")
    trainee_notes = {
        "credential": " | ".join(c.value for c in _CREDENTIALS),
        "trainer": "the certified trainer they are paired with",
        "co_leader": "a mental-health co-leader, where the credential is not MH",
    }
    for t in trainees:
        out += ["", *_toml_table("trainees", t, trainee_notes)]
    out += [
        "",
        "# Events: each row is one of attended, artifact, waived, held, resumed, withdrawn, voided.",
        "# Rows may give an `id` (to void them later) and `recorded_by`. Dates are TOML dates.",
    ]
    for block, live in blocks:
        out += ["", f"# {block.comment}"]
        if not live:
            out.append("# (commented out: with the rows above, `facilitrack check` would flag it)")
        for row in block.rows:
            lines = _toml_table("events", row, block.notes)
            out += lines if live else [f"# {line}" for line in lines]
    if program.groups is not None:
        out += ["", *_groups_example(program, program.groups, shown, live=groups_live,
                                     flagged=groups_flagged)]
    return "\n".join(out) + "\n"


#: The example group meets four weeks after the starter's enrolments, when `FIRST` is in the
#: stage its sessions credit and `SECOND` has withdrawn.
_GROUP_SESSION = STARTER_DATE + timedelta(weeks=4)


def _groups_example(
    program: Program, rules: GroupRules, shown: str, *, live: bool, flagged: bool
) -> list[str]:
    """A group built from the program's group rules, commented out unless `live`: its size,
    facilitators, pairing, children's ages and Child Team are what the rules ask for, so
    `facilitrack check` passes it once uncommented (`flagged`: it would not, and says so)."""
    kind, activity = next(iter(rules.credits.items()), (GroupKind.community, None))
    credit = (
        f"each session credits every trainee present with `{activity}`"
        if activity else "its sessions credit no trainee"
    )
    size = next((r for r in rules.sizes if kind in r.kinds), None)
    trainees = [FIRST, SECOND][: max(size.trainees.min if size and size.trainees else 1, 1)]
    parents = max(size.participants.min if size and size.participants else 1, 1)
    leaders = max(rules.facilitators.count if rules.facilitators else 2, 2)
    staff: list[dict[str, Any]] = [
        {"id": TRAINER, "name": "Dr. R. Miller", "credential": "licensed", "certified_trainer": True}
    ]
    staff += [{"id": f"co-leader-{n}", "name": f"Co-leader {n}", "credential": "licensed"}
              for n in range(1, leaders - 1)]
    per_child = rules.child_team.per_child if rules.child_team else 0
    staff += [{"id": f"child-team-{n}", "name": f"Child Team member {n}", "credential": "other"}
              for n in range(1, parents * per_child + 1)]
    group: dict[str, Any] = {"id": "group-1", "kind": kind.value}
    if program.tracks:
        group["track"] = program.tracks[0].key
    group |= {"facilitators": [TRAINER, FIRST, *(s["id"] for s in staff if s["id"].startswith("co-"))],
              "trainees": trainees}
    born = _born(_GROUP_SESSION, _child_age(rules))
    participants = [{"id": f"p{n}", "parent": f"Parent {n}", "child_born": born}
                    for n in range(1, parents + 1)]
    session: dict[str, Any] = {"on": _GROUP_SESSION, "absent": [t for t in trainees if t != FIRST]}
    if per_child:
        session["child_team"] = [s["id"] for s in staff if s["id"].startswith("child-team-")]
    absent_note = "participants and trainees not there"
    if SECOND in trainees:
        absent_note += f" ({SECOND} has withdrawn)"
    intro = [
        "# Groups: a group's sessions listed once, with who was absent. Uncomment to use;",
        f"# `facilitrack groups {shown}` checks them against the program's group rules",
        f"# (`facilitrack show {program.key}` lists them). A {kind.value} group, sized as they ask:",
        f"# {credit}.",
    ]
    if flagged:
        intro.append("# (uncommented with the rows above, `facilitrack check` would flag it)")
    tables: list[str] = []
    for i, member in enumerate(staff):
        tables += [*_toml_table("staff", member, {} if i else {
            "certified_trainer": "trainers and co-leaders who are not trainees"}), ""]
    tables += [*_toml_table("groups", group, {"kind": "demonstration | trainee_led | community"}), ""]
    for i, participant in enumerate(participants):
        notes = {} if i else {"id": "a parent-child dyad"}
        tables += [*_toml_table("groups.participants", participant, notes), ""]
    tables += _toml_table("groups.sessions", session, {"absent": absent_note})
    return intro + (tables if live else [f"# {line}" if line else "#" for line in tables])


def _child_age(rules: GroupRules) -> int:
    """A child's age in whole months that the program's age rule admits (20 where it allows)."""
    ages = rules.ages
    low = ages.min_months if ages and ages.min_months is not None else 0
    high = ages.max_months if ages and ages.max_months is not None else None
    age = max(20, low)
    return min(age, high) if high is not None else age


def _born(on: date, months: int) -> date:
    """The birthday `months` whole months before `on` (the first of its month: no day overflow)."""
    month = on.year * 12 + on.month - 1 - months
    return date(month // 12, month % 12 + 1, 1)


def starter_cohort(
    program: Program,
    *,
    path: str | Path = "cohort.toml",
    program_file: str | None = None,
    host: PluginHost | None = None,
) -> str:
    """A commented cohort file for `program` that `facilitrack check` passes.

    It lists the program's stages, keys and choices in comments, enrols two trainees and shows
    an event of each kind; a kind the program cannot show without a problem is commented out.

    :param path: where the file will be written (a `program_file` is relative to it).
    :param program_file: name the program by this file instead of its installed key.
    """
    host = host or load_plugins()
    shown = shlex.quote(display_path(Path(path).as_posix()))
    header: dict[str, Any] = {"name": f"{program.name} - new cohort"}
    header |= {"program_file": program_file} if program_file else {"program": program.key}
    if program.tracks:
        header["track"] = program.tracks[0].key
    credential = _credential_for(program)
    first_rule = next((r for r in program.stages[0].requirements if isinstance(r, CredentialRule)), None)
    second: dict[str, Any] = {"id": SECOND, "name": "Noa Levi"}
    if first_rule is not None and first_rule.with_co_leader:
        second |= {"credential": first_rule.with_co_leader[0].value, "enrolled": STARTER_DATE,
                   "trainer": TRAINER, "co_leader": FIRST}
    else:
        second |= {"credential": credential.value, "enrolled": STARTER_DATE, "trainer": TRAINER}
    trainees = [
        {"id": FIRST, "name": "Ana Gómez", "credential": credential.value,
         "enrolled": STARTER_DATE, "trainer": TRAINER},
        second,
    ]
    invocation = f"facilitrack init {program_file or program.key}"
    base, optional = _starter_blocks(program)
    chosen: list[tuple[_Block, bool]] = [(b, True) for b in base]
    for block in optional:
        trial = _render_starter(
            program, header, trainees, [*chosen, (block, True)], invocation=invocation, shown=shown
        )
        chosen.append((block, _clean(trial, path, host)))
    flagged = False
    if program.groups is not None:
        trial = _render_starter(program, header, trainees, chosen, invocation=invocation, shown=shown,
                                groups_live=True)
        flagged = not _clean(trial, path, host)
    return _render_starter(program, header, trainees, chosen, invocation=invocation, shown=shown,
                           groups_flagged=flagged)


def _clean(text: str, path: str | Path, host: PluginHost) -> bool:
    """Whether cohort `text` reads and runs without a problem, its groups' included."""
    try:
        cohort = read_cohort(text, path, host=host)
        return not cohort.report().problems and not any(g.problems for g in cohort.group_reports().groups)
    except UserError:
        return False
