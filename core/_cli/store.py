"""Commands over a store: ``import``, ``record``, ``status``, ``log``, ``export``, ``verify``,
``forget``.

A store is where a coordinator keeps a cohort's events for months: an SQLite file, or a
PostgreSQL database shared by several offices (``--store postgresql://...``;
``FACILITRACK_STORE`` gives a default). The library (`facilitrack._stores`) opens it, builds
the engine, appends with bounded retries and imports; these commands parse and print.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import UserError
from .._text import counted, one_line
from . import (
    EXIT_OK,
    EXIT_RULES_BROKEN,
    add_command,
    bom_for,
    day_arg,
    emit,
    plugins,
    report_format,
    say,
)
from ._choices import ARTIFACT_STATUSES, EXPORT_FORMATS, REPORT_FORMATS
from ._progress import progress

if TYPE_CHECKING:
    from .._journal.base import Store
    from .._model.events import Event

#: The environment variable naming the store when ``--store`` is not given.
STORE_ENV = "FACILITRACK_STORE"

_Sub = argparse._SubParsersAction


def add_commands(sub: _Sub[Any]) -> None:
    """Add the store commands."""
    _add_import(sub)
    _add_record(sub)
    _add_status(sub)
    _add_log(sub)
    _add_export(sub)
    _add_verify(sub)
    _add_forget(sub)


def _store_arg(parser: argparse.ArgumentParser, **kw: Any) -> None:
    parser.add_argument(
        "--store", metavar="STORE",
        help=f"the store: a file (SQLite) or postgresql://... (default: ${STORE_ENV})", **kw,
    )


def _moment(text: str) -> datetime:
    """A time as stores record it: a date (its start), or a date and time; without an offset, UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a time: {text!r} (write 2026-02-02, 2026-02-02T17:30 or 2026-02-02T17:30+01:00)"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def add_known_at_arg(parser: argparse.ArgumentParser) -> None:
    """``--known-at TIME``: the store as it stood then (events recorded up to it)."""
    parser.add_argument(
        "--known-at", type=_moment, metavar="TIME",
        help="as the store knew it at this time (events recorded up to it; UTC unless an offset"
        " is given): what a report printed then said. --as-of is when the work happened",
    )


# -- opening a store ---------------------------------------------------------------------------


def store_target(args: argparse.Namespace, command: str) -> str:
    """The store ``--store`` names, else ``$FACILITRACK_STORE``; neither is an error with the fix."""
    target = getattr(args, "store", None) or os.environ.get(STORE_ENV)
    if not target:
        raise UserError("no store named", where=command,
                        fix=f"give the store file with --store FILE.db (or postgresql://...),"
                        f" or set {STORE_ENV}")
    return str(target)


@contextmanager
def opened(target: str, *, write: bool = False, create: bool = False) -> Iterator[Store]:
    """The store `target` names, closed afterwards."""
    from .._stores import open_store

    store = open_store(target, write=write, create=create)
    try:
        yield store
    finally:
        store.close()


# -- import ------------------------------------------------------------------------------------


def _add_import(sub: _Sub[Any]) -> None:
    p = add_command(
        sub, "import", "append a cohort file's events, or another store's export, to a store",
        "Read a cohort file (as `facilitrack run` does) and append its events to the store,"
        " creating the store if needed. Events already stored are skipped, so importing the"
        " same file again adds nothing; the program definition is kept in the store. Rows"
        " removed or changed since the file was last imported are named with the command that"
        " voids each (--sync voids them). An export of another store (`facilitrack export`,"
        " JSON Lines, JSON or TOML; `-` reads standard input) is imported keeping its ids and"
        " definitions: the way to copy a store, or to exchange events between two.",
        "facilitrack import examples/mpg/cohort.toml --store cohort.db",
    )
    p.add_argument("cohort", metavar="FILE", help="a cohort file, or an export (`-`: standard input)")
    _store_arg(p)
    p.add_argument("--sync", action="store_true",
                   help="void the events of rows removed or changed since the file's last import")
    p.set_defaults(handler=_import)


def _import(args: argparse.Namespace) -> int:
    from .._cohort import read_cohort
    from .._stores import import_cohort, import_export, is_url, read_export, redact, void_command
    from .._stores.exchange import looks_like_export
    from .._toml import read_text

    target = store_target(args, "import")
    source = args.cohort
    text = sys.stdin.read() if source == "-" else read_text(Path(source))
    name = "<stdin>" if source == "-" else source
    host = plugins()
    is_export = looks_like_export(text, name)
    with progress("import"):
        if is_export:
            export = read_export(text, name)
            with opened(target, write=True, create=True) as store:
                done = import_export(store, export, host, name)
                where = store.location
        else:
            cohort = read_cohort(text, Path(source if source != "-" else "stdin.toml"), host=host)
            with opened(target, write=True, create=True) as store:
                result = import_cohort(store, cohort, host, sync=args.sync)
                where = store.location
    if is_export:
        say(f"{where}: {counted(len(done.fresh), 'new event')} from {one_line(name)}"
            f" ({done.already} already stored); the store holds {done.total}")
        return EXIT_OK
    shown = one_line(name)
    say(f"{where}: {counted(len(result.fresh), 'new event')} from {shown} ({result.already} already"
        f" stored); the store holds {result.total}")
    if result.voided:
        v = len(result.voided)
        rows = "row" if v == 1 else "rows"
        say(f"{where}: voided {counted(v, 'event')} whose {rows} left {shown} since its last import")
    if result.stale:
        k = len(result.stale)
        say(f"{shown}: {counted(k, 'event')} imported from it before {'is' if k == 1 else 'are'} no"
            " longer in the file (the row was removed or changed). Each is still counted; to void it:")
        named = redact(target) if is_url(target) else target
        for stale in result.stale:
            e = stale.event
            say(one_line(f"  {stale.place}: {e.kind} for {e.trainee} on {e.on} ({e.id})"))
            say(one_line(f"    {void_command(named, stale, name)}"))
        say(f"  or import again with --sync to void {'it' if k == 1 else 'them all'}.")
    return EXIT_OK


# -- record ------------------------------------------------------------------------------------

KINDS: dict[str, str] = {
    "enrol": "enrol a trainee in a program",
    "attended": "the trainee attended one session of an activity",
    "absent": "the trainee, a member of a group, missed one of its sessions",
    "artifact": "an artifact reached a status",
    "waive": "waive a requirement the program marks waivable (`show KEY` says which; the"
             " bundled programs' 2.0 versions mark none), with a reason and an approver",
    "hold": "pause the trainee's training",
    "resume": "resume training after a hold",
    "withdraw": "the trainee leaves the program",
    "void": "declare an earlier event void (a correction)",
    "person": "a person's credential and roles from a day (staff: a certified trainer...)",
}

_SAMPLES: dict[str, str] = {
    "enrol": "--trainee ana --on 2026-01-05 --program mpg --credential licensed --trainer dr-lee",
    "attended": "--trainee ana --on 2026-02-02 --activity supervision",
    "absent": "--trainee ana --on 2026-02-09 --activity demonstration_session --reason ill",
    "artifact": "--trainee ana --on 2026-02-20 --artifact process_recording --status presented --ref pr-1",
    "waive": "--trainee ana --on 2026-03-01 --requirement consultation --reason 'prior"
    " training' --approver dr-lee",
    "hold": "--trainee ana --on 2026-04-01 --reason 'parental leave'",
    "resume": "--trainee ana --on 2026-06-01",
    "withdraw": "--trainee ana --on 2026-06-01 --reason 'moved away'",
    "void": "--trainee ana --on 2026-02-03 --target ev-0123456789abcdef01234567 --reason 'wrong date'",
    "person": "--trainee dr-lee --on 2026-01-05 --credential licensed --role certified_trainer",
}


def _add_record(sub: _Sub[Any]) -> None:
    p = add_command(
        sub, "record", "append one event to a store from the shell",
        "Append one event to the store (an enrolment creates it), validated against the trainee's"
        " state: unknown keys and refused events are errors, and nothing is stored. Recording"
        " the same fact again is a no-op; give --id to record a second, identical session."
        " An event that is stored but does not count (a second enrolment, work for a stage not"
        " reached, a session while on hold) is said so at once, with the reason, as `check`"
        " reports it.\n\nExit 0 when the event was recorded and counts (or was already"
        " recorded), 1 when it was recorded but is not credited (as `check`'s 1: rules broken;"
        " void it to correct it), 2 when it was refused and nothing was stored.",
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
        k.add_argument("--on", required=True, type=day_arg, metavar="DATE", help="the day it happened")
        k.add_argument("--id", metavar="ID", help="the event's id (default: derived from its content)")
        if kind not in ("enrol", "void", "person"):
            k.add_argument("--program", metavar="KEY",
                           help="the enrolment it is for, when the trainee holds several")
            k.add_argument("--occurrence", type=int, metavar="N",
                           help="the Nth identical fact of the day (2, 3...): recorded, not a repeat")
        _KIND_ARGS[kind](k)
        k.set_defaults(handler=_record)


def _enrol_args(k: argparse.ArgumentParser) -> None:
    k.add_argument("--program", required=True, metavar="KEY", help="the program key")
    k.add_argument("--version", dest="program_version", metavar="V",
                   help="pin this version (default: the latest)")
    k.add_argument("--program-file", type=Path, metavar="FILE.toml",
                   help="a program definition file providing the program (kept in the store)")
    k.add_argument("--credential", required=True, metavar="KEY",
                   help="a credential the program declares (`facilitrack show PROGRAM`)")
    k.add_argument("--track", metavar="KEY")
    k.add_argument("--co-leader", metavar="ID", help="the mental-health co-leader, where required")
    k.add_argument("--trainer", metavar="ID", help="the certified trainer paired with them")


def _reason(required: bool) -> Callable[[argparse.ArgumentParser], None]:
    def add(k: argparse.ArgumentParser) -> None:
        k.add_argument("--reason", required=required, metavar="TEXT", help="why")
    return add


def _artifact_args(k: argparse.ArgumentParser) -> None:
    k.add_argument("--artifact", required=True, metavar="KEY")
    k.add_argument("--status", required=True, choices=ARTIFACT_STATUSES)
    k.add_argument("--ref", metavar="REF", help="tells artifacts apart: the same ref is one artifact")
    k.add_argument("--sha256", metavar="HEX",
                   help="the SHA-256 of the work, kept as evidence (the work itself is never stored)")
    k.add_argument("--score", type=float, metavar="N", help="a result, where the work is scored")


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
    k.add_argument("--quantity", type=float, metavar="N", help="hours (or the unit the program counts)")
    k.add_argument("--mode", metavar="KEY", help="how it was held: live, online...")
    k.add_argument("--score", type=float, metavar="N", help="a result, where the session is scored")


def _absent_args(k: argparse.ArgumentParser) -> None:
    k.add_argument("--activity", required=True, metavar="KEY", help="the activity missed")
    k.add_argument("--reason", metavar="TEXT", help="why")


def _person_args(k: argparse.ArgumentParser) -> None:
    k.add_argument("--credential", metavar="KEY", help="their credential (staff)")
    k.add_argument("--role", action="append", default=[], metavar="KEY",
                   help="a role they hold, e.g. certified_trainer (repeatable)")


def _no_args(k: argparse.ArgumentParser) -> None:
    """Resuming takes only the common flags."""


_KIND_ARGS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "enrol": _enrol_args,
    "attended": _attended_args,
    "absent": _absent_args,
    "artifact": _artifact_args,
    "waive": _waive_args,
    "hold": _reason(required=False),
    "resume": _no_args,
    "withdraw": _reason(required=False),
    "void": _void_args,
    "person": _person_args,
}


def _event(args: argparse.Namespace) -> Event:
    """The event the flags describe, validated as the event model validates any event."""
    from pydantic import ValidationError

    from .._model import events as ev
    from .._model.program import format_loc

    common: dict[str, Any] = {
        "trainee": args.trainee, "on": args.on, "recorded_by": args.recorded_by,
        "id": args.id or "",
    }
    if getattr(args, "occurrence", None) is not None:
        common["occurrence"] = args.occurrence
    if getattr(args, "program", None) is not None and args.kind != "enrol":
        common["program"] = args.program
    kind = args.kind
    try:
        return _BUILD[kind](ev, args, common)
    except ValidationError as exc:
        lines = [f"--{format_loc(e['loc']).replace('_', '-')}: {e['msg']}" for e in exc.errors()]
        raise UserError(
            "invalid event: " + "; ".join(lines), where=f"record {kind}",
            fix=f"see `facilitrack record {kind} --help`",
        ) from None


#: How each KIND builds its event from the flags, given `facilitrack._model.events` (loaded late).
_BUILD: dict[str, Callable[[Any, argparse.Namespace, dict[str, Any]], Event]] = {
    "enrol": lambda ev, a, c: ev.Enrolled(
        **c, program=a.program, version=a.program_version, credential=a.credential,
        track=a.track, co_leader=a.co_leader, trainer=a.trainer,
    ),
    "attended": lambda ev, a, c: ev.Attended(
        **c, activity=a.activity, quantity=a.quantity, mode=a.mode, score=a.score,
    ),
    "absent": lambda ev, a, c: ev.Absent(**c, activity=a.activity, reason=a.reason),
    "artifact": lambda ev, a, c: ev.ArtifactRecorded(
        **c, artifact=a.artifact, status=ev.ArtifactStatus(a.status), ref=a.ref, sha256=a.sha256,
        score=a.score,
    ),
    "waive": lambda ev, a, c: ev.Waived(
        **c, requirement=a.requirement, stage=a.stage, reason=a.reason, approver=a.approver,
    ),
    "hold": lambda ev, a, c: ev.Held(**c, reason=a.reason),
    "resume": lambda ev, a, c: ev.Resumed(**c),
    "withdraw": lambda ev, a, c: ev.Withdrawn(**c, reason=a.reason),
    "void": lambda ev, a, c: ev.Voided(**c, target=a.target, reason=a.reason),
    "person": lambda ev, a, c: ev.PersonRecorded(**c, credential=a.credential, roles=tuple(a.role)),
}


def _record(args: argparse.Namespace) -> int:
    from .._errors import InvalidEventError, UnknownKeyError
    from .._model.program import load_program
    from .._stores import append_batches, not_credited, pinned_programs, store_engine, store_registry

    target = store_target(args, f"record {args.kind}")
    event = _event(args)
    extra = [load_program(args.program_file)] if getattr(args, "program_file", None) else []
    host = plugins()
    # Only an enrolment can start a store: any other event needs one recorded before it.
    with opened(target, write=True, create=args.kind in ("enrol", "person")) as store:
        programs = pinned_programs([event], store_registry(store, host, extra))
        try:
            fresh = append_batches(store, lambda: store_engine(store, host, extra), [[event]], programs)
        except (InvalidEventError, UnknownKeyError) as exc:
            if getattr(exc, "event", None) is not None:  # one event: the place is the command typed
                exc.where = f"record {args.kind} --trainee {args.trainee} --on {args.on}"
            raise
        version = store.version
        where = store.location
        reasons = not_credited(store_engine(store, host, extra), event) if fresh else []
    if not fresh:
        say(f"{where}: {one_line(event.id)} is already recorded; nothing new"
            " (give --id to record a second, identical one)")
        return EXIT_OK
    recorded = f"{where}: recorded {event.kind} {one_line(event.id)} for {one_line(event.trainee)}"
    if reasons:
        say(f"{recorded} (event {version}), but not credited: {one_line('; '.join(reasons))}")
        return EXIT_RULES_BROKEN
    say(f"{recorded} (event {version})")
    return EXIT_OK


# -- status ------------------------------------------------------------------------------------


def _add_status(sub: _Sub[Any]) -> None:
    from .cohort import add_bom_arg

    p = add_command(
        sub, "status", "where every trainee in a store stands",
        "Where every trainee in the store stands: stage, certificates, what is missing, and"
        " events that were kept but not credited — as `facilitrack run` shows a cohort file"
        " (--bom: a CSV marked as UTF-8 for Excel).",
        "facilitrack status --store cohort.db --as-of 2026-06-30 --format csv --out status.csv",
    )
    _store_arg(p)
    p.add_argument("--as-of", type=day_arg, metavar="DATE", help="as it stood on this day")
    add_known_at_arg(p)
    p.add_argument("--format", choices=REPORT_FORMATS,
                   help="output format (default: table, or as --out's suffix says)")
    p.add_argument("--out", type=Path, metavar="FILE", help="write here (owner-only) instead of stdout")
    add_bom_arg(p)
    p.set_defaults(handler=_status)


def _status(args: argparse.Namespace) -> int:
    from .._report import Format, render
    from .._stores import store_engine, store_report

    target = store_target(args, "status")
    fmt: Format = report_format(args.format, args.out)
    bom = bom_for(fmt, args.bom, "status")
    _not_the_store(args.out, target)
    with opened(target) as store:
        report = store_report(store, store_engine(store, plugins()), args.as_of, known_at=args.known_at)
    emit(bom + render(report, fmt), args.out, f"{fmt}, {counted(report.cohort.trainees, 'trainee')}",
         private=True)
    return EXIT_OK


def _not_the_store(out: Path | None, target: str) -> None:
    """Refuse an --out that would replace a store file or its write-ahead files."""
    from .._journal.urls import is_url

    if out is None or is_url(target):
        return
    store = Path(target).resolve()
    if out.resolve() in {store, *(Path(f"{store}{s}") for s in ("-wal", "-shm"))}:
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
    _store_arg(p)
    p.add_argument("--trainee", metavar="ID", help="only this trainee's events")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(handler=_log)


def _log(args: argparse.Namespace) -> int:
    from .._report.audit import describe_event

    with opened(store_target(args, "log")) as store:
        rows = list(store.rows(args.trainee))
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    if not rows:
        say("(no events)" if args.trainee is None else f"(no events for {one_line(args.trainee)})")
        return EXIT_OK
    table = [["SEQ", "ID", "RECORDED", "ON", "TRAINEE", "KIND", "WHO", "WHAT"]]
    for r in rows:
        fields = (str(r["seq"]), r["id"], r["recorded_at"].replace("+00:00", "Z"), r["on"],
                  r["trainee"], r["kind"], r["recorded_by"] or "-", describe_event(r["body"]))
        table.append([one_line(field) for field in fields])  # one line each, controls shown
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    for row in table:
        cells = [cell.ljust(w) for cell, w in zip(row, widths, strict=False)]
        say("  ".join([*cells, row[-1]]).rstrip())
    return EXIT_OK


# -- export ------------------------------------------------------------------------------------


def _add_export(sub: _Sub[Any]) -> None:
    p = add_command(
        sub, "export", "write every stored event and definition to a file",
        "Write the store's events (with position and recording time) and the program"
        " definitions it keeps, as TOML, JSON or JSON Lines (one event per line): what"
        " `facilitrack import` reads back. --format xapi writes xAPI 1.0.3 statements (JSON"
        " Lines) from a store or a cohort file.",
        "facilitrack export --store cohort.db --format jsonl --out cohort-events.jsonl",
    )
    _store_arg(p)
    p.add_argument("--format", choices=(*EXPORT_FORMATS, "xapi"), default="json", help="output format")
    p.add_argument("--out", type=Path, metavar="FILE", help="write here (owner-only) instead of stdout")
    from ._xapi import add_xapi_args

    add_xapi_args(p)
    p.set_defaults(handler=_export)


def _export(args: argparse.Namespace) -> int:
    if args.format == "xapi":
        from ._xapi import export_xapi

        return export_xapi(args)
    if args.cohort is not None:
        raise UserError(f"{args.format} exports a store", where="export",
                        fix="give --store FILE.db (a cohort file exports only as --format xapi)")
    from .._stores import export_store

    target = store_target(args, "export")
    _not_the_store(args.out, target)
    with opened(target) as store:
        text, n = export_store(store, args.format, store.location)
    emit(text, args.out, f"{args.format}, {counted(n, 'event')}", private=True)
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
    _store_arg(p)
    p.set_defaults(handler=_verify)


def _verify(args: argparse.Namespace) -> int:
    from .._stores import store_engine

    with opened(store_target(args, "verify")) as store:
        found = store.verify()
        chain = [p for p in found if p.part != "cache"]
        cache = [str(p) for p in found if p.part == "cache"]
        # Damaged snapshots are ignored when loading, so a replay check is still sound.
        cache += [] if chain else store_engine(store, plugins()).check_snapshots()
        version = store.version
        people = len(store.trainees())  # everyone with an event: staff too
        where = store.location
    if chain or cache:
        for problem in chain:
            say(f"tampered: {one_line(str(problem))}")
        for line in cache:
            say(f"cache: {one_line(line)}")
        say(f"{where}: {counted(len(chain) + len(cache), 'problem')} found", err=True)
        return EXIT_RULES_BROKEN
    whose = f"{people} {'person' if people == 1 else 'people'}'s"  # trainees and staff alike
    say(f"{where}: ok — {counted(version, 'event')}, hash chain intact, {whose} cached state equals a replay")
    return EXIT_OK


# -- forget ------------------------------------------------------------------------------------


def _add_forget(sub: _Sub[Any]) -> None:
    p = add_command(
        sub, "forget", "erase a person's name and e-mail address from a store",
        "Erase what the store's people directory holds of a person: name and e-mail address."
        " Their events stay (the journal is append-only and holds no names); reports name them"
        " by their id from then on. Importing a cohort file that lists them adds them again.",
        "facilitrack forget --store cohort.db ana",
    )
    p.add_argument("person", metavar="ID", help="the person's id")
    _store_arg(p)
    p.set_defaults(handler=_forget)


def _forget(args: argparse.Namespace) -> int:
    with opened(store_target(args, "forget"), write=True) as store:
        erased = store.forget_person(args.person)
        where = store.location
    who = one_line(args.person)
    say(f"{where}: erased the name and address of {who}" if erased
        else f"{where}: no name or address of {who} to erase")
    return EXIT_OK
