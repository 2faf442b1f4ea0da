"""Text from input never reaches a terminal raw, nor a spreadsheet as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from facilitrack.testing import CliResult

from tests.builders import write_cohort

Cli = Callable[..., CliResult]

#: Characters that must never reach a terminal from input: ESC, BEL, C1 CSI, RLO, LRI.
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066")

HOSTILE = r"""
[cohort]
name = "Spring \u001b]0;owned\u0007"
program_file = "demo.toml"
track = "toddler"

[[trainees]]
id = "ana\u001b[2J"
name = "\u001b[31mAna\u202e"
credential = "licensed"
enrolled = 2026-01-05
trainer = "dr-miller\u2066"

[[events]]
trainee = "ana\u001b[2J"
attended = "workshop_day"
dates = [2026-01-10, 2026-01-11]

[[events]]
trainee = "ana\u001b[2J"
on = 2026-01-12
held = true
reason = "leave \u001b[1A\u009b2J"

[[events]]
trainee = "ana\u001b[2J"
on = 2026-01-13
attended = "demo_session"
recorded_by = "\u202eeve"
"""

FORMULAS = """
[cohort]
name = "Spring"
program_file = "demo.toml"

[[trainees]]
id = "ana"
name = '=HYPERLINK("http://evil.example","click")'
credential = "licensed"
enrolled = 2026-01-05
trainer = "@SUM(A1)"
"""


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A cohort whose every free-text field carries escape sequences or bidi overrides."""
    return write_cohort(tmp_path, HOSTILE)


def assert_safe(result: CliResult) -> None:
    """Neither stream holds a raw control character or bidi override from input."""
    for char in RAW:
        assert char not in result.out, f"{char!r} in stdout"
        assert char not in result.err, f"{char!r} in stderr"


@pytest.mark.parametrize(
    "args",
    [
        ("run", "cohort.toml"),
        ("check", "cohort.toml"),
        ("explain", "cohort.toml", "ana\x1b[2J"),
        ("groups", "cohort.toml"),
    ],
)
def test_cohort_commands_show_input_text_escaped(cli: Cli, hostile: Path, args: tuple[str, ...]) -> None:
    """run, check, explain and groups print names, ids and reasons with controls made visible."""
    result = cli(*args)

    assert result.code in (0, 1), result.err
    assert_safe(result)
    if args[0] != "groups":
        assert "ana\\x1b[2J" in result.out


def test_the_table_shows_the_escapes_in_their_cells(cli: Cli, hostile: Path) -> None:
    """Escapes are measured as the text they show, so the columns still line up."""
    lines = cli("run", "cohort.toml").out.splitlines()
    header = next(line for line in lines if line.startswith("ID"))
    row = next(line for line in lines if line.startswith("ana"))

    assert row.startswith("ana\\x1b[2J  \\x1b[31mAna")
    assert header.index("STAGE") == row.index("on hold:")


def test_store_commands_show_input_text_escaped(cli: Cli, hostile: Path) -> None:
    """import, record, status, log and verify print stored text with controls made visible."""
    results = [
        cli("import", "cohort.toml", "--store", "s.db"),
        cli("record", "--store", "s.db", "--recorded-by", "\x1b[8m", "resume",
            "--trainee", "ana\x1b[2J", "--on", "2026-02-01"),
        cli("status", "--store", "s.db"),
        cli("log", "--store", "s.db"),
        cli("verify", "--store", "s.db"),
    ]

    assert [0, 0, 0, 0, 0] == [r.code for r in results], [r.err for r in results]
    for result in results:
        assert_safe(result)
    log = results[3].out
    assert "leave \\x1b[1A\\x9b2J" in log
    assert "\\u202eeve" in log


def test_errors_show_input_text_escaped(cli: Cli, hostile: Path) -> None:
    """An error naming a file or an id from input escapes its controls too."""
    assert_safe(cli("check", "\x1b[2J\u202e.toml"))
    assert_safe(cli("record", "--store", "\x1b[2J.db", "resume", "--trainee", "x", "--on", "2026-01-01"))


def test_csv_cells_never_run_as_formulas(cli: Cli, tmp_path: Path) -> None:
    """Cells starting with = + - @ get a leading quote; the rest of the CSV is as it was."""
    write_cohort(tmp_path, FORMULAS)
    result = cli("run", "cohort.toml", "--format", "csv")
    [row] = list(csv.DictReader(io.StringIO(result.out)))

    assert 0 == result.code
    assert ("ana", "'=HYPERLINK(\"http://evil.example\",\"click\")", "'@SUM(A1)") == (
        row["id"], row["name"], row["trainer"]
    )


@pytest.mark.parametrize("command", [("run", "cohort.toml"), ("status", "--store", "s.db")])
def test_csv_with_a_bom_for_spreadsheets(cli: Cli, tmp_path: Path, command: tuple[str, ...]) -> None:
    """`--bom` starts the CSV with a UTF-8 byte-order mark, so Excel reads names as UTF-8."""
    write_cohort(tmp_path, FORMULAS.replace("Spring", "Frühling"))
    assert 0 == cli("import", "cohort.toml", "--store", "s.db").code

    written = cli(*command, "--format", "csv", "--bom", "--out", "r.csv")
    by_suffix = cli(*command, "--bom", "--out", "s.csv")
    printed = cli(*command, "--format", "csv", "--bom")

    assert (0, 0, 0) == (written.code, by_suffix.code, printed.code)
    assert (tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbfid,name,")
    assert (tmp_path / "s.csv").read_bytes().startswith(b"\xef\xbb\xbfid,name,")
    assert printed.out.startswith("\ufeffid,name,")


@pytest.mark.parametrize("command", [("run", "cohort.toml"), ("status", "--store", "s.db")])
def test_bom_is_for_csv_only(cli: Cli, tmp_path: Path, command: tuple[str, ...]) -> None:
    """`--bom` with another format is a usage error naming the fix."""
    result = cli(*command, "--format", "json", "--bom")
    assert 2 == result.code
    assert "--bom is for CSV only" in result.err
