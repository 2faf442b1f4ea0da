"""The JSON Canonicalization Scheme (RFC 8785): one byte string per JSON value.

What the ``eddsa-jcs-2022`` cryptosuite signs: object members sorted by their names' UTF-16
code units, no whitespace, strings with only the escapes JSON requires, numbers as ECMAScript
prints them. Standard library only.
"""

from __future__ import annotations

import math
from typing import Any

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def canonicalize(value: Any) -> bytes:
    """`value` (JSON-ready: dict, list, str, int, float, bool, None) in canonical form, UTF-8."""
    return _serialize(value).encode("utf-8")


def _serialize(value: Any) -> str:  # noqa: PLR0911 - one return per JSON type reads best
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int):
        return _number(float(value)) if abs(value) > 2**53 else str(value)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_serialize(v) for v in value) + "]"
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("JSON object names must be strings")
        ordered = sorted(value, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(f"{_string(k)}:{_serialize(value[k])}" for k in ordered) + "}"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def _string(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _number(x: float) -> str:
    """`x` as ECMAScript's Number.prototype.toString prints it (RFC 8785, section 3.2.2.3)."""
    if math.isnan(x) or math.isinf(x):
        raise ValueError("NaN and Infinity are not JSON numbers")
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    # repr gives the shortest digits that round-trip, as ECMAScript does; only the layout differs.
    mantissa, _, exponent = repr(abs(x)).partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = whole + frac
    point = len(whole) + int(exponent or 0)  # the value is 0.DIGITS x 10^point
    lead = len(digits) - len(digits.lstrip("0"))
    digits, point = digits[lead:].rstrip("0"), point - lead
    k, n = len(digits), point
    if k <= n <= 21:
        out = digits + "0" * (n - k)
    elif 0 < n <= 21:
        out = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        out = "0." + "0" * -n + digits
    else:
        e = n - 1
        out = digits[0] + ("." + digits[1:] if k > 1 else "") + ("e+" if e >= 0 else "e-") + str(abs(e))
    return sign + out
