"""Opening a store named by ``--store``: a file path (SQLite) or a ``postgresql://`` URL.

PostgreSQL support is an optional extra: its module (and the driver) is imported only when a
``postgresql://`` store is opened, so the CLI and SQLite stores never load it.
"""

from __future__ import annotations

from .._errors import JournalError
from .._journal.base import OlderSchemaError, Store
from .._journal.urls import is_url, redact, url_scheme

__all__ = ["is_url", "open_store", "redact"]

_POSTGRES = ("postgresql", "postgres")


def open_store(target: str, *, write: bool = False, create: bool = False) -> Store:
    """The store `target` names: writable when `write` (created if `create`), else read-only.

    A path opens an SQLite file; ``postgresql://`` (or ``postgres://``) a PostgreSQL database.
    A store written at an older schema is upgraded first when it is opened for reading and
    can be written (the upgrade is one transaction); where it cannot, it is refused with the
    fix. Close it when done (``with contextlib.closing(open_store(...))``).
    """
    if write:
        return _open(target, write=True, create=create)
    try:
        return _open(target, write=False, create=False)
    except OlderSchemaError as older:
        try:
            _open(target, write=True, create=False).close()
        except JournalError:
            raise older from None
        return _open(target, write=False, create=False)


def _open(target: str, *, write: bool, create: bool) -> Store:
    scheme = url_scheme(target)
    if scheme is None:
        from .._journal.sqlite import SQLiteJournal

        return SQLiteJournal(target, create=create, readonly=not write)
    if scheme in _POSTGRES:
        try:
            from .._journal.postgres import PostgresJournal
        except ImportError as exc:
            raise JournalError(
                f"PostgreSQL stores need the driver, which is not installed ({exc})",
                where=redact(target), fix="pip install 'facilitrack[postgres]'",
            ) from None
        return PostgresJournal(target, create=create, readonly=not write)
    raise JournalError(
        f"unknown kind of store {scheme + '://'!r}", where=redact(target),
        fix="name an SQLite file (a path) or a PostgreSQL database (postgresql://...)",
    )
