"""A throwaway PostgreSQL server for tests and benchmarks: started, used, stopped and removed.

`postgres_server` runs the server binaries installed on the machine (``initdb`` and ``pg_ctl``
on the PATH, or Debian's ``/usr/lib/postgresql/*/bin``; ``FACILITRACK_PG_BIN`` names another
directory) with a data directory in a temporary folder, listening on a free loopback port,
trusting local connections. PostgreSQL refuses to run as root, so under root it runs as the
``postgres`` user Debian's package creates (else ``nobody``) through ``runuser``. With
``FACILITRACK_TEST_POSTGRES_URL`` set, that server is used instead and nothing is started.

`PostgresUnavailable` says why no server could be had, for a clear skip.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

#: Set to use a running server instead of starting one.
URL_ENV = "FACILITRACK_TEST_POSTGRES_URL"
#: Set to a directory holding ``initdb`` and ``pg_ctl``.
BIN_ENV = "FACILITRACK_PG_BIN"


class PostgresUnavailable(RuntimeError):  # noqa: N818 -- reads as the reason to skip
    """No PostgreSQL server could be started (or reached) here; the message says why."""


def _bin_dir() -> Path:
    given = os.environ.get(BIN_ENV)
    candidates = [Path(given)] if given else []
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    raise PostgresUnavailable(
        "no PostgreSQL server binaries (initdb, pg_ctl) found: install them (Debian: apt-get"
        f" install postgresql), name their directory in {BIN_ENV}, or give a server in {URL_ENV}"
    )


def _runner() -> tuple[list[str], int | None]:
    """The command prefix that runs the server's programs, and the uid that owns its files."""
    if os.geteuid() != 0:
        return [], None
    runuser = shutil.which("runuser") or shutil.which("runuser", path="/usr/sbin:/sbin")
    if runuser is None:
        raise PostgresUnavailable("running as root, and no runuser to start PostgreSQL as another user")
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return [runuser, "-u", name, "--"], pwd.getpwnam(name).pw_uid
    raise PostgresUnavailable("running as root, and there is no postgres or nobody user to run PostgreSQL as")


def _reachable(url: str) -> None:
    try:
        import psycopg
    except ImportError as exc:
        raise PostgresUnavailable(f"psycopg is not installed ({exc})") from None
    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.Error as exc:
        raise PostgresUnavailable(f"the server {URL_ENV} names does not answer: {exc}") from None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(command: list[str], what: str, timeout: float) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PostgresUnavailable(f"{what} failed: {exc}") from None
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise PostgresUnavailable(f"{what} failed: {' '.join(tail)}")


@contextlib.contextmanager
def postgres_server(*, fsync: bool = False, timeout: float = 60.0) -> Iterator[str]:
    """Start a server, yield its URL (superuser ``facilitrack``, database ``postgres``), stop it.

    :param fsync: whether the server syncs to disk (off by default: tests need no durability
        from the server itself, and run faster without it).
    """
    given = os.environ.get(URL_ENV)
    if given:
        _reachable(given)
        yield given
        return
    folder = _bin_dir()
    prefix, owner = _runner()
    tmp = Path(tempfile.mkdtemp(prefix="facilitrack-pg-"))
    data = tmp / "data"
    started = False
    try:
        if owner is not None:
            os.chown(tmp, owner, -1)
        _run([*prefix, str(folder / "initdb"), "-D", str(data), "-U", "facilitrack", "--auth=trust",
              "-E", "UTF8", "--no-sync", "--no-instructions"], "initdb", timeout)
        port = _free_port()
        options = f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync={'on' if fsync else 'off'}"
        if not fsync:
            options += " -c synchronous_commit=off -c full_page_writes=off"
        _run([*prefix, str(folder / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(tmp / "log"),
              "-w", "-t", str(int(timeout)), "start"], "starting the server", timeout + 5)
        started = True
        yield f"postgresql://facilitrack@127.0.0.1:{port}/postgres"
    finally:
        if started:
            with contextlib.suppress(PostgresUnavailable):
                _run([*prefix, str(folder / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                     "stopping the server", timeout)
        shutil.rmtree(tmp, ignore_errors=True)


def with_schema(url: str, schema: str) -> str:
    """`url` with its ``search_path`` set to `schema` (where a store's tables then live)."""
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}', safe='')}"


def fresh_schema(url: str, prefix: str = "t") -> str:
    """Create an empty schema on the server at `url`; return a URL whose store lives in it."""
    import psycopg

    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")  # a generated plain name
    return with_schema(url, schema)
