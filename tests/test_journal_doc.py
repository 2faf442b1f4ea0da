"""docs/journal.md tells the truth: its Python runs and prints what it says, every command it
shows parses, and its SQL sets up roles that behave as it claims on a real server."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest

from tests.builders import assert_commands_parse

DOC = Path(__file__).resolve().parent.parent / "docs" / "journal.md"
TEXT = DOC.read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", TEXT, flags=re.DOTALL)


def test_python_examples_run_and_print_what_they_say(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Python block runs, in order, in one namespace; each `print(...)  # X` prints X."""
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    sources = blocks("python")
    assert len(sources) >= 4
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for source in sources:
            exec(compile(source, str(DOC), "exec"), namespace)
    said = [m.group(1).strip() for s in sources for m in re.finditer(r"^print\(.*\)\s+#\s*(.+)$", s, re.M)]
    assert said == out.getvalue().splitlines()
    from facilitrack.testing import JournalContract

    assert issubclass(namespace["TestMyStore"], JournalContract)  # type: ignore[arg-type]


def commands() -> list[list[str]]:
    """Every `facilitrack ...` invocation in the console blocks, as argument lists."""
    found = []
    for block in blocks("console"):
        text = block.replace("\\\n", " ")
        for line in text.splitlines():
            if not line.startswith("$ "):
                continue
            for part in line[2:].split(" | "):
                words = shlex.split(part, comments=True)
                if words and words[0] == "facilitrack":
                    found.append(words[1:])
    printed = re.findall(r"^ {4}(facilitrack record .*)$", TEXT, flags=re.M)  # the void lines import prints
    found += [shlex.split(line)[1:] for line in printed]
    return found


def test_every_command_shown_parses() -> None:
    """Each `facilitrack ...` line of the console blocks is a valid command line."""
    assert_commands_parse(commands(), at_least=15)


def test_the_roles_shown_behave_as_described(postgres_url: str) -> None:
    """The SQL blocks' roles and grants (as grant_statements prints): writers append only, readers read."""
    psycopg = pytest.importorskip("psycopg")
    from facilitrack import Attended, JournalError
    from facilitrack.store import PostgresJournal, grant_statements
    from facilitrack.testing import with_schema

    create, grants = blocks("sql")
    statements = [s.strip() for s in grants.split(";") if s.strip()]
    assert grant_statements("spring", writer="facilitrack_writer", reader="facilitrack_reader") == statements
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        for statement in (s for s in create.split(";") if s.strip()):
            conn.execute(statement)
    as_ = {role: with_schema(postgres_url.replace("facilitrack@", f"facilitrack_{role}@"), "spring")
           for role in ("owner", "writer", "reader")}
    try:
        with PostgresJournal(as_["owner"]) as owner:
            for statement in statements:
                owner._conn.execute(statement)
        session = Attended(trainee="ana", on=__import__("datetime").date(2026, 2, 2), activity="x")
        with PostgresJournal(as_["writer"], create=False) as writer:
            assert [session] == writer.append([session])
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                writer._conn.execute("UPDATE events SET on_date = '2026-02-03'")
        with PostgresJournal(as_["reader"], readonly=True) as reader:
            assert [session] == list(reader.events())
            with pytest.raises(JournalError):
                reader.append([session.model_copy(update={"id": "other"})])
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute("DROP SCHEMA spring CASCADE")
            for role in ("owner", "writer", "reader"):
                conn.execute(f"DROP OWNED BY facilitrack_{role}")
                conn.execute(f"DROP ROLE facilitrack_{role}")
