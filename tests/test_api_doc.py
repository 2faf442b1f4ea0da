"""docs/api.md is the public API: it lists exactly each namespace's `__all__`, and the README
and docs/ import only public names."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
API = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
NAMESPACES = ("facilitrack", "facilitrack.plugin", "facilitrack.store", "facilitrack.report",
              "facilitrack.testing")
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
         *sorted(ROOT.glob("examples/*/README.md"))]


def documented() -> dict[str, set[str]]:
    """The names each ``## `namespace` `` section's table lists."""
    out: dict[str, set[str]] = {}
    for section in re.split(r"^## ", API, flags=re.M)[1:]:
        title, _, body = section.partition("\n")
        out[title.strip("` ")] = set(re.findall(r"^\| `([^`]+)` \|", body, flags=re.M))
    return out


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_the_page_lists_exactly_the_public_names(namespace: str) -> None:
    """A public name missing from the page, or a listed name that is not public, fails."""
    module = importlib.import_module(namespace)
    assert set(module.__all__) == documented()[namespace]


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_every_public_name_resolves(namespace: str) -> None:
    """Each name in `__all__` can be read (lazy names included)."""
    module = importlib.import_module(namespace)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a public name must not be a deprecated alias
        missing = [n for n in module.__all__ if getattr(module, n, None) is None]
    assert [] == missing


IMPORT = re.compile(r"^\s*from (facilitrack[\w.]*) import (\([^)]*\)|[^\n]*)", flags=re.M)


def imports(text: str) -> list[tuple[str, str]]:
    """(module, name) of each ``from facilitrack... import`` in `text`, parenthesised lists too."""
    found = []
    for module, names in IMPORT.findall(text):
        for item in re.sub(r"#[^\n]*", "", names).strip("()").split(","):
            name = item.split(" as ")[0].strip()
            if name:
                found.append((module, name))
    return found


def test_the_docs_import_only_public_names() -> None:
    """Every ``from facilitrack... import`` in the README and docs/ names a public namespace
    and a name in its `__all__`; no page names a private module."""
    wrong = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for module, name in imports(text):
            if module not in NAMESPACES or name not in importlib.import_module(module).__all__:
                wrong.append(f"{page.name}: from {module} import {name}")
        wrong += [f"{page.name}: {ref}" for ref in re.findall(r"facilitrack\._\w+", text)]
    assert [] == wrong
    assert len([page for page in PAGES if imports(page.read_text(encoding="utf-8"))]) >= 4


def test_the_store_namespace_without_the_postgres_extra() -> None:
    """Without psycopg: `import *` and `grant_statements` work; `PostgresJournal` names the extra."""
    program = (
        "import sys; sys.modules['psycopg'] = None\n"
        "from facilitrack.store import *\n"
        "import facilitrack.store as store\n"
        "assert 'PostgresJournal' not in store.__all__ and 'grant_statements' in store.__all__\n"
        "print(grant_statements('spring', writer='w')[0])\n"
        "try:\n"
        "    store.PostgresJournal\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == [
        "GRANT USAGE ON SCHEMA spring TO w",
        "PostgresJournal needs psycopg, which is not installed: pip install 'facilitrack[postgres]'",
    ]
