"""Dates in input files: one reader for every date a cohort file holds.

A date is a TOML date, or a string: ISO first (``"2026-01-05"``), then whatever the program's
plugin reads through ``facilitrack_parse_date`` (Duet: ``"24.3.2018"``). The reader of the file
passes that plugin reader in the pydantic validation context as ``parse_date``, so trainees,
events and groups all read dates the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationInfo
from pydantic_core import PydanticCustomError

from .._errors import PluginError, UserError

DateParser = Callable[[str], "date | None"]

DATE_HELP = "A TOML date (2026-01-05), or a string the program's plugin reads (Duet: 24.3.2018)."


def read_date(value: Any, info: ValidationInfo) -> Any:
    """A TOML date; or a string in ISO form or one the context's ``parse_date`` reads."""
    if isinstance(value, datetime):
        raise PydanticCustomError("date_only", "expected a date without a time of day (2026-01-05)")
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("date_type", "expected a date, such as 2026-01-05")
    text = value.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    context = info.context if isinstance(info.context, Mapping) else {}
    parser: DateParser | None = context.get("parse_date")
    try:
        parsed = parser(text) if parser is not None else None
    except PluginError:  # the plugin failed: one error naming it, not one per date it was asked
        raise
    except UserError as exc:  # a plugin recognised the form but not the day (31.2.2018)
        fix = f"; {exc.fix}" if exc.fix else ""
        raise PydanticCustomError("date_text", "{what}", {"what": exc.what + fix}) from None
    if parsed is None:
        raise PydanticCustomError(
            "date_text",
            "not a date: {text}; write a TOML date such as 2026-01-05",
            {"text": repr(value)},
        )
    return parsed


DateIn = Annotated[date, BeforeValidator(read_date, json_schema_input_type=date | str)]
