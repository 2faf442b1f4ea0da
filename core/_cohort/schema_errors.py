"""A cohort file that does not fit its models, as one error listing each field's place and fix."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from .._errors import UserError, did_you_mean
from .._model.ids import pattern_message
from .._model.program import format_loc
from .model import ROW_KINDS, BaseRow, CohortFile
from .places import Places


def schema_error(exc: ValidationError, places: Places) -> UserError:
    """Each of `exc`'s errors on a line of its own: its place in the file, then what is wrong."""
    lines = []
    for err in exc.errors(include_url=False):
        at = places.label(_file_loc(err["loc"]))
        lines.append(f"{at}: {_message(err)}" if at else _message(err))
    return UserError(
        "invalid cohort file:\n    " + "\n    ".join(lines),
        where=places.path,
        fix="correct the fields named above (`facilitrack schema cohort` describes them all)",
    )


def _file_loc(loc: Sequence[int | str]) -> str:
    """A pydantic loc as a path in the file, without the row-kind tags (``events[3].on``)."""
    return format_loc(tuple(p for p in loc if not (isinstance(p, str) and p.startswith("<"))))


def _message(err: Mapping[str, Any]) -> str:
    kind = err["type"]
    loc = err["loc"]
    if kind == "extra_forbidden":
        name = str(loc[-1])
        return f"unknown field {name!r}; {did_you_mean(name, _fields_at(loc))}"
    if kind == "literal_error" and err.get("ctx", {}).get("expected") == "True":
        return f"write `{loc[-1]} = true` (a row of this kind has no other value)"
    if kind in _NATIVE:
        example = f"`{loc[-1]} = {_meant(kind, err['input'])}`"
        return f"expected {_NATIVE[kind]} without quotes ({example}), not {_shown(err['input'])}"
    return pattern_message(err) or str(err["msg"]).removeprefix("Value error, ")


#: Strict TOML types (`StrictInt`, `StrictBool`): what was expected.
_NATIVE = {"int_type": "a whole number", "bool_type": "true or false"}
_YES = {"true", "yes", "y", "on", "1"}
_NO = {"false", "no", "n", "off", "0"}


def _meant(kind: str, value: Any) -> str:
    """The TOML value the user probably meant (``"3"`` → ``3``, ``"yes"`` → ``true``), else an example."""
    if kind == "int_type":
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return str(int(value))
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return "3"
    text = str(value).strip().lower()
    return "false" if text in _NO else "true"


def _shown(value: Any) -> str:
    """A TOML value as the file wrote it: ``the text 'yes'``, ``true``, ``3.0``."""
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return f"a {type(value).__name__}"


def _fields_at(loc: Sequence[int | str]) -> list[str]:
    """The field names allowed in the table at `loc` (for unknown-field errors)."""
    model: type[BaseModel] = CohortFile
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if part.startswith("<"):  # an [[events]] row's kind tag
            model = ROW_KINDS.get(part.strip("<>"), BaseRow)
            continue
        field_info = model.model_fields.get(part)
        inner = _model_in(field_info.annotation) if field_info is not None else None
        if inner is None:
            break
        model = inner
    return list(model.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The one model a field holds (``list[Group]`` → Group), if exactly one."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    found = {m for arg in get_args(annotation) if (m := _model_in(arg)) is not None}
    return found.pop() if len(found) == 1 else None
