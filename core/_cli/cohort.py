"""``facilitrack run | check | explain | schema | init``: a cohort file, as a coordinator uses it.

Every command reads the whole file before printing or writing anything, so bad input exits 2
with the place in the file and writes nothing. Files are written atomically.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import UnknownKeyError, UserError, did_you_mean
from .._text import counted, has_undecodable, one_line
from . import (
    EXIT_OK,
    EXIT_RULES_BROKEN,
    add_command,
    bom_for,
    day_arg,
    emit,
    not_over_input,
    plugins,
    report_format,
    say,
    to_stdout,
)
from ._choices import REPORT_FORMATS
from ._progress import progress

if TYPE_CHECKING:
    from .._cohort import Cohort
    from .._report import Format


def add_commands(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``run``, ``check``, ``explain``, ``schema`` and ``init``."""
    run = add_command(
        sub, "run", "every trainee's stage, certificates, what is missing and problems",
        "Run a cohort file: where every trainee stands, which certificates they"
        " hold, what each is missing for their current stage, and any problems. The table fits"
        " 80 columns; json, toml and csv are for other tools. With --out and no --format, the"
        " format follows the file's suffix. CSV cells that a spreadsheet would run as a formula"
        " (starting with = + - @) start with a quote; --bom marks the CSV as UTF-8 for Excel.",
        "facilitrack run examples/mpg/cohort.toml --as-of 2026-04-01 --format json",
    )
    _cohort_arg(run)
    _as_of_arg(run)
    run.add_argument("--format", choices=REPORT_FORMATS, help="output format (default: table)")
    run.add_argument("--out", type=Path, metavar="FILE", help="write the report here (atomically)")
    add_bom_arg(run)
    run.set_defaults(handler=_run)

    check = add_command(
        sub, "check", "validate a cohort file: exit 0 clean, 1 rules broken, 2 invalid input",
        "Validate a cohort file and print what was found. Exit 0 when it is clean,"
        " 1 when it breaks a rule (events kept but not credited, a trainee who cannot enter"
        " their stage, a group that breaks its program's group rules...), 2 when the input is"
        " invalid (syntax, schema, unknown keys or ids).",
        "facilitrack check examples/mpg/cohort.toml",
    )
    _cohort_arg(check)
    check.set_defaults(handler=_check)

    explain = add_command(
        sub, "explain", "one trainee: each requirement with have/need, the dates that counted, what is next",
        "Explain one trainee: every requirement of their current stage with what"
        " they have against what is needed and the dates that counted, the certificates they"
        " hold, what comes next, and any problems.",
        "facilitrack explain examples/mpg/cohort.toml ana --as-of 2026-04-01",
    )
    _cohort_arg(explain)
    explain.add_argument("trainee", metavar="TRAINEE", help="a trainee id of the cohort file")
    _as_of_arg(explain)
    explain.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    explain.set_defaults(handler=_explain)

    schema = add_command(
        sub, "schema", "JSON Schema of cohort or program files, for editors",
        "Print the JSON Schema of cohort files or program definitions. Save it"
        " beside your files and make `#:schema ./cohort.schema.json` their first line: Taplo"
        " and Even Better TOML then check and complete them as you type.",
        "facilitrack schema cohort --out cohort.schema.json",
    )
    schema.add_argument("kind", choices=("cohort", "program"), help="which file format")
    schema.add_argument("--out", type=Path, metavar="FILE", help="write it here instead of stdout")
    schema.set_defaults(handler=_schema)

    init = add_command(
        sub, "init", "write a commented starter cohort file for a program",
        "Write a starter cohort file for PROGRAM, generated from its definition:"
        " its stages, activity and artifact keys in comments, two trainees and an event of each"
        " kind. It passes `facilitrack check` as written. PROGRAM is an installed program's key"
        " or a program TOML file.",
        "facilitrack init mpg --out spring-2026.toml",
    )
    init.add_argument("program", metavar="PROGRAM", help="an installed program key, or FILE.toml")
    init.add_argument(
        "--out", type=Path, default=Path("cohort.toml"), metavar="FILE",
        help="where to write it (default: cohort.toml; - for stdout)",
    )
    init.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    init.set_defaults(handler=_init)


def add_bom_arg(parser: argparse.ArgumentParser) -> None:
    """``--bom``: CSV for spreadsheets (Excel reads a CSV without the mark in a legacy code page)."""
    parser.add_argument(
        "--bom", action="store_true",
        help="start CSV with a UTF-8 byte-order mark, so Excel shows accented and non-Latin"
        " names correctly (CSV only)",
    )


def _cohort_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("cohort", type=Path, metavar="COHORT.toml", help="the cohort file")


def _as_of_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of", type=day_arg, metavar="DATE",
        help="count only events up to this date, YYYY-MM-DD (default: all)",
    )


def _load(path: Path) -> Cohort:
    from .._cohort import load_cohort

    return load_cohort(path, host=plugins())


# -- run -----------------------------------------------------------------------------------------


def _run(args: argparse.Namespace) -> int:
    from .._report import render

    out: Path | None = args.out
    not_over_input(out, args.cohort)
    fmt: Format = report_format(args.format, out)
    bom = bom_for(fmt, args.bom, "run")
    report = _load(args.cohort).report(args.as_of)
    emit(bom + render(report, fmt), out, f"{fmt}, {counted(report.cohort.trainees, 'trainee')}")
    return EXIT_OK


# -- check ---------------------------------------------------------------------------------------


def _check(args: argparse.Namespace) -> int:
    with progress("check"):
        cohort = _load(args.cohort)
        report = cohort.report()
        groups = cohort.group_reports().groups
    problems = report.problems
    rows = len(cohort.doc.events)
    trainees = report.cohort.trainees
    in_groups = f", {counted(len(groups), 'group')}" if groups else ""
    say(
        f"{args.cohort}: {report.cohort.program} {report.cohort.version},"
        f" {counted(trainees, 'trainee')}, {counted(rows, 'event row')}{in_groups}"
    )
    for trainee, problem in problems:
        where = cohort.places.at(problem.where) if problem.where else str(args.cohort)
        say(f"{where}: {one_line(trainee.id)}, {problem.on.isoformat()}: {one_line(problem.reason)}")
    group_problems = [(g, p) for g in groups for p in g.problems]
    for group, gp in group_problems:
        where = cohort.places.at(gp.where) if gp.where else str(args.cohort)
        say(f"{where}: group {group.id}, {gp.rule}: {one_line(gp.message)}")
        if gp.source:
            say(f"  source: {' '.join(gp.source.split())}")
    if problems or group_problems:
        count = len(problems) + len(group_problems)
        say(f"{counted(count, 'problem')}: the file is valid, but breaks the rules above")
        return EXIT_RULES_BROKEN
    say("clean: no problems")
    return EXIT_OK


# -- explain -------------------------------------------------------------------------------------


def _explain(args: argparse.Namespace) -> int:
    from .._report import render_explanation, render_json

    explanation = _load(args.cohort).explain(args.trainee, args.as_of)
    if args.format == "json":
        sys.stdout.write(render_json(explanation))
    else:
        sys.stdout.write(render_explanation(explanation))
    return EXIT_OK


# -- schema --------------------------------------------------------------------------------------


def _schema(args: argparse.Namespace) -> int:
    if args.kind == "cohort":
        from .._cohort import cohort_schema

        schema = cohort_schema()
    else:
        from .._model.program import program_schema

        schema = program_schema(plugins().programs.kinds)
    emit(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", args.out, f"{args.kind} schema")
    return EXIT_OK


# -- init ----------------------------------------------------------------------------------------


def _init(args: argparse.Namespace) -> int:
    from .._cohort import starter_cohort
    from .._files import check_writable
    from .._model.program import load_program

    out: Path = args.out
    printed = to_stdout(out)
    if not printed:
        check_writable(out)  # a folder or a link is refused as such, --force or not
    if not printed and out.exists() and not args.force:
        raise UserError(
            "the file already exists", where=out, fix="pass --force to overwrite it, or choose another --out"
        )
    host = plugins()
    target = Path("cohort.toml") if printed else out
    program_file: str | None = None
    given = Path(args.program)
    if args.program.endswith(".toml") or given.is_file():
        program = load_program(given, kinds=host.kinds)
        program_file = Path(os.path.relpath(given.resolve(), target.resolve().parent)).as_posix()
        if has_undecodable(program_file):
            raise UserError(
                "the program file's path is not UTF-8 text, so a cohort file cannot name it",
                where=given, fix="rename the file (or its folder) to a UTF-8 name",
            )
    else:
        keys = host.programs.keys()
        if args.program not in keys:
            raise UnknownKeyError(
                f"unknown program {args.program!r}",
                fix=f"{did_you_mean(args.program, keys)} (`facilitrack programs` lists them;"
                " or give a program FILE.toml)",
            )
        program = host.programs.get(args.program)
    text = starter_cohort(program, path=target, program_file=program_file, host=host)
    emit(text, None if printed else out, f"a starter cohort for {program.ref}")
    if not printed:
        say(f"next: edit it, then `facilitrack check {out}`")
    return EXIT_OK

