"""Write the shell completion scripts in completions/ from the real ``facilitrack`` parser.

A TAB then runs only the shell's own code: the scripts are generated once (with shtab, a
development dependency), committed, and checked by tests/cli/test_completions.py, which fails
when a command or flag changed and they were not written again.

    python scripts/completions.py            # write them
    python scripts/completions.py --check    # exit 1 when they are stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import shtab
from facilitrack._cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
#: Each shell's script, named as that shell looks it up (bash-completion, zsh's fpath).
SCRIPTS = {"bash": ROOT / "completions" / "facilitrack.bash", "zsh": ROOT / "completions" / "_facilitrack"}
#: Metavars of flags and arguments that name files, beyond those of type `Path`.
_FILE_METAVARS = {"FILE", "STORE", "COHORT.toml", "FILE.toml", "FILE|DID"}


def parser() -> argparse.ArgumentParser:
    """The command's parser, with every argument that names a file completing file names."""
    root = build_parser()
    todo = [root]
    while todo:
        p = todo.pop()
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                todo.extend(action.choices.values())
            elif action.type is Path or action.metavar in _FILE_METAVARS:
                action.complete = shtab.FILE  # type: ignore[attr-defined]
    return root


def generate() -> dict[Path, str]:
    """Each completion script's path and the text it should hold."""
    root = parser()
    return {path: shtab.complete(root, shell=shell) for shell, path in SCRIPTS.items()}


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cli.add_argument("--check", action="store_true", help="exit 1 when a script is stale")
    args = cli.parse_args(argv)
    stale = [path for path, text in generate().items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)} (run python scripts/completions.py)", file=sys.stderr)
        return 1 if stale else 0
    for path, text in generate().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
