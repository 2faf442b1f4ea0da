"""Stores by URL, copying and exchanging stores, and re-importing an edited cohort file, as users run them."""

from __future__ import annotations

import io
import json
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from facilitrack.testing import CliResult

from tests.builders import write_cohort
from tests.cli.test_store import COHORT

Cli = Callable[..., CliResult]


@pytest.fixture
def cohort(tmp_path: Path) -> Path:
    return write_cohort(tmp_path, COHORT)


def ok(result: CliResult) -> str:
    assert 0 == result.code, result.err
    return result.out


def statuses(cli: Cli, store: str) -> list[dict[str, Any]]:
    """Every trainee's status in `store`, without the report's header (which names the store)."""
    report = json.loads(ok(cli("status", "--store", store, "--format", "json")))
    data: list[dict[str, Any]] = report["trainees"]
    return data


# -- naming a store ----------------------------------------------------------------------------


def test_facilitrack_store_names_the_default_store(
    cli: Cli, cohort: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --store, $FACILITRACK_STORE names the store; --store still wins."""
    monkeypatch.setenv("FACILITRACK_STORE", "env.db")
    assert "env.db: 8 new events" in ok(cli("import", "cohort.toml"))
    assert "2 trainees" in ok(cli("status"))
    assert "given.db: 8 new events" in ok(cli("import", "cohort.toml", "--store", "given.db"))


def test_a_postgresql_store_without_the_driver_says_how_to_install_it(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without psycopg, a postgresql:// store is an error naming the extra to install."""
    monkeypatch.setitem(sys.modules, "psycopg", None)
    monkeypatch.setitem(sys.modules, "facilitrack._journal.postgres", None)
    result = cli("status", "--store", "postgresql://kim@db/training")
    assert 2 == result.code
    assert "PostgreSQL stores need the driver, which is not installed" in result.err
    assert "fix: pip install 'facilitrack[postgres]'" in result.err


def test_an_unknown_kind_of_store_url_is_a_clear_error(cli: Cli) -> None:
    """A URL of a database facilitrack does not know is refused, naming the kinds it does."""
    result = cli("status", "--store", "mysql://kim:pw@db/spring")
    assert 2 == result.code
    assert "error: mysql://kim:***@db/spring: unknown kind of store 'mysql://'" in result.err
    assert "postgresql://" in result.err


def test_sqlite_commands_and_the_library_never_import_the_postgres_driver(
    cli: Cli, cohort: Path, tmp_path: Path
) -> None:
    """`import facilitrack` and every SQLite store command run without loading psycopg."""
    ok(cli("import", "cohort.toml", "--store", "s.db"))
    probe = (
        "import sys, facilitrack, facilitrack.store, facilitrack.testing\n"
        "from facilitrack._cli import main\n"
        "for args in (['status', '--store', 's.db'], ['verify', '--store', 's.db'],"
        " ['log', '--store', 's.db'], ['export', '--store', 's.db'],"
        " ['import', 'cohort.toml', '--store', 's.db']):\n"
        "    assert main(args) == 0, args\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('psycopg', 'psycopg_binary'))\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, check=False)
    assert 0 == done.returncode, done.stderr


# -- the same commands on PostgreSQL -------------------------------------------------------------


def test_every_store_command_works_on_postgresql(cli: Cli, cohort: Path, pg_url: str) -> None:
    """import, record, status, log, export and verify on a postgresql:// store, as on a file."""
    out = ok(cli("import", "cohort.toml", "--store", pg_url))
    assert out.endswith("8 new events from cohort.toml (0 already stored); the store holds 8\n")
    assert "0 new events" in ok(cli("import", "cohort.toml", "--store", pg_url))
    ok(cli("record", "--store", pg_url, "--recorded-by", "kim", "attended", "--trainee", "noa",
           "--on", "2026-01-11", "--activity", "workshop_day"))
    ok(cli("import", "cohort.toml", "--store", "s.db"))
    ok(cli("record", "--store", "s.db", "--recorded-by", "kim", "attended", "--trainee", "noa",
           "--on", "2026-01-11", "--activity", "workshop_day"))
    assert statuses(cli, "s.db") == statuses(cli, pg_url)
    assert "kim" in ok(cli("log", "--store", pg_url, "--trainee", "noa"))
    assert "ok — 9 events, hash chain intact, 2 people's cached state equals a replay" in ok(
        cli("verify", "--store", pg_url))
    jsonl = ok(cli("export", "--store", pg_url, "--format", "jsonl"))
    exported = [json.loads(line) for line in jsonl.splitlines()]
    kinds = [line["kind"] for line in exported]
    assert (["program", "cohort", "contact", "contact"], 9) == (kinds[:4], len(kinds[4:]))


# -- copying and exchanging stores ----------------------------------------------------------------


def console(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "facilitrack", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=120, check=False)


def test_a_store_moves_to_the_server_through_a_pipe_keeping_ids_and_definitions(
    cli: Cli, cohort: Path, pg_url: str, tmp_path: Path
) -> None:
    """`export --format jsonl | import -` copies every event with its id, the definitions, the
    cohort's name and the people directory."""
    ok(cli("import", "cohort.toml", "--store", "a.db"))
    (tmp_path / "demo.toml").unlink()  # the copy must carry the definition itself
    pipe = (f"{shlex.quote(sys.executable)} -m facilitrack export --store a.db --format jsonl"
            f" | {shlex.quote(sys.executable)} -m facilitrack import - --store {shlex.quote(pg_url)}")
    done = subprocess.run(pipe, shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          check=False)
    assert 0 == done.returncode, done.stderr
    assert "8 new events from <stdin> (0 already stored); the store holds 8" in done.stdout
    again = console("export", "--store", "a.db", "--format", "jsonl", cwd=tmp_path)
    repeat = console("import", "-", "--store", pg_url, cwd=tmp_path, stdin=again.stdout)
    assert "0 new events" in repeat.stdout
    ids = [r["id"] for r in json.loads(ok(cli("log", "--store", "a.db", "--format", "json")))]
    assert ids == [r["id"] for r in json.loads(ok(cli("log", "--store", pg_url, "--format", "json")))]
    assert statuses(cli, "a.db") == statuses(cli, pg_url)
    # The cohort's name and the people's names travel too: the two print the same.
    assert ok(cli("status", "--store", "a.db")) == ok(cli("status", "--store", pg_url))
    assert "ok" in ok(cli("verify", "--store", pg_url))


@pytest.mark.parametrize("fmt", ["jsonl", "json", "toml"])
def test_two_offices_exchanging_exports_end_with_the_same_answers(
    cli: Cli, cohort: Path, tmp_path: Path, fmt: str
) -> None:
    """Each office records its own sessions; after swapping exports both stores agree, chains clean."""
    for office in ("north.db", "south.db"):
        ok(cli("import", "cohort.toml", "--store", office))
    ok(cli("record", "--store", "north.db", "attended", "--trainee", "noa", "--on", "2026-01-11",
           "--activity", "workshop_day"))
    ok(cli("record", "--store", "south.db", "attended", "--trainee", "ana", "--on", "2026-02-22",
           "--activity", "demo_session"))
    ok(cli("record", "--store", "south.db", "artifact", "--trainee", "ana", "--on", "2026-02-23",
           "--artifact", "process_recording", "--status", "presented", "--ref", "pr-1"))
    for office in ("north", "south"):
        ok(cli("export", "--store", f"{office}.db", "--format", fmt, "--out", f"{office}.{fmt}"))
    assert "2 new events from south" in ok(cli("import", f"south.{fmt}", "--store", "north.db"))
    assert "1 new event from north" in ok(cli("import", f"north.{fmt}", "--store", "south.db"))
    assert statuses(cli, "north.db") == statuses(cli, "south.db")
    for office in ("north.db", "south.db"):
        assert "ok — 11 events" in ok(cli("verify", "--store", office))
        assert "0 new events" in ok(cli("import", f"south.{fmt}", "--store", office))


def test_an_export_that_reuses_an_id_for_other_content_is_refused_whole(cli: Cli, cohort: Path) -> None:
    """Importing an export whose event id is stored here with other content stores nothing."""
    ok(cli("import", "cohort.toml", "--store", "a.db"))
    ok(cli("import", "cohort.toml", "--store", "b.db"))
    ok(cli("record", "--store", "a.db", "hold", "--trainee", "ana", "--on", "2026-03-01", "--id", "x-1"))
    ok(cli("record", "--store", "b.db", "hold", "--trainee", "noa", "--on", "2026-03-02", "--id", "x-1"))
    ok(cli("export", "--store", "a.db", "--format", "jsonl", "--out", "a.jsonl"))
    result = cli("import", "a.jsonl", "--store", "b.db")
    assert 2 == result.code
    assert "event id 'x-1' is already recorded with other content" in result.err
    assert "ok — 9 events" in ok(cli("verify", "--store", "b.db"))


def test_a_damaged_export_line_is_named(cli: Cli, cohort: Path, tmp_path: Path) -> None:
    """A line of an export that is not JSON is named by file and line; nothing is stored."""
    ok(cli("import", "cohort.toml", "--store", "a.db"))
    text = ok(cli("export", "--store", "a.db", "--format", "jsonl")).splitlines()
    text[3] = text[3][:20]
    (tmp_path / "bad.jsonl").write_text("\n".join(text) + "\n", encoding="utf-8")
    result = cli("import", "bad.jsonl", "--store", "b.db")
    assert 2 == result.code
    assert result.err.startswith("error: bad.jsonl:4: not a JSON object")


# -- an edited cohort file, imported again ----------------------------------------------------------


MOVED = COHORT.replace("dates = [2026-01-10, 2026-01-11]", "dates = [2026-01-10, 2026-01-12]")


def test_reimporting_an_edited_file_names_what_it_no_longer_holds_and_how_to_void_it(
    cli: Cli, cohort: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A session moved to another day: the import adds the new one and prints the void for the old."""
    ok(cli("import", "cohort.toml", "--store", "s.db"))
    cohort.write_text(MOVED, encoding="utf-8")
    out = ok(cli("import", "cohort.toml", "--store", "s.db")).splitlines()
    assert "s.db: 1 new event from cohort.toml (7 already stored); the store holds 9" == out[0]
    assert out[1].startswith("cohort.toml: 1 event imported from it before is no longer in the file")
    assert out[2].startswith("  events[0].dates[1]: attended for ana on 2026-01-11 (ev-")
    command = out[3].strip()
    assert command.startswith(
        "facilitrack record --store s.db void --trainee ana --on 2026-01-11 --target ev-")
    assert "  or import again with --sync to void it." == out[4]
    # Paste the printed command: the store then answers as the edited file does.
    ok(cli(*shlex.split(command)[1:]))
    again = ok(cli("import", "cohort.toml", "--store", "s.db"))
    assert "no longer in the file" not in again
    monkeypatch.chdir(cohort.parent)
    from facilitrack._cohort import load_cohort

    expected = [t.model_dump(mode="json")["missing"] for t in load_cohort(cohort).report().trainees]
    assert expected == [t["missing"] for t in statuses(cli, "s.db")]
    assert "ok" in ok(cli("verify", "--store", "s.db"))


def test_sync_voids_what_the_file_no_longer_holds_in_the_same_import(cli: Cli, cohort: Path) -> None:
    """--sync records the voids with the new events; the store then agrees with the file."""
    ok(cli("import", "cohort.toml", "--store", "s.db"))
    cohort.write_text(MOVED, encoding="utf-8")
    out = ok(cli("import", "cohort.toml", "--store", "s.db", "--sync"))
    assert "s.db: 1 new event from cohort.toml (7 already stored); the store holds 10\n" in out
    assert "s.db: voided 1 event whose row left cohort.toml since its last import\n" in out
    log = ok(cli("log", "--store", "s.db"))
    assert "removed from cohort.toml (events[0].dates[1]) since it was last imported" in log
    quiet = ok(cli("import", "cohort.toml", "--store", "s.db", "--sync"))
    assert "s.db: 0 new events from cohort.toml (8 already stored); the store holds 10\n" == quiet
    ok(cli("import", "cohort.toml", "--store", "fresh.db"))
    assert statuses(cli, "fresh.db") == statuses(cli, "s.db")


def test_a_row_removed_while_another_file_shares_the_store_is_not_confused(cli: Cli, cohort: Path) -> None:
    """What an import remembers is per file: another file's import never reports this one's rows."""
    ok(cli("import", "cohort.toml", "--store", "s.db"))
    other = cohort.parent / "other.toml"
    other.write_text(COHORT.replace('name = "Demo Spring"', 'name = "Other"').split("[[events]]")[0],
                     encoding="utf-8")
    out = ok(cli("import", "other.toml", "--store", "s.db"))
    assert "no longer in the file" not in out


def test_import_reads_an_export_from_standard_input(
    cli: Cli, cohort: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`import -` reads an export from standard input."""
    ok(cli("import", "cohort.toml", "--store", "a.db"))
    text = ok(cli("export", "--store", "a.db", "--format", "json"))
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    assert "b.db: 8 new events from <stdin>" in ok(cli("import", "-", "--store", "b.db"))
    assert (cohort.parent / "b.db").exists()
