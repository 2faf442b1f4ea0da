"""``facilitrack programs`` and ``facilitrack show``: what is installed, and what a program asks.

Plugins that fail to load never stop these commands: they are named on stderr with their
error, and the programs that did load are listed.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import UnknownKeyError, UserError, VersionNotInstalledError
from .._text import one_line
from . import EXIT_OK, add_command, plugins, say

if TYPE_CHECKING:
    from .._host.registry import ProgramRegistry
    from .._model.program import Program

FORMATS = ("text", "json", "mermaid")


def add_commands(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``programs`` and ``show``."""
    programs = add_command(
        sub, "programs", "list installed programs, their versions and where they came from",
        "List every installed program with its versions and the plugin or file it"
        " came from. Plugins that failed to load are named on stderr with their error.",
        "facilitrack programs --program-file examples/adaptation-toml/program.toml",
    )
    programs.add_argument(
        "--program-file", action="append", default=[], metavar="FILE.toml", type=Path,
        help="also list the program defined in this TOML file (repeatable)",
    )
    programs.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    programs.set_defaults(handler=_programs)

    show = add_command(
        sub, "show", "show a program's stages and requirements",
        "Show a program: its stages and what each requires, with sources. JSON is"
        " the definition itself; mermaid is its state diagram.",
        "facilitrack show mpg --format json",
    )
    show.add_argument("key", nargs="?", metavar="KEY", help="the program key (see `facilitrack programs`)")
    show.add_argument(
        "--program-file", metavar="FILE.toml", type=Path,
        help="show the program defined in this TOML file instead of an installed one",
    )
    # `dest` differs from the top-level --version flag, which would otherwise see the value.
    show.add_argument(
        "--version", dest="program_version", metavar="V",
        help="show this installed version (default: the latest)",
    )
    show.add_argument("--format", choices=FORMATS, default="text", help="output format")
    show.set_defaults(handler=_show)


# -- programs ----------------------------------------------------------------------------------


def _programs(args: argparse.Namespace) -> int:
    host = plugins()
    registry = host.programs.copy()
    for path in args.program_file:
        registry.load_file(path)
    rows = [
        {
            "key": latest.key,
            "version": latest.version,
            "versions": [p.version for p in registry.versions(latest.key)],
            "name": latest.name,
            "from": registry.source(latest.key),
        }
        for latest in registry.latest()
    ]
    if args.format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not rows:
        say("no programs installed (install a plugin, or pass --program-file)")
        return EXIT_OK
    table = [["KEY", "VERSION", "FROM", "NAME"]]
    table += [
        [one_line(cell) for cell in (
            p.key, ", ".join(v.version for v in registry.versions(p.key)), registry.source(p.key), p.name
        )]
        for p in registry.latest()
    ]
    widths = [max(len(row[c]) for row in table) for c in range(3)]
    for row in table:
        say("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[3])
    return EXIT_OK


# -- show --------------------------------------------------------------------------------------


def _show(args: argparse.Namespace) -> int:
    host = plugins()
    origin: str
    if args.program_file is not None:
        from .._model.program import load_program

        program = load_program(args.program_file, kinds=host.kinds)
        origin = str(args.program_file)
        if args.key is not None and args.key != program.key:
            raise UnknownKeyError(
                f"the file defines program {program.key!r}, not {args.key!r}",
                where=args.program_file, fix=f"run `facilitrack show --program-file {args.program_file}`",
            )
        if args.program_version is not None and args.program_version != program.version:
            raise VersionNotInstalledError(
                f"the file defines {program.ref}, not version {args.program_version}",
                where=args.program_file, fix="drop --version, or name the file of that version",
            )
    elif args.key is None:
        raise UserError(
            "name the program to show", fix="give its KEY (`facilitrack programs` lists them)"
            " or --program-file FILE.toml",
        )
    else:
        program = _installed(host.programs, args.key, args.program_version)
        origin = host.programs.source(program.key)
    if args.format == "json":
        print(json.dumps(program.model_dump(mode="json"), indent=2, ensure_ascii=False))
    elif args.format == "mermaid":
        from .._engine.machine import mermaid

        say(mermaid(program))
    else:
        from .._report.programs import describe_program

        say(describe_program(program, origin=origin, versions=_versions(host.programs, program)))
    return EXIT_OK


def _installed(registry: ProgramRegistry, key: str, version: str | None) -> Program:
    program = registry.get(key)  # an unknown key raises, naming the nearest one
    if version is None:
        return program
    versions = [p.version for p in registry.versions(key)]
    if version not in versions:
        raise VersionNotInstalledError(
            f"program {key} has no version {version!r} installed (installed: {', '.join(versions)})",
            fix=f"name one of those, or install the plugin release that provides {key} {version}",
        )
    return registry.get(key, version)


def _versions(registry: ProgramRegistry, program: Program) -> list[str]:
    versions = [p.version for p in registry.versions(program.key)]
    return versions or [program.version]
