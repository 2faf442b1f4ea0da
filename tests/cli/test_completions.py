"""The committed shell completion scripts are the real parser's, and complete as a shell does."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("completions", ROOT / "scripts" / "completions.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_scripts_are_fresh() -> None:
    """Each committed script equals what the parser generates now (else: scripts/completions.py)."""
    for path, text in _script().generate().items():
        assert path.exists(), f"missing {path}: run python scripts/completions.py"
        assert text == path.read_text(encoding="utf-8"), f"stale {path}: run python scripts/completions.py"


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash here")
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["facilitrack", "ru"], "run"),
        (["facilitrack", "run", "--form"], "--format"),
        (["facilitrack", "run", "--format", "c"], "csv"),
        (["facilitrack", "record", "artifact", "--status", "pr"], "presented"),
    ],
)
def test_bash_completes(words: list[str], expected: str) -> None:
    """Sourced in bash, the script completes commands, flags and their choices."""
    line = " ".join(words)
    program = (
        f"source {ROOT / 'completions' / 'facilitrack.bash'}\n"
        f"COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}\n"
        "_shtab_facilitrack; printf '%s\\n' \"${COMPREPLY[@]}\"\n"
    )
    done = subprocess.run(["bash", "--norc", "-c", program], capture_output=True, text=True, check=True,
                          env={"PATH": "/usr/bin:/bin"})
    assert [expected] == done.stdout.split()
