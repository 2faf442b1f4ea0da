"""The ``facilitrack`` command: argparse over the library, no logic of its own.

Each module in this package adds one group of subcommands through ``add_commands(sub)``;
they are found by name, so a new command is a new module. User errors print as
``error: WHERE: WHAT`` with a ``fix:`` line and exit 2, never with a traceback.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import importlib
import os
import pkgutil
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import UserError
from .._text import has_undecodable, terminal_safe

if TYPE_CHECKING:
    from .._host.plugins import PluginHost
    from .._report import Format

Handler = Callable[[argparse.Namespace], int]

EXIT_OK, EXIT_RULES_BROKEN, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """Usage errors exit 2 with the usage line, as argparse does, but name the fix too."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        say(f"error: {message}\n  fix: see `{self.prog} --help`", err=True)
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every command module's subcommands."""
    parser = _Parser(
        prog="facilitrack",
        description="Track clinicians through parenting-group facilitator training.",
        epilog="example: facilitrack run examples/mpg/cohort.toml",
    )
    parser.add_argument(
        "--version", dest="show_version", action="store_true", help="print the version and exit"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    modules = [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
    for name in sorted(modules):
        importlib.import_module(f"{__name__}.{name}").add_commands(sub)
    return parser


def example(text: str) -> str:
    """An epilog that shows one example invocation (every command's --help has one).

    A command longer than a line is continued with ``\\`` before an option, so it still pastes.
    """
    lines = [""]
    for part in text.replace(" --", "\0--").split("\0"):
        if lines[-1] and len(lines[-1]) + 1 + len(part) > 74:
            lines.append(part)
        else:
            lines[-1] = f"{lines[-1]} {part}" if lines[-1] else part
    return "example:\n  " + " \\\n      ".join(lines)


def add_command(
    sub: argparse._SubParsersAction[Any], name: str, help_: str, description: str, sample: str
) -> argparse.ArgumentParser:
    """Add the subcommand `name`; its --help ends with `sample`, an example invocation.

    `description` is wrapped to 79 columns, paragraph by paragraph (``\\n\\n`` between them);
    the example is shown as written, so it can be pasted.
    """
    import textwrap

    wrapped = "\n\n".join(textwrap.fill(" ".join(p.split()), 79) for p in description.split("\n\n"))
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=help_, description=wrapped, epilog=example(sample),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def say(text: str = "", *, err: bool = False) -> None:
    """Print `text` for a person, with any control characters and bidi overrides it took from
    input shown as escapes (`terminal_safe`); line breaks are kept."""
    print(terminal_safe(text, multiline=True), file=sys.stderr if err else sys.stdout)


def plugins() -> PluginHost:
    """The installed plugins; any that failed to load are named on stderr."""
    from .._host.plugins import load_plugins

    host = load_plugins()
    for problem in host.problems:
        say(f"warning: {problem}", err=True)
    return host


def day_arg(text: str) -> date:
    """A date flag's value: YYYY-MM-DD (argparse turns the error into a usage message)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (write YYYY-MM-DD)") from None


def report_format(given: Format | None, out: Path | None) -> Format:
    """The format asked for; else the one `out`'s suffix names (.json, .toml, .csv); else table."""
    if given:
        return given
    suffixes: dict[str, Format] = {".json": "json", ".toml": "toml", ".csv": "csv"}
    if out is not None and out.suffix.lower() in (".html", ".htm"):
        raise UserError(
            "this command writes a table, JSON, TOML or CSV, not HTML", where=out,
            fix="`facilitrack report` writes the HTML report; or give --format table to write a table there")
    return suffixes.get(out.suffix.lower(), "table") if out else "table"


def not_over_input(out: Path | None, source: Path) -> None:
    """Refuse an --out that would replace the cohort file a report is made from."""
    if not to_stdout(out) and out is not None and out.exists() and out.resolve() == source.resolve():
        raise UserError(
            "refusing to write the report over the cohort file", where=out, fix="choose another --out"
        )


def bom_for(fmt: str, bom: bool, command: str) -> str:
    """The byte-order mark `--bom` asks for (CSV only: Excel then reads it as UTF-8), or ``""``."""
    if bom and fmt != "csv":
        raise UserError(
            f"--bom is for CSV only, not {fmt}", where=command,
            fix="add --format csv (or an --out FILE.csv), or drop --bom",
        )
    return "\ufeff" if bom else ""


def to_stdout(out: Path | None) -> bool:
    """Whether --out means standard output: absent, ``-`` or ``/dev/stdout`` (even when the
    shell sent standard output to a file, where /dev/stdout is a link to that file)."""
    return out is None or str(out) in ("-", "/dev/stdout")


def emit(text: str, out: Path | None, what: str, *, private: bool = False) -> None:
    """Print `text`, or write it to `out` and say so (`write_atomic`: atomically, with the umask's
    permissions or owner-only when `private`; devices and FIFOs written through, links refused)."""
    if out is None or to_stdout(out):  # (`out is None` again for the type checker)
        sys.stdout.write(text)
        return
    from .._files import write_atomic

    write_atomic(out, text, private=private)
    say(f"wrote {out} ({what})")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.show_version:
        from .. import __version__

        print(f"facilitrack {__version__}")
        return EXIT_OK
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    return _dispatch(handler, args)


def _dispatch(handler: Handler, args: argparse.Namespace) -> int:
    """Run one command; its errors become one message and the exit code."""
    try:
        _text_is_utf8(args)
        return handler(args)
    except UserError as exc:
        say(f"error: {exc.render()}", err=True)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # `facilitrack ... | head`
        return EXIT_OK
    except OSError as exc:  # the library turns its own into UserErrors: this is standard output
        say(f"error: {_unwritable(exc)}", err=True)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


def _unwritable(exc: OSError) -> str:
    return (f"standard output: cannot write: {exc.strerror or exc}\n  fix: make room, or send it"
            " elsewhere (`--out FILE` where the command has it)")


def _text_is_utf8(args: argparse.Namespace) -> None:
    """Refuse an id, a key or a reason typed in another encoding than UTF-8: no store or report
    can hold it. File names (`Path` arguments, and a store or cohort given as text because it
    may also be a URL or `-`) may be any bytes, as the system allows."""
    for dest, value in vars(args).items():
        if isinstance(value, str) and dest not in _FILE_NAMES and has_undecodable(value):
            positional = (args.command, dest) in _POSITIONAL
            flag = dest.upper() if positional else "--" + dest.replace("_", "-")
            raise UserError(
                f"{flag} {value!r} is not UTF-8 text", where=args.command,
                fix="type it again in UTF-8 (check your terminal's character encoding)",
            )


#: Arguments kept as text that name files (a store may be a URL; a cohort may be `-`).
_FILE_NAMES = {"store", "cohort"}

#: Text arguments given by position, (command, dest): named as their usage line shows them.
_POSITIONAL = {("explain", "trainee"), ("forget", "person"), ("init", "program"), ("show", "key")}


def run() -> None:
    """Console-script entry point: run, then end the process without tearing the interpreter down.

    Freeing every module, model class and event one by one at exit costs a short command a
    fifth of its time, and a large cohort seconds; the operating system takes the memory back
    at once. Exit handlers still run and both output streams are flushed first.
    """
    code = main()
    atexit._run_exitfuncs()
    try:  # output still buffered may be what cannot be written (`> /dev/full`)
        sys.stdout.flush()
    except BrokenPipeError:  # `| head`
        pass
    except OSError as exc:
        say(f"error: {_unwritable(exc)}", err=True)
        code = code or EXIT_BAD_INPUT
    except ValueError:  # a closed stream
        pass
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)
