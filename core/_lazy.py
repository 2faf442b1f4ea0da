"""Public namespaces that import a name's private module only when the name is first used
(PEP 562), so `import facilitrack` and its sub-namespaces cost almost nothing."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any


def load(namespace: dict[str, Any], names: Mapping[str, str], name: str) -> Any:
    """`name` from the module `names` maps it to (relative to the namespace's package), kept in
    `namespace` so the next use is a plain look-up. A name mapped to a module of that name is
    the module itself (``facilitrack.plugin.hookspecs``)."""
    module = names.get(name)
    if module is None:
        raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
    found = importlib.import_module(module, namespace["__package__"])
    value = found if module.endswith("." + name) else getattr(found, name)
    namespace[name] = value
    return value
