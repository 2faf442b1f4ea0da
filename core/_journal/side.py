"""What both SQL stores keep beside the events, written once: the program definitions and the
settings (each a hash chain of its own, their heads in the `head` row), the people directory
(outside the chain: correctable and erasable) and the state cache's reset.

The stores differ only in the driver's parameter mark, which `_sql` supplies.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from .._errors import JournalError
from .._model.issuer import Contact
from .._model.program import Program, same_definition
from .chain import GENESIS, link_hash, sha256


class SideTables:
    """Definitions, settings and people for a store with a DB-API connection `_conn`."""

    location: str
    _conn: Any
    #: The driver's parameter mark (``?`` for SQLite, ``%s`` for psycopg).
    _MARK = "?"

    def _translate(self, action: str) -> contextlib.AbstractContextManager[None]:
        raise NotImplementedError

    def _write(self, action: str) -> contextlib.AbstractContextManager[Any]:
        raise NotImplementedError

    def _sql(self, statement: str) -> str:
        """`statement` with ``?`` marks in the driver's style."""
        return statement if self._MARK == "?" else statement.replace("?", self._MARK)

    # -- program definitions -------------------------------------------------------------------

    def programs(self) -> dict[str, dict[str, Any]]:
        """Stored definitions by ``key@version``, as JSON data."""
        with self._translate("read the store"):
            rows = self._conn.execute("SELECT ref, body FROM programs ORDER BY ref").fetchall()
        out = {}
        for ref, body in rows:
            try:
                out[str(ref)] = json.loads(body)
            except ValueError:
                raise JournalError(
                    f"the stored definition of {ref} cannot be read (it is not JSON)",
                    where=self.location, fix=f"run `facilitrack verify --store {self.location}`;"
                    " restore the store from a backup or an export") from None
        return out

    def save_programs(self, programs: Iterable[Program]) -> None:
        """Keep the definitions enrolments pin, so the store is self-contained.

        A definition already stored under the same ``key@version`` must be the same
        (`same_definition`). Each new one is chained to the definitions before it.
        """
        wanted = {p.ref: p for p in programs}
        if not wanted:
            return
        with self._write("store program definitions") as conn:
            stored = self.programs()
            for ref, program in sorted(wanted.items()):
                old = stored.get(ref)
                if old is None:
                    body = json.dumps(program.model_dump(mode="json"), sort_keys=True)
                    pos, prev = self._side_head(conn, "programs")
                    digest = sha256(body)
                    link = link_hash(prev, ref, digest)
                    conn.execute(self._sql(
                        "INSERT INTO programs (ref, key, version, body, pos, digest, prev_hash, hash)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                        (ref, program.key, program.version, body, pos + 1, digest, prev, link))
                    conn.execute(self._sql("UPDATE head SET programs = ?, programs_hash = ? WHERE one = 1"),
                                 (pos + 1, link))
                elif not same_definition(old, program):
                    raise JournalError(
                        f"program {ref} is stored with other content than the definition given",
                        where=self.location,
                        fix="give the changed definition a new `version`; enrolments keep the"
                        " version they pinned",
                    )

    # -- settings ------------------------------------------------------------------------------

    def settings(self) -> dict[str, str]:
        """Named settings: the latest value of each."""
        with self._translate("read the store"):
            rows = self._conn.execute("SELECT name, value FROM settings ORDER BY pos").fetchall()
        return {str(name): str(value) for name, value in rows}

    def save_settings(self, values: Mapping[str, str]) -> None:
        """Set named settings; an unchanged value adds nothing."""
        with self._write("store settings") as conn:
            current = dict(conn.execute("SELECT name, value FROM settings ORDER BY pos").fetchall())
            for name, value in sorted(values.items()):
                if current.get(name) == value:
                    continue
                pos, prev = self._side_head(conn, "settings")
                digest = sha256(value)
                link = link_hash(prev, name, digest)
                conn.execute(self._sql("INSERT INTO settings (pos, name, value, digest, prev_hash, hash)"
                                       " VALUES (?, ?, ?, ?, ?, ?)"),
                             (pos + 1, name, value, digest, prev, link))
                conn.execute(self._sql("UPDATE head SET settings = ?, settings_hash = ? WHERE one = 1"),
                             (pos + 1, link))

    @staticmethod
    def _side_head(conn: Any, chain: str) -> tuple[int, str]:
        """How many rows a side chain (``programs``, ``settings``) holds, and its last hash."""
        head = conn.execute(f"SELECT {chain}, {chain}_hash FROM head WHERE one = 1").fetchone()  # noqa: S608 -- a column name of ours
        return (int(head[0]), str(head[1])) if head else (0, GENESIS)

    # -- the people directory: names and addresses, outside the chain --------------------------

    def people(self) -> dict[str, Contact]:
        """How reports and certificates name each person, by id."""
        with self._translate("read the store"):
            rows = self._conn.execute(
                "SELECT id, name, given_name, family_name, email FROM people ORDER BY id").fetchall()
        return {str(r[0]): Contact(id=r[0], name=r[1], given_name=r[2], family_name=r[3], email=r[4])
                for r in rows}

    def save_people(self, people: Iterable[Contact]) -> None:
        """Add or replace people's names and addresses."""
        with self._write("store names") as conn:
            for c in people:
                conn.execute(self._sql(
                    "INSERT INTO people (id, name, given_name, family_name, email) VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (id) DO UPDATE SET name = excluded.name, given_name = excluded.given_name,"
                    " family_name = excluded.family_name, email = excluded.email"),
                    (c.id, c.name, c.given_name, c.family_name, c.email))

    def forget_person(self, person: str) -> bool:
        """Erase a person's name and address; whether there was one. Their events stay."""
        with self._write("erase a name") as conn:
            return bool(conn.execute(self._sql("DELETE FROM people WHERE id = ?"), (person,)).rowcount > 0)

    # -- the state cache -----------------------------------------------------------------------

    def clear_snapshots(self) -> None:
        """Drop the state cache (it is rebuilt as trainees are next read)."""
        with self._write("clear the state cache") as conn:
            conn.execute("DELETE FROM snapshots")
