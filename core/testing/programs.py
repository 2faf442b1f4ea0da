"""The conformance check every program definition can run (no pytest needed).

A definition conforms when:

- it is valid: it survives a JSON round trip through `parse_program` unchanged;
- it is cited: every requirement node (renewal requirements included), stage and group rule
  names a ``source`` or a ``note`` (an assumption);
- for every track, a synthetic trainee who meets exactly the requirements is certified,
  passing through every stage in order (so every stage is reachable) with every synthetic event
  credited — and, where the final certificate is renewed, renews it; a trainee stuck with
  nothing missing is a finding of its own (a kind that never says what it lacks);
- for each leaf the exact trainee relied on, a trainee one short of it — the same journal up to
  that stage with one unit fewer, a disallowed credential, no trainer — is stuck at that stage,
  and `missing` names only the top-level requirement that holds the leaf (for a top-level leaf,
  with ``have = need - 1``).

"Exactly" means the least a tree asks: every child of an ``all_of``, the first child of an
``any_of``, the first `n` children of an ``n_of``. The trainees are driven through a real
`Engine`; their events come from each leaf's `Requirement.synthetic_events` and
`Requirement.synthetic_enrolment`, so leaf kinds a plugin adds are checked the same way as the
built-in ones. Each leaf's work gets days of its own, in order, so that windows and
``opens_when`` gates between leaves are respected; a trainee one short of a leaf that others wait
for (their ``opens_when``, or a window from its being met) may miss those too. A certificate of
another program (a prerequisite) is earned by that program's exact trainee, whose journal ends
the day before the trainee enrols (so a certificate that expires is still valid): pass it in
`programs`. A synthetic person several leaves ask for (the trainer) holds every role they ask.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .._engine.engine import Engine
from .._errors import DefinitionError, FacilitrackError, PluginError
from .._host.plugins import load_plugins
from .._host.registry import ProgramRegistry
from .._model.events import Enrolled, Event, PersonRecorded
from .._model.leaves import BUILTIN_LEAVES, CertificateRequirement
from .._model.program import Program, parse_program
from .._model.requirements import Node, Requirement, split_ref
from .._model.tree import AllOf, AnyOf, Combination, NOf, RequirementKinds
from .._model.windows import anchor_ref

#: The synthetic trainee enrols on this day; each leaf's work comes on days after the last.
START = date(2024, 1, 1)


@dataclass(frozen=True)
class Finding:
    """One way a definition fails the check.

    :param check: ``valid``, ``cited``, ``certifies``, ``renews``, ``reachable`` or ``one_short``.
    :param where: the stage and requirement at fault, or the program.
    :param message: what is wrong.
    """

    check: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.where}: {self.message}"


class ConformanceError(AssertionError):
    """A definition failed the conformance check; `findings` says how."""

    def __init__(self, program: Program, findings: Sequence[Finding]) -> None:
        self.program = program
        self.findings = list(findings)
        lines = "\n  ".join(str(f) for f in self.findings)
        super().__init__(f"{program.ref} does not conform:\n  {lines}")


def check_program(
    program: Program, *, plugins: Sequence[object] = (), cited: bool = True,
    programs: Sequence[Program] = (),
) -> None:
    """Run the conformance check; raise `ConformanceError` listing every finding.

    :param program: the definition to check.
    :param plugins: plugin objects whose hooks (event validation) the engine should call.
    :param cited: require a ``source`` or ``note`` on every stage and requirement.
    :param programs: other definitions the program's prerequisites name.
    """
    findings = conformance(program, plugins=plugins, cited=cited, programs=programs)
    if findings:
        raise ConformanceError(program, findings)


def conformance(
    program: Program, *, plugins: Sequence[object] = (), cited: bool = True,
    programs: Sequence[Program] = (),
) -> list[Finding]:
    """Every finding of the conformance check (see the module docstring); empty when it conforms."""
    try:
        kinds = _kinds_of([program, *programs])
    except (TypeError, ValueError) as exc:
        return [Finding("valid", program.ref, f"a requirement kind cannot be registered: {exc}")]
    findings = _check_valid(program, kinds)
    if cited:
        findings += _check_cited(program)
    registry = ProgramRegistry(kinds)
    for p in (program, *programs):
        registry.add(p, source="conformance check")
    hooks = load_plugins(plugins, entry_points_group=None).hooks
    tracks: list[str | None] = [t.key for t in program.tracks] or [None]
    for track in tracks:
        builder = _Builder(registry, track)
        findings += _check_exact(Engine(registry, hooks=hooks), program, builder)
        for i, stage in enumerate(program.stages):
            for path in _plan_leaves(stage.requirements):
                findings += _check_one_short(Engine(registry, hooks=hooks), program, builder, i, path)
    return list(dict.fromkeys(findings))  # one line per distinct finding, in order


def programs_of(plugin: object) -> list[Program]:
    """Every program (all versions) `plugin` registers, loaded alone; its failure is raised.

    :raises PluginError: the plugin failed to register a kind or a valid program.
    """
    host = load_plugins([plugin], entry_points_group=None)
    if host.problems:
        first = host.problems[0]
        raise PluginError(first.error, plugin=first.plugin)
    return [v for p in host.programs.latest() for v in host.programs.versions(p.key)]


# -- the checks --------------------------------------------------------------------------------


def _kinds_of(programs: Sequence[Program]) -> RequirementKinds:
    """The built-in kinds plus the classes the definitions' requirements are made of."""
    kinds = RequirementKinds()
    builtin = (*BUILTIN_LEAVES, AllOf, AnyOf, NOf)
    for program in programs:
        nodes = [n for s in program.stages for n in s.nodes()]
        nodes += [n for r in program.renewal for n in r.walk()]
        for node in nodes:
            if type(node) not in builtin and isinstance(node, Requirement):
                kinds.register(type(node))
    return kinds


def _where(program: Program, i: int, node: Node | None = None) -> str:
    stage = program.stages[i]
    if node is None:
        return f"stage {stage.key}"
    return f"stage {stage.key}, {node.kind} {node.node_key}"


def _check_valid(program: Program, kinds: RequirementKinds) -> list[Finding]:
    data = program.model_dump(mode="json")
    try:
        again = parse_program(data, origin=f"{program.ref} as JSON", kinds=kinds)
    except DefinitionError as exc:
        return [Finding("valid", program.ref, exc.render())]
    if again != program:
        return [Finding("valid", program.ref, "reading its JSON back gives a different definition")]
    return []


def _check_cited(program: Program) -> list[Finding]:
    findings = []
    for i, stage in enumerate(program.stages):
        if not (stage.source or stage.note):
            findings.append(Finding("cited", _where(program, i), "give a source or a note"))
        for node in stage.nodes():
            if not (node.source or node.note):
                findings.append(Finding(
                    "cited", _where(program, i, node),
                    'give a source, or a note = "Assumption: ..." where no source has the number',
                ))
    for node in (n for r in program.renewal for n in r.walk()):
        if not (node.source or node.note):
            findings.append(Finding(
                "cited", f"{program.ref} renewal, {node.kind} {node.node_key}",
                'give a source, or a note = "Assumption: ..." where no source has the number',
            ))
    if program.groups is not None:
        for name in type(program.groups).model_fields:
            value = getattr(program.groups, name)
            rules = value if isinstance(value, tuple) else (value,)
            for k, rule in enumerate(rules):
                cited = hasattr(rule, "source") and hasattr(rule, "note")  # every group rule
                if cited and not (rule.source or rule.note):
                    at = f"[{k}]" if isinstance(value, tuple) else ""
                    findings.append(Finding(
                        "cited", f"{program.ref} groups.{name}{at}",
                        'give the group rule a source, or a note = "Assumption: ..."',
                    ))
    return findings


def _plan(nodes: Sequence[Node]) -> list[tuple[Node, ...]]:
    """The least a list of nodes (an implicit ``all_of``) asks: the path to each leaf it needs."""
    out: list[tuple[Node, ...]] = []
    for node in nodes:
        if isinstance(node, Combination):
            children = list(node.requirements)
            if isinstance(node, AnyOf):
                children = children[:1]
            elif isinstance(node, NOf):
                children = children[: node.n]
            out += [(node, *path) for path in _plan(children)]
        else:
            out.append((node,))
    return out


def _plan_leaves(nodes: Sequence[Node]) -> list[tuple[Node, ...]]:
    return _plan(nodes)


def _check_exact(engine: Engine, program: Program, builder: _Builder) -> list[Finding]:
    trainee = "conformance-exact"
    try:
        builder.record(engine, program, trainee, short=None)
    except _UnbuildableError as exc:
        return [Finding("certifies", exc.where, exc.why)]
    status = engine.status(trainee, program=program.key)
    findings = []
    if not status.certified:
        missing = ", ".join(f"{p.kind} {p.requirement} {p.have}/{p.need}" for p in status.missing)
        silent = [p for p in status.missing if p.have >= p.need and not p.reason and not p.children]
        if status.missing and len(silent) == len(status.missing):
            missing += (" — stuck with nothing missing: each shows its count reached, yet was not"
                        " met when the work was counted (does its measure depend on the day?)")
        findings.append(Finding(
            "certifies", program.ref,
            f"a trainee meeting exactly the requirements is not certified: still at "
            f"{status.stage}, missing {missing or 'nothing'}",
        ))
    done = [key for key, _, _ in _enrolment(engine, trainee, program).completed]
    findings.extend(
        Finding("reachable", _where(program, i), "no synthetic trainee reaches it")
        for i in range(1, len(program.stages))
        if program.stages[i - 1].key not in done
    )
    if status.certified:  # otherwise, events of stages never reached are rightly not credited
        findings.extend(
            Finding("certifies", program.ref, f"a synthetic event was not credited: {p.reason}")
            for p in status.problems
        )
        if program.renewal and not _enrolment(engine, trainee, program).renewals:
            findings.append(Finding("renews", program.ref,
                                    "a trainee meeting exactly the renewal requirements did not renew"))
    return findings


def _check_one_short(engine: Engine, program: Program, builder: _Builder, i: int,
                     path: tuple[Node, ...]) -> list[Finding]:
    stage, leaf, root = program.stages[i], path[-1], path[0]
    where = _where(program, i, leaf)
    trainee = f"conformance-short-{i}-{leaf.node_key}"
    try:
        builder.record(engine, program, trainee, short=(i, leaf))
    except _UnbuildableError as exc:
        return [Finding("one_short", exc.where, exc.why)]
    status = engine.status(trainee, program=program.key)
    if status.stage != stage.key:
        return [Finding(
            "one_short", where,
            f"a trainee one short of it should be stuck at {stage.key}, but is {status.stage}",
        )]
    waiting = _waiting_on(stage.key, stage.requirements, path) - {root.node_key}
    missing = [
        (p.kind, p.requirement, p.have, p.need) for p in status.missing if p.requirement not in waiting
    ]
    need = getattr(leaf, "count", 1)
    if len(path) == 1:
        expected = [(leaf.kind, leaf.node_key, need - 1, need)]
        ok = missing == expected
    else:
        ok = [m[1] for m in missing] == [root.node_key]
    if not ok:
        shown = ", ".join(f"{k} {r} {h}/{n}" for k, r, h, n in missing) or "nothing"
        wanted = f"at {need - 1}/{need}" if len(path) == 1 else f"through {root.node_key}"
        return [Finding(
            "one_short", where,
            f"a trainee one short of it should miss only it, {wanted}; missing: {shown}",
        )]
    return []


def _waiting_on(stage: str, nodes: Sequence[Node], path: tuple[Node, ...]) -> set[str]:
    """Top-level keys of a stage whose nodes wait for a node of `path` — by ``opens_when``, or a
    window from its being met — directly or through another waiting node: a trainee one short of
    the path's leaf rightly misses them too."""
    chains = [chain for node in nodes for chain in _chains(node)]
    blocked = {node.node_key for node in path}
    waiting: set[str] = set()
    grew = True
    while grew:
        grew = False
        for chain in chains:
            if chain[-1].node_key in blocked:
                continue
            refs = [ref for node in chain for ref in _waits_for(node)]
            if any(_key_in(ref, stage) in blocked for ref in refs):
                blocked.add(chain[-1].node_key)
                waiting.add(chain[0].node_key)
                grew = True
    return waiting


def _chains(node: Node, above: tuple[Node, ...] = ()) -> list[tuple[Node, ...]]:
    """The path from the top of the tree to `node`, and to every node below it."""
    here = (*above, node)
    return [here, *(chain for child in node.children() for chain in _chains(child, here))]


def _waits_for(node: Node) -> list[str]:
    """The nodes `node` waits for: its ``opens_when``, and its window's ``met:`` anchor."""
    refs = [node.opens_when] if node.opens_when else []
    met = anchor_ref(node.window.start) if node.window is not None else None
    return [*refs, *([met] if met else [])]


def _key_in(ref: str, stage: str) -> str | None:
    """The key a reference names in `stage` (None for another stage's node)."""
    named, key = split_ref(ref)
    return key if named in (None, stage) else None


def _enrolment(engine: Engine, trainee: str, program: Program) -> Any:
    ps = engine.state(trainee)
    return next(e for e in ps.enrolments if e.program.key == program.key)


# -- building synthetic trainees ---------------------------------------------------------------


class _UnbuildableError(Exception):
    """The synthetic journal cannot be built or recorded."""

    def __init__(self, where: str, why: str) -> None:
        self.where, self.why = where, why
        super().__init__(f"{where}: {why}")


@dataclass
class _Builder:
    """Builds the journal of a synthetic trainee, leaf by leaf, each on days of its own."""

    registry: ProgramRegistry
    track: str | None
    day: date = START
    fields: dict[str, Any] = field(default_factory=dict)

    def record(self, engine: Engine, program: Program, trainee: str,
               short: tuple[int, Node] | None) -> None:
        """Record a trainee with every requirement met exactly, except `short`, one unit below.

        A trainee one short of stage i's leaf gets no events of later stages: work of a later
        stage that shares a key (a second process recording) would rightly count toward the
        stage they are stuck in.
        """
        self.day = START
        events: list[Event] = []
        fields: dict[str, Any] = {
            "credential": program.words.credential_keys()[0],
            "co_leader": None,
            "trainer": None,
            "track": self.track,
        }
        short_fields: dict[str, Any] = {}
        enrolled_on = self.day
        self.day += timedelta(days=1)
        stages = [(i, s.requirements) for i, s in enumerate(program.stages)]
        if program.renewal:
            stages.append((len(program.stages), program.renewal))
        for i, nodes in stages:
            if short is not None and i > short[0]:
                break
            for path in _plan(nodes):
                leaf = path[-1]
                assert isinstance(leaf, Requirement)
                where = _where(program, i, leaf) if i < len(program.stages) else f"{program.ref} renewal"
                count = leaf.count
                have = count - 1 if short is not None and (i, leaf) == short else count
                got, made = self._synthesise(leaf, program, trainee, have, where)
                (short_fields if short is not None and (i, leaf) == short else fields).update(got)
                events += made
                if isinstance(leaf, CertificateRequirement) and leaf.program != program.key:
                    events = self._other(leaf, trainee, have, where, events)
        fields.update(short_fields)
        enrolment = Enrolled(trainee=trainee, program=program.key, version=program.version,
                             on=enrolled_on, **fields)
        numbered = [
            e.model_copy(update={"id": f"{trainee}:{n:05d}"})
            for n, e in enumerate([enrolment, *_one_event_per_person(events)])
        ]
        try:
            engine.record(numbered)
        except FacilitrackError as exc:
            raise _UnbuildableError(program.ref, f"the engine refused the synthetic events: {exc}") from None

    def _synthesise(self, leaf: Requirement, program: Program, trainee: str, have: Any,
                    where: str) -> tuple[dict[str, Any], list[Event]]:
        try:
            enrolment: Any = leaf.synthetic_enrolment
            takes_words = "vocabulary" in inspect.signature(enrolment).parameters
            fields = enrolment(have, vocabulary=program.words) if takes_words else enrolment(have)
            made = leaf.synthetic_events(trainee, self.day, have)
        except NotImplementedError as exc:
            raise _UnbuildableError(where, str(exc)) from None
        if fields is None:
            raise _UnbuildableError(
                where,
                f"no trainee can have {have} of it, so it never holds anyone back;"
                " drop it, or narrow it",
            )
        last = max((e.on for e in made), default=self.day)
        self.day = last + timedelta(days=1)
        return fields, list(made)

    def _other(self, leaf: CertificateRequirement, trainee: str, have: int, where: str,
               events: list[Event]) -> list[Event]:
        """Events certifying the trainee in another program first (for a prerequisite)."""
        if not have:
            return events
        if leaf.program not in self.registry:
            raise _UnbuildableError(where, f"needs program {leaf.program!r}: pass it in `programs`")
        other = self.registry.get(leaf.program)
        track = other.tracks[0].key if other.tracks else None
        inner = _Collect()
        _Builder(self.registry, track).record(inner, other, trainee, short=None)  # type: ignore[arg-type]
        last = max(e.on for e in inner.events)
        shift = (START - timedelta(days=1)) - last  # it ends the day before this enrolment
        return [*(e.model_copy(update={"on": e.on + shift}) for e in inner.events), *events]


def _one_event_per_person(events: list[Event]) -> list[Event]:
    """Every synthetic `PersonRecorded` about one person made one, dated the first, holding every
    role: a later one replaces an earlier one, so a trainer two pairings ask for with different
    roles (a program's and its prerequisite's) would otherwise hold only the last."""
    merged: dict[str, PersonRecorded] = {}
    for event in events:
        if isinstance(event, PersonRecorded):
            seen = merged.get(event.trainee)
            merged[event.trainee] = event if seen is None else seen.model_copy(update={
                "on": min(seen.on, event.on),
                "credential": seen.credential or event.credential,
                "roles": tuple(dict.fromkeys((*seen.roles, *event.roles))),
            })
    return [*merged.values(), *(e for e in events if not isinstance(e, PersonRecorded))]


class _Collect:
    """Stands in for an engine to collect a synthetic trainee's events (prerequisites)."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def record(self, events: list[Event]) -> list[Event]:
        self.events = [e.model_copy(update={"id": f"{e.id}:pre"}) for e in events]
        return self.events
