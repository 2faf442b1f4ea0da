"""The import contracts in pyproject.toml name every private part of the core."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"][
    "contracts"
]


def _private_parts() -> set[str]:
    """``facilitrack._x`` for each private module and package of core/."""
    return {
        f"facilitrack.{path.stem}"
        for path in (ROOT / "core").iterdir()
        if path.name.startswith("_") and not path.name.startswith("__")
        and (path.suffix == ".py" or (path / "__init__.py").exists())
    }


def test_plugins_are_forbidden_every_private_part() -> None:
    """A new private module is forbidden to plugins as soon as it exists."""
    [contract] = [c for c in CONTRACTS if c.get("source_modules") == ["facilitrack_plugins"]]
    assert sorted(_private_parts()) == sorted(contract["forbidden_modules"])


def test_every_private_part_has_a_layer() -> None:
    """Each private module or package sits in one layer of the core's layers contract."""
    [contract] = [c for c in CONTRACTS if c["type"] == "layers"]
    layered = [name.strip() for layer in contract["layers"] for name in layer.split("|")]
    assert sorted(_private_parts()) == sorted(layered)
