"""The cohort commands as a user runs them: run, check, explain, schema, init."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import tomli_w
from facilitrack import load_plugins
from facilitrack.testing import CliResult

from tests.builders import ANA_WORKSHOP_DAYS, DEMO, cohort_table, demo_with, row, trainee_row, write_cohort
from tests.conftest import InstallPlugins

Cli = Callable[..., CliResult]
ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ("mpg", "rpp", "duet", "strong_roots")

COHORT = (
    cohort_table(track="toddler")
    + trainee_row("ana", "licensed", name="Ana Gómez", trainer="dr-miller")
    + trainee_row("noa", "pre_licensed", name="נועה כהן", trainer="dr-miller")
    + ANA_WORKSHOP_DAYS
    + row("events", trainee="noa", on=date(2026, 1, 10), attended="workshop_day")
)

HELD = """
[[events]]
trainee = "noa"
on = 2026-01-12
held = true

[[events]]
trainee = "noa"
on = 2026-01-13
attended = "workshop_day"
"""


@pytest.fixture
def cohort(tmp_path: Path) -> Path:
    """A clean two-trainee cohort on the demo program, in the CLI's working directory."""
    return write_cohort(tmp_path, COHORT)


def installed(key: str) -> bool:
    """Whether the bundled program `key` is installed and loads."""
    return key in load_plugins().programs.keys()  # noqa: SIM118 -- a registry, not a dict


# -- run -------------------------------------------------------------------------------------


def test_run_prints_a_table(cli: Cli, cohort: Path) -> None:
    """run: a table with each trainee's stage, certificates and what is missing; exit 0."""
    result = cli("run", "cohort.toml")
    assert 0 == result.code
    assert "ana  Ana Gómez  demonstration  level1" in result.out
    assert "workshop_day 1/2" in result.out
    assert all(len(line) <= 80 for line in result.out.splitlines())


def test_run_json_has_the_contract_shape(cli: Cli, cohort: Path) -> None:
    """run --format json: cohort plus every trainee with the contract's keys."""
    data = json.loads(cli("run", "cohort.toml", "--format", "json").out)
    assert ["ana", "noa"] == [t["id"] for t in data["trainees"]]
    assert [{"stage": "level1", "on": "2026-01-11"}] == [
        {k: c[k] for k in ("stage", "on")} for c in data["trainees"][0]["certificates"]
    ]
    assert [{"requirement": "workshop_day", "have": 1, "need": 2}] == [
        {k: m[k] for k in ("requirement", "have", "need")} for m in data["trainees"][1]["missing"]
    ]


def test_run_as_of(cli: Cli, cohort: Path) -> None:
    """run --as-of counts events up to that date only."""
    data = json.loads(cli("run", "cohort.toml", "--as-of", "2026-01-10", "--format", "json").out)
    assert ["level1", "level1"] == [t["stage"] for t in data["trainees"]]
    assert "2026-01-10" == data["cohort"]["as_of"]


@pytest.mark.parametrize(("name", "check"), [
    ("report.json", lambda text: json.loads(text)["trainees"][0]["id"] == "ana"),
    ("report.toml", lambda text: tomllib.loads(text)["trainees"][0]["id"] == "ana"),
    ("report.csv", lambda text: text.startswith("id,name,")),
    ("report.txt", lambda text: text.startswith("Demo Spring")),
])
def test_run_out_writes_the_format_its_suffix_names(
    cli: Cli, cohort: Path, name: str, check: Callable[[str], bool]
) -> None:
    """run --out FILE writes the report in the format the suffix names, and says so."""
    result = cli("run", "cohort.toml", "--out", name)
    assert 0 == result.code
    assert check((cohort.parent / name).read_text(encoding="utf-8"))
    assert f"wrote {name}" in result.out


def test_run_out_html_points_to_the_report_command(cli: Cli, cohort: Path) -> None:
    """--out r.html would hold a plain table: refused, naming `facilitrack report`; nothing written."""
    result = cli("run", "cohort.toml", "--out", "r.html")
    assert 2 == result.code
    assert "`facilitrack report` writes the HTML report" in result.err
    assert not (cohort.parent / "r.html").exists()
    assert 0 == cli("run", "cohort.toml", "--out", "r.html", "--format", "table").code


def test_run_refuses_to_overwrite_the_cohort(cli: Cli, cohort: Path) -> None:
    """--out naming the cohort file itself is refused; the file is unchanged."""
    result = cli("run", "cohort.toml", "--out", "cohort.toml", "--format", "json")
    assert (2, COHORT) == (result.code, cohort.read_text(encoding="utf-8"))
    assert "refusing" in result.err


def test_bad_input_writes_nothing(cli: Cli, cohort: Path) -> None:
    """An invalid cohort exits 2 with the place, no traceback, and --out is not created."""
    cohort.write_text(COHORT.replace('attended = "workshop_day"\ndates', 'attended = "workshop"\ndates'),
                      encoding="utf-8")
    result = cli("run", "cohort.toml", "--out", "report.json")
    assert 2 == result.code
    assert "cohort.toml: events[0].attended (line 20): demo has no activity 'workshop'" in result.err
    assert "did you mean 'workshop_day'?" in result.err
    assert "Traceback" not in result.err
    assert not (cohort.parent / "report.json").exists()


def test_bad_as_of_is_a_usage_error(cli: Cli, cohort: Path) -> None:
    """--as-of that is not a date exits 2 naming it."""
    result = cli("run", "cohort.toml", "--as-of", "1.2.2026")
    assert 2 == result.code
    assert "not a date: '1.2.2026'" in result.err


# -- check -----------------------------------------------------------------------------------


def test_check_clean_exits_0(cli: Cli, cohort: Path) -> None:
    """check on a clean file: exit 0 and says so."""
    result = cli("check", "cohort.toml")
    assert (0, "clean: no problems") == (result.code, result.out.splitlines()[-1])
    assert "demo 1.0, 2 trainees, 2 event rows" in result.out


def test_check_rules_broken_exits_1_naming_rows(cli: Cli, cohort: Path) -> None:
    """check with an event kept but not credited: exit 1, the row and the reason."""
    cohort.write_text(COHORT + HELD, encoding="utf-8")
    result = cli("check", "cohort.toml")
    assert 1 == result.code
    assert "cohort.toml: events[3] (line 35): noa, 2026-01-13: noa was on hold on 2026-01-13" in result.out


def test_check_invalid_exits_2(cli: Cli, cohort: Path) -> None:
    """check on a schema error: exit 2 with the path inside the file and the allowed values."""
    cohort.write_text(COHORT.replace('"pre_licensed"', '"prelicensed"'), encoding="utf-8")
    result = cli("check", "cohort.toml")
    assert 2 == result.code
    assert "trainees[1].credential (line 13): demo declares no credential 'prelicensed'" in result.err
    assert "did you mean 'pre_licensed'?" in result.err


def test_check_syntax_error_names_line_and_column(cli: Cli, cohort: Path) -> None:
    """A TOML syntax error is FILE:LINE:COL."""
    cohort.write_text(COHORT.replace('name = "Demo Spring"', 'name = "Demo Spring'), encoding="utf-8")
    result = cli("check", "cohort.toml")
    assert 2 == result.code
    assert result.err.startswith("error: cohort.toml:2:")


def test_check_reads_a_file_with_a_byte_order_mark(cli: Cli, cohort: Path) -> None:
    """A cohort saved by Windows Notepad (UTF-8 with a byte-order mark) checks clean."""
    cohort.write_bytes(b"\xef\xbb\xbf" + COHORT.encode())
    result = cli("check", "cohort.toml")
    assert (0, "") == (result.code, result.err)


def test_check_toml_nested_too_deeply(cli: Cli, cohort: Path) -> None:
    """Arrays nested 600 deep: exit 2, the file named, no RecursionError."""
    cohort.write_text(COHORT + "x = " + "[" * 600 + "]" * 600 + "\n", encoding="utf-8")
    result = cli("check", "cohort.toml")
    assert 2 == result.code
    assert result.err.startswith("error: cohort.toml: the TOML is nested too deeply")


def test_check_missing_file(cli: Cli, tmp_path: Path) -> None:
    """A cohort file that does not exist: exit 2, named."""
    result = cli("check", "nowhere.toml")
    assert (2, "error: nowhere.toml: file not found") == (result.code, result.err.splitlines()[0])


# -- explain ---------------------------------------------------------------------------------


def test_explain_shows_requirements_and_next(cli: Cli, cohort: Path) -> None:
    """explain TRAINEE: requirements with have/need, counted dates, next stage."""
    result = cli("explain", "cohort.toml", "noa")
    assert 0 == result.code
    assert "[missing]  1/2  workshop_day" in result.out
    assert "counted: 2026-01-10" in result.out
    assert "next: Demonstration group" in result.out


def test_explain_json(cli: Cli, cohort: Path) -> None:
    """explain --format json carries the requirements and the trainee."""
    data = json.loads(cli("explain", "cohort.toml", "ana", "--format", "json").out)
    assert ("ana", "demonstration") == (data["status"]["id"], data["stage"])
    assert {"certified_trainer", "demo_session", "process_recording"} == {
        r["requirement"] for r in data["requirements"]
    }


def test_explain_unknown_trainee(cli: Cli, cohort: Path) -> None:
    """An unknown trainee exits 2 with the nearest id."""
    result = cli("explain", "cohort.toml", "nao")
    assert 2 == result.code
    assert "did you mean 'noa'?" in result.err


# -- schema ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "prop"), [("cohort", "trainees"), ("program", "stages")])
def test_schema_prints_json_schema(cli: Cli, kind: str, prop: str) -> None:
    """schema cohort|program prints a JSON Schema document editors can use."""
    result = cli("schema", kind)
    data = json.loads(result.out)
    assert (0, "https://json-schema.org/draft/2020-12/schema") == (result.code, data["$schema"])
    assert prop in data["properties"]


def test_the_program_schema_describes_every_requirement_kind_installed(
    cli: Cli, install_plugins: InstallPlugins
) -> None:
    """Each requirement is one of the kinds installed (a plugin's too), by `kind`: every bundled
    definition validates, a misspelt field in a requirement does not."""
    import jsonschema

    install_plugins({"visits": HOME_VISITS})
    schema = json.loads(cli("schema", "program").out)
    kinds = schema["$defs"]["Node"]["discriminator"]["mapping"]
    assert {"attendance", "quantity", "all_of", "home_visits"} <= set(kinds)
    assert "min_score" in schema["$defs"]["Score"]["properties"]
    for path in sorted((ROOT / "plugins").glob("*/program*.toml")):
        jsonschema.validate(tomllib.loads(path.read_text(encoding="utf-8")), schema)
    wrong = tomllib.loads((ROOT / "plugins" / "mpg" / "program-2.0.toml").read_text(encoding="utf-8"))
    wrong["stages"][0]["requirements"][-1]["cuont"] = 2
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(wrong, schema)


HOME_VISITS = """
from facilitrack import hookimpl
from facilitrack.plugin import Attendance
from typing import Literal


class HomeVisits(Attendance):
    kind: Literal["home_visits"] = "home_visits"


@hookimpl
def facilitrack_requirement_kinds(register):
    register(HomeVisits)
"""


def test_schema_out(cli: Cli, tmp_path: Path) -> None:
    """schema --out writes the file."""
    assert 0 == cli("schema", "cohort", "--out", "cohort.schema.json").code
    assert "events" in json.loads((tmp_path / "cohort.schema.json").read_text(encoding="utf-8"))["properties"]


# -- init ------------------------------------------------------------------------------------


def test_init_from_a_program_file_passes_check(cli: Cli, cohort: Path) -> None:
    """init FILE.toml writes a starter naming the file; check passes on it."""
    result = cli("init", "demo.toml", "--out", "starter.toml")
    assert 0 == result.code
    assert 'program_file = "demo.toml"' in (cohort.parent / "starter.toml").read_text(encoding="utf-8")
    assert 0 == cli("check", "starter.toml").code


def test_init_refuses_to_overwrite_without_force(cli: Cli, cohort: Path) -> None:
    """init does not overwrite an existing file unless --force."""
    result = cli("init", "demo.toml", "--out", "cohort.toml")
    assert (2, COHORT) == (result.code, cohort.read_text(encoding="utf-8"))
    assert "--force" in result.err
    assert 0 == cli("init", "demo.toml", "--out", "cohort.toml", "--force").code
    assert COHORT != cohort.read_text(encoding="utf-8")


def test_init_unknown_program(cli: Cli, tmp_path: Path) -> None:
    """init with a program no plugin provides: exit 2, nothing written."""
    result = cli("init", "no_such_program")
    assert 2 == result.code
    assert "unknown program 'no_such_program'" in result.err
    assert not (tmp_path / "cohort.toml").exists()


@pytest.mark.parametrize("key", BUNDLED)
def test_init_for_each_bundled_program_passes_check(cli: Cli, tmp_path: Path, key: str) -> None:
    """Every bundled program's starter passes check and lists its keys."""
    if not installed(key):
        pytest.skip(f"{key} is not installed")
    assert 0 == cli("init", key).code
    text = (tmp_path / "cohort.toml").read_text(encoding="utf-8")
    assert f'program = "{key}"' in text
    result = cli("check", "cohort.toml")
    assert (0, "clean: no problems") == (result.code, result.out.splitlines()[-1])


def uncomment_groups(text: str) -> str:
    """The starter with its example staff and group uncommented, as a user would do it."""
    head, example = text.split("# Groups:", 1)
    lines = example.splitlines()
    live = [line[2:] if line.startswith("# [") or (line.startswith("# ") and "=" in line) else line
            for line in lines[4:]]
    return head + "\n".join(["# Groups:" + lines[0], *lines[1:4], *("" if x == "#" else x for x in live)])


@pytest.mark.parametrize("key", BUNDLED)
def test_the_starters_example_group_passes_check_when_uncommented(
    cli: Cli, tmp_path: Path, key: str
) -> None:
    """Uncommented, the starter's example staff and group break none of the program's group rules."""
    if not installed(key):
        pytest.skip(f"{key} is not installed")
    assert 0 == cli("init", key).code
    path = tmp_path / "cohort.toml"
    text = path.read_text(encoding="utf-8")
    assert "\n[[groups]]" not in text  # commented out as written
    path.write_text(uncomment_groups(text), encoding="utf-8")

    result = cli("check", "cohort.toml")
    groups = cli("groups", "cohort.toml")
    assert (0, "clean: no problems") == (result.code, result.out.splitlines()[-1]), result.out
    assert ", 1 group" in result.out.splitlines()[0]
    assert "composition: no rule broken" in groups.out


def test_the_starter_of_a_program_with_control_characters_is_valid_toml(cli: Cli, tmp_path: Path) -> None:
    """Names and titles with escapes or line breaks (a hostile program file) stay inside comments."""
    hostile = copy.deepcopy(DEMO)
    hostile["name"] = "Demo\x1b[31m\nkey = 1"
    hostile["organisation"] = "Org\u202e\r"
    hostile["stages"][0]["title"] = "Level 1\x07\ninjected = true"
    (tmp_path / "hostile.toml").write_text(tomli_w.dumps(hostile), encoding="utf-8")

    assert 0 == cli("init", "hostile.toml", "--out", "starter.toml").code
    result = cli("check", "starter.toml")
    assert (0, "") == (result.code, result.err)
    assert "\x1b" not in (tmp_path / "starter.toml").read_text(encoding="utf-8")


def test_the_starter_names_the_file_it_was_written_to(cli: Cli, tmp_path: Path) -> None:
    """The starter's comments show commands on the file `init` wrote, not on cohort.toml."""
    assert 0 == cli("init", "mpg", "--out", "spring.toml").code
    text = (tmp_path / "spring.toml").read_text(encoding="utf-8")

    assert "#   facilitrack check spring.toml" in text
    assert "#   facilitrack explain spring.toml ana" in text
    assert "# `facilitrack groups spring.toml` checks them" in text
    assert "cohort.toml" not in text


def test_the_starter_enrols_the_trainees_the_readme_tour_names(cli: Cli, tmp_path: Path) -> None:
    """`init` enrols ana and noa, so the README's `explain spring.toml ana` works on it."""
    assert 0 == cli("init", "mpg", "--out", "spring.toml").code
    trainees = tomllib.loads((tmp_path / "spring.toml").read_text(encoding="utf-8"))["trainees"]
    assert ["ana", "noa"] == [t["id"] for t in trainees]
    assert 0 == cli("explain", "spring.toml", "ana").code


def test_the_as_of_date_is_shown_whole_at_80_columns(cli: Cli, cohort: Path) -> None:
    """A long cohort name gives way in the table's first line; the --as-of date never does."""
    long_name = "Demo Spring cohort of the Reflective Communities training programme, east region"
    cohort.write_text(COHORT.replace('"Demo Spring"', f'"{long_name}"'), encoding="utf-8")
    first = cli("run", "cohort.toml", "--as-of", "2026-06-30").out.splitlines()[0]

    assert first.endswith("· as of 2026-06-30")
    assert len(first) <= 80
    assert first.startswith("Demo Spring cohort")


def test_counts_of_one_are_singular(cli: Cli, tmp_path: Path) -> None:
    """"1 trainee", "1 event row", "1 new event", "1 group": never "1 trainees"."""
    one = COHORT.split("[[trainees]]\nid = \"noa\"", maxsplit=1)[0] + (
        '[[events]]\ntrainee = "ana"\non = 2026-01-10\nattended = "workshop_day"\n'
    )
    write_cohort(tmp_path, one)
    outputs = [
        cli("check", "cohort.toml").out,
        cli("run", "cohort.toml", "--out", "r.txt").out,
        cli("import", "cohort.toml", "--store", "s.db").out,
        cli("verify", "--store", "s.db").out,
        cli("export", "--store", "s.db", "--out", "e.json").out,
    ]

    assert "cohort.toml: demo 1.0, 1 trainee, 1 event row" in outputs[0]
    assert "wrote r.txt (table, 1 trainee)" in outputs[1]
    assert "s.db: 2 new events from cohort.toml" in outputs[2]
    assert "ok — 2 events, hash chain intact, 1 person's cached state" in outputs[3]
    assert "wrote e.json (json, 2 events)" in outputs[4]
    assert [] == [o for o in outputs if re.search(r"\b1 [a-z-]+s\b", o)]


# -- help, examples, the console script ------------------------------------------------------


@pytest.mark.parametrize("command", ["run", "check", "explain", "schema", "init"])
def test_help_shows_an_example(cli: Cli, command: str) -> None:
    """--help on every cohort command shows an example invocation."""
    result = cli(command, "--help")
    assert 0 == result.code
    assert f"example:\n  facilitrack {command} " in result.out


@pytest.mark.parametrize(
    "command",
    [["run"], ["check"], ["explain"], ["schema"], ["init"], ["groups"], ["programs"], ["show"],
     ["import"], ["record"], ["record", "attended"], ["status"], ["log"], ["export"], ["verify"]],
)
def test_help_fits_80_columns(cli: Cli, command: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Every --help reads in an 80-column terminal: descriptions are wrapped, not one long line."""
    monkeypatch.setenv("COLUMNS", "80")
    result = cli(*command, "--help")
    assert 0 == result.code
    assert [] == [line for line in result.out.splitlines() if len(line) > 80]


@pytest.mark.parametrize("key", BUNDLED)
def test_bundled_example_cohorts_are_valid(cli: Cli, key: str) -> None:
    """examples/<program>/cohort.toml reads and runs (its deliberate problems exit 1, never 2)."""
    path = ROOT / "examples" / key / "cohort.toml"
    if not installed(key) or not path.exists():
        pytest.skip(f"{key} or its example is not there")
    assert cli("check", str(path)).code in (0, 1)
    data = json.loads(cli("run", str(path), "--format", "json").out)
    assert len(data["trainees"]) >= 3
    assert any(t["certified"] for t in data["trainees"])


def test_console_script_runs_check(cohort: Path) -> None:
    """The installed `facilitrack` console script checks a file, in a subprocess, exit 0."""
    script = Path(sys.executable).with_name("facilitrack")
    result = subprocess.run(
        [str(script), "check", str(cohort)], capture_output=True, text=True, check=False, timeout=60,
    )
    assert 0 == result.returncode, result.stderr
    assert "clean: no problems" in result.stdout


def test_console_script_bad_input_has_no_traceback(cohort: Path) -> None:
    """In a subprocess too, bad input is one error line and a fix, exit 2, no traceback."""
    cohort.write_text(COHORT.replace('trainee = "noa"', 'trainee = "nao"'), encoding="utf-8")
    script = Path(sys.executable).with_name("facilitrack")
    result = subprocess.run(
        [str(script), "run", str(cohort)], capture_output=True, text=True, check=False, timeout=60,
    )
    assert 2 == result.returncode
    assert "events[1].trainee (line 25): unknown trainee 'nao'" in result.stderr
    assert "Traceback" not in result.stderr


# -- plugins -----------------------------------------------------------------------------------

CRASHING_DATES = """
from facilitrack import hookimpl

@hookimpl
def facilitrack_parse_date(text, program):
    raise RuntimeError("no calendar")
"""

EXITING_DATES = """
import sys
from facilitrack import hookimpl

@hookimpl
def facilitrack_parse_date(text, program):
    sys.exit(3)
"""


@pytest.mark.parametrize(
    ("source", "said"),
    [(CRASHING_DATES, "RuntimeError: no calendar"), (EXITING_DATES, "it called sys.exit(3)")],
)
def test_a_failing_date_plugin_is_named_not_a_traceback(
    cli: Cli, cohort: Path, install_plugins: InstallPlugins, source: str, said: str
) -> None:
    """A date hook that raises or exits: exit 2 with one message naming the plugin."""
    cohort.write_text(COHORT.replace("on = 2026-01-10", 'on = "10.1.2026"'), encoding="utf-8")
    install_plugins({"dates": source})

    result = cli("run", "cohort.toml")

    assert 2 == result.code
    assert (
        f"error: plugin 'dates': facilitrack_parse_date failed reading '10.1.2026': {said}\n"
    ) == result.err.split("  fix:")[0]


def test_the_console_script_names_a_failing_date_plugin(
    cohort: Path, install_plugins: InstallPlugins
) -> None:
    """In a subprocess too: exit 2, one error naming the plugin, no traceback."""
    cohort.write_text(COHORT.replace("on = 2026-01-10", 'on = "10.1.2026"'), encoding="utf-8")
    site = install_plugins({"dates": CRASHING_DATES})
    script = Path(sys.executable).with_name("facilitrack")

    result = subprocess.run(
        [str(script), "run", str(cohort)], capture_output=True, text=True, check=False, timeout=60,
        env={**os.environ, "PYTHONPATH": str(site)},
    )

    assert 2 == result.returncode
    assert result.stderr.startswith("error: plugin 'dates': facilitrack_parse_date failed reading")
    assert "Traceback" not in result.stderr


# -- what a user trial found: every format says what JSON says -----------------------------------

EXPIRING = demo_with(stages=[
    {**DEMO["stages"][0], "certificate": {"title": "Level 1 Certificate of Completion",
                                          "valid_for": {"years": 2}}},
    *DEMO["stages"][1:],
])


def test_run_shows_an_expired_certificate_as_expired_in_every_format(cli: Cli, tmp_path: Path) -> None:
    """Past its expiry a certificate is not listed as held: the table and the CSV say expired,
    with the day, as JSON does."""
    write_cohort(tmp_path, cohort_table(track="infant") + trainee_row("ana", "licensed", name="Ana",
                                                                    trainer="dr-lee") + ANA_WORKSHOP_DAYS,
                 EXPIRING)
    ana = json.loads(cli("run", "cohort.toml", "--format", "json", "--as-of", "2030-01-01").out)
    ana = ana["trainees"][0]
    assert ("expired", "2028-01-11") == (ana["certificates"][0]["status"], ana["certificates"][0]["expires"])
    table = cli("run", "cohort.toml", "--as-of", "2030-01-01").out
    assert re.search(r"^ana +Ana +\S+ +level1\b", table, re.M)
    assert re.search(r"^ +expired 2028-01-11 ", table, re.M), table
    csv_text = cli("run", "cohort.toml", "--format", "csv", "--as-of", "2030-01-01").out
    assert "level1 2026-01-11 (expired 2028-01-11)" in csv_text
    assert "expired" not in cli("run", "cohort.toml", "--as-of", "2027-01-01").out


def _mpg_with_absences(tmp_path: Path, who: str, sessions: list[str]) -> Path:
    """The MPG example, with `who` absent from the demonstration group on these days too."""
    text = (ROOT / "examples" / "mpg" / "cohort.toml").read_text(encoding="utf-8")
    for day in sessions:
        head = f"[[groups.sessions]]\non = {day}\n"
        assert head in text
        listed = f"{head}absent = ["
        if listed in text:
            text = text.replace(listed, f"{listed}{json.dumps(who)}, ", 1)
        else:
            text = text.replace(head, f"{head}absent = [{json.dumps(who)}]\n", 1)
    path = tmp_path / "cohort.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_participation_missed_too_often_says_why_in_the_table_and_csv(cli: Cli, tmp_path: Path) -> None:
    """12/12 sessions held but 4 missed (2 allowed): the table and the CSV say why, as explain does."""
    _mpg_with_absences(tmp_path, "marcus", ["2025-09-22", "2025-09-29", "2025-10-13"])
    why = "missed 4 sessions; at most 2 may be missed"
    assert f"why: {why}" in cli("explain", "cohort.toml", "marcus").out
    table = cli("run", "cohort.toml").out.split("\nproblems:")[0].splitlines()
    at = next(line for line in table if line.startswith("ID")).index("MISSING")
    assert f"demonstration_session 12/12 {why}" in " ".join(" ".join(line[at:] for line in table).split())
    assert all(len(line) <= 80 for line in table)
    csv_text = cli("run", "cohort.toml", "--format", "csv").out
    assert f"demonstration_session 12/12 ({why})" in csv_text


@pytest.mark.parametrize(("example", "trainee"), [("mpg", "marcus"), ("strong_roots", "olu")])
def test_explain_header_fits_80_columns(cli: Cli, example: str, trainee: str) -> None:
    """explain's first line wraps, as its body does: every line fits 80 columns."""
    path = ROOT / "examples" / example / "cohort.toml"
    if not path.exists():
        pytest.skip(f"no {example} example")
    result = cli("explain", str(path), trainee)
    assert 0 == result.code, result.err
    assert all(len(line) <= 80 for line in result.out.splitlines()), result.out.splitlines()[:3]
