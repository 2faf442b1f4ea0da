"""What the tests build their input from: the demo program, engines on it, and cohort files.

`DEMO` is the program the core and CLI tests run on: three stages shaped like the bundled
programs, small enough to reason about. A cohort file is written from parts — its
``[cohort]`` table, ``[[trainees]]`` rows and other rows, each as a person would type it — and
`write_cohort` puts it in a folder beside the program file it names.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomli_w
from facilitrack import Engine, Program, ProgramRegistry, load_plugins

if TYPE_CHECKING:
    from facilitrack.store import Journal

DEMO: dict[str, Any] = {
    "key": "demo",
    "name": "Demo Parenting Groups",
    "version": "1.0",
    "organisation": "Test Org",
    "tracks": [{"key": "infant", "title": "Infant"}, {"key": "toddler", "title": "Toddler"}],
    "stages": [
        {
            "key": "level1",
            "title": "Level 1 workshop",
            "certificate": {"title": "Level 1 Certificate of Completion"},
            "requirements": [
                {"kind": "credential", "allowed": ["licensed", "pre_licensed"],
                 "with_co_leader": ["early_childhood", "other"]},
                {"kind": "attendance", "key": "workshop_day", "count": 2, "source": "test"},
            ],
        },
        {
            "key": "demonstration",
            "title": "Demonstration group",
            "requirements": [
                {"kind": "pairing"},
                {"kind": "attendance", "key": "demo_session", "count": 3},
                {"kind": "artifact", "key": "process_recording", "count": 1,
                 "status": "presented", "waivable": True},
            ],
        },
        {
            "key": "trainee_led",
            "title": "Trainee-led group",
            "certificate": {"title": "Level 2 Certificate of Completion"},
            "requirements": [
                {"kind": "attendance", "key": "group_session", "count": 2},
                {"kind": "artifact", "key": "process_recording", "count": 2, "status": "presented"},
                {"kind": "artifact", "key": "videotape", "count": 1, "status": "approved"},
            ],
        },
    ],
}


def demo_with(**changes: Any) -> dict[str, Any]:
    """A copy of `DEMO` with these top-level fields set (``groups=...``, ``stages=...``)."""
    data = copy.deepcopy(DEMO)
    data.update(changes)
    return data


def engine_on(program: Program, journal: Journal | None = None, *plugins: object) -> Engine:
    """An engine that knows only `program`, on `journal` (a new in-memory one if None), whose
    hooks are these plugin objects' alone (none from entry points)."""
    registry = ProgramRegistry()
    registry.add(program, source="tests")
    return Engine(registry, journal, hooks=load_plugins(list(plugins), entry_points_group=None).hooks)


def one_stage_program(key: str, name: str, *, version: str = "1.0", organisation: str = "Tests",
                      title: str = "Only stage", count: int = 1) -> str:
    """A program definition file (TOML) with one stage that asks for `count` days of attendance."""
    return (f'\nkey = "{key}"\nname = "{name}"\nversion = "{version}"\norganisation = "{organisation}"\n'
            f'[[stages]]\nkey = "only"\ntitle = "{title}"\n'
            f'[[stages.requirements]]\nkind = "attendance"\nkey = "day"\ncount = {count}\n')


# -- cohort files ----------------------------------------------------------------------------


def _toml(value: object) -> str:
    """A value as a person types it in TOML: strings quoted, dates and numbers bare, lists inline."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value.isoformat() if isinstance(value, date) else value)


def cohort_table(*, track: str, name: str = "Demo Spring", program_file: str = "demo.toml") -> str:
    """The ``[cohort]`` table of a demo cohort."""
    return f"[cohort]\nname = {_toml(name)}\nprogram_file = {_toml(program_file)}\ntrack = {_toml(track)}\n"


def row(table: str, **fields: object) -> str:
    """One ``[[table]]`` row, its fields in the order given, after a blank line."""
    return f"\n[[{table}]]\n" + "".join(f"{key} = {_toml(value)}\n" for key, value in fields.items())


def trainee_row(id: str, credential: str, *, name: str | None = None, trainer: str | None = None,
                enrolled: date = date(2026, 1, 5)) -> str:
    """A ``[[trainees]]`` row: id, name (if any), credential, enrolment day, trainer (if any)."""
    fields: dict[str, object] = {"id": id, "name": name, "credential": credential, "enrolled": enrolled,
                                 "trainer": trainer}
    return row("trainees", **{k: v for k, v in fields.items() if v is not None})


#: Ana's two workshop days, 10 and 11 January 2026: level 1 of the demo program, complete.
ANA_WORKSHOP_DAYS = row("events", trainee="ana", attended="workshop_day",
                        dates=[date(2026, 1, 10), date(2026, 1, 11)])


def write_cohort(folder: Path, text: str, program: Mapping[str, Any] = DEMO) -> Path:
    """`text` as ``FOLDER/cohort.toml``, with the program it names beside it as ``demo.toml``."""
    (folder / "demo.toml").write_text(tomli_w.dumps(program), encoding="utf-8")
    path = folder / "cohort.toml"
    path.write_text(text, encoding="utf-8")
    return path


# -- docs ------------------------------------------------------------------------------------


def assert_commands_parse(shown: list[list[str]], *, at_least: int) -> None:
    """Each command line a page shows (arguments after `facilitrack`) parses as the CLI's."""
    import pytest
    from facilitrack._cli import build_parser

    parser = build_parser()
    assert len(shown) >= at_least
    for args in shown:
        try:
            parser.parse_args(args)
        except SystemExit:  # pragma: no cover - the message says which
            pytest.fail(f"does not parse: facilitrack {' '.join(args)}")
