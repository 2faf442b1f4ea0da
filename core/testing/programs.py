"""The conformance check every program definition can run.

A definition conforms when:

- it is valid: it survives a JSON round trip through `parse_program` unchanged;
- it is cited: every requirement, stage and group rule names a ``source`` or a ``note`` (an
  assumption);
- a synthetic trainee who meets exactly the requirements is certified, passing through every
  stage in order (so every stage is reachable) with every synthetic event credited;
- for each requirement in turn, a trainee one short of it — the same journal up to that stage
  with one credit fewer, a disallowed credential, no trainer — is stuck at that stage, and
  `missing` names that requirement alone with ``have = need - 1``.

The trainees are driven through a real `Engine`. Their events come from each requirement's
`Requirement.synthetic_events` and `Requirement.synthetic_enrolment`, so requirement kinds a
plugin adds are checked the same way as the built-in ones.

`check_program` needs no pytest; `facilitrack.testing` offers it as a fixture too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .._engine.engine import Engine
from .._errors import DefinitionError, FacilitrackError, PluginError
from .._host.plugins import load_plugins
from .._host.registry import ProgramRegistry
from .._model.events import Enrolled, Event
from .._model.program import Program, parse_program
from .._model.requirements import BUILTIN_KINDS, Credential, Requirement, RequirementKinds

#: The synthetic trainee enrols on this day; stage i's events are dated i + 1 weeks later.
START = date(2024, 1, 1)
STAGE_GAP = timedelta(weeks=1)


@dataclass(frozen=True)
class Finding:
    """One way a definition fails the check.

    :param check: ``valid``, ``cited``, ``certifies``, ``reachable`` or ``one_short``.
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
    program: Program, *, plugins: Sequence[object] = (), cited: bool = True
) -> None:
    """Run the conformance check; raise `ConformanceError` listing every finding.

    :param program: the definition to check.
    :param plugins: plugin objects whose hooks (event validation) the engine should call.
    :param cited: require a ``source`` or ``note`` on every stage and requirement.
    """
    findings = conformance(program, plugins=plugins, cited=cited)
    if findings:
        raise ConformanceError(program, findings)


def conformance(
    program: Program, *, plugins: Sequence[object] = (), cited: bool = True
) -> list[Finding]:
    """Every finding of the conformance check (see the module docstring); empty when it conforms."""
    try:
        kinds = _kinds_of(program)
    except (TypeError, ValueError) as exc:
        return [Finding("valid", program.ref, f"a requirement kind cannot be registered: {exc}")]
    findings = _check_valid(program, kinds)
    if cited:
        findings += _check_cited(program)
    registry = ProgramRegistry(kinds)
    registry.add(program, source="conformance check")
    engine = Engine(registry, hooks=load_plugins(plugins, entry_points_group=None).hooks)
    findings += _check_exact(engine, program)
    for i, stage in enumerate(program.stages):
        for j in range(len(stage.requirements)):
            findings += _check_one_short(engine, program, i, j)
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


def _kinds_of(program: Program) -> RequirementKinds:
    """The built-in kinds plus the classes the definition's requirements are made of."""
    kinds = RequirementKinds()
    for stage in program.stages:
        for req in stage.requirements:
            if type(req) not in BUILTIN_KINDS:
                kinds.register(type(req))
    return kinds


def _where(program: Program, i: int, j: int | None = None) -> str:
    stage = program.stages[i]
    if j is None:
        return f"stage {stage.key}"
    req = stage.requirements[j]
    return f"stage {stage.key}, {req.kind} {req.key}"


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
        for j, req in enumerate(stage.requirements):
            if not (req.source or req.note):
                findings.append(Finding(
                    "cited", _where(program, i, j),
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


def _check_exact(engine: Engine, program: Program) -> list[Finding]:
    trainee = "conformance-exact"
    try:
        _record(engine, program, trainee, short=None)
    except _UnbuildableError as exc:
        return [Finding("certifies", exc.where, exc.why)]
    status = engine.status(trainee)
    findings = []
    if not status.certified:
        missing = ", ".join(f"{p.kind} {p.requirement} {p.have}/{p.need}" for p in status.missing)
        findings.append(Finding(
            "certifies", program.ref,
            f"a trainee meeting exactly the requirements is not certified: still at "
            f"{status.stage}, missing {missing or 'nothing'}",
        ))
    done = [key for key, _, _ in engine.state(trainee).completed]
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
    return findings


def _check_one_short(engine: Engine, program: Program, i: int, j: int) -> list[Finding]:
    stage, req = program.stages[i], program.stages[i].requirements[j]
    where = _where(program, i, j)
    trainee = f"conformance-short-{i}-{j}"
    try:
        _record(engine, program, trainee, short=(i, j))
    except _UnbuildableError as exc:
        return [Finding("one_short", exc.where, exc.why)]
    status = engine.status(trainee)
    if status.stage != stage.key:
        return [Finding(
            "one_short", where,
            f"a trainee one short of it should be stuck at {stage.key}, but is {status.stage}",
        )]
    missing = [(p.kind, p.requirement, p.have, p.need) for p in status.missing]
    expected = [(req.kind, req.key, req.count - 1, req.count)]
    if missing != expected:
        shown = ", ".join(f"{k} {r} {h}/{n}" for k, r, h, n in missing) or "nothing"
        return [Finding(
            "one_short", where,
            f"a trainee one short of it should miss only it, at {req.count - 1}/{req.count};"
            f" missing: {shown}",
        )]
    return []


# -- building synthetic trainees ---------------------------------------------------------------


class _UnbuildableError(Exception):
    """The synthetic journal cannot be built or recorded."""

    def __init__(self, where: str, why: str) -> None:
        self.where, self.why = where, why
        super().__init__(f"{where}: {why}")


def _record(engine: Engine, program: Program, trainee: str, short: tuple[int, int] | None) -> None:
    """Record a trainee with every requirement met exactly, except `short`, one unit below.

    A trainee one short of stage i's requirement gets no events of later stages: work of a
    later stage that shares a key (a second process recording) would rightly count toward
    the stage they are stuck in.
    """
    fields: dict[str, Any] = {
        "credential": Credential.licensed,
        "co_leader": None,
        "trainer": None,
        "track": program.tracks[0].key if program.tracks else None,
    }
    short_fields: dict[str, Any] = {}
    events: list[Event] = []
    for i, stage in enumerate(program.stages):
        on = START + STAGE_GAP * (i + 1)
        for j, req in enumerate(stage.requirements):
            have = req.count - 1 if (i, j) == short else req.count
            for got in _synthesise(req, trainee, on, have, _where(program, i, j)):
                if isinstance(got, dict):
                    (short_fields if (i, j) == short else fields).update(got)
                elif short is None or i <= short[0]:
                    events.append(got)
    fields.update(short_fields)
    enrolment = Enrolled(
        trainee=trainee, program=program.key, version=program.version, on=START, **fields
    )
    numbered = [
        e.model_copy(update={"id": f"{trainee}:{n}"}) for n, e in enumerate([enrolment, *events])
    ]
    try:
        engine.record(numbered)
    except FacilitrackError as exc:
        raise _UnbuildableError(program.ref, f"the engine refused the synthetic events: {exc}") from None


def _synthesise(
    req: Requirement, trainee: str, on: date, have: int, where: str
) -> Iterator[dict[str, Any] | Event]:
    """The enrolment fields, then the events, that give `have` of `req`."""
    try:
        fields = req.synthetic_enrolment(have)
        events = req.synthetic_events(trainee, on, have)
    except NotImplementedError as exc:
        raise _UnbuildableError(where, str(exc)) from None
    if fields is None:
        raise _UnbuildableError(
            where,
            f"no trainee can have {have} of it, so it never holds anyone back;"
            " drop it, or narrow it",
        )
    yield fields
    yield from events
