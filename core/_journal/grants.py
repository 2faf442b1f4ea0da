"""The privileges a PostgreSQL deployment gives its roles, as SQL (no driver needed to print them).

The writing role may add but never change what was recorded: with the triggers of
`postgres.py`, append-only holds in the database itself.
"""

from __future__ import annotations

import re

from .._errors import UserError

_ROLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def grant_statements(schema: str, *, writer: str, reader: str | None = None) -> list[str]:
    """The GRANTs a deployment gives its writing role (and a read-only role) on a store.

    The writer may read everything and add events, definitions and settings, and keep the
    head, the index, the cache and the people directory current; it may not update or delete
    what was recorded.
    """
    for name in (schema, writer, *([reader] if reader else [])):
        if not _ROLE.match(name):
            raise UserError(f"not a plain SQL name: {name!r}", fix="use letters, digits and _")
    out = [
        f"GRANT USAGE ON SCHEMA {schema} TO {writer}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {writer}",
        f"GRANT INSERT ON {schema}.events, {schema}.programs, {schema}.settings TO {writer}",
        f"GRANT INSERT, UPDATE ON {schema}.head, {schema}.trainees, {schema}.snapshots TO {writer}",
        f"GRANT DELETE ON {schema}.snapshots TO {writer}",
        f"GRANT INSERT, UPDATE, DELETE ON {schema}.people TO {writer}",
    ]
    if reader:
        out += [f"GRANT USAGE ON SCHEMA {schema} TO {reader}",
                f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {reader}"]
    return out
