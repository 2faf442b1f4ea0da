"""Measuring and fitting text for a terminal: widths of wide and combining characters, cutting,
padding and wrapping; every renderer of plain text uses these.

Text is measured by how wide it shows, not by how many code points it has: East Asian wide
characters take two columns, combining marks and format characters none, so names in Hebrew,
with accents (composed or not) or in CJK line up. Control characters become spaces.
"""

from __future__ import annotations

import unicodedata

ELLIPSIS = "…"


def char_width(ch: str) -> int:
    """Columns one code point takes in a terminal: 0, 1 or 2."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal."""
    return sum(char_width(ch) for ch in text)


def clean(text: str) -> str:
    """`text` on one line: control characters (newlines, tabs) become spaces."""
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)


def truncate(text: str, width: int) -> str:
    """`text` cut to at most `width` columns, ending in ``…`` when cut."""
    if display_width(text) <= width:
        return text
    if width <= 0:
        return ""
    out: list[str] = []
    used = 0
    for ch in text:
        w = char_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + ELLIPSIS


def pad(text: str, width: int) -> str:
    """`text` cut or filled with spaces to exactly `width` columns."""
    cut = truncate(text, width)
    return cut + " " * (width - display_width(cut))


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """`text` broken at spaces into lines of at most `width` columns (longer words are cut)."""
    room = max(width - display_width(indent), 1)
    lines: list[str] = []
    line = ""
    for whole in clean(text).split():
        word = truncate(whole, room)
        candidate = f"{line} {word}" if line else word
        if display_width(candidate) <= room:
            line = candidate
        else:
            lines.append(indent + line)
            line = word
    lines.append(indent + line)
    return lines
