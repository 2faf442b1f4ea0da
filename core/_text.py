"""Text from input, made safe for where it is shown: a terminal, a spreadsheet; counted nouns.

Names, ids, reasons and file names come from cohort files, stores and the command line, so
they may hold control characters. Printed raw, an escape sequence (``ESC [ 2 J``) would clear
a coordinator's screen or retitle the window, and a right-to-left override (U+202E) would show
``report.exe`` as ``exe.troper``, or an id as another. Every place that prints such text to a
terminal passes it through `terminal_safe` (table cells through `one_line`), which shows each
of those characters as a visible escape instead: ``\\x1b``, ``\\u202e``. Ordinary text in any
script (accents, Hebrew, CJK) is left exactly as it is.

Text is measured by how wide it shows, not by how many code points it has: East Asian wide
characters take two columns, combining marks and format characters none, so names in Hebrew,
with accents (composed or not) or in CJK line up in tables (`display_width`, `pad`, `wrap`).

A CSV cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is run
as a formula by spreadsheets; `spreadsheet_safe` prefixes it with a single quote, as OWASP's
CSV-injection advice says (https://owasp.org/www-community/attacks/CSV_Injection).
"""

from __future__ import annotations

import os
import re
import unicodedata

#: C0 controls but newline, DEL, C1 controls, bidi embeddings and overrides (U+202A-U+202E),
#: bidi isolates (U+2066-U+2069). ESC is among the C0 ones, so no escape sequence survives.
#: Lone surrogates too: how Python hands over bytes of a file name or an argument that are not
#: UTF-8 (``\udcff`` for the byte 0xff); printed raw they would stop the output with an error.
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_OR_NEWLINE = re.compile(f"{_UNSAFE.pattern[:-1]}\n]")
_WHITESPACE_CONTROLS = re.compile("[\t\n\r\x0b\x0c]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
ELLIPSIS = "…"


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, escaped by Python: show the byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str, *, multiline: bool = False) -> str:
    """`text` with control characters and bidi overrides shown as escapes (``\\x1b``, ``\\u202e``).

    :param multiline: keep line breaks (for output of several lines); otherwise they too are
        shown as ``\\n``, so one value can never pass for two lines.
    """
    pattern = _UNSAFE if multiline else _UNSAFE_OR_NEWLINE
    return pattern.sub(_escape, text)


def one_line(text: str) -> str:
    """`text` for one table cell or line: tabs and line breaks as spaces, then `terminal_safe`."""
    return terminal_safe(_WHITESPACE_CONTROLS.sub(" ", text))


def display_path(path: str | os.PathLike[str]) -> str:
    """`path` as text any output can hold: bytes of its name that are not UTF-8 as ``\\xff``."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def has_undecodable(text: str) -> bool:
    """Whether `text` holds bytes that were not UTF-8 (from a file name or the command line)."""
    return _SURROGATE.search(text) is not None


_SURROGATE = re.compile("[\ud800-\udfff]")


def spreadsheet_safe(cell: str) -> str:
    """`cell` as a spreadsheet shows it, never runs it: a leading quote before a formula start."""
    return f"'{cell}" if cell.startswith(_FORMULA_START) else cell


#: Plurals English does not make with -s (the nouns facilitrack counts).
_IRREGULAR = {"child": "children", "person": "people"}


def plural(noun: str) -> str:
    """``trainee`` → ``trainees``, ``match`` → ``matches``, ``child`` → ``children``;
    a possessive ``trainee's`` → ``trainees'``. Only the last word changes."""
    if noun.endswith("'s"):
        return f"{noun[:-2]}s'"
    *head, last = noun.split(" ")
    if last in _IRREGULAR:
        last = _IRREGULAR[last]
    elif last.endswith(("s", "sh", "ch", "x", "z")):
        last += "es"
    else:
        last += "s"
    return " ".join([*head, last])


def counted(n: int, noun: str) -> str:
    """``1 trainee``, ``2 trainees``, ``0 children``: `n` and `noun`, agreeing."""
    return f"{n} {noun if n == 1 else plural(noun)}"


# -- measuring and fitting ---------------------------------------------------------------------


def char_width(ch: str) -> int:
    """Columns one code point takes in a terminal: 0, 1 or 2."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal (ASCII, nearly every cell, one a character: no lookup)."""
    if text.isascii():
        return len(text)
    return sum(char_width(ch) for ch in text)


def clean(text: str) -> str:
    """`text` on one line, safe to print: tabs and newlines become spaces, other control
    characters and bidi overrides visible escapes (`one_line`)."""
    return one_line(text)


def truncate(text: str, width: int) -> str:
    """`text` cut to at most `width` columns, ending in ``…`` when cut."""
    if display_width(text) <= width:
        return text
    if width <= 0:
        return ""
    if text.isascii():
        return text[: width - 1] + ELLIPSIS
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
