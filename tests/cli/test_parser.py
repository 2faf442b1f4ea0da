"""Start-up and exit: the parser is built without loading the library, and the process ends at once."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from facilitrack import ArtifactStatus
from facilitrack._cli import _choices
from facilitrack._report import FORMATS
from facilitrack._stores import EXPORT_FORMATS

ROOT = Path(__file__).resolve().parents[2]


def test_choices_mirror_the_library() -> None:
    """The choices spelt out for the parser are the library's own, in its order."""
    assert FORMATS == _choices.REPORT_FORMATS
    assert tuple(s.value for s in ArtifactStatus) == _choices.ARTIFACT_STATUSES
    assert EXPORT_FORMATS == _choices.EXPORT_FORMATS


def test_help_loads_no_model() -> None:
    """Building the whole parser imports neither pydantic, pluggy, transitions nor a model module."""
    program = (
        "import sys\n"
        "from facilitrack._cli import build_parser\n"
        "build_parser().format_help()\n"
        "deps = ('pydantic', 'pluggy', 'transitions')\n"
        "ours = ('facilitrack._model', 'facilitrack._engine', 'facilitrack._cohort')\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in deps or m.startswith(ours))\n"
        "print(' '.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert "" == done.stdout.strip()


def test_the_console_script_flushes_and_keeps_the_exit_code(tmp_path: Path) -> None:
    """`run` ends the process at once, yet every line printed reaches a pipe and the code is kept."""
    cohort = shutil.copy(ROOT / "examples" / "mpg" / "cohort.toml", tmp_path / "cohort.toml")
    entry = "from facilitrack._cli import run; run()"
    done = subprocess.run([sys.executable, "-c", entry, "check", str(cohort)],
                          capture_output=True, text=True, check=False)
    inside = subprocess.run([sys.executable, "-c", "import sys; from facilitrack._cli import main;"
                             " sys.exit(main())", "check", str(cohort)],
                            capture_output=True, text=True, check=False)
    assert (inside.returncode, inside.stdout) == (done.returncode, done.stdout)
    assert done.stdout.endswith("the file is valid, but breaks the rules above\n")
