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
from .._model.events import ArtifactRecorded, ArtifactStatus, Attended
from .._model.group_rules import GroupRules
from .._model.leaves import CredentialRule, Pairing, Role
from .._model.program import Program, Stage
from .._model.requirements import Node, Requirement
from .._model.tree import Combination
from .._text import display_path, one_line
from .model import ROW_KINDS
from .run import read_cohort

STARTER_DATE = date(2026, 1, 5)
#: The starter's people, as the README tour and the docs name them.
FIRST, SECOND, TRAINER = "ana", "noa", "dr-miller"


def _toml_value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return tomli_w.dumps({"v": value})[4:].strip()


def _toml_table(name: str, row: Mapping[str, Any], notes: Mapping[str, str]) -> list[str]:
    lines = [f"[{name}]" if name in ("cohort", "issuer") else f"[[{name}]]"]
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


def _describe_requirement(node: Node, depth: int = 0) -> list[str]:
    """A requirement node in a line (and its children below it, indented)."""
    extra = " (waivable)" if node.waivable else ""
    pad = "  " * depth
    if isinstance(node, Combination):
        lines = [f"{pad}{node.node_key}: {node.kind.replace('_', ' ')}{extra}"]
        for child in node.requirements:
            lines += _describe_requirement(child, depth + 1)
        return lines
    assert isinstance(node, Requirement)
    return [f"{pad}{_leaf_text(node)}{extra}"]


def _leaf_text(node: Requirement) -> str:  # noqa: PLR0911 -- one answer per kind of leaf
    """What a leaf asks for, in a few words."""
    if isinstance(node, CredentialRule):
        text = "credential: " + ", ".join(node.allowed)
        if node.with_co_leader:
            text += "; " + ", ".join(node.with_co_leader) + " with a `co_leader`"
        return text
    if isinstance(node, Pairing):
        known = f", someone this file knows to hold the role {node.role}" if node.role else ""
        return f"{node.key}: a certified `trainer` named on the trainee{known}"
    if isinstance(node, Role):
        beside = ", or names a `co_leader` who does (someone this file knows)" if node.co_leader else ""
        return f"{node.key}: holds the role {node.role}{beside}"
    watched = node.watches()
    if node.kind == "participation":
        return f"{node.key}: take part in {node.count:g} sessions (attended, or `absent`)"
    if watched and watched[0][0] == "attended":
        weeks = " (in different weeks)" if getattr(node, "per", "session") == "week" else ""
        return f"{node.key}: attend {node.count:g}{weeks}"
    if watched and watched[0][0] == "artifact":
        status = getattr(node, "status", ArtifactStatus.submitted)
        plural = "s" if node.count > 1 else ""
        return f"{node.key}: {node.count} artifact{plural}, status {status}"
    return f"{node.key}: {node.kind} x{node.count:g}"


def _credential_for(program: Program) -> str:
    rules = [r for s in program.stages for r in s.leaves() if isinstance(r, CredentialRule)]
    credentials = program.words.credential_keys()
    for credential in credentials:
        if all(credential in r.allowed for r in rules):
            return credential
    return rules[0].allowed[0] if rules else credentials[0]


def _completing_rows(stage: Stage, trainee: str, start: date) -> tuple[list[dict[str, Any]], date]:
    """Rows meeting every requirement of `stage` that events meet, from `start` (each leaf's
    own synthetic events, as the conformance check makes them)."""
    rows: list[dict[str, Any]] = []
    day = start
    for leaf in stage.leaves():
        made = leaf.synthetic_events(trainee, day, int(leaf.count)) if leaf.watches() else []
        sessions = [e for e in made if isinstance(e, Attended)]
        if sessions and all(e.quantity is None and e.score is None for e in sessions):
            row: dict[str, Any] = {"trainee": trainee, "attended": sessions[0].activity}
            if len(sessions) == 1:
                row["on"] = day
            elif len(sessions) <= 4:
                row["dates"] = [day + timedelta(days=i) for i in range(len(sessions))]
            else:
                row["on"], row["weekly"] = day, len(sessions)
            rows.append(row)
        else:
            for e in sessions:
                row = {"trainee": trainee, "on": e.on, "attended": e.activity}
                fields = (("quantity", e.quantity), ("mode", e.mode), ("score", e.score))
                row |= {k: v for k, v in fields if v is not None}
                rows.append(row)
        for n, work in enumerate(e for e in made if isinstance(e, ArtifactRecorded)):
            row = {"trainee": trainee, "on": day, "artifact": work.artifact, "status": work.status.value,
                   "ref": f"{trainee}-{work.artifact}-{n + 1}"}
            if work.score is not None:
                row["score"] = work.score
            rows.append(row)
        if made:
            day = max(day, *(_row_dates(r)[-1] for r in rows)) + timedelta(days=1)
    last = max((d for r in rows for d in _row_dates(r)), default=start)
    return rows, max(day, last + timedelta(days=1))


def _row_dates(row: Mapping[str, Any]) -> list[date]:
    if "dates" in row:
        return list(row["dates"])
    on: date = row["on"]
    return [on + timedelta(weeks=i) for i in range(row.get("weekly", 1))]


def _first(stage: Stage, kind: str) -> Requirement | None:
    """The first plain count of an event kind in the stage (attendance or artifact)."""
    return next(
        (r for r in stage.leaves() if r.kind in ("attendance", "artifact") and r.watches()
         and r.watches()[0][0] == kind and not r.opens_when and r.window is None),
        None,
    )


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
    series = next((leaf for s in program.stages for leaf in s.leaves() if leaf.kind == "participation"), None)
    missed = series.key if series is not None else (session.key if session is not None else None)
    if missed is not None:
        blocks.append(_Block(
            "a session of a series the trainee missed (counts where the program asks for taking part)",
            [{"trainee": t1, "on": day, "absent": missed, "reason": "ill"}], notes,
        ))
        day += timedelta(days=1)
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
    waivable = next((r for r in current.nodes() if r.waivable), None)
    stage_of = current
    if waivable is None:
        stage_of, waivable = next(
            ((s, r) for s in program.stages for r in s.nodes() if r.waivable), (current, None)
        )
    if waivable is not None:
        row = {"trainee": t1, "on": day, "waived": waivable.node_key}
        if stage_of is not current:
            row["stage"] = stage_of.key
        row |= {"reason": "equivalent training elsewhere", "approver": "training-director"}
        waivable_keys = sorted({r.node_key for s in program.stages for r in s.nodes() if r.waivable})
        blocks.append(_Block(
            "a waiver: who approved it and why (`stage` defaults to the current one)",
            [row], {"waived": "waivable: " + ", ".join(waivable_keys)},
        ))
        day += timedelta(days=1)
    works = [r for r in current.leaves() if r.kind == "artifact" and r.window is None and not r.opens_when]
    waived_key = waivable.node_key if waivable is not None else None
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
        for node in stage.requirements:
            lines.extend(f"#     - {one_line(line)}" for line in _describe_requirement(node))
    lines.append("#   then: certified")
    return lines


def _trainer_roles(program: Program) -> list[str]:
    """The roles a pairing requirement asks the trainer to hold (a certified trainer)."""
    return sorted({
        leaf.role for s in program.stages for leaf in s.leaves()
        if isinstance(leaf, Pairing) and leaf.role is not None
    })


def _trainer(program: Program) -> dict[str, Any]:
    """The starter's certified trainer, as a ``[[staff]]`` row."""
    row: dict[str, Any] = {"id": TRAINER, "name": "Dr. R. Miller", "credential": _mh_credential(program)}
    roles = _trainer_roles(program)
    if roles and roles != ["certified_trainer"]:
        row["roles"] = roles
    else:
        row["certified_trainer"] = True
    return row


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
    issuer = {"name": one_line(program.organisation), "url": "https://example.org/"}
    out += ["", "# Who issues the certificates (`facilitrack certificates`): your organisation's name,",
            "# web address and, for signed badges, `id` (a URL or a did:key from `facilitrack keygen`).",
            *_toml_table("issuer", issuer, {"url": "replace with your organisation's"})]
    trainee_notes = {
        "credential": " | ".join(program.words.credential_keys()),
        "trainer": "the certified trainer they are paired with",
        "co_leader": "a mental-health co-leader, where the credential is not MH",
    }
    for t in trainees:
        out += ["", *_toml_table("trainees", t, trainee_notes)]
    if _trainer_roles(program):
        out += ["", "# The certified trainer the trainees are paired with: someone this file knows.",
                *_toml_table("staff", _trainer(program), {})]
    out += [
        "",
        "# Events: each row is one of " + ", ".join(_row_kinds(program)) + ".",
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


def _row_kinds(program: Program) -> list[str]:
    """The kinds of event row a cohort of `program` may hold (waivers only where it allows one)."""
    waivable = any(r.waivable for s in program.stages for r in s.nodes())
    return [kind for kind in ROW_KINDS if kind != "waived" or waivable]


def _mh_credential(program: Program) -> str:
    """A credential that makes its holder a mental-health professional (or the first one)."""
    words = program.words
    return (words.credentials_with("mental_health") or words.credential_keys())[0]


#: The example group meets four weeks after the starter's enrolments, when `FIRST` is in the
#: stage its sessions credit and `SECOND` has withdrawn.
_GROUP_SESSION = STARTER_DATE + timedelta(weeks=4)


def _groups_example(
    program: Program, rules: GroupRules, shown: str, *, live: bool, flagged: bool
) -> list[str]:
    """A group built from the program's group rules, commented out unless `live`: its size,
    facilitators, pairing, children's ages and Child Team are what the rules ask for, so
    `facilitrack check` passes it once uncommented (`flagged`: it would not, and says so)."""
    kind, activity = next(iter(rules.credits.items()), (rules.kind_keys()[-1], None))
    credit = (
        f"each session credits every trainee present with `{activity}`"
        if activity else "its sessions credit no trainee"
    )
    size = next((r for r in rules.sizes if kind in r.kinds), None)
    trainees = [FIRST, SECOND][: max(size.trainees.min if size and size.trainees else 1, 1)]
    parents = max(size.participants.min if size and size.participants else 1, 1)
    leaders = max(rules.facilitators.count if rules.facilitators else 2, 2)
    # Where pairing asks for a role, the trainer is already a live [[staff]] row above.
    staff: list[dict[str, Any]] = [] if _trainer_roles(program) else [_trainer(program)]
    staff += [{"id": f"co-leader-{n}", "name": f"Co-leader {n}", "credential": _mh_credential(program)}
              for n in range(1, leaders - 1)]
    per_child = rules.child_team.per_child if rules.child_team else 0
    staff += [{"id": f"child-team-{n}", "name": f"Child Team member {n}",
               "credential": program.words.credential_keys()[-1]}
              for n in range(1, parents * per_child + 1)]
    group: dict[str, Any] = {"id": "group-1", "kind": str(kind)}
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
        f"# (`facilitrack show {program.key}` lists them). A {kind} group, sized as they ask:",
        f"# {credit}.",
    ]
    if flagged:
        intro.append("# (uncommented with the rows above, `facilitrack check` would flag it)")
    tables: list[str] = []
    for i, member in enumerate(staff):
        tables += [*_toml_table("staff", member, {} if i else {
            "certified_trainer": "trainers and co-leaders who are not trainees"}), ""]
    tables += [*_toml_table("groups", group, {"kind": " | ".join(rules.kind_keys())}), ""]
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
    header: dict[str, Any] = {"name": f"{program.name} - new cohort"}
    header |= {"program_file": program_file} if program_file else {"program": program.key}
    if program.tracks:
        header["track"] = program.tracks[0].key
    credential = _credential_for(program)
    first_rule = next((r for r in program.stages[0].leaves() if isinstance(r, CredentialRule)), None)
    second: dict[str, Any] = {"id": SECOND, "name": "Noa Levi", "given_name": "Noa", "family_name": "Levi",
                              "email": "noa.levi@example.org"}
    beside = next((leaf for s in program.stages for leaf in s.leaves()
                   if isinstance(leaf, Role) and leaf.co_leader), None)
    others = [c for c in program.words.credential_keys()
              if beside is not None and beside.role not in program.words.roles_of(c)]
    if first_rule is not None and first_rule.with_co_leader:
        second |= {"credential": first_rule.with_co_leader[0], "enrolled": STARTER_DATE,
                   "trainer": TRAINER, "co_leader": FIRST}
    elif others and beside is not None and beside.role in program.words.roles_of(credential):
        second |= {"credential": others[0], "enrolled": STARTER_DATE, "trainer": TRAINER,
                   "co_leader": FIRST}
    else:
        second |= {"credential": credential, "enrolled": STARTER_DATE, "trainer": TRAINER}
    trainees = [
        {"id": FIRST, "name": "Ana Gómez", "given_name": "Ana", "family_name": "Gómez",
         "email": "ana.gomez@example.org", "credential": credential, "enrolled": STARTER_DATE,
         "trainer": TRAINER},
        second,
    ]
    invocation = f"facilitrack init {program_file or program.key}"
    shown = shlex.quote(display_path(Path(path).as_posix()))
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
