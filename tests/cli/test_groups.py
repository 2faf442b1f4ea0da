"""`facilitrack groups` and the groups of a cohort file, as a coordinator runs them."""

from __future__ import annotations

import calendar
import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from facilitrack.testing import CliResult

Cli = Callable[..., CliResult]
ROOT = Path(__file__).resolve().parents[2]
START = date(2026, 2, 2)  # a Monday: the first session of the groups below

TRAINEES: list[dict[str, Any]] = [
    {"id": "ana", "name": "Ana Gómez", "credential": "licensed", "enrolled": date(2026, 1, 5),
     "trainer": "dr-miller"},
    {"id": "noa", "name": "Noa Levi", "credential": "pre_licensed", "enrolled": date(2026, 1, 5),
     "trainer": "dr-miller"},
]
STAFF: list[dict[str, Any]] = [
    {"id": "dr-miller", "name": "Dr. R. Miller", "credential": "licensed", "certified_trainer": True},
    {"id": "lee", "name": "J. Lee", "credential": "licensed"},
    {"id": "sam", "name": "S. Sam", "credential": "other"},
    {"id": "eli", "name": "E. Eli", "credential": "early_childhood"},
]
LEVEL1: list[dict[str, Any]] = [
    {"trainee": t, "attended": "workshop_day", "dates": [date(2026, 1, 10), date(2026, 1, 11)]}
    for t in ("ana", "noa")
]


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return tomli_w.dumps({"v": value}).removeprefix("v = ").strip()


def _table(header: str, fields: dict[str, Any]) -> str:
    body = "".join(f"{key} = {_value(value)}\n" for key, value in fields.items())
    return f"\n[[{header}]]\n{body}"


def _born(months: int, on: date = START) -> date:
    """A birth date that makes a child exactly `months` old (whole months) on `on`."""
    year, month = divmod(on.year * 12 + on.month - 1 - months, 12)
    return date(year, month + 1, min(on.day, calendar.monthrange(year, month + 1)[1]))


def group(
    *,
    ages: list[int] | None = None,
    sessions: int = 12,
    absent: dict[int, list[str]] | None = None,
    start: date = START,
    track: str | None = "toddler",
    **fields: Any,
) -> dict[str, Any]:
    """A demonstration group (MPG toddler by default): a certified trainer with Ana; Ana and Noa take part."""
    ages = ages if ages is not None else [26, 27, 28, 29]
    return {
        "id": "mpg-demo-spring", "kind": "demonstration", **({"track": track} if track else {}),
        "facilitators": ["dr-miller", "ana"], "trainees": ["ana", "noa"],
        **fields,
        "participants": [
            {"id": f"p{i + 1}", "parent": f"Parent {i + 1}", "child_born": _born(m, start)}
            for i, m in enumerate(ages)
        ],
        "sessions": [
            {"on": start + timedelta(weeks=i), **({"absent": absent[i]} if absent and i in absent else {})}
            for i in range(sessions)
        ],
    }


def cohort_file(
    tmp_path: Path,
    *groups: dict[str, Any],
    program: str = "mpg",
    events: list[dict[str, Any]] | None = None,
    staff: list[dict[str, Any]] | None = None,
    version: str = "1.0",
) -> Path:
    """A cohort file of the bundled `program` (pinned to `version`) with these groups, written table
    by table."""
    text = f'[cohort]\nname = "Spring 2026"\nprogram = "{program}"\nversion = "{version}"\n'
    if program == "mpg":
        text += 'track = "toddler"\n'
    text += "".join(_table("trainees", t) for t in TRAINEES)
    text += "".join(_table("staff", s) for s in (STAFF if staff is None else staff))
    text += "".join(_table("events", e) for e in (LEVEL1 if events is None else events))
    for g in groups:
        head = {k: v for k, v in g.items() if k not in ("participants", "sessions")}
        text += _table("groups", head)
        text += "".join(_table("groups.participants", p) for p in g.get("participants", []))
        text += "".join(_table("groups.sessions", s) for s in g.get("sessions", []))
    path = tmp_path / "cohort.toml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, text: str, occurrence: int = 1) -> int:
    """The line number of the `occurrence`-th line of `path` equal to `text`."""
    numbers = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line == text]
    return numbers[occurrence - 1]


def groups_json(cli: Cli, path: Path) -> list[dict[str, Any]]:
    """`facilitrack groups PATH --format json`, checked to succeed, as data."""
    result = cli("groups", str(path), "--format", "json")
    assert (0, "") == (result.code, result.err)
    groups: list[dict[str, Any]] = json.loads(result.out)["groups"]
    return groups


def rules(group_report: dict[str, Any]) -> list[str]:
    return [p["rule"] for p in group_report["problems"]]


def have(cli: Cli, path: Path, trainee: str, requirement: str) -> int:
    """How many `requirement` the trainee has for their current stage (`facilitrack explain`)."""
    data = json.loads(cli("explain", str(path), trainee, "--format", "json").out)
    count: int = next(r["have"] for r in data["requirements"] if r["requirement"] == requirement)
    return count


# -- composition -----------------------------------------------------------------------------


@pytest.mark.parametrize(("spread", "flagged"), [(8, False), (9, True)])
def test_toddler_group_spanning_nine_months_over_two_is_flagged_eight_is_not(
    cli: Cli, tmp_path: Path, spread: int, flagged: bool
) -> None:
    """MPG: children over two at most 8 months apart; 9 is flagged with its source, 8 passes check."""
    path = cohort_file(tmp_path, group(ages=[25, 27, 30, 25 + spread]))
    [report] = groups_json(cli, path)

    assert (["age_spread"] if flagged else []) == rules(report)
    assert (1 if flagged else 0) == cli("check", str(path)).code
    if flagged:
        problem = report["problems"][0]
        assert "children over two span 9 months" in problem["message"]
        assert problem["source"].startswith("mpg-trainings.txt: '(ages three months to three+ years)'")
        assert "groups[0].participants" == problem["where"]


def test_one_facilitator_is_flagged_with_the_rule_and_its_source(cli: Cli, tmp_path: Path) -> None:
    """A group led by one facilitator breaks the two-facilitator rule; check names line and source."""
    path = cohort_file(tmp_path, group(facilitators=["dr-miller"]))
    [report] = groups_json(cli, path)
    check = cli("check", str(path))

    assert ["facilitators"] == rules(report)
    assert "1 facilitator (dr-miller); a group needs at least 2" == report["problems"][0]["message"]
    assert report["problems"][0]["source"].startswith(
        "crc-faq.txt: 'It is necessary that there are two facilitators.'"
    )
    assert 1 == check.code
    line = line_of(path, "[[groups]]")
    assert (
        f"{path.name}: groups[0].facilitators (line {line}): group mpg-demo-spring, facilitators:"
        " 1 facilitator (dr-miller); a group needs at least 2"
    ) in check.out.replace(str(tmp_path) + "/", "")
    assert "  source: crc-faq.txt: 'It is necessary that there are two facilitators.'" in check.out


def test_non_mental_health_leader_without_a_mental_health_co_leader_is_flagged(
    cli: Cli, tmp_path: Path
) -> None:
    """MPG: facilitators with credentials `other` and `early_childhood` lead without an MH one."""
    community: dict[str, Any] = {"id": "mpg-community", "kind": "community", "facilitators": ["sam", "eli"],
                                 "trainees": []}
    path = cohort_file(tmp_path, group(**community))
    [report] = groups_json(cli, path)

    assert ["mental_health_co_leader", "mental_health_co_leader"] == rules(report)
    assert "sam (other) leads without a mental-health co-leader" == report["problems"][0]["message"]
    assert "lead groups with a mental health professional" in report["problems"][0]["source"]

    fine = cohort_file(tmp_path, group(**{**community, "facilitators": ["sam", "lee"]}))
    assert [] == rules(groups_json(cli, fine)[0])


def test_a_session_without_the_mental_health_co_leader_names_the_session(cli: Cli, tmp_path: Path) -> None:
    """When the only MH facilitator is absent, that session is flagged at its `absent` line."""
    community = {"id": "mpg-community", "kind": "community", "facilitators": ["sam", "lee"], "trainees": []}
    path = cohort_file(tmp_path, group(**community, absent={3: ["lee"]}))
    check = cli("check", str(path))

    assert 1 == check.code
    line = line_of(path, "[[groups.sessions]]", occurrence=4)
    assert f"groups[0].sessions[3].absent (line {line}): group mpg-community, facilitators:" in check.out
    assert "session 4 on 2026-02-23 had 1 facilitator (sam)" in check.out


def test_early_childhood_specialist_is_the_co_leader_rpp_asks_for(cli: Cli, tmp_path: Path) -> None:
    """RPP admits early-childhood specialists as leaders (its credential rule): `other` beside one passes."""
    community = {"id": "rpp-community", "kind": "community", "trainees": []}
    beside = cohort_file(tmp_path, group(**community, facilitators=["eli", "sam"], track=None), program="rpp")
    assert [] == rules(groups_json(cli, beside)[0])

    alone = cohort_file(tmp_path, group(**community, facilitators=["sam", "sam2"], track=None), program="rpp",
                        staff=[*STAFF, {"id": "sam2", "name": "S. Two", "credential": "other"}])
    assert ["mental_health_co_leader", "mental_health_co_leader"] == rules(groups_json(cli, alone)[0])


# -- parents' completion -----------------------------------------------------------------------


@pytest.mark.parametrize(("missed", "completed"), [(2, True), (3, False)])
def test_rpp_parent_absent_from_three_of_twelve_has_not_completed_two_has(
    cli: Cli, tmp_path: Path, missed: int, completed: bool
) -> None:
    """Over a 12-session RPP series, missing 3 is not completing; missing 2 is, with a record."""
    absences = {i: ["p1"] for i in (2, 6, 9)[:missed]}
    rpp = group(absent=absences, agency="Eastside Family Center", track=None)
    path = cohort_file(tmp_path, rpp, program="rpp")
    [report] = groups_json(cli, path)
    parent = report["participants"][0]

    assert ("p1", completed, missed) == (parent["id"], parent["completed"], parent["missed"])
    assert [(START + timedelta(weeks=i)).isoformat() for i in sorted(absences)] == parent["absences"]
    if completed:
        assert {"issued_by": "Eastside Family Center", "court_ordered": False,
                "first_session": "2026-02-02", "last_session": "2026-04-20", "on": "2026-04-20"} == parent[
            "certificate"
        ]
    else:
        assert ("not_completed", None) == (parent["status"], parent["certificate"])
        assert parent["source"].startswith("crc-faq.txt: 'missing more than two sessions")
    [row] = [line.split() for line in cli("groups", str(path)).out.splitlines() if line.startswith("  p1 ")]
    status = ["completed"] if completed else ["not", "completed"]
    assert ["p1", "Parent", "1", str(missed), "of", "12", *status, "2026-02-02", "2026-04-20"] == row


def test_series_in_progress_has_no_completion_yet(cli: Cli, tmp_path: Path) -> None:
    """Five sessions into a twelve-session series, parents are in progress."""
    path = cohort_file(tmp_path, group(sessions=5, absent={1: ["p2"]}))
    [report] = groups_json(cli, path)

    assert [("in_progress", False)] * 4 == [(p["status"], p["completed"]) for p in report["participants"]]
    assert [0, 1, 0, 0] == [p["missed"] for p in report["participants"]]


# -- trainees' credit --------------------------------------------------------------------------


def test_demonstration_sessions_credit_each_trainee_present(cli: Cli, tmp_path: Path) -> None:
    """Each session credits every trainee there: Noa, absent once of three, has two."""
    path = cohort_file(tmp_path, group(sessions=3, absent={1: ["noa"]}))

    assert 3 == have(cli, path, "ana", "demonstration_session")
    assert 2 == have(cli, path, "noa", "demonstration_session")
    [report] = groups_json(cli, path)
    assert [("ana", 3), ("noa", 2)] == [(c["trainee"], c["sessions"]) for c in report["credits"]]


def test_trainee_led_group_credits_its_leader(cli: Cli, tmp_path: Path) -> None:
    """Ana completes the Demonstration Group, then her own group's sessions credit her `group_session`."""
    events = [
        *LEVEL1,
        {"trainee": "ana", "on": date(2026, 4, 24), "waived": "supervision", "reason": "prior training",
         "approver": "training-director"},
        {"trainee": "ana", "on": date(2026, 4, 24), "artifact": "process_recording", "status": "presented",
         "ref": "ana-demo-recording"},
    ]
    own = group(
        id="ana-own-group", kind="trainee_led", facilitators=["ana", "lee"], trainees=["ana"],
        sessions=3, start=date(2026, 5, 4),
    )
    path = cohort_file(tmp_path, group(), own, events=events)
    report = json.loads(cli("run", str(path), "--format", "json").out)
    [ana] = [t for t in report["trainees"] if t["id"] == "ana"]

    assert "trainee_led" == ana["stage"]
    assert 3 == have(cli, path, "ana", "group_session")
    credits = [c for g in groups_json(cli, path) for c in g["credits"]]
    assert [("ana", "demonstration_session", 12), ("noa", "demonstration_session", 12),
            ("ana", "group_session", 3)] == [(c["trainee"], c["activity"], c["sessions"]) for c in credits]


def test_a_group_credit_can_be_voided_by_its_id(cli: Cli, tmp_path: Path) -> None:
    """Session credits have the id GROUP:DATE:TRAINEE, which a `voided` row names."""
    events = [*LEVEL1, {"trainee": "noa", "on": date(2026, 2, 20), "voided": "mpg-demo-spring:2026-02-09:noa",
                        "reason": "Noa left early that day"}]
    path = cohort_file(tmp_path, group(sessions=3), events=events)

    assert 0 == cli("check", str(path)).code
    assert 2 == have(cli, path, "noa", "demonstration_session")


def test_importing_and_running_twice_records_nothing_new(cli: Cli, tmp_path: Path) -> None:
    """Group credits keep their ids: a second import adds nothing, and run answers the same."""
    path = cohort_file(tmp_path, group(sessions=4, absent={2: ["noa"]}))
    first = cli("import", str(path), "--store", "cohort.db")
    again = cli("import", str(path), "--store", "cohort.db")
    log = json.loads(cli("log", "--store", "cohort.db", "--trainee", "noa", "--format", "json").out)

    assert (0, 0) == (first.code, again.code)
    assert " 0 new events " in again.out
    assert ["mpg-demo-spring:2026-02-02:noa", "mpg-demo-spring:2026-02-09:noa",
            "mpg-demo-spring:2026-02-23:noa"] == [e["id"] for e in log if e["kind"] == "attended"][2:]
    assert cli("run", str(path), "--format", "json").out == cli("run", str(path), "--format", "json").out


def test_a_row_repeating_a_group_credit_is_a_problem(cli: Cli, tmp_path: Path) -> None:
    """An `attended` row for a session a group already credits counts twice: check says so."""
    events = [*LEVEL1, {"trainee": "ana", "on": START, "attended": "demonstration_session"}]
    path = cohort_file(tmp_path, group(sessions=2), events=events)
    check = cli("check", str(path))

    assert 1 == check.code
    assert (
        "ana, 2026-02-02: demonstration_session on 2026-02-02 is also credited by groups[0].sessions[0]"
        " (a group session): both count"
    ) in check.out


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "where", "error"),
    [
        ({"absent": {3: ["p11"]}}, "groups[0].sessions[3].absent",
         ("unknown participant, trainee or facilitator 'p11'", "did you mean 'p1'?")),
        ({"facilitators": ["dr-miler", "ana"]}, "groups[0].facilitators",
         ("unknown person 'dr-miler'", "did you mean 'dr-miller'?")),
        ({"trainees": ["ana", "nao"]}, "groups[0].trainees",
         ("unknown trainee 'nao'", "did you mean 'noa'?")),
        ({"trainees": ["ana", "lee"]}, "groups[0].trainees",
         ("'lee' is staff, not a trainee", "staff who lead the group belong in `facilitators`")),
        ({"track": "todler"}, "groups[0].track",
         ("mpg has no track 'todler'", "did you mean 'toddler'?")),
        ({"program": "rpp"}, "groups[0].program",
         ("this cohort follows mpg; its groups cannot run under 'rpp'", "leave `program` out")),
    ],
)
def test_bad_references_exit_2_naming_the_place_and_nearest_id(
    cli: Cli, tmp_path: Path, change: dict[str, Any], where: str, error: tuple[str, str]
) -> None:
    """Unknown ids in a group exit 2 with the place in the file, the nearest id, nothing written."""
    message, fix = error
    path = cohort_file(tmp_path, group(**change))
    result = cli("groups", str(path), "--out", "report.json")

    assert 2 == result.code
    table = "[[groups.sessions]]" if "sessions[" in where else "[[groups]]"
    line = line_of(path, table, occurrence=4 if "sessions[" in where else 1)
    assert f"error: {path}: {where} (line {line}): {message}" in result.err
    assert fix in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "report.json").exists()


def test_duplicate_ids_among_staff_and_groups_exit_2(cli: Cli, tmp_path: Path) -> None:
    """A staff id that is a trainee's, or two groups with one id, are refused where they are."""
    again = {"id": "ana", "name": "Ana", "credential": "licensed"}
    staff = cohort_file(tmp_path, group(), staff=[*STAFF, again])
    result = cli("check", str(staff))
    assert 2 == result.code
    line = line_of(staff, "[[staff]]", occurrence=5)
    assert f"staff[4].id (line {line}): staff id 'ana' is already used by a trainee" in result.err

    twice = cohort_file(tmp_path, group(), group())
    result = cli("check", str(twice))
    assert 2 == result.code
    assert "groups[1].id (line" in result.err
    assert "group id 'mpg-demo-spring' is used twice" in result.err


def test_unknown_field_in_a_session_names_its_line_and_the_field_meant(cli: Cli, tmp_path: Path) -> None:
    """A misspelt field inside [[groups.sessions]] points at that session's line."""
    path = cohort_file(tmp_path, group(sessions=4))
    text = path.read_text(encoding="utf-8").replace("on = 2026-02-16\n", 'on = 2026-02-16\nabsnt = ["p1"]\n')
    path.write_text(text, encoding="utf-8")
    result = cli("groups", str(path))

    assert 2 == result.code
    line = line_of(path, "[[groups.sessions]]", occurrence=3)
    assert f"groups[0].sessions[2].absnt (line {line}): unknown field 'absnt'; did you mean 'absent'?" in (
        result.err
    )


def test_a_bad_birth_date_names_the_participant(cli: Cli, tmp_path: Path) -> None:
    """A child's birth date that is no date is refused at its participant's line."""
    path = cohort_file(tmp_path, group())
    text = path.read_text(encoding="utf-8").replace("child_born = ", 'child_born = "born in spring" # ', 1)
    path.write_text(text, encoding="utf-8")
    result = cli("groups", str(path))

    assert 2 == result.code
    line = line_of(path, "[[groups.participants]]")
    assert f"groups[0].participants[0].child_born (line {line}): not a date: 'born in spring'" in result.err


# -- the command -------------------------------------------------------------------------------


def test_table_fits_80_columns_and_json_has_the_contract_keys(cli: Cli, tmp_path: Path) -> None:
    """The table is at most 80 columns; JSON has groups with id, problems and participants."""
    path = cohort_file(tmp_path, group(facilitators=["dr-miller"], ages=[25, 27, 30, 34], absent={1: ["p3"]}))
    table = cli("groups", str(path))
    [report] = groups_json(cli, path)

    assert 0 == table.code
    assert [] == [line for line in table.out.splitlines() if len(line) > 80]
    assert "mpg-demo-spring · demonstration group · toddler track" in table.out
    assert {"id", "problems", "participants"} <= set(report)
    assert {"rule", "message", "source"} <= set(report["problems"][0])
    assert {"id", "completed", "missed"} <= set(report["participants"][0])


def test_out_writes_json_by_suffix_and_never_over_the_cohort(cli: Cli, tmp_path: Path) -> None:
    """--out FILE.json writes JSON atomically; naming the cohort file itself is refused."""
    path = cohort_file(tmp_path, group(sessions=2))
    written = cli("groups", str(path), "--out", "groups.json")
    refused = cli("groups", str(path), "--out", str(path))

    assert (0, "wrote groups.json (json, 1 group)\n") == (written.code, written.out)
    assert "mpg-demo-spring" == json.loads((tmp_path / "groups.json").read_text(encoding="utf-8"))[
        "groups"][0]["id"]
    assert 2 == refused.code
    assert "refusing to write the report over the cohort file" in refused.err


def test_a_file_without_groups_reports_none(cli: Cli, tmp_path: Path) -> None:
    """With no [[groups]] tables, the table says so and JSON lists no groups."""
    path = cohort_file(tmp_path)

    assert "(no [[groups]] tables in this file)" in cli("groups", str(path)).out
    assert [] == groups_json(cli, path)


def test_help_shows_an_example(cli: Cli) -> None:
    """`facilitrack groups --help` shows an example invocation."""
    result = cli("groups", "--help")

    assert 0 == result.code
    assert "example:\n  facilitrack groups examples/rpp/cohort.toml --format json" in result.out


@pytest.mark.parametrize("key", ["mpg", "rpp"])
def test_example_cohorts_have_a_clean_group(cli: Cli, key: str) -> None:
    """examples/mpg and examples/rpp each have a group that breaks no rule."""
    [report] = groups_json(cli, ROOT / "examples" / key / "cohort.toml")

    assert [] == report["problems"]
    assert 12 == report["sessions"]


def test_rpp_example_shows_three_missed_and_two_missed(cli: Cli) -> None:
    """In the RPP example's autumn series, Daniel missed 3 (not completed) and Grace 2 (completed)."""
    [report] = groups_json(cli, ROOT / "examples" / "rpp" / "cohort.toml")
    by_parent = {p["parent"]: (p["missed"], p["completed"]) for p in report["participants"]}

    assert (3, False) == by_parent["Daniel K."]
    assert (2, True) == by_parent["Grace T."]


@pytest.mark.parametrize("program", ["mpg", "rpp", "duet", "strong_roots"])
def test_starter_group_example_reads_when_uncommented(cli: Any, tmp_path: Path, program: str) -> None:
    """The starter's commented group, uncommented, is a valid group the groups command reads."""
    assert 0 == cli("init", program, "--out", "c.toml").code
    text = (tmp_path / "c.toml").read_text(encoding="utf-8")
    head, marker, tail = text.partition("# Groups:")
    assert marker, "the starter shows a group"
    example = (marker + tail).splitlines()[4:]  # after the four lines that introduce it
    tables = [line.removeprefix("#").removeprefix(" ") for line in example]
    (tmp_path / "c.toml").write_text(head + "\n".join(tables) + "\n", encoding="utf-8")
    result = cli("groups", "c.toml", "--format", "json")
    assert result.code in (0, 1), result.err
    assert ["group-1"] == [g["id"] for g in json.loads(result.out)["groups"]]
