"""Text from input made safe for a terminal and for a spreadsheet; counted nouns."""

from __future__ import annotations

import os

import pytest
from facilitrack._text import counted, display_path, one_line, spreadsheet_safe, terminal_safe


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
