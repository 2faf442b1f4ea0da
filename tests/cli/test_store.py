"""The store commands as a user runs them: import, record, status, log, export, verify."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, closing
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from facilitrack import Event, Held
from facilitrack._cohort import load_cohort
from facilitrack._engine.cache import snapshot_tag
from facilitrack._journal import SQLiteJournal, sqlite
from facilitrack.testing import CliResult

from tests.builders import ANA_WORKSHOP_DAYS, DEMO, cohort_table, row, trainee_row, write_cohort
from tests.conftest import InstallPlugins

Cli = Callable[..., CliResult]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

COHORT = (
    cohort_table(track="infant")
    + trainee_row("ana", "licensed", name="Ana", trainer="dr-lee")
    + trainee_row("noa", "pre_licensed", trainer="dr-lee")
    + ANA_WORKSHOP_DAYS
    + row("events", trainee="ana", attended="demo_session", on=date(2026, 2, 1), weekly=3)
    + row("events", trainee="noa", attended="workshop_day", on=date(2026, 1, 10))
)


@pytest.fixture
def cohort(tmp_path: Path) -> Path:
    """A cohort file whose program is a definition file beside it (not an installed plugin)."""
    return write_cohort(tmp_path, COHORT)


@pytest.fixture
def store(cli: Cli, cohort: Path) -> Path:
    """A store with the cohort imported."""
    assert 0 == cli("import", "cohort.toml", "--store", "s.db").code
    return cohort.parent / "s.db"


def events_in(path: Path) -> list[Event]:
    with SQLiteJournal(path, readonly=True) as journal:
        return list(journal.events())


def sql(path: Path, statement: str, *params: object) -> None:
    """Change the file behind facilitrack's back."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(statement, params)
        conn.commit()


def status_json(cli: Cli, *args: str, store: str = "s.db") -> dict[str, Any]:
    result = cli("status", "--store", store, "--format", "json", *args)
    assert 0 == result.code, result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


# -- import ------------------------------------------------------------------------------------


def test_import_creates_an_owner_only_store_and_counts_the_new_events(cli: Cli, cohort: Path) -> None:
    """Import appends every event of the file into a new store readable by its owner only."""
    result = cli("import", "cohort.toml", "--store", "s.db")
    assert 0 == result.code, result.err
    assert "s.db: 8 new events from cohort.toml (0 already stored); the store holds 8\n" == result.out
    assert 0o600 == stat.S_IMODE((cohort.parent / "s.db").stat().st_mode)
    assert len(load_cohort(cohort).events) == len(events_in(cohort.parent / "s.db"))


def test_importing_the_same_file_again_adds_nothing(cli: Cli, store: Path) -> None:
    """A second import of an unchanged file stores nothing and says so."""
    before = events_in(store)
    result = cli("import", "cohort.toml", "--store", "s.db")
    assert 0 == result.code
    assert "s.db: 0 new events from cohort.toml (8 already stored); the store holds 8\n" == result.out
    assert before == events_in(store)


def test_importing_a_grown_file_adds_only_the_new_rows(cli: Cli, store: Path, cohort: Path) -> None:
    """Rows added to the file since the last import are the only events appended."""
    cohort.write_text(COHORT + '\n[[events]]\ntrainee = "noa"\nattended = "workshop_day"\non = 2026-01-11\n',
                      encoding="utf-8")
    result = cli("import", "cohort.toml", "--store", "s.db")
    assert "s.db: 1 new event from cohort.toml (8 already stored); the store holds 9\n" == result.out


def test_store_status_equals_the_cohort_runners_answer(cli: Cli, store: Path, cohort: Path) -> None:
    """`status` on the imported store reports what `run` reports for the file, trainee by trainee."""
    expected = load_cohort(cohort).report()
    got = status_json(cli)["trainees"]
    keys = ("id", "stage", "certified", "certificates", "missing", "problems")
    assert [{k: t.model_dump(mode="json")[k] for k in keys} for t in expected.trainees] == [
        {k: t[k] for k in keys} for t in got
    ]


@pytest.mark.parametrize("example", ["mpg", "rpp", "duet", "strong_roots"])
def test_status_from_a_store_prints_what_run_prints_for_the_imported_file(cli: Cli, example: str) -> None:
    """"As `run`, from the store": the same table (cohort name, track, names, row order, the rows
    problems come from) and the same JSON but for the file it reads."""
    cohort = str(EXAMPLES / example / "cohort.toml")
    assert 0 == cli("import", cohort, "--store", "s.db").code

    assert cli("run", cohort).out == cli("status", "--store", "s.db").out
    ran = json.loads(cli("run", cohort, "--format", "json").out)
    stored = status_json(cli)
    assert ("s.db", cohort) == (stored["cohort"].pop("file"), ran["cohort"].pop("file"))
    assert ran == stored


def test_status_known_at_shows_the_store_as_it_stood_then(cohort: Path, cli: Cli) -> None:
    """--known-at: only events recorded by then count, whatever day they happened (UTC unless an
    offset is given); a person not recorded yet is not listed."""
    from facilitrack import Attended, Engine, Enrolled, ProgramRegistry, parse_program

    times = iter([datetime(2026, 3, 1, 9, tzinfo=UTC), datetime(2026, 3, 2, 9, tzinfo=UTC)])
    registry = ProgramRegistry()
    registry.add(parse_program(DEMO, origin="tests"), source="tests")
    with SQLiteJournal(cohort.parent / "s.db", create=True, clock=lambda: next(times)) as journal:
        journal.save_programs([registry.get("demo")])
        engine = Engine(registry, journal)
        engine.record(Enrolled(trainee="ana", program="demo", on=date(2026, 1, 5), credential="licensed",
                               trainer="dr-lee"),
                      Attended(trainee="ana", activity="workshop_day", on=date(2026, 1, 10)))
        engine.record(Attended(trainee="ana", activity="workshop_day", on=date(2026, 1, 11)),
                      Enrolled(trainee="noa", program="demo", on=date(2026, 1, 5), credential="licensed",
                               trainer="dr-lee"))

    def stages(*args: str) -> list[tuple[str, str]]:
        return [(t["id"], t["stage"]) for t in status_json(cli, *args)["trainees"]]

    assert [("ana", "level1")] == stages("--known-at", "2026-03-01T12:00")
    assert [("ana", "level1")] == stages("--known-at", "2026-03-02T10:30+02:00")  # 08:30 UTC
    assert [("ana", "demonstration"), ("noa", "level1")] == stages("--known-at", "2026-03-02T09:00Z")
    assert [("ana", "level1")] == stages("--known-at", "2026-03-02")  # a date: its start
    assert [] == stages("--known-at", "2026-02-28")
    header = cli("status", "--store", "s.db", "--known-at", "2026-03-01T12:00").out.splitlines()[0]
    assert "s.db · demo 1.0 · as known at 2026-03-01T12:00Z" == header


def test_forget_erases_a_name_and_keeps_the_events(cli: Cli, store: Path) -> None:
    """`forget` empties the person's row of the people directory; their events and answers stay."""
    before = status_json(cli)["trainees"]
    assert "Ana" == before[0]["name"]

    result = cli("forget", "--store", "s.db", "ana")

    assert (0, "s.db: erased the name and address of ana\n") == (result.code, result.out)
    after = status_json(cli)["trainees"]
    assert [None, before[0]["stage"]] == [after[0]["name"], after[0]["stage"]]
    assert "s.db: no name or address of ana to erase\n" == cli("forget", "--store", "s.db", "ana").out
    with closing(sqlite3.connect(store)) as conn:
        assert [] == conn.execute("SELECT * FROM people WHERE id = 'ana'").fetchall()


def test_a_store_keeps_the_program_definition_a_file_gave(cli: Cli, store: Path, cohort: Path) -> None:
    """With the program file gone the store still knows the program its enrolments pinned."""
    (cohort.parent / "demo.toml").unlink()
    result = cli("record", "--store", "s.db", "attended", "--trainee", "noa", "--on", "2026-01-11",
                 "--activity", "workshop_day")
    assert 0 == result.code, result.err
    assert "demonstration" == status_json(cli)["trainees"][1]["stage"]


def test_a_store_program_that_differs_from_the_installed_one_is_refused(
    cli: Cli, tmp_path: Path
) -> None:
    """A stored definition under an installed key@version with other content is a clear error."""
    from facilitrack import load_plugins

    mpg = load_plugins().programs.get("mpg")
    with SQLiteJournal(tmp_path / "s.db") as journal:  # recorded under another mpg 1.0
        journal.save_programs([mpg.model_copy(update={"name": "Changed"})])
    result = cli("status", "--store", "s.db")
    assert 2 == result.code
    says = f"program {mpg.ref} kept in the store differs from the definition of the same version"
    assert says in result.err
    assert "that plugin mpg provides" in result.err


# -- record ------------------------------------------------------------------------------------


def test_record_appends_each_kind_and_log_shows_who_recorded_what(cli: Cli, tmp_path: Path) -> None:
    """Every KIND records from the shell; the log lists each with its date, kind, what and who."""
    (tmp_path / "demo.toml").write_text(tomli_w.dumps(DEMO), encoding="utf-8")
    steps = [
        ("enrol", "--program", "demo", "--program-file", "demo.toml", "--credential", "licensed",
         "--trainer", "dr-lee", "--on", "2026-01-05"),
        ("attended", "--activity", "workshop_day", "--on", "2026-01-10"),
        ("attended", "--activity", "workshop_day", "--on", "2026-01-11"),
        ("artifact", "--artifact", "process_recording", "--status", "presented", "--ref", "pr-1",
         "--on", "2026-01-20"),
        ("waive", "--requirement", "process_recording", "--stage", "demonstration", "--reason",
         "prior training", "--approver", "dr-lee", "--on", "2026-01-21"),
        ("hold", "--reason", "leave", "--on", "2026-02-01"),
        ("resume", "--on", "2026-03-01"),
        ("attended", "--activity", "demo_session", "--on", "2026-03-02", "--id", "mistake"),
        ("void", "--target", "mistake", "--reason", "wrong trainee", "--on", "2026-03-03"),
        ("withdraw", "--reason", "moved away", "--on", "2026-04-01"),
    ]
    for kind, *flags in steps:
        result = cli("record", "--store", "s.db", "--recorded-by", "kim", kind, "--trainee", "ana", *flags)
        assert 0 == result.code, (kind, result.err)
        assert result.out.startswith("s.db: recorded ")
    log = cli("log", "--store", "s.db", "--trainee", "ana").out.splitlines()
    assert ["SEQ", "ID", "RECORDED", "ON", "TRAINEE", "KIND", "WHO", "WHAT"] == log[0].split()
    assert 11 == len(log)
    assert "demo@1.0 licensed trainer dr-lee" in log[1]
    artifact = events_in(tmp_path / "s.db")[3]
    columns = log[4].split()
    assert [artifact.id, "2026-01-20", "ana", "artifact", "kim"] == [columns[i] for i in (1, 3, 4, 5, 6)]
    assert log[4].endswith("process_recording (pr-1) presented")
    assert log[8].split()[:2] == ["8", "mistake"]
    assert log[9].endswith("mistake: wrong trainee")
    assert "withdrawn" == status_json(cli)["trainees"][0]["stage"]


def test_store_options_may_come_before_or_after_the_kind(cli: Cli, store: Path) -> None:
    """`record --store F KIND` and `record KIND --store F` both work."""
    a = cli("record", "attended", "--store", "s.db", "--recorded-by", "kim", "--trainee", "noa",
            "--on", "2026-01-11", "--activity", "workshop_day")
    assert 0 == a.code, a.err
    assert "kim" == events_in(store)[-1].recorded_by


def test_recording_the_same_fact_twice_is_a_no_op(cli: Cli, store: Path) -> None:
    """The same session recorded again stores nothing and tells how to record a second one."""
    args = ("record", "--store", "s.db", "attended", "--trainee", "noa", "--on", "2026-01-10",
            "--activity", "workshop_day")
    result = cli(*args)
    assert 0 == result.code
    assert "is already recorded; nothing new (give --id to record a second, identical one)" in result.out
    assert 8 == len(events_in(store))


def test_an_invalid_event_is_refused_and_nothing_is_stored(cli: Cli, store: Path) -> None:
    """An unknown activity exits 2 naming it and the valid ones; the store is unchanged."""
    result = cli("record", "--store", "s.db", "attended", "--trainee", "ana", "--on", "2026-03-01",
                 "--activity", "workshop_dya")
    assert 2 == result.code
    assert "demo has no activity 'workshop_dya'" in result.err
    assert "did you mean 'workshop_day'?" in result.err
    assert "Traceback" not in result.err
    assert 8 == len(events_in(store))


def test_a_reused_id_with_other_content_is_refused_naming_both(cli: Cli, store: Path) -> None:
    """Recording another fact under a stored id exits 2 and shows both contents."""
    first = ("record", "--store", "s.db", "attended", "--trainee", "ana", "--on", "2026-03-01",
             "--activity", "demo_session", "--id", "s-1")
    assert 0 == cli(*first).code
    result = cli("record", "--store", "s.db", "attended", "--trainee", "ana", "--on", "2026-03-08",
                 "--activity", "demo_session", "--id", "s-1")
    assert 2 == result.code
    assert "event id 's-1' is already recorded with other content" in result.err
    assert "2026-03-01" in result.err
    assert "2026-03-08" in result.err
    assert 9 == len(events_in(store))


@pytest.mark.parametrize(("theirs_for", "attempts_made"), [("noa", [8, 9]), ("ana", [8])])
def test_record_retries_only_when_another_writer_records_for_the_same_trainee_first(
    cli: Cli, store: Path, monkeypatch: pytest.MonkeyPatch, theirs_for: str, attempts_made: list[int]
) -> None:
    """A write for the same trainee in between means a retry; one for another trainee does not."""
    attempts: list[int] = []
    original = SQLiteJournal.transaction

    def racing(self: SQLiteJournal) -> AbstractContextManager[None]:
        attempts.append(self.version)
        if len(attempts) == 1:  # another process appends after we read, before we lock
            theirs = Held(trainee=theirs_for, on=date(2026, 3, 1), id="theirs")
            with SQLiteJournal(self.path) as other:
                other.append([theirs])
        return original(self)

    monkeypatch.setattr(SQLiteJournal, "transaction", racing)
    result = cli("record", "--store", "s.db", "attended", "--trainee", "noa", "--on", "2026-01-11",
                 "--activity", "workshop_day")
    assert 0 == result.code, result.err
    assert attempts_made == attempts
    theirs, mine = events_in(store)[-2:]
    assert "theirs" == theirs.id
    assert ("noa", "2026-01-11") == (mine.trainee, mine.on.isoformat())
    assert f"s.db: recorded attended {mine.id} for noa (event 10)\n" == result.out


def test_record_says_at_once_when_an_event_is_not_credited(cli: Cli, store: Path) -> None:
    """A second enrolment, or work for a stage not reached: recorded, "but not credited", exit 1."""
    again = cli("record", "--store", "s.db", "enrol", "--trainee", "ana", "--on", "2026-02-01",
                "--program", "demo", "--credential", "licensed")
    early = cli("record", "--store", "s.db", "artifact", "--trainee", "noa", "--on", "2026-02-02",
                "--artifact", "videotape", "--status", "approved")
    enrol, artifact = events_in(store)[-2:]

    assert (1, "") == (again.code, again.err)
    assert (
        f"s.db: recorded enrolled {enrol.id} for ana (event 9), but not credited: already enrolled"
        " in demo since 2026-01-05; record a withdrawal before enrolling again\n"
    ) == again.out
    assert 1 == early.code
    assert (
        f"s.db: recorded artifact {artifact.id} for noa (event 10), but not credited: videotape"
        " belongs to stage trainee_led, which noa had not reached on 2026-02-02 (still in level1)\n"
    ) == early.out


def test_record_of_a_credited_event_exits_0(cli: Cli, store: Path) -> None:
    """A session the trainee's stage asks for: "recorded", nothing more, exit 0."""
    result = cli("record", "--store", "s.db", "attended", "--trainee", "noa", "--on", "2026-01-11",
                 "--activity", "workshop_day")
    assert (0, "") == (result.code, result.err)
    assert "but not credited" not in result.out


@pytest.mark.parametrize(("args", "what"), [
    (["--trainee", "nobody", "--activity", "workshop_day"], "unknown trainee 'nobody'"),
    (["--trainee", "noa", "--activity", "workshp_day"], "has no activity 'workshp_day'"),
])
def test_a_refused_record_names_the_command_typed(cli: Cli, store: Path, args: list[str], what: str) -> None:
    """A refusal's place is the command as typed, not an event id the user never saw."""
    before = store.read_bytes()
    result = cli("record", "--store", "s.db", "attended", "--on", "2026-01-11", *args)
    assert 2 == result.code
    trainee = args[1]
    assert result.err.startswith(f"error: record attended --trainee {trainee} --on 2026-01-11: ")
    assert what in result.err
    assert "ev-" not in result.err
    assert before == store.read_bytes()


def test_record_help_states_the_exit_codes(cli: Cli) -> None:
    """`record --help` says what exit 1 means: recorded, but not credited."""
    out = cli("record", "--help").out
    assert "1 when it was recorded but is not credited" in " ".join(out.split())


def test_record_needs_a_store(cli: Cli) -> None:
    """Without --store the command says so, with the fix."""
    result = cli("record", "hold", "--trainee", "ana", "--on", "2026-01-01")
    assert 2 == result.code
    assert "no store named" in result.err
    assert "--store FILE.db" in result.err
    assert "FACILITRACK_STORE" in result.err


def test_only_an_enrolment_starts_a_store(cli: Cli, tmp_path: Path) -> None:
    """Any other event on a missing store is an error that creates no file (a mistyped path)."""
    result = cli("record", "--store", "typo.db", "hold", "--trainee", "ana", "--on", "2026-01-01")
    assert 2 == result.code
    assert result.err.startswith("error: typo.db: no store here")
    assert not (tmp_path / "typo.db").exists()
    enrol = cli("record", "--store", "new.db", "enrol", "--trainee", "ana", "--on", "2026-01-05",
                "--program", "mpg", "--credential", "licensed")
    assert 0 == enrol.code, enrol.err
    assert "mpg" == status_json(cli, store="new.db")["trainees"][0]["program"]


# -- status, log, export -----------------------------------------------------------------------


def test_status_as_of_a_past_date(cli: Cli, store: Path) -> None:
    """--as-of answers as the store stood that day."""
    assert ["level1", "level1"] == [t["stage"] for t in status_json(cli, "--as-of", "2026-01-10")["trainees"]]
    assert ["demonstration", "level1"] == [t["stage"] for t in status_json(cli)["trainees"]]


def test_status_writes_each_format_to_an_owner_only_file(cli: Cli, store: Path, tmp_path: Path) -> None:
    """--out writes atomically and privately; the format follows the suffix unless given."""
    assert 0 == cli("status", "--store", "s.db", "--out", "status.csv").code
    rows = list(csv.DictReader(io.StringIO((tmp_path / "status.csv").read_text(encoding="utf-8"))))
    assert ["ana", "noa"] == [r["id"] for r in rows]
    assert 0o600 == stat.S_IMODE((tmp_path / "status.csv").stat().st_mode)
    assert 0 == cli("status", "--store", "s.db", "--out", "status.toml").code
    assert 2 == tomllib.loads((tmp_path / "status.toml").read_text(encoding="utf-8"))["cohort"]["trainees"]
    table = cli("status", "--store", "s.db").out
    assert "2 trainees, 0 certified" in table


def test_status_refuses_to_write_over_the_store(cli: Cli, store: Path) -> None:
    """--out naming the store file is refused before anything is written."""
    before = store.read_bytes()
    result = cli("status", "--store", "s.db", "--out", "s.db")
    assert 2 == result.code
    assert "refusing to write over the store" in result.err
    assert before == store.read_bytes()


def test_export_round_trips_every_event_in_each_format(cli: Cli, store: Path, tmp_path: Path) -> None:
    """JSON, JSON Lines and TOML exports hold every event with its position, the programs, the
    cohort imported and the people directory."""
    stored = [e.model_dump(mode="json") for e in events_in(store)]
    doc = json.loads(cli("export", "--store", "s.db", "--format", "json").out)
    assert ["demo@1.0"] == list(doc["programs"])
    assert stored == [{k: v for k, v in e.items() if k not in ("seq", "recorded_at")} for e in doc["events"]]
    jsonl = cli("export", "--store", "s.db", "--format", "jsonl").out
    lines = [json.loads(line) for line in jsonl.splitlines()]
    assert [{"kind": "program", "ref": "demo@1.0", "definition": doc["programs"]["demo@1.0"]}] == lines[:1]
    assert [{"kind": "cohort", "name": "Demo Spring", "track": "infant", "issuer": None}] == lines[1:2]
    assert [{"kind": "contact", "id": "ana", "name": "Ana"}, {"kind": "contact", "id": "noa"}] == lines[2:4]
    assert list(range(1, 9)) == [line["seq"] for line in lines[4:]]
    assert [{"id": "ana", "name": "Ana"}, {"id": "noa"}] == doc["people"]
    assert 0 == cli("export", "--store", "s.db", "--format", "toml", "--out", "all.toml").code
    toml = tomllib.loads((tmp_path / "all.toml").read_text(encoding="utf-8"))
    assert [e["id"] for e in stored] == [e["id"] for e in toml["events"]]
    assert "demo" == toml["programs"][0]["key"]


@pytest.mark.parametrize("command", ["import", "record", "status", "log", "export", "verify", "forget"])
def test_every_store_command_shows_an_example(cli: Cli, command: str) -> None:
    """Each command's --help ends with an example invocation."""
    result = cli(command, "--help")
    assert 0 == result.code
    assert f"example:\n  facilitrack {command} " in result.out


def test_every_record_kind_shows_an_example(cli: Cli) -> None:
    """Each KIND of `record` has its own --help example."""
    for kind in ("enrol", "attended", "artifact", "waive", "hold", "resume", "withdraw", "void"):
        shown = cli("record", kind, "--help").out
        assert f"example:\n  facilitrack record --store cohort.db {kind} " in shown


# -- verify ------------------------------------------------------------------------------------


def test_verify_passes_a_sound_store(cli: Cli, store: Path) -> None:
    """A store as facilitrack wrote it verifies: chain intact, cache equal to a replay."""
    result = cli("verify", "--store", "s.db")
    assert 0 == result.code, result.out
    assert "s.db: ok — 8 events, hash chain intact, 2 people's cached state equals a replay\n" == result.out


def test_verify_names_an_edited_row(cli: Cli, store: Path) -> None:
    """An edited event exits 1 and is named by position and id."""
    event = events_in(store)[3]
    sql(store, "UPDATE events SET body = replace(body, 'workshop_day', 'group_session') WHERE seq = 4")
    result = cli("verify", "--store", "s.db")
    assert 1 == result.code
    assert f"tampered: seq 4 (id {event.id}): edited" in result.out


def test_verify_names_a_deleted_row(cli: Cli, store: Path) -> None:
    """A deleted event exits 1 naming its position and the events around it."""
    sql(store, "DELETE FROM events WHERE seq = 5")
    result = cli("verify", "--store", "s.db")
    assert 1 == result.code
    assert "seq 5 deleted" in result.out


def test_verify_names_a_cached_state_that_differs_from_a_replay(cli: Cli, cohort: Path) -> None:
    """A cached state that no longer matches a replay of the journal exits 1 naming the trainee."""
    store = _snapshotted(cli, cohort)
    with SQLiteJournal(store) as journal:  # what a fold with a bug would cache
        seq, cached = journal.load_snapshot("noa", snapshot_tag()) or (0, {})
        assert "demonstration" == cached["enrolments"][0]["state"]
        wrong = {**cached, "enrolments": [{**cached["enrolments"][0], "state": "certified"}]}
        journal.save_snapshot([("noa", wrong)], version=seq, tag=snapshot_tag())
    result = cli("verify", "--store", "s.db")
    assert 1 == result.code
    says = "cache: noa: the cached state differs from a replay of the journal in enrolments\n"
    assert says == result.out


# -- bad files: clear errors, exit 2, nothing lost ----------------------------------------------


def test_a_corrupt_store_is_a_clear_error_and_is_left_as_it_was(cli: Cli, store: Path) -> None:
    """A damaged file: every command exits 2 without a traceback and writes nothing."""
    data = bytearray(store.read_bytes())
    data[:16] = b"this is no db!!\x00"
    store.write_bytes(bytes(data))
    hold = ("record", "hold", "--trainee", "ana", "--on", "2026-05-01")
    for args in (("status",), ("log",), ("verify",), hold):
        command, *rest = args
        result = cli(command, "--store", "s.db", *rest)
        assert 2 == result.code, args
        assert result.err.startswith("error: s.db: cannot open the store: the file is corrupt")
        assert "fix: " in result.err
        assert "Traceback" not in result.err
    assert bytes(data) == store.read_bytes()


def test_a_store_of_a_newer_schema_is_a_clear_error_and_nothing_is_lost(cli: Cli, store: Path) -> None:
    """A store written by a newer facilitrack is refused naming both versions; its events stay."""
    sql(store, "UPDATE schema_version SET version = 7")
    before = store.read_bytes()
    for command in ("status", "record"):
        extra = ("hold", "--trainee", "ana", "--on", "2026-05-01") if command == "record" else ()
        result = cli(command, "--store", "s.db", *extra)
        assert 2 == result.code
        known = sqlite.SCHEMA_VERSION
        assert f"schema version 7, newer than this facilitrack knows (up to {known})" in result.err
        assert "upgrade facilitrack" in result.err
    assert before == store.read_bytes()
    with closing(sqlite3.connect(store)) as conn:
        assert (8,) == conn.execute("SELECT count(*) FROM events").fetchone()


@pytest.fixture
def as_other_user() -> Iterator[tuple[Path, Callable[..., subprocess.CompletedProcess[str]]]]:
    """A directory and a runner of the real `facilitrack` command for whom permissions apply.

    Under root (which ignores permissions) the command runs as `nobody`, owning the directory.
    """
    prefix: list[str] = []
    tmp = Path(tempfile.mkdtemp(prefix="facilitrack-ro-"))
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            shutil.rmtree(tmp)
            pytest.skip("running as root without setpriv: no user for whom permissions apply")
        prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
        os.chown(tmp, 65534, 65534)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*prefix, sys.executable, "-c", "from facilitrack._cli import run; run()", *args],
            cwd=tmp, capture_output=True, text=True, timeout=60, check=False,
            env={**os.environ, "HOME": str(tmp)},
        )

    try:
        try:
            probe = run("--version")
        except OSError as exc:
            pytest.skip(f"cannot run facilitrack as an unprivileged user here: {exc}")
        if probe.returncode != 0:
            pytest.skip(f"cannot run facilitrack as an unprivileged user here: {probe.stderr.strip()}")
        yield tmp, run
    finally:
        tmp.chmod(0o700)
        shutil.rmtree(tmp)


def test_a_read_only_directory_is_a_clear_error_and_the_store_still_reads(
    as_other_user: tuple[Path, Callable[..., subprocess.CompletedProcess[str]]],
) -> None:
    """Recording into a store whose directory is read-only exits 2 with the fix; status still reads."""
    where, run = as_other_user
    made = run("record", "--store", "s.db", "enrol", "--trainee", "ana", "--on", "2026-01-05",
               "--program", "mpg", "--credential", "licensed")
    assert 0 == made.returncode, made.stderr
    where.chmod(0o555)
    result = run("record", "--store", "s.db", "hold", "--trainee", "ana", "--on", "2026-02-01")
    assert 2 == result.returncode
    assert "not writable" in result.stderr
    assert "fix: make the store and its directory writable" in result.stderr
    assert "Traceback" not in result.stderr
    status = run("status", "--store", "s.db", "--format", "json")
    assert 0 == status.returncode, status.stderr
    assert ["ana"] == [t["id"] for t in json.loads(status.stdout)["trainees"]]


# -- plugins -----------------------------------------------------------------------------------

CRASHING_VALIDATOR = """
from facilitrack import hookimpl

@hookimpl
def facilitrack_validate_event(event, program):
    return 1 / 0
"""


def test_a_crashing_validation_plugin_is_named_and_nothing_is_recorded(
    cli: Cli, store: Path, install_plugins: InstallPlugins
) -> None:
    """A validation hook that raises: exit 2 naming the plugin, no traceback, the store unchanged."""
    before = events_in(store)
    install_plugins({"vetoes": CRASHING_VALIDATOR})

    result = cli("record", "--store", "s.db", "attended", "--trainee", "ana", "--on", "2026-03-02",
                 "--activity", "demo_session")

    assert 2 == result.code
    assert result.err.startswith("error: plugin 'vetoes': facilitrack_validate_event failed on event")
    assert "ZeroDivisionError: division by zero" in result.err
    assert "Traceback" not in result.err
    assert before == events_in(store)


# -- a store SQLite cannot open ----------------------------------------------------------------

_STORE_COMMANDS = {
    "import": ["import", "cohort.toml"],
    "record": ["record", "attended", "--trainee", "ana", "--on", "2026-03-01", "--activity", "demo_session"],
    "status": ["status"],
    "log": ["log"],
    "export": ["export"],
    "verify": ["verify"],
}


@pytest.mark.parametrize("command", _STORE_COMMANDS)
def test_a_store_sqlite_cannot_open_is_one_error(
    cli: Cli, store: Path, tmp_path: Path, command: str
) -> None:
    """"unable to open database file" (a path too long for SQLite): exit 2, the store named."""
    folder = tmp_path
    while len(str(folder)) < 600:
        folder /= "f" * 60
    folder.mkdir(parents=True)
    shutil.copy(store, folder / "s.db")
    args = _STORE_COMMANDS[command]
    result = cli(*args[:1], "--store", str(folder / "s.db"), *args[1:])

    assert 2 == result.code
    assert f"error: {folder / 's.db'}: cannot open the store: the path is too long" in result.err
    assert "Traceback" not in result.err


# -- damage is reported, never a traceback -------------------------------------------------------


def _snapshotted(cli: Cli, cohort: Path) -> Path:
    """A store where noa has a cached state (enough events for a snapshot)."""
    rows = "".join(
        f'\n[[events]]\ntrainee = "noa"\nattended = "group_session"\non = 2026-03-{d:02d}\n'
        for d in range(1, 29)
    )
    cohort.write_text(COHORT + rows + '\n[[events]]\ntrainee = "noa"\nattended = "workshop_day"\n'
                      'dates = [2026-04-01, 2026-04-02, 2026-04-03, 2026-04-04]\n', encoding="utf-8")
    assert 0 == cli("import", "cohort.toml", "--store", "s.db").code
    return cohort.parent / "s.db"


@pytest.mark.parametrize("body", ["{not json", "[1, 2, 3]", '{"state": "certified"}'])
def test_a_damaged_snapshot_is_reported_by_verify_and_ignored_by_status(
    cli: Cli, cohort: Path, body: str
) -> None:
    """A snapshot that is not JSON, not an object, or edited: verify names it, status replays."""
    store = _snapshotted(cli, cohort)
    before = status_json(cli)
    sql(store, "UPDATE snapshots SET body = ? WHERE trainee = 'noa'", body)
    result = cli("verify", "--store", "s.db")
    assert 1 == result.code
    assert result.out.startswith("cache: snapshot of noa (seq ")
    assert "it is ignored and the state is rebuilt from the events" in result.out
    assert "Traceback" not in result.err
    assert before == status_json(cli)


def test_an_event_body_that_is_not_json_is_a_clear_error_naming_the_row(cli: Cli, store: Path) -> None:
    """status on a store with an undecodable event exits 2 naming seq and id, and how to check."""
    event = events_in(store)[2]
    sql(store, "UPDATE events SET body = 'garbage' WHERE seq = 3")
    for command in ("status", "log"):
        result = cli(command, "--store", "s.db")
        assert 2 == result.code, command
        assert f"event seq 3 (id {event.id}) cannot be read" in result.err
        assert "fix: run `facilitrack verify --store s.db`" in result.err
        assert "Traceback" not in result.err
    verify = cli("verify", "--store", "s.db")
    assert 1 == verify.code
    assert f"tampered: seq 3 (id {event.id}): edited" in verify.out


# -- what a user trial found: status says what JSON says -----------------------------------------


def test_a_revoked_certificate_is_not_listed_as_held(cli: Cli, store: Path) -> None:
    """Voiding the event that completed a stage revokes its certificate: status's table and CSV
    say so, with the day of the void, as its JSON does."""
    [cert] = status_json(cli)["trainees"][0]["certificates"]
    voided = cli("record", "--store", "s.db", "void", "--trainee", "ana", "--on", "2026-02-20",
                 "--target", cert["event"], "--reason", "recorded against the wrong trainee")
    assert voided.code in (0, 1), voided.err
    [after] = status_json(cli)["trainees"][0]["certificates"]
    assert ("revoked", "2026-02-20") == (after["status"], after["revoked_on"])
    table = cli("status", "--store", "s.db").out
    assert re.search(r"^ana .* level1 .*\n.* revoked 2026-02-20$", table, re.M), table
    rows = list(csv.DictReader(io.StringIO(cli("status", "--store", "s.db", "--format", "csv").out)))
    assert "level1 2026-01-11 (revoked 2026-02-20)" == rows[0]["certificates"]


def test_a_forgotten_person_is_named_by_their_id_in_every_report(cli: Cli, store: Path) -> None:
    """After `forget`, the table, the CSV and the HTML report name the person by their id."""
    assert 0 == cli("forget", "--store", "s.db", "ana").code
    table = cli("status", "--store", "s.db").out.splitlines()
    assert ["ana", "ana"] == next(line for line in table if line.startswith("ana")).split()[:2]
    rows = list(csv.DictReader(io.StringIO(cli("status", "--store", "s.db", "--format", "csv").out)))
    assert "ana" == rows[0]["name"]
    page = cli("report", "--store", "s.db").out
    assert '<h3 class="name" dir="auto">ana</h3>' in page


def test_status_known_before_any_enrolment_names_no_program(cli: Cli, store: Path) -> None:
    """As known before anything was recorded, the header leaves out the program it cannot name."""
    header = cli("status", "--store", "s.db", "--known-at", "2000-01-01T00:00Z").out.splitlines()[0]
    assert "Demo Spring · infant track · as known at 2000-01-01T00:00Z" == header


FAILING_OBSERVER = '''
from facilitrack import hookimpl

@hookimpl
def facilitrack_certificate_issued(trainee, stage):
    raise ConnectionError("mail server down")
'''


def test_an_observer_failing_after_a_record_leaves_the_events_recorded(
    cli: Cli, store: Path, install_plugins: InstallPlugins
) -> None:
    """The message says the events were recorded, and they were: observers run after the commit."""
    install_plugins({"mailer": FAILING_OBSERVER})
    result = cli("record", "--store", "s.db", "attended", "--trainee", "noa", "--on", "2026-01-11",
                 "--activity", "workshop_day", "--id", "noa-day-2")
    assert 2 == result.code
    assert "mailer" in result.err
    assert "after the events were recorded" in result.err
    log = cli("log", "--store", "s.db", "--trainee", "noa", "--format", "json").out
    assert "noa-day-2" in log
    assert 0 == cli("verify", "--store", "s.db").code
