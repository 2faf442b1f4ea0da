"""The cohort file: its tables, event ids, dates, errors that name the place, and the report."""

from __future__ import annotations

import copy
import json
import tomllib
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from facilitrack import (
    Attended,
    Engine,
    InvalidEventError,
    PluginHost,
    Program,
    UnknownKeyError,
    UserError,
    VersionNotInstalledError,
    hookimpl,
    load_plugins,
    parse_program,
)
from facilitrack._cohort import (
    EVENT_SOURCES,
    ROW_KINDS,
    CohortFile,
    Located,
    cohort_events,
    cohort_schema,
    group_session_events,
    load_cohort,
    read_cohort,
    run_cohort,
    starter_cohort,
)
from facilitrack._model.events import EventBase
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import DEMO

D = date.fromisoformat

HEADER = """\
[cohort]
name = "Demo Spring"
program_file = "demo.toml"
track = "toddler"

[[trainees]]
id = "ana"
name = "Ana Gómez"
credential = "licensed"
enrolled = 2026-01-05
trainer = "dr-miller"
"""

LEVEL1 = [
    {"trainee": "ana", "on": D("2026-01-10"), "attended": "workshop_day"},
    {"trainee": "ana", "on": D("2026-01-11"), "attended": "workshop_day"},
]


@pytest.fixture
def host() -> PluginHost:
    """Plugins from no entry point: the tests see only the demo program file."""
    return load_plugins(entry_points_group=None)


def rows(table: str, items: Iterable[dict[str, Any]]) -> str:
    """``[[table]]`` blocks for `items`, as a person would write them."""
    return "".join(f"\n[[{table}]]\n" + tomli_w.dumps(item) for item in items)


def write(tmp_path: Path, text: str, program: dict[str, Any] | None = None) -> Path:
    """A cohort file with the demo program beside it; return its path."""
    (tmp_path / "demo.toml").write_text(tomli_w.dumps(program or DEMO), encoding="utf-8")
    path = tmp_path / "cohort.toml"
    path.write_text(text, encoding="utf-8")
    return path


def cohort_with(tmp_path: Path, events: Iterable[dict[str, Any]], extra: str = "") -> Path:
    """The header, one trainee (ana), any `extra` tables and these event rows."""
    return write(tmp_path, HEADER + extra + rows("events", events))


def error_of(path: Path, host: PluginHost, kind: type[UserError] = UserError) -> str:
    """The rendered error reading `path` raises."""
    with pytest.raises(kind) as caught:
        load_cohort(path, host=host)
    return caught.value.render()


# -- the report ------------------------------------------------------------------------------


def test_two_workshop_days_complete_level1(tmp_path: Path, host: PluginHost) -> None:
    """The contract's example: attended rows credit the trainee, who gets the certificate."""
    report = run_cohort(cohort_with(tmp_path, LEVEL1), host=host)
    ana = report.trainees[0]
    assert ("ana", "Ana Gómez", "demonstration") == (ana.id, ana.name, ana.stage)
    assert [("level1", D("2026-01-11"))] == [(c.stage, c.on) for c in ana.certificates]
    assert [("demo_session", 0, 3), ("process_recording", 0, 1)] == [
        (m.requirement, m.have, m.need) for m in ana.missing
    ]
    assert ("demo", "1.0", "toddler") == (ana.program, ana.version, ana.track)


def test_report_as_of_counts_only_events_until_then(tmp_path: Path, host: PluginHost) -> None:
    """--as-of: the second workshop day lies after the date, so level 1 is still open."""
    report = run_cohort(cohort_with(tmp_path, LEVEL1), D("2026-01-10"), host=host)
    assert "level1" == report.trainees[0].stage
    assert D("2026-01-10") == report.cohort.as_of


def test_report_is_json_serialisable_with_the_contract_keys(tmp_path: Path, host: PluginHost) -> None:
    """The report dumps to JSON with cohort and each trainee's contract keys."""
    data = json.loads(run_cohort(cohort_with(tmp_path, LEVEL1), host=host).model_dump_json())
    assert {"cohort", "trainees"} == set(data)
    keys = {"id", "name", "program", "stage", "certified", "certificates", "missing", "problems"}
    assert keys <= set(data["trainees"][0])
    assert {"stage", "on"} <= set(data["trainees"][0]["certificates"][0])
    assert {"requirement", "have", "need"} <= set(data["trainees"][0]["missing"][0])


def test_trainee_track_overrides_the_cohort_track(tmp_path: Path, host: PluginHost) -> None:
    """A trainee's own `track` wins over [cohort] track."""
    text = HEADER.replace('trainer = "dr-miller"\n', 'trainer = "dr-miller"\ntrack = "infant"\n')
    report = run_cohort(write(tmp_path, text), host=host)
    assert "infant" == report.trainees[0].track


def test_explain_lists_requirements_dates_and_next(tmp_path: Path, host: PluginHost) -> None:
    """explain: each requirement of the current stage, the dates that counted, what is next."""
    path = cohort_with(tmp_path, [LEVEL1[0]])
    expl = load_cohort(path, host=host).explain("ana")
    assert "level1" == expl.stage
    workshop = next(r for r in expl.requirements if r.requirement == "workshop_day")
    assert (1, 2, [D("2026-01-10")], False) == (workshop.have, workshop.need, workshop.dates, workshop.met)
    assert ("demonstration", "Level 1 Certificate of Completion") == (expl.next_stage, expl.next_certificate)


def test_explain_unknown_trainee_suggests_the_nearest(tmp_path: Path, host: PluginHost) -> None:
    """An unknown trainee id in explain is named with the nearest one."""
    cohort = load_cohort(cohort_with(tmp_path, []), host=host)
    with pytest.raises(UnknownKeyError, match="did you mean 'ana'"):
        cohort.explain("anna")


# -- event ids -------------------------------------------------------------------------------


def test_identical_rows_count_twice(tmp_path: Path, host: PluginHost) -> None:
    """Two identical rows are two sessions: both count, under different ids."""
    same = [LEVEL1[0], LEVEL1[0]]
    cohort = load_cohort(cohort_with(tmp_path, same), host=host)
    ids = [e.id for e in cohort.events if isinstance(e, Attended)]
    assert 2 == len(set(ids))
    assert "demonstration" == cohort.report().trainees[0].stage


def test_first_of_identical_rows_keeps_the_core_content_id(tmp_path: Path, host: PluginHost) -> None:
    """The first copy's id is the one the core derives from content; only later copies differ."""
    cohort = load_cohort(cohort_with(tmp_path, [LEVEL1[0], LEVEL1[0]]), host=host)
    first = next(e for e in cohort.events if isinstance(e, Attended))
    assert Attended(trainee="ana", on=D("2026-01-10"), activity="workshop_day").id == first.id


def test_reading_the_same_file_twice_gives_the_same_ids(tmp_path: Path, host: PluginHost) -> None:
    """Re-importing a file is idempotent: a journal given the events again records nothing."""
    path = cohort_with(tmp_path, [*LEVEL1, LEVEL1[0]])
    first, second = load_cohort(path, host=host), load_cohort(path, host=host)
    assert [e.id for e in first.events] == [e.id for e in second.events]
    assert [] == first.engine.record(second.events)


def test_explicit_id_is_kept(tmp_path: Path, host: PluginHost) -> None:
    """A row's `id` is the event's id."""
    cohort = load_cohort(cohort_with(tmp_path, [{**LEVEL1[0], "id": "ws-1"}]), host=host)
    assert "ws-1" in [e.id for e in cohort.events]
    assert "events[0]" == cohort.where("ws-1")


def test_dates_and_weekly_expand_into_sessions(tmp_path: Path, host: PluginHost) -> None:
    """`dates = [...]` is one session per date; `weekly = N` is N sessions a week apart."""
    events = [
        {"trainee": "ana", "attended": "workshop_day", "dates": [D("2026-01-10"), D("2026-01-11")]},
        {"trainee": "ana", "attended": "demo_session", "on": D("2026-02-01"), "weekly": 3},
    ]
    cohort = load_cohort(cohort_with(tmp_path, events), host=host)
    demo = [e.on for e in cohort.events if isinstance(e, Attended) and e.activity == "demo_session"]
    assert [D("2026-02-01"), D("2026-02-08"), D("2026-02-15")] == demo
    assert ["process_recording"] == [m.requirement for m in cohort.report().trainees[0].missing]


def test_artifact_dates_are_one_artifact_each(tmp_path: Path, host: PluginHost) -> None:
    """An artifact row with `dates` records one artifact per date (Duet: a record per session)."""
    events = [*LEVEL1, {"trainee": "ana", "artifact": "process_recording", "status": "presented",
                        "dates": [D("2026-02-01"), D("2026-02-08")]}]
    cohort = load_cohort(cohort_with(tmp_path, events), host=host)
    assert ["events[2].dates[0]", "events[2].dates[1]"] == [x.where for x in cohort.located[3:]]
    assert ["demo_session"] == [m.requirement for m in cohort.report().trainees[0].missing]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"attended": "demo_session", "on": D("2026-02-01"), "dates": [D("2026-02-02")]},
         "events[0] (line 13): give `on` (one date) or `dates`"),
        ({"attended": "demo_session", "dates": [D("2026-02-02")], "weekly": 2},
         "events[0] (line 13): `weekly` repeats from `on`"),
        ({"attended": "demo_session", "on": D("2026-02-01"), "weekly": 2, "id": "x"},
         "events[0] (line 13): an explicit `id` names one event"),
        ({"artifact": "videotape", "status": "approved", "on": D("2026-02-01"), "weekly": 2, "ref": "v"},
         "events[0] (line 13): a `ref` or `sha256` names one artifact"),
    ],
)
def test_repeated_rows_must_be_unambiguous(
    tmp_path: Path, host: PluginHost, row: dict[str, Any], message: str
) -> None:
    """`on`, `dates` and `weekly` combine only one way; one id or ref cannot name many events."""
    assert message in error_of(cohort_with(tmp_path, [{"trainee": "ana", **row}]), host)


def test_event_sources_can_be_extended(tmp_path: Path, host: PluginHost) -> None:
    """A new table's events join through `cohort_events` sources and are numbered the same way."""
    cohort = load_cohort(cohort_with(tmp_path, [LEVEL1[0]]), host=host)

    def extra(doc: CohortFile, program: Program) -> Iterable[Located]:
        yield Located(Attended(trainee="ana", on=D("2026-01-10"), activity="workshop_day"), "groups[0]")

    located = cohort_events(cohort.doc, cohort.program, (*EVENT_SOURCES, extra))
    assert ["trainees[0]", "events[0]", "groups[0]"] == [x.where for x in located]
    assert 3 == len({x.event.id for x in located})


# -- dates -----------------------------------------------------------------------------------


def test_iso_date_strings_are_read(tmp_path: Path, host: PluginHost) -> None:
    """A date written as an ISO string reads like a TOML date."""
    report = run_cohort(cohort_with(tmp_path, [{**LEVEL1[0], "on": "2026-01-10"}, LEVEL1[1]]), host=host)
    assert "demonstration" == report.trainees[0].stage


def test_day_first_strings_are_read_by_the_plugin_hook(tmp_path: Path) -> None:
    """A string no ISO reading accepts goes to facilitrack_parse_date (Duet writes 24.3.2018)."""

    class DayFirst:
        @hookimpl
        def facilitrack_parse_date(self, text: str, program: Program) -> date | None:
            day, month, year = (int(p) for p in text.split("."))
            return date(year, month, day)

    host = load_plugins([DayFirst()], entry_points_group=None)
    events = [{**LEVEL1[0], "on": "10.1.2026"}, {**LEVEL1[1], "on": "11.1.2026"}]
    cohort = load_cohort(cohort_with(tmp_path, events), host=host)
    assert [D("2026-01-10"), D("2026-01-11")] == [e.on for e in cohort.events if isinstance(e, Attended)]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"10.1.2026"', "events[0].on (line 13): not a date: '10.1.2026'"),
        ("2026-01-10T09:00:00", "events[0].on (line 13): expected a date without a time of day"),
        ("20260110", "events[0].on (line 13): expected a date"),
    ],
)
def test_bad_dates_name_the_field(tmp_path: Path, host: PluginHost, value: str, message: str) -> None:
    """Strings nobody reads, datetimes and numbers are refused at their field."""
    text = HEADER + f'\n[[events]]\ntrainee = "ana"\non = {value}\nattended = "workshop_day"\n'
    assert message in error_of(write(tmp_path, text), host)


# -- schema errors ---------------------------------------------------------------------------


def test_schema_error_names_path_and_allowed_values(tmp_path: Path, host: PluginHost) -> None:
    """A bad credential names trainees[i].credential and lists the allowed values."""
    text = HEADER + '\n[[trainees]]\nid = "noa"\ncredential = "licenced"\nenrolled = 2026-01-05\n'
    message = error_of(write(tmp_path, text), host)
    assert "trainees[1].credential (line 13): demo declares no credential 'licenced'" in message
    assert "did you mean 'licensed'?" in message


def test_unknown_field_suggests_the_nearest(tmp_path: Path, host: PluginHost) -> None:
    """A misspelt field is named with the field it probably meant."""
    text = HEADER.replace("trainer =", "trainr =")
    assert "trainees[0].trainr (line 6): unknown field 'trainr'; did you mean 'trainer'?" in error_of(
        write(tmp_path, text), host
    )


def test_row_with_two_kinds_is_refused(tmp_path: Path, host: PluginHost) -> None:
    """A row must say one thing: attended and artifact together is an error at that row."""
    path = cohort_with(tmp_path, [{**LEVEL1[0], "artifact": "videotape"}])
    message = error_of(path, host)
    assert "events[0] (line 13): a row needs exactly one of: attended, absent, artifact" in message


def test_held_must_be_true(tmp_path: Path, host: PluginHost) -> None:
    """`held = false` is explained, not reported as a bare literal error."""
    path = cohort_with(tmp_path, [{"trainee": "ana", "on": D("2026-01-10"), "held": False}])
    assert "events[0].held (line 13): write `held = true`" in error_of(path, host)


def test_missing_cohort_table_is_named(tmp_path: Path, host: PluginHost) -> None:
    """A file without [cohort] says so and how to start one."""
    assert "has no [cohort] table" in error_of(write(tmp_path, '[[trainees]]\nid = "a"\n'), host)


def test_toml_syntax_error_names_line_and_column(tmp_path: Path, host: PluginHost) -> None:
    """A syntax error is ``FILE:LINE:COL: message``."""
    path = write(tmp_path, '[cohort]\nname = "x\n')
    assert f"{path}:2:10: TOML syntax error" in error_of(path, host)


def test_program_needs_exactly_one_source(tmp_path: Path, host: PluginHost) -> None:
    """[cohort] with both program and program_file is refused at cohort."""
    text = HEADER.replace('program_file = "demo.toml"', 'program = "demo"\nprogram_file = "demo.toml"')
    assert "cohort (line 1): give exactly one of `program`" in error_of(write(tmp_path, text), host)


# -- references ------------------------------------------------------------------------------


def test_unknown_trainee_in_events(tmp_path: Path, host: PluginHost) -> None:
    """An event for a trainee with no [[trainees]] row names the row and the nearest id."""
    path = cohort_with(tmp_path, [{**LEVEL1[0], "trainee": "anna"}])
    message = error_of(path, host, UnknownKeyError)
    assert "cohort.toml: events[0].trainee (line 13): unknown trainee 'anna'" in message
    assert "did you mean 'ana'?" in message


@pytest.mark.parametrize(
    ("row", "place", "nearest"),
    [
        ({"attended": "workshop"}, "events[1].attended", "did you mean 'workshop_day'?"),
        ({"artifact": "video_tape", "status": "approved"}, "events[1].artifact", "did you mean 'videotape'?"),
        ({"waived": "proces_recording", "reason": "r", "approver": "x"}, "events[1].waived",
         "did you mean 'process_recording'?"),
        ({"waived": "demo_session", "stage": "demonstrate", "reason": "r", "approver": "x"},
         "events[1].stage", "did you mean 'demonstration'?"),
    ],
)
def test_unknown_program_keys_are_named_with_the_nearest(
    tmp_path: Path, host: PluginHost, row: dict[str, Any], place: str, nearest: str
) -> None:
    """Activity, artifact, requirement and stage keys the program lacks: place and nearest key."""
    path = cohort_with(tmp_path, [LEVEL1[0], {"trainee": "ana", "on": D("2026-01-12"), **row}])
    message = error_of(path, host, UnknownKeyError)
    assert f"cohort.toml: {place} (line 18)" in message
    assert nearest in message


def test_waiving_a_requirement_that_is_not_waivable(tmp_path: Path, host: PluginHost) -> None:
    """A waiver of a requirement the program does not let be waived names the waivable ones."""
    row = {"trainee": "ana", "on": D("2026-01-12"), "waived": "workshop_day", "reason": "r", "approver": "x"}
    message = error_of(cohort_with(tmp_path, [row]), host, InvalidEventError)
    assert "events[0].waived (line 13): demo does not allow waiving 'workshop_day'" in message
    assert "waivable: process_recording" in message


def test_unknown_track(tmp_path: Path, host: PluginHost) -> None:
    """A track the program does not have is named at cohort.track with the nearest."""
    path = write(tmp_path, HEADER.replace('track = "toddler"', 'track = "todler"'))
    message = error_of(path, host, UnknownKeyError)
    assert "cohort.track (line 1): demo has no track 'todler'" in message
    assert "did you mean 'toddler'?" in message


def test_duplicate_trainee_ids_name_both_rows(tmp_path: Path, host: PluginHost) -> None:
    """Two [[trainees]] rows with one id: the error names both rows."""
    text = HEADER + '\n[[trainees]]\nid = "ana"\ncredential = "licensed"\nenrolled = 2026-01-05\n'
    message = error_of(write(tmp_path, text), host)
    assert "trainees[1].id (line 13): trainee id 'ana' is used twice: by trainees[0] (line 6)" in message


def test_duplicate_event_ids_name_both_rows(tmp_path: Path, host: PluginHost) -> None:
    """Two rows giving one `id`: the error names both rows."""
    path = cohort_with(tmp_path, [{**LEVEL1[0], "id": "x"}, {**LEVEL1[1], "id": "x"}])
    message = error_of(path, host)
    assert "events[1].id (line 19): event id 'x' is used twice: by events[0] (line 13)" in message


def test_void_of_an_unknown_id(tmp_path: Path, host: PluginHost) -> None:
    """A void naming no event of the file is refused at its `voided` field, with the nearest id."""
    events = [{**LEVEL1[0], "id": "ws-1"},
              {"trainee": "ana", "on": D("2026-01-12"), "voided": "ws-2", "reason": "typo"}]
    message = error_of(cohort_with(tmp_path, events), host, UnknownKeyError)
    assert "events[1].voided (line 19): cannot void 'ws-2'" in message
    assert "did you mean 'ws-1'?" in message


def test_void_removes_the_event(tmp_path: Path, host: PluginHost) -> None:
    """A voided session no longer counts; the report shows level 1 one day short."""
    events = [*LEVEL1[:1], {**LEVEL1[1], "id": "ws-2"},
              {"trainee": "ana", "on": D("2026-01-12"), "voided": "ws-2", "reason": "wrong trainee"}]
    ana = run_cohort(cohort_with(tmp_path, events), host=host).trainees[0]
    missing = [(m.requirement, m.have, m.need) for m in ana.missing]
    assert ("level1", [("workshop_day", 1, 2)]) == (ana.stage, missing)


def test_a_row_may_void_an_enrolment_as_the_engine_allows(tmp_path: Path, host: PluginHost) -> None:
    """The engine's one void rule holds in files too: voiding an enrolment is allowed, and the
    trainee is then as if never enrolled (their sessions are kept as problems)."""
    first = load_cohort(cohort_with(tmp_path, LEVEL1), host=host)
    enrolment = next(x.event.id for x in first.located if x.where == "trainees[0]")
    void = {"trainee": "ana", "on": D("2026-01-12"), "voided": enrolment, "reason": "wrong program"}
    events = [*LEVEL1, void]
    ana = run_cohort(cohort_with(tmp_path, events), host=host).trainees[0]
    assert ("not_enrolled", 2) == (ana.stage, len(ana.problems))


def test_program_file_not_found(tmp_path: Path, host: PluginHost) -> None:
    """A missing program file is named at cohort.program_file, relative to the cohort file."""
    path = write(tmp_path, HEADER.replace("demo.toml", "nowhere.toml"))
    assert "cohort.program_file (line 1): program file not found: nowhere.toml" in error_of(path, host)


def test_unknown_installed_program(tmp_path: Path, host: PluginHost) -> None:
    """An installed program key that does not exist is named at cohort.program."""
    path = write(tmp_path, HEADER.replace('program_file = "demo.toml"', 'program = "dmeo"'))
    assert "cohort.program (line 1): unknown program 'dmeo'" in error_of(path, host, UnknownKeyError)


def test_version_pin_not_installed(tmp_path: Path, host: PluginHost) -> None:
    """A pinned version the file does not provide is named at cohort.version."""
    path = write(tmp_path, HEADER.replace('track = "toddler"', 'track = "toddler"\nversion = "2.0"'))
    message = error_of(path, host, VersionNotInstalledError)
    assert "cohort.version (line 1): demo version 2.0 is not installed (installed: 1.0)" in message


def test_plugin_refusal_is_placed_on_its_row(tmp_path: Path) -> None:
    """An event a plugin refuses is reported at the row that produced it."""

    class NoVideos:
        @hookimpl
        def facilitrack_validate_event(self, event: EventBase, program: Program, stage: str) -> str | None:
            if getattr(event, "artifact", None) == "videotape":
                return "videotapes are reviewed elsewhere"
            return None

    host = load_plugins([NoVideos()], entry_points_group=None)
    video = {"trainee": "ana", "on": D("2026-03-01"), "artifact": "videotape", "status": "approved"}
    events = [*LEVEL1, video]
    message = error_of(cohort_with(tmp_path, events), host, InvalidEventError)
    assert "cohort.toml: events[2] (line 23): videotapes are reviewed elsewhere" in message


# -- problems --------------------------------------------------------------------------------


def test_event_while_on_hold_is_a_problem_at_its_row(tmp_path: Path, host: PluginHost) -> None:
    """A session during a hold is kept, not credited, and the problem names its row."""
    events = [{"trainee": "ana", "on": D("2026-01-08"), "held": True, "reason": "leave"}, *LEVEL1]
    ana = run_cohort(cohort_with(tmp_path, events), host=host).trainees[0]
    assert "on_hold" == ana.stage
    assert ["events[1]", "events[2]"] == [p.where for p in ana.problems]
    assert "on hold" in ana.problems[0].reason


def test_non_mh_credential_without_co_leader_is_a_problem(tmp_path: Path, host: PluginHost) -> None:
    """An early-childhood trainee with no co_leader cannot enter level 1: a problem at the row."""
    text = HEADER + '\n[[trainees]]\nid = "noa"\ncredential = "early_childhood"\nenrolled = 2026-01-05\n'
    noa = run_cohort(write(tmp_path, text), host=host).trainees[1]
    assert ["trainees[1].co_leader"] == [p.where for p in noa.problems]
    with_co = text + 'co_leader = "ana"\n'
    assert [] == run_cohort(write(tmp_path, with_co), host=host).trainees[1].problems


def test_missing_trainer_is_a_problem_once_the_stage_needs_one(tmp_path: Path, host: PluginHost) -> None:
    """No trainer: fine in level 1, a problem at the trainee row once demonstration needs pairing."""
    path = cohort_with(tmp_path, LEVEL1[:1])
    path.write_text(path.read_text(encoding="utf-8").replace('trainer = "dr-miller"\n', ""), encoding="utf-8")
    assert [] == run_cohort(path, host=host).trainees[0].problems
    path = cohort_with(tmp_path, LEVEL1)
    path.write_text(path.read_text(encoding="utf-8").replace('trainer = "dr-miller"\n', ""), encoding="utf-8")
    assert ["trainees[0].trainer"] == [p.where for p in run_cohort(path, host=host).trainees[0].problems]


# -- order does not matter -------------------------------------------------------------------

SHUFFLED_ROWS: list[dict[str, Any]] = [
    *LEVEL1,
    {"trainee": "ana", "on": D("2026-02-01"), "attended": "demo_session"},
    {"trainee": "ana", "on": D("2026-02-01"), "attended": "demo_session"},
    {"trainee": "ana", "on": D("2026-02-08"), "attended": "demo_session", "id": "d-3"},
    {"trainee": "ana", "on": D("2026-02-09"), "voided": "d-3", "reason": "wrong day"},
    {"trainee": "ana", "on": D("2026-02-10"), "held": True},
    {"trainee": "ana", "on": D("2026-02-12"), "attended": "demo_session"},
    {"trainee": "ana", "on": D("2026-02-20"), "resumed": True},
    {"trainee": "ana", "on": D("2026-02-21"), "attended": "demo_session"},
    {"trainee": "ana", "on": D("2026-02-22"), "artifact": "process_recording", "status": "presented"},
    {"trainee": "noa", "on": D("2026-01-10"), "attended": "workshop_day"},
    {"trainee": "noa", "on": D("2026-01-10"), "attended": "workshop_day"},
    {"trainee": "noa", "on": D("2026-01-20"), "waived": "process_recording", "stage": "demonstration",
     "reason": "prior training", "approver": "director"},
    {"trainee": "noa", "on": D("2026-03-01"), "withdrawn": True},
    {"trainee": "noa", "on": D("2026-03-02"), "attended": "demo_session"},
]
NOA = '\n[[trainees]]\nid = "noa"\nname = "נועה"\ncredential = "pre_licensed"\nenrolled = 2026-01-05\n'


def _comparable(report: Any) -> Any:
    data = report.model_dump(mode="json")
    for trainee in data["trainees"]:
        for problem in trainee["problems"]:
            problem.pop("where")  # the row number moves with the row; the fact does not
    return data


@settings(max_examples=40, deadline=None, derandomize=True)
@given(order=st.permutations(range(len(SHUFFLED_ROWS))))
def test_shuffling_event_rows_gives_the_same_report(
    order: list[int], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Any order of the [[events]] rows gives the same report (row numbers aside)."""
    directory = tmp_path_factory.getbasetemp() / "shuffle"
    directory.mkdir(exist_ok=True)
    (directory / "demo.toml").write_text(tomli_w.dumps(DEMO), encoding="utf-8")
    host = load_plugins(entry_points_group=None)
    baseline = read_cohort(HEADER + NOA + rows("events", SHUFFLED_ROWS), directory / "c.toml", host=host)
    shuffled = HEADER + NOA + rows("events", [SHUFFLED_ROWS[i] for i in order])
    again = read_cohort(shuffled, directory / "c.toml", host=host)
    assert _comparable(baseline.report()) == _comparable(again.report())
    assert _comparable(baseline.report(D("2026-02-15"))) == _comparable(again.report(D("2026-02-15")))
    assert sorted(e.id for e in baseline.events) == sorted(e.id for e in again.events)


# -- schema and starter ----------------------------------------------------------------------


def test_schema_offers_every_row_kind() -> None:
    """The JSON Schema of [[events]] has one alternative per row kind, each requiring its key."""
    schema = cohort_schema()
    alternatives = schema["properties"]["events"]["items"]["oneOf"]
    required = sorted(
        next(k for k in schema["$defs"][alt["$ref"].rsplit("/", 1)[1]]["required"] if k in ROW_KINDS)
        for alt in alternatives
    )
    assert sorted(ROW_KINDS) == required
    assert "https://json-schema.org/draft/2020-12/schema" == schema["$schema"]


def _starter_check(tmp_path: Path, host: PluginHost, program: dict[str, Any]) -> str:
    (tmp_path / "demo.toml").write_text(tomli_w.dumps(program), encoding="utf-8")
    text = starter_cohort(
        parse_program(program, origin="test"), path=tmp_path / "cohort.toml",
        program_file="demo.toml", host=host,
    )
    (tmp_path / "cohort.toml").write_text(text, encoding="utf-8")
    assert [] == load_cohort(tmp_path / "cohort.toml", host=host).report().problems
    return text


def test_starter_is_clean_and_shows_every_kind(tmp_path: Path, host: PluginHost) -> None:
    """The starter passes check and has a live row of each event kind for the demo program."""
    text = _starter_check(tmp_path, host, DEMO)
    live = [line.split(" = ")[0] for line in text.splitlines() if not line.startswith("#")]
    assert set(ROW_KINDS) <= set(live)
    assert "# attended" not in text


def test_starter_for_a_one_stage_program_is_clean(tmp_path: Path, host: PluginHost) -> None:
    """With one stage, kinds that would fall after certification are commented out, not broken."""
    program = copy.deepcopy(DEMO)
    program["stages"] = program["stages"][:1]
    program["stages"][0]["requirements"][1]["count"] = 1
    text = _starter_check(tmp_path, host, program)
    assert "(commented out" in text


def test_starter_lists_keys_in_comments(tmp_path: Path, host: PluginHost) -> None:
    """The starter's comments list the activity and artifact keys and the tracks."""
    text = _starter_check(tmp_path, host, DEMO)
    assert "one of: demo_session, group_session, workshop_day" in text
    assert "one of: process_recording, videotape" in text
    assert "one of: infant, toddler" in text


def test_engine_sees_the_same_events_as_the_cohort(tmp_path: Path, host: PluginHost) -> None:
    """The cohort's engine is an ordinary Engine: its journal holds exactly the file's events."""
    cohort = load_cohort(cohort_with(tmp_path, LEVEL1), host=host)
    assert isinstance(cohort.engine, Engine)
    assert sorted(e.id for e in cohort.events) == sorted(e.id for e in cohort.engine.journal.events())



def test_engine_refusals_without_an_event_are_placed_by_id(demo_program: Program, tmp_path: Path) -> None:
    """An engine error that names its event only as ``event ID`` is still placed on the row."""
    from facilitrack._cohort.places import Places
    from facilitrack._cohort.run import record
    from facilitrack._host.registry import ProgramRegistry

    registry = ProgramRegistry()
    registry.add(demo_program, source="tests")
    engine = Engine(registry, hooks=load_plugins(entry_points_group=None).hooks)
    ghost = Attended(trainee="ghost", on=D("2026-01-10"), activity="workshop_day")
    places = Places(tmp_path / "c.toml", {"events": [3, 7, 9, 12, 20]})
    with pytest.raises(UnknownKeyError) as caught:
        record(engine, [Located(ghost, "events[4]")], places)
    assert f"{tmp_path / 'c.toml'}: events[4] (line 20)" == caught.value.where


# -- staff and groups ------------------------------------------------------------------------

GROUPED = copy.deepcopy(DEMO) | {
    "groups": {
        "credits": {"demonstration": "demo_session"},
        "facilitators": {"count": 2, "source": "crc-faq.txt: two facilitators"},
        "attendance": {"max_missed": 2, "source": "crc-faq.txt: more than two sessions"},
    }
}

GROUP = """
[[trainees]]
id = "noa"
credential = "pre_licensed"
enrolled = 2026-01-05
trainer = "dr-miller"

[[staff]]
id = "dr-miller"
name = "Dr. R. Miller"
credential = "licensed"
certified_trainer = true

[[groups]]
id = "demo-spring"
kind = "demonstration"
facilitators = ["dr-miller", "ana"]
trainees = ["ana", "noa"]

[[groups.participants]]
id = "p1"
parent = "Maya R."
child_born = 2023-09-14

[[groups.sessions]]
on = 2026-02-02

[[groups.sessions]]
on = 2026-02-09
absent = ["noa", "p1"]
"""

NOA_LEVEL1 = [{**row, "trainee": "noa"} for row in LEVEL1]


def grouped(
    tmp_path: Path, text: str = GROUP, events: Iterable[dict[str, Any]] = (*LEVEL1, *NOA_LEVEL1)
) -> Path:
    """The header, Ana, and `text` (Noa, staff, a group), on the demo program with group rules."""
    return write(tmp_path, HEADER + text + rows("events", events), GROUPED)


def test_group_sessions_are_events_of_the_cohort(tmp_path: Path, host: PluginHost) -> None:
    """Each session credits each present trainee, placed on its session, with a GROUP:DATE:TRAINEE id."""
    cohort = load_cohort(grouped(tmp_path), host=host)
    credits = [x for x in cohort.located if x.where.startswith("groups[")]

    assert group_session_events in EVENT_SOURCES
    assert [
        ("groups[0].sessions[0]", "demo-spring:2026-02-02:ana"),
        ("groups[0].sessions[0]", "demo-spring:2026-02-02:noa"),
        ("groups[0].sessions[1]", "demo-spring:2026-02-09:ana"),
        ("groups[0].sessions[1]", "demo-spring:2026-02-09:noa:absent"),
    ] == [(x.where, x.event.id) for x in credits]
    assert all(x.explicit_id for x in credits)
    assert 2 == {r.requirement: r.have for r in cohort.engine.explain("ana").requirements}["demo_session"]


def test_group_reports_judge_each_group_in_place(tmp_path: Path, host: PluginHost) -> None:
    """`Cohort.group_reports()` places problems as groups[i]... and reports each parent."""
    report = load_cohort(grouped(tmp_path, GROUP.replace('["dr-miller", "ana"]', '["dr-miller"]')),
                         host=host).group_reports()
    [group] = report.groups

    assert ("Demo Spring", "demo", "1.0") == (report.cohort, report.program, report.version)
    assert [("facilitators", "groups[0].facilitators")] == [(p.rule, p.where) for p in group.problems]
    assert [("p1", 1, "in_progress")] == [(p.id, p.missed, p.status) for p in group.participants]


def test_cohort_people_are_trainees_and_staff(tmp_path: Path, host: PluginHost) -> None:
    """`CohortFile.people()` indexes trainees (with their trainer) and staff by id."""
    people = load_cohort(grouped(tmp_path), host=host).doc.people()

    assert ["ana", "noa", "dr-miller"] == list(people)
    trainer = people["dr-miller"]
    assert ("dr-miller", True, False) == (people["ana"].trainer, "certified_trainer" in trainer.roles,
                                          people["dr-miller"].trainee)


def test_unknown_absent_id_is_placed_on_its_session_line(tmp_path: Path, host: PluginHost) -> None:
    """An unknown id in a session's `absent` names that session, its line and the nearest id."""
    path = grouped(tmp_path, GROUP.replace('absent = ["noa", "p1"]', 'absent = ["noa", "p2"]'))
    lines = path.read_text(encoding="utf-8").splitlines()
    line = [n for n, text in enumerate(lines, 1) if text == "[[groups.sessions]]"][1]

    message = error_of(path, host, UnknownKeyError)
    assert f"groups[0].sessions[1].absent (line {line}): unknown participant, trainee or" in message
    assert "did you mean 'p1'?" in message


def test_unknown_fields_in_group_tables_suggest_the_field_meant(tmp_path: Path, host: PluginHost) -> None:
    """Misspelt fields of [[staff]], [[groups]], participants and sessions are named with a suggestion."""
    for wrong, right, where in (
        ("certified_trainr", "certified_trainer", "staff[0]"),
        ("facilitator", "facilitators", "groups[0]"),
        ("child_bron", "child_born", "groups[0].participants[0]"),
        ("absnt", "absent", "groups[0].sessions[1]"),
    ):
        message = error_of(grouped(tmp_path, GROUP.replace(f"{right} =", f"{wrong} =")), host)
        assert f"{where}.{wrong} (line " in message
        assert f"unknown field {wrong!r}; did you mean {right!r}?" in message


def test_places_resolve_nested_tables_and_fall_back_to_their_parent(tmp_path: Path) -> None:
    """[[groups.sessions]] belong to the last [[groups]]; inline tables resolve to the table they are in."""
    from facilitrack._cohort.places import Places

    text = """\
[cohort]
name = "x"

[[groups]]
id = "a"

[[groups.sessions]]
on = 2026-02-02

[[groups.sessions]]
on = 2026-02-09

[[groups]]
id = "b"
sessions = [{ on = 2026-02-02 }]

[[ events ]]
trainee = "ana"
"""
    data = tomllib.loads(text)
    places = Places.scan(tmp_path / "c.toml", text, data)

    locs = ("groups[0].sessions[0].on", "groups[0].sessions[1]", "groups[1].sessions[0]",
            "groups[0].participants[0]", "events[0] (week 2)", "cohort.name")
    assert [7, 10, 13, 4, 17, 1] == [places.line(loc) for loc in locs]
    assert places.line("groups[2]") is None


def test_group_dates_are_read_by_the_program_plugin_and_refusals_placed(tmp_path: Path) -> None:
    """Birth dates read through facilitrack_parse_date; a plugin's refusal names the field and line."""

    class DayFirst:
        @hookimpl
        def facilitrack_parse_date(self, text: str, program: Program) -> date | None:
            day, month, year = (int(p) for p in text.split("."))
            try:
                return date(year, month, day)
            except ValueError:
                raise UserError(f"{text!r} is not a day", fix="write d.m.yyyy") from None

    host = load_plugins([DayFirst()], entry_points_group=None)
    cohort = load_cohort(grouped(tmp_path, GROUP.replace("2023-09-14", '"14.9.2023"')), host=host)
    assert D("2023-09-14") == cohort.doc.groups[0].participants[0].child_born

    path = grouped(tmp_path, GROUP.replace("2023-09-14", '"31.2.2023"'))
    line = path.read_text(encoding="utf-8").splitlines().index("[[groups.participants]]") + 1
    message = error_of(path, host)
    assert f"child_born (line {line}): '31.2.2023' is not a day; write d.m.yyyy" in message


def test_a_row_voiding_a_group_credit(tmp_path: Path, host: PluginHost) -> None:
    """A `voided` row may name a session's credit by its id; a credit id reused by a row is refused."""
    void = {"trainee": "noa", "on": D("2026-02-20"), "voided": "demo-spring:2026-02-02:noa", "reason": "left"}
    cohort = load_cohort(grouped(tmp_path, events=[*LEVEL1, *NOA_LEVEL1, void]), host=host)
    assert 0 == {r.requirement: r.have for r in cohort.engine.explain("noa").requirements}["demo_session"]

    clash = {"id": "demo-spring:2026-02-02:ana", "trainee": "ana", "on": D("2026-02-02"),
             "attended": "demo_session"}
    message = error_of(grouped(tmp_path, events=[*LEVEL1, *NOA_LEVEL1, clash]), host)
    assert "event id 'demo-spring:2026-02-02:ana' is used twice: by events[4] (line" in message
    assert ": groups[0].sessions[0] (line " in message


def test_schema_offers_staff_and_groups() -> None:
    """The cohort JSON Schema describes [[staff]] and [[groups]] with their nested tables."""
    schema = cohort_schema()

    assert {"staff", "groups"} <= set(schema["properties"])
    group = schema["$defs"]["Group"]["properties"]
    assert {"participants", "sessions", "facilitators", "trainees"} <= set(group)


# -- strict types ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"3"', "events[0].weekly (line 13): expected a whole number without quotes"
                " (`weekly = 3`), not the text '3'"),
        ("3.0", "events[0].weekly (line 13): expected a whole number without quotes"
                " (`weekly = 3`), not 3.0"),
        ('"12"', "events[0].weekly (line 13): expected a whole number without quotes"
                 " (`weekly = 12`), not the text '12'"),
        ("true", "events[0].weekly (line 13): expected a whole number without quotes"
                 " (`weekly = 3`), not true"),
    ],
)
def test_weekly_must_be_a_toml_integer(tmp_path: Path, host: PluginHost, value: str, message: str) -> None:
    """`weekly` is a TOML integer: a quoted number, a float or a boolean is refused, readably."""
    row = f'trainee = "ana"\non = 2026-01-10\nattended = "demo_session"\nweekly = {value}\n'
    text = HEADER + "\n[[events]]\n" + row
    assert message in error_of(write(tmp_path, text), host)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("certified_trainer = true", 'certified_trainer = "yes"',
         "staff[0].certified_trainer (line 19): expected true or false without quotes"
         " (`certified_trainer = true`), not the text 'yes'"),
        ("certified_trainer = true", "certified_trainer = 1",
         "staff[0].certified_trainer (line 19): expected true or false without quotes"
         " (`certified_trainer = true`), not 1"),
        ('kind = "demonstration"', 'kind = "demonstration"\nended = "false"',
         "groups[0].ended (line 25): expected true or false without quotes (`ended = false`),"
         " not the text 'false'"),
        ("child_born = 2023-09-14", 'child_born = 2023-09-14\ncourt_ordered = "no"',
         "groups[0].participants[0].court_ordered (line 31): expected true or false"),
        ("on = 2026-02-02", 'on = 2026-02-02\nmakeup = 0',
         "groups[0].sessions[0].makeup (line 36): expected true or false without quotes"
         " (`makeup = false`), not 0"),
    ],
)
def test_booleans_must_be_toml_booleans(
    tmp_path: Path, host: PluginHost, old: str, new: str, message: str
) -> None:
    """Group and staff flags are TOML booleans: "yes", "false" or 1 are refused at their field."""
    assert message in error_of(grouped(tmp_path, GROUP.replace(old, new, 1)), host)


def test_held_must_be_true_not_one(tmp_path: Path, host: PluginHost) -> None:
    """`held = 1` is not `held = true`."""
    path = write(tmp_path, HEADER + '\n[[events]]\ntrainee = "ana"\non = 2026-01-10\nheld = 1\n')
    assert "events[0].held (line 13): write `held = true`" in error_of(path, host)


def test_dates_still_read_from_strings(tmp_path: Path, host: PluginHost) -> None:
    """Strict numbers and booleans leave dates alone: an ISO string is still a date."""
    text = HEADER.replace("enrolled = 2026-01-05", 'enrolled = "2026-01-05"')
    assert D("2026-01-05") == load_cohort(write(tmp_path, text), host=host).doc.trainees[0].enrolled


def test_weekly_past_the_last_date_is_an_error(tmp_path: Path, host: PluginHost) -> None:
    """`weekly` running past 9999-12-31 is refused at its row, not an OverflowError."""
    row = 'trainee = "ana"\non = 9999-12-20\nattended = "demo_session"\nweekly = 3\n'
    message = error_of(write(tmp_path, HEADER + "\n[[events]]\n" + row), host)
    assert "events[0] (line 13): `weekly = 3` from 9999-12-20 runs past 9999-12-31, the last date" in message
