"""The parser: built without loading the library, so `--help` and usage errors start fast."""

from __future__ import annotations

import subprocess
import sys

from facilitrack import ArtifactStatus
from facilitrack._cli import _choices
from facilitrack._report import FORMATS
from facilitrack._stores import EXPORT_FORMATS


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
