"""The shapes of names: keys in definitions, ids of events and people, program versions.

One place for each pattern, so a definition, a cohort file and an event agree on what a key is.
"""

from collections.abc import Mapping
from typing import Any

#: A key a definition declares: a stage, requirement, activity, artifact, role, credential.
KEY_PATTERN = r"^[a-z][a-z0-9_]*$"

#: An event's or a person's id.
ID_PATTERN = r"^[A-Za-z0-9_.:@/-]{1,128}$"

#: A program version: numbers separated by dots.
VERSION_PATTERN = r"^\d+(\.\d+)*$"

_KEY = r"[a-z][a-z0-9_]*"
#: A requirement named from another node: ``key``, or ``stage.key``.
REF_PATTERN = rf"^{_KEY}(\.{_KEY})?$"
#: Where a window starts (``from =``).
ANCHOR_PATTERN = (
    rf"^(enrolment|stage|stage:{_KEY}|met:{_KEY}(\.{_KEY})?|certificate:{_KEY}(\.{_KEY})?)$"
)

#: What the patterns mean, for error messages.
PATTERN_HELP = {
    KEY_PATTERN: "a key in lower case: letters, digits and _, starting with a letter",
    ID_PATTERN: "an id of letters, digits and . _ : @ / - (at most 128)",
    VERSION_PATTERN: "a version of numbers separated by dots (1.0, 2.1.3)",
    REF_PATTERN: "a requirement's key, or stage.key",
    ANCHOR_PATTERN: "a window's start: enrolment, stage, stage:KEY, met:[STAGE.]KEY or"
                    " certificate:PROGRAM[.STAGE]",
}


def pattern_message(err: Mapping[str, Any]) -> str | None:
    """A pydantic error of a value not matching one of these patterns, in words; else None."""
    if err["type"] != "string_pattern_mismatch":
        return None
    meaning = PATTERN_HELP.get(err.get("ctx", {}).get("pattern", ""))
    return f"{err['input']!r} is not {meaning}" if meaning else None
