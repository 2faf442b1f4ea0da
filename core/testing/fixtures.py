"""pytest fixtures for plugin authors (``pytest_plugins = ["facilitrack.testing"]`` loads them).

- `facilitrack_check`: the conformance check, ``facilitrack_check(program)``.
- `facilitrack_project`: a directory of input files, and the real ``facilitrack`` command run
  in it, in-process, as a coordinator types it (shaped like tox's ``tox_project``).
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Mapping
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from .programs import check_program

#: A file's text, or a directory's files (a nested mapping); text is dedented, so it may be
#: written indented in a test.
Files = Mapping[str, "str | Files"]


@dataclass(frozen=True)
class CliResult:
    """What one ``facilitrack`` command printed and returned.

    :param args: the arguments after ``facilitrack``.
    :param code: the exit code (0 done, 1 rules broken, 2 bad input).
    :param out: what it printed on stdout.
    :param err: what it printed on stderr.
    """

    args: tuple[str, ...]
    code: int
    out: str
    err: str

    def __str__(self) -> str:
        lines = [f"$ facilitrack {' '.join(self.args)}", f"exit code: {self.code}"]
        lines += [f"{name}:\n{textwrap.indent(text, '  ')}" for name, text in
                  (("stdout", self.out), ("stderr", self.err)) if text]
        return "\n".join(lines)

    def assert_success(self) -> None:
        """Fail the test, showing the command and its output, unless it exited 0."""
        if self.code != 0:
            raise AssertionError(f"expected exit code 0\n{self}")

    def assert_failed(self, code: int | None = None) -> None:
        """Fail the test unless it exited with `code` (default: anything but 0)."""
        if (self.code == 0) if code is None else (self.code != code):
            raise AssertionError(f"expected exit code {code if code is not None else 'other than 0'}\n{self}")


class FacilitrackProject:
    """A directory of input files (cohorts, program files) and the CLI run in it, in-process.

    :param path: the directory; created if missing.
    :param monkeypatch: undoes the working directory and environment of each run.
    :param files: files to write at once (see `write`).
    """

    def __init__(self, path: Path, monkeypatch: pytest.MonkeyPatch, files: Files | None = None) -> None:
        self.path = path
        self._monkeypatch = monkeypatch
        path.mkdir(parents=True, exist_ok=True)
        self.write(files or {})

    def write(self, files: Files) -> None:
        """Write `files` under the project: name → text, or name → a mapping for a directory."""
        _write(self.path, files)

    def run(self, *args: str, env: Mapping[str, str] | None = None, cwd: Path | None = None) -> CliResult:
        """Run ``facilitrack ARGS`` from the project directory; its output and exit code.

        :param env: environment variables for this run only (``FACILITRACK_PLUGINS``, ...).
        :param cwd: run from this directory instead.
        """
        from .._cli import main

        out, err = io.StringIO(), io.StringIO()
        with self._monkeypatch.context() as patch:
            patch.chdir(cwd or self.path)
            for name, value in (env or {}).items():
                patch.setenv(name, value)
            with redirect_stdout(out), redirect_stderr(err):
                try:
                    code = main(list(args))
                except SystemExit as exc:  # argparse's --help and usage errors
                    code = _exit_code(exc, err)
        return CliResult(tuple(args), code, out.getvalue(), err.getvalue())

    def __repr__(self) -> str:
        return f"FacilitrackProject({self.path})"


def _write(directory: Path, files: Files) -> None:
    for name, content in files.items():
        target = directory / name
        if isinstance(content, str):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(content), encoding="utf-8")
        else:
            target.mkdir(parents=True, exist_ok=True)
            _write(target, content)


def _exit_code(exc: SystemExit, err: io.StringIO) -> int:
    """The exit code a process would have: sys.exit(None) is 0, sys.exit("text") prints it, 1."""
    if exc.code is None or isinstance(exc.code, int):
        return exc.code or 0
    err.write(f"{exc.code}\n")
    return 1


@pytest.fixture
def facilitrack_check() -> Callable[..., None]:
    """`check_program`, for a plugin's tests: ``facilitrack_check(program)``."""
    return check_program


@pytest.fixture
def facilitrack_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., FacilitrackProject]:
    """Make a project of input files in a fresh directory, to run ``facilitrack`` commands in.

    ``project = facilitrack_project({"cohort.toml": COHORT})``, then
    ``result = project.run("check", "cohort.toml")``: a `CliResult` with ``code``, ``out``
    and ``err``. Installed plugins (yours, once ``pip install -e .``) load as they do for a user.
    """

    def make(files: Files | None = None, *, path: Path | None = None) -> FacilitrackProject:
        return FacilitrackProject(path or tmp_path / "project", monkeypatch, files)

    return make
