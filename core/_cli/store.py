"""Commands over a store file: ``import``, ``record``, ``status``, ``log``, ``export``, ``verify``.

A store (`SQLiteJournal`) is where a coordinator keeps a cohort's events for months. Every
command opens it, builds an engine over it and the installed plugins plus the program
definitions the store itself keeps, and closes it; nothing here decides anything the library
does not. Appends validate against the store as it is and retry, bounded, when another writer
got there first.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import tomli_w

from .._engine.engine import Engine
from .._errors import ConflictError, JournalError, UserError
from .._host.plugins import PluginHost
from .._host.registry import ProgramRegistry
from .._journal import SQLiteJournal
from .._model.events import (
    ArtifactRecorded,
    Attended,
    Enrolled,
    Event,
    Held,
    Resumed,
    Voided,
    Waived,
    Withdrawn,
)
from .._model.program import Program, load_program, parse_program
from .._model.requirements import ArtifactStatus, Credential
from . import EXIT_OK, EXIT_RULES_BROKEN, add_command, emit, plugins, report_format

#: How many times an append is re-read, re-validated and retried when another writer wins.
RETRIES = 5

_Sub = argparse._SubParsersAction


def add_commands(sub: _Sub[Any]) -> None:
    """Add the store commands."""
    _add_import(sub)
    _add_record(sub)
    _add_status(sub)
    _add_log(sub)
    _add_export(sub)
    _add_verify(sub)


def _store_arg(parser: argparse.ArgumentParser, **kw: Any) -> None:
    parser.add_argument("--store", metavar="FILE.db", type=Path, help="the store file", **kw)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (write 2026-02-02)") from None


# -- opening a store ---------------------------------------------------------------------------


@contextmanager
def open_store(path: Path, *, write: bool = False, create: bool = False) -> Iterator[SQLiteJournal]:
    """The store at `path`, closed afterwards: writable when `write` (created if `create`),
    else read-only."""
    journal = SQLiteJournal(path, create=create, readonly=not write)
    try:
        yield journal
    finally:
        journal.close()


def store_registry(
    journal: SQLiteJournal, host: PluginHost, extra: Iterable[Program] = ()
) -> ProgramRegistry:
    """Installed programs, plus the definitions the store keeps, plus `extra` ones.

    A definition the store keeps under an installed ``key@version`` must be identical to the
    installed one (which is then used); otherwise the store's copy is what its enrolments pinned,
    and the two cannot both be right.
    """
    registry = host.programs.copy()
    where = str(journal.path)
    for ref, data in journal.programs().items():
        stored = parse_program(data, origin=f"{where} (program {ref})", kinds=registry.kinds)
        _add_program(registry, stored, "kept in the store", where)
    for program in extra:
        _add_program(registry, program, "given", where)
    return registry


def _add_program(registry: ProgramRegistry, program: Program, origin: str, where: str) -> None:
    """Add a definition unless an identical one is known; a different one is an error."""
    same = [p for p in registry.versions(program.key) if p.version == program.version]
    if same:
        if same[0].model_dump(mode="json") != program.model_dump(mode="json"):
            raise JournalError(
                f"program {program.ref} {origin} differs from the definition of the same version"
                f" that {registry.source(program.key)} provides",
                where=where,
                fix="a changed definition needs a new `version`; enrolments keep the version they"
                " pinned (install the release the store was recorded with, or renumber the file's)",
            )
        return
    known = program.key in registry
    registry.add(program, source=registry.source(program.key) if known else f"store {where}")


def store_engine(journal: SQLiteJournal, host: PluginHost, extra: Iterable[Program] = ()) -> Engine:
    """An engine over the store, knowing installed and stored programs (and `extra`)."""
    return Engine(store_registry(journal, host, extra), journal, hooks=host.hooks)


def append_batches(
    journal: SQLiteJournal,
    open_engine: Callable[[], Engine],
    batches: Sequence[Sequence[Event]],
    programs: Iterable[Program] = (),
) -> list[Event]:
    """Record `batches` in one transaction: all stored, or none; return the new events.

    Each attempt validates against the store as it is (`expected_version`); when another
    writer appended first, the engine is opened afresh (re-read), the events re-validated and
    appended again — at most `RETRIES` times.
    """
    wanted = list(programs)
    for attempt in range(1, RETRIES + 1):
        engine = open_engine()
        expected = journal.version
        try:
            with journal.transaction():
                journal.save_programs(wanted)
                fresh: list[Event] = []
                for batch in (b for b in batches if b):
                    # The first append checks nothing moved since `expected`; the lock then
                    # keeps every other writer out until the transaction ends.
                    fresh += engine.record(batch, expected_version=None if fresh else expected)
            return fresh
        except ConflictError:
            if attempt == RETRIES:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _pinned(events: Iterable[Event], registry: ProgramRegistry) -> list[Program]:
    """The definitions enrolments among `events` pin (the latest where none is named)."""
    refs = {(e.program, e.version) for e in events if isinstance(e, Enrolled)}
    return [registry.get(key, version) for key, version in sorted(refs, key=str)]


# -- import ------------------------------------------------------------------------------------


def _add_import(sub: _Sub[Any]) -> None:
    p = add_command(
        sub, "import", "append a cohort file's events to a store",
        "Read a cohort file (as `facilitrack run` does) and append its events to the store,"
        " creating the store if needed. Events already stored are skipped, so importing the"
        " same file again adds nothing; the program definition is kept in the store.",
        "facilitrack import examples/mpg/cohort.toml --store cohort.db",
    )
    p.add_argument("cohort", metavar="COHORT.toml", type=Path, help="the cohort file")
    _store_arg(p, required=True)
    p.set_defaults(handler=_import)


def _import(args: argparse.Namespace) -> int:
    from .._cohort import load_cohort, record_batches

    host = plugins()
    cohort = load_cohort(args.cohort, host=host)
    version = cohort.program.version
    events = [
        e.model_copy(update={"version": version}) if isinstance(e, Enrolled) and e.version is None else e
        for e in cohort.events
    ]
    batches = record_batches(events)  # as the cohort was run: enrolments, day by day, voids
    with open_store(args.store, write=True, create=True) as journal:
        fresh = append_batches(
            journal, lambda: store_engine(journal, host, [cohort.program]), batches, [cohort.program]
        )
        total = journal.version
    old = len(events) - len(fresh)
    print(f"{args.store}: {len(fresh)} new event{'s' if len(fresh) != 1 else ''} from"
          f" {args.cohort} ({old} already stored); the store holds {total}")
    return EXIT_OK


# -- record ------------------------------------------------------------------------------------

KINDS: dict[str, str] = {
    "enrol": "enrol a trainee in a program",
    "attended": "the trainee attended one session of an activity",
    "artifact": "an artifact reached a status",
    "waive": "waive a requirement, with a reason and an approver",
    "hold": "pause the trainee's training",
    "resume": "resume training after a hold",
    "withdraw": "the trainee leaves the program",
    "void": "declare an earlier event void (a correction)",
}

_SAMPLES: dict[str, str] = {
    "enrol": "--trainee ana --on 2026-01-05 --program mpg --credential licensed --trainer dr-lee",
    "attended": "--trainee ana --on 2026-02-02 --activity supervision",
    "artifact": "--trainee ana --on 2026-02-20 --artifact process_recording --status presented --ref pr-1",
    "waive": "--trainee ana --on 2026-03-01 --requirement supervision --reason 'prior"
    " training' --approver dr-lee",
    "hold": "--trainee ana --on 2026-04-01 --reason 'parental leave'",
    "resume": "--trainee ana --on 2026-06-01",
    "withdraw": "--trainee ana --on 2026-06-01 --reason 'moved away'",
    "void": "--trainee ana --on 2026-02-03 --target ev-0123456789abcdef01234567 --reason 'wrong date'",
}


def _add_record(sub: _Sub[Any]) -> None:
    p = add_command(
        sub, "record", "append one event to a store from the shell",
        "Append one event to the store (an enrolment creates it), validated against the trainee's"
        " state: unknown keys and refused events are errors, and nothing is stored. Recording"
        " the same fact again is a no-op; give --id to record a second, identical session.",
        "facilitrack record --store cohort.db attended " + _SAMPLES["attended"],
    )
    _store_arg(p)
    p.add_argument("--recorded-by", metavar="WHO", help="who records it, for the audit trail")
    kinds = p.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind, help_ in KINDS.items():
        k = add_command(
            kinds, kind, help_, help_[0].upper() + help_[1:] + ".",
            f"facilitrack record --store cohort.db {kind} {_SAMPLES[kind]}",
        )
        # SUPPRESS: given after KIND these set the value; absent, they leave the one given
        # before KIND alone (argparse would otherwise overwrite it with the default).
        _store_arg(k, default=argparse.SUPPRESS)
        k.add_argument("--recorded-by", metavar="WHO", default=argparse.SUPPRESS,
                       help="who records it, for the audit trail")
        k.add_argument("--trainee", required=True, metavar="ID", help="the trainee's id")
        k.add_argument("--on", required=True, type=_day, metavar="DATE", help="the day it happened")
        k.add_argument("--id", metavar="ID", help="the event's id (default: derived from its content)")
        _KIND_ARGS[kind](k)
        k.set_defaults(handler=_record)


def _enrol_args(k: argparse.ArgumentParser) -> None:
    k.add_argument("--program", required=True, metavar="KEY", help="the program key")
    k.add_argument("--version", dest="program_version", metavar="V",
                   help="pin this version (default: the latest)")
    k.add_argument("--program-file", type=Path, metavar="FILE.toml",
                   help="a program definition file providing the program (kept in the store)")
    k.add_argument("--credential", required=True, choices=[c.value for c in Credential])
    k.add_argument("--track", metavar="KEY")
    k.add_argument("--co-leader", metavar="ID", help="the mental-health co-leader, where required")
    k.add_argument("--trainer", metavar="ID", help="the certified trainer paired with them")


def _reason(required: bool) -> Callable[[argparse.ArgumentParser], None]:
    def add(k: argparse.ArgumentParser) -> None:
        k.add_argument("--reason", required=required, metavar="TEXT", help="why")
    return add


def _artifact_args(k: argparse.ArgumentParser) -> None:
    k.add_argument("--artifact", required=True, metavar="KEY")
    k.add_argument("--status", required=True, choices=[s.value for s in ArtifactStatus])
    k.add_argument("--ref", metavar="REF", help="tells artifacts apart: the same ref is one artifact")
    k.add_argument("--sha256", metavar="HEX", help="the content hash of the work (never stored)")


def _waive_args(k: argparse.ArgumentParser) -> None:
    k.add_argument("--requirement", required=True, metavar="KEY")
    k.add_argument("--stage", metavar="KEY", help="the stage (default: the trainee's current one)")
    k.add_argument("--reason", required=True, metavar="TEXT")
    k.add_argument("--approver", required=True, metavar="WHO")


def _void_args(k: argparse.ArgumentParser) -> None:
    k.add_argument("--target", required=True, metavar="ID", help="the id of the event to void")
    k.add_argument("--reason", required=True, metavar="TEXT")


def _attended_args(k: argparse.ArgumentParser) -> None:
    k.add_argument("--activity", required=True, metavar="KEY", help="the activity attended")


def _no_args(k: argparse.ArgumentParser) -> None:
    """Resuming takes only the common flags."""


_KIND_ARGS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "enrol": _enrol_args,
    "attended": _attended_args,
    "artifact": _artifact_args,
    "waive": _waive_args,
    "hold": _reason(required=False),
    "resume": _no_args,
    "withdraw": _reason(required=False),
    "void": _void_args,
}


def _event(args: argparse.Namespace) -> Event:
    """The event the flags describe, validated as the event model validates any event."""
    from pydantic import ValidationError

    from .._model.program import format_loc

    common: dict[str, Any] = {
        "trainee": args.trainee, "on": args.on, "recorded_by": args.recorded_by,
        "id": args.id or "",
    }
    kind = args.kind
    try:
        return _BUILD[kind](args, common)
    except ValidationError as exc:
        lines = [f"--{format_loc(e['loc']).replace('_', '-')}: {e['msg']}" for e in exc.errors()]
        raise UserError(
            "invalid event: " + "; ".join(lines), where=f"record {kind}",
            fix=f"see `facilitrack record {kind} --help`",
        ) from None


_BUILD: dict[str, Callable[[argparse.Namespace, dict[str, Any]], Event]] = {
    "enrol": lambda a, c: Enrolled(
        **c, program=a.program, version=a.program_version, credential=Credential(a.credential),
        track=a.track, co_leader=a.co_leader, trainer=a.trainer,
    ),
    "attended": lambda a, c: Attended(**c, activity=a.activity),
    "artifact": lambda a, c: ArtifactRecorded(
        **c, artifact=a.artifact, status=ArtifactStatus(a.status), ref=a.ref, sha256=a.sha256,
    ),
    "waive": lambda a, c: Waived(
        **c, requirement=a.requirement, stage=a.stage, reason=a.reason, approver=a.approver,
    ),
    "hold": lambda a, c: Held(**c, reason=a.reason),
    "resume": lambda a, c: Resumed(**c),
    "withdraw": lambda a, c: Withdrawn(**c, reason=a.reason),
    "void": lambda a, c: Voided(**c, target=a.target, reason=a.reason),
}


def _record(args: argparse.Namespace) -> int:
    if args.store is None:
        raise UserError("no store named", where=f"record {args.kind}",
                        fix="give the store file with --store FILE.db")
    event = _event(args)
    extra = [load_program(args.program_file)] if getattr(args, "program_file", None) else []
    host = plugins()
    # Only an enrolment can start a store: any other event needs one recorded before it.
    with open_store(args.store, write=True, create=args.kind == "enrol") as journal:
        programs = _pinned([event], store_registry(journal, host, extra))
        fresh = append_batches(journal, lambda: store_engine(journal, host, extra), [[event]], programs)
        version = journal.version
    if fresh:
        print(f"{args.store}: recorded {event.kind} {event.id} for {event.trainee} (event {version})")
    else:
        print(f"{args.store}: {event.id} is already recorded; nothing new"
              " (give --id to record a second, identical one)")
    return EXIT_OK


# -- status ------------------------------------------------------------------------------------


def _add_status(sub: _Sub[Any]) -> None:
    from .._report import FORMATS

    p = add_command(
        sub, "status", "where every trainee in a store stands",
        "Where every trainee in the store stands: stage, certificates, what is missing, and"
        " events that were kept but not credited — as `facilitrack run` shows a cohort file.",
        "facilitrack status --store cohort.db --as-of 2026-06-30 --format csv --out status.csv",
    )
    _store_arg(p, required=True)
    p.add_argument("--as-of", type=_day, metavar="DATE", help="as it stood on this day")
    p.add_argument("--format", choices=FORMATS,
                   help="output format (default: table, or as --out's suffix says)")
    p.add_argument("--out", type=Path, metavar="FILE", help="write here (owner-only) instead of stdout")
    p.set_defaults(handler=_status)


def _status(args: argparse.Namespace) -> int:
    from .._report import Format, render

    fmt: Format = report_format(args.format, args.out)
    _not_the_store(args.out, args.store)
    with open_store(args.store) as journal:
        report = store_report(store_engine(journal, plugins()), journal.path, args.as_of)
    n = report.cohort.trainees
    emit(render(report, fmt), args.out, f"{fmt}, {n} trainee{'s' if n != 1 else ''}", private=True)
    return EXIT_OK


def store_report(engine: Engine, path: Path, as_of: date | None = None) -> Any:
    """A `CohortReport` of every trainee in the store."""
    from .._report import (
        CertificateRow,
        CohortReport,
        CohortSummary,
        MissingRow,
        ProblemRow,
        TraineeReport,
    )

    rows = []
    for trainee in engine.trainees():
        st = engine.status(trainee, as_of=as_of)
        state = engine.state(trainee)
        rows.append(TraineeReport(
            id=st.id, credential=state.credential.value if state.credential else "",
            trainer=state.trainer, co_leader=state.co_leader, program=st.program,
            version=st.version, track=st.track, stage=st.stage, stage_title=st.stage_title,
            certified=st.certified,
            certificates=[CertificateRow(stage=c.stage, title=c.title, on=c.on) for c in st.certificates],
            missing=[MissingRow(stage=m.stage, requirement=m.requirement, title=m.title,
                                have=m.have, need=m.need) for m in st.missing],
            problems=[ProblemRow(event=p.event, on=p.on, reason=p.reason) for p in st.problems],
        ))
    refs = sorted({(r.program, r.version) for r in rows if r.program and r.version})
    names = sorted({engine.programs.get(k, v).name for k, v in refs})
    return CohortReport(
        cohort=CohortSummary(
            name=path.name, file=str(path),
            program=", ".join(sorted({k for k, _ in refs})) or "-",
            program_name=", ".join(names) or "-",
            version=", ".join(sorted({v for _, v in refs})) or "-",
            as_of=as_of, trainees=len(rows), certified=sum(1 for r in rows if r.certified),
            with_problems=sum(1 for r in rows if r.problems),
        ),
        trainees=rows,
    )


def _not_the_store(out: Path | None, store: Path) -> None:
    """Refuse an --out that would replace the store or its write-ahead files."""
    if out is None:
        return
    target = out.resolve()
    if target in {store.resolve(), *(Path(f"{store.resolve()}{s}") for s in ("-wal", "-shm"))}:
        raise UserError("refusing to write over the store", where=out, fix="choose another --out")


# -- log ---------------------------------------------------------------------------------------


def _add_log(sub: _Sub[Any]) -> None:
    p = add_command(
        sub, "log", "the audit trail: every stored event, as recorded",
        "Every event in the store in the order it was recorded: its position and id (which a"
        " `void` names), when it was recorded, the day it happened, its kind, who recorded it"
        " and what it says.",
        "facilitrack log --store cohort.db --trainee ana",
    )
    _store_arg(p, required=True)
    p.add_argument("--trainee", metavar="ID", help="only this trainee's events")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(handler=_log)


def describe(body: dict[str, Any]) -> str:
    """What a stored event says, in a few words (the log's WHAT column)."""
    kind = body["kind"]
    if kind == "enrolled":
        extra = [f"{k} {body[k]}" for k in ("track", "trainer", "co_leader") if body.get(k)]
        return " ".join([f"{body['program']}@{body.get('version') or '?'}", body["credential"], *extra])
    if kind == "attended":
        return str(body["activity"])
    if kind == "artifact":
        ref = f" ({body['ref']})" if body.get("ref") else ""
        return f"{body['artifact']}{ref} {body['status']}"
    if kind == "waived":
        stage = f" in {body['stage']}" if body.get("stage") else ""
        return f"{body['requirement']}{stage}: {body['reason']} (approved by {body['approver']})"
    if kind == "voided":
        return f"{body['target']}: {body['reason']}"
    return str(body.get("reason") or "")


def _log(args: argparse.Namespace) -> int:
    with open_store(args.store) as journal:
        rows = list(journal.rows(args.trainee))
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    if not rows:
        print("(no events)" if args.trainee is None else f"(no events for {args.trainee})")
        return EXIT_OK
    table = [("SEQ", "ID", "RECORDED", "ON", "TRAINEE", "KIND", "WHO", "WHAT")]
    for r in rows:
        table.append((str(r["seq"]), r["id"], r["recorded_at"].replace("+00:00", "Z"), r["on"],
                      r["trainee"], r["kind"], r["recorded_by"] or "-", describe(r["body"])))
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    for row in table:
        cells = [cell.ljust(w) for cell, w in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]).rstrip())
    return EXIT_OK


# -- export ------------------------------------------------------------------------------------


def _add_export(sub: _Sub[Any]) -> None:
    p = add_command(
        sub, "export", "write every stored event and definition to a file",
        "Write the store's events (with position and recording time) and the program"
        " definitions it keeps, as TOML, JSON or JSON Lines (one event per line).",
        "facilitrack export --store cohort.db --format jsonl --out cohort-events.jsonl",
    )
    _store_arg(p, required=True)
    p.add_argument("--format", choices=("toml", "json", "jsonl"), default="json", help="output format")
    p.add_argument("--out", type=Path, metavar="FILE", help="write here (owner-only) instead of stdout")
    p.set_defaults(handler=_export)


def _export(args: argparse.Namespace) -> int:
    _not_the_store(args.out, args.store)
    with open_store(args.store) as journal:
        events = [
            {"seq": r["seq"], "recorded_at": r["recorded_at"], **r["body"]} for r in journal.rows()
        ]
        programs = journal.programs()
        version = journal.version
    if args.format == "jsonl":
        text = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events)
    elif args.format == "json":
        doc = {"store": str(args.store), "version": version, "programs": programs, "events": events}
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    else:
        from .._report import toml_ready

        doc = {"store": str(args.store), "version": version,
               "programs": [programs[ref] for ref in sorted(programs)],
               "events": [{**e, "on": date.fromisoformat(e["on"])} for e in events]}
        text = tomli_w.dumps(toml_ready(doc))
    emit(text, args.out, f"{args.format}, {len(events)} event{'s' if len(events) != 1 else ''}", private=True)
    return EXIT_OK


# -- verify ------------------------------------------------------------------------------------


def _add_verify(sub: _Sub[Any]) -> None:
    p = add_command(
        sub, "verify", "check a store: its file, its hash chain and its cached state",
        "Check the store: SQLite's own integrity check, the hash chain that links every event"
        " to the one before (naming any edited, inserted or deleted row), and every trainee's"
        " cached state against a replay of their events from scratch. Exit 1 on a mismatch.",
        "facilitrack verify --store cohort.db",
    )
    _store_arg(p, required=True)
    p.set_defaults(handler=_verify)


def _verify(args: argparse.Namespace) -> int:
    with open_store(args.store) as journal:
        found = journal.verify()
        chain = [p for p in found if p.part != "cache"]
        cache = [str(p) for p in found if p.part == "cache"]
        # Damaged snapshots are ignored when loading, so a replay check is still sound.
        cache += [] if chain else store_engine(journal, plugins()).check_snapshots()
        version = journal.version
        trainees = len(journal.trainees())
    if chain or cache:
        for problem in chain:
            print(f"tampered: {problem}")
        for line in cache:
            print(f"cache: {line}")
        print(f"{args.store}: {len(chain) + len(cache)} problem{'s' if len(chain) + len(cache) != 1 else ''}"
              " found", file=sys.stderr)
        return EXIT_RULES_BROKEN
    print(f"{args.store}: ok — {version} events, hash chain intact, {trainees} trainees'"
          " cached state equals a replay")
    return EXIT_OK
