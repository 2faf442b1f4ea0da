"""Text from input made safe for a terminal and for a spreadsheet; counted nouns; widths in columns."""

from __future__ import annotations

import os
import unicodedata

import pytest
from facilitrack._text import (
    counted,
    display_path,
    display_width,
    one_line,
    pad,
    spreadsheet_safe,
    terminal_safe,
    truncate,
    wrap,
)
from hypothesis import given, settings

from tests.strategies import printable_texts, texts, widths


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),  # an escape sequence: colour
        ("\x1b]0;owned\x07", "\\x1b]0;owned\\x07"),  # an OSC sequence: the window title
        ("a\x9b2Jb", "a\\x9b2Jb"),  # C1: a one-byte CSI
        ("bell\x07 nul\x00 del\x7f", "bell\\x07 nul\\x00 del\\x7f"),
        ("over\rwrite", "over\\rwrite"),
        ("gnp.\u202eexe", "gnp.\\u202eexe"),  # right-to-left override
        ("\u2066isolate\u2069 \u202aembed\u202c", "\\u2066isolate\\u2069 \\u202aembed\\u202c"),
    ],
)
def test_controls_and_bidi_overrides_are_shown_not_obeyed(given: str, shown: str) -> None:
    """C0, DEL, C1, escape sequences and bidi embeddings/overrides/isolates become visible escapes."""
    assert shown == terminal_safe(given)


@pytest.mark.parametrize(
    "text", ["Ana Gómez", "נועה כהן", "Zoë", "e\u0301", "田中 由紀", "plain ascii", "tab-free: ok"]
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    """Names in any script, accents (composed or combining) and CJK pass unchanged."""
    assert text == terminal_safe(text)


def test_line_breaks_are_kept_only_where_asked() -> None:
    """Multi-line output keeps its line breaks; one-line text escapes them."""
    assert "a\nb\\x1b" == terminal_safe("a\nb\x1b", multiline=True)
    assert "a\\nb\\tc" == terminal_safe("a\nb\tc")


def test_one_line_turns_whitespace_controls_into_spaces() -> None:
    """Table cells: newlines and tabs become spaces, other controls escapes."""
    assert "a b c \\x1b[2J" == one_line("a\nb\tc\r\x1b[2J")


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("ana", "ana"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_spreadsheet_formulas_are_neutralised(cell: str, safe: str) -> None:
    """A cell a spreadsheet would run as a formula gets a leading quote (OWASP's advice)."""
    assert safe == spreadsheet_safe(cell)


@pytest.mark.parametrize(
    ("n", "noun", "text"),
    [(0, "trainee", "0 trainees"), (1, "trainee", "1 trainee"), (2, "trainee", "2 trainees"),
     (1, "event row", "1 event row"), (3, "event row", "3 event rows"), (1, "match", "1 match"),
     (2, "match", "2 matches"), (2, "trainee's", "2 trainees'"), (1, "trainee's", "1 trainee's"),
     (1, "child", "1 child"), (4, "child", "4 children"), (2, "parent-child dyad", "2 parent-child dyads")],
)
def test_counted_nouns_agree_with_their_number(n: int, noun: str, text: str) -> None:
    """"1 trainee", "2 trainees": no "1 trainees" anywhere."""
    assert text == counted(n, noun)


def test_bytes_that_are_not_utf8_are_shown_as_bytes() -> None:
    """A name with bytes that are not UTF-8 (surrogate escapes) prints as ``\\xff``, never fails."""
    name = os.fsdecode(b"spring-\xff.toml")
    assert "spring-\\xff.toml" == terminal_safe(name)
    assert "spring-\\xff.toml" == display_path(name)
    assert "spring.toml" == display_path("spring.toml")


# -- measuring -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("Gómez", 5),
        (unicodedata.normalize("NFD", "Gómez"), 5),  # o + combining acute
        ("נועה", 4),
        ("שָׁלוֹם", 4),  # Hebrew letters with points: the points take no column
        ("李小龍", 6),
        ("a\u200fb", 2),  # a right-to-left mark takes none
    ],
)
def test_display_width_counts_columns_not_code_points(text: str, width: int) -> None:
    """Accents, Hebrew points and format marks take no column; wide characters take two."""
    assert width == display_width(text)


def test_truncate_ends_in_ellipsis_and_fits() -> None:
    """A cut cell ends in … and is exactly as wide as allowed."""
    assert "Ana G…" == truncate("Ana Gómez", 6)
    assert "李小…" == truncate("李小龍王", 6)
    assert "Ana Gómez" == truncate("Ana Gómez", 9)


def test_truncate_keeps_combining_marks_with_their_letter() -> None:
    """Cutting decomposed text never leaves an accent behind without its letter, or drops it."""
    decomposed = unicodedata.normalize("NFD", "Gómez Álvarez")
    cut = truncate(decomposed, 3)
    assert unicodedata.normalize("NFD", "Gó…") == cut


@settings(max_examples=200, derandomize=True)
@given(text=texts(), width=widths(1, 40))
def test_pad_is_always_exactly_the_width(text: str, width: int) -> None:
    """Any text, any script, padded or cut: exactly `width` columns."""
    assert width == display_width(pad(text, width))


@settings(max_examples=200, derandomize=True)
@given(text=printable_texts(), width=widths(4, 60))
def test_wrap_never_exceeds_the_width(text: str, width: int) -> None:
    """Wrapped lines, indent included, never exceed the width."""
    for line in wrap(text, width, indent="  "):
        assert display_width(line) <= width
