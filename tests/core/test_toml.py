"""Reading TOML files: odd files get one error naming the file and the fix, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli_w
from facilitrack import UserError
from facilitrack._model.program import load_program
from facilitrack._toml import parse_toml, read_text, read_toml

from tests.builders import DEMO

BOM = b"\xef\xbb\xbf"


def test_a_byte_order_mark_is_read_past(tmp_path: Path) -> None:
    """A UTF-8 file that starts with a byte-order mark (Windows Notepad) reads as without one."""
    path = tmp_path / "notepad.toml"
    path.write_bytes(BOM + b'name = "x"\n')

    assert {"name": "x"} == read_toml(path)
    assert 'name = "x"\n' == read_text(path)


def test_text_with_a_byte_order_mark_parses() -> None:
    """TOML text handed over with the mark still in it (U+FEFF) parses too."""
    assert {"name": "x"} == parse_toml('\ufeffname = "x"\n', "given.toml")


def test_a_program_file_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    """A program definition saved with a byte-order mark loads."""
    path = tmp_path / "demo.toml"
    path.write_bytes(BOM + tomli_w.dumps(DEMO).encode())

    assert "demo" == load_program(path).key


@pytest.mark.parametrize("nesting", ["[" * 600 + "]" * 600, "{a=" * 600 + "1" + "}" * 600])
def test_deep_nesting_is_an_error_not_a_crash(tmp_path: Path, nesting: str) -> None:
    """Arrays or inline tables nested hundreds deep: a UserError naming the file, no RecursionError."""
    path = tmp_path / "deep.toml"
    path.write_text(f"x = {nesting}\n", encoding="utf-8")

    with pytest.raises(UserError) as caught:
        read_toml(path)
    assert str(path) == caught.value.where
    assert "nested too deeply" in caught.value.what
    assert "[" in (caught.value.fix or "")


def test_a_directory_is_named_as_one(tmp_path: Path) -> None:
    """A directory given as the file: said so, with the fix to name a file in it."""
    with pytest.raises(UserError) as caught:
        read_text(tmp_path)
    assert "is a directory, not a file" == caught.value.what
    assert "name one of the files inside it" == caught.value.fix


def test_a_dangling_link_is_named_as_one(tmp_path: Path) -> None:
    """A link to nothing says where it points, not just "file not found"."""
    link = tmp_path / "cohort.toml"
    link.symlink_to(tmp_path / "gone.toml")
    with pytest.raises(UserError) as caught:
        read_text(link)
    assert f"a link to {tmp_path / 'gone.toml'}, which does not exist" == caught.value.what


def test_not_utf8_names_the_line_and_column(tmp_path: Path) -> None:
    """Latin-1 bytes: the place of the first byte that is not UTF-8, and how to save as UTF-8."""
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[cohort]\nname = "Jos\xe9"\n')

    with pytest.raises(UserError) as caught:
        read_text(path)
    assert f"{path}:2:12" == caught.value.where
    assert "not UTF-8 text (byte 0xe9)" == caught.value.what
    assert "UTF-8" in (caught.value.fix or "")


def test_utf16_is_recognised(tmp_path: Path) -> None:
    """A UTF-16 file (Notepad's "Unicode"): named as UTF-16, with the fix to save it as UTF-8."""
    path = tmp_path / "utf16.toml"
    path.write_text('name = "x"\n', encoding="utf-16")

    with pytest.raises(UserError) as caught:
        read_text(path)
    assert "UTF-16 text, not UTF-8" == caught.value.what


def test_a_nul_byte_is_a_syntax_error_at_its_place(tmp_path: Path) -> None:
    """A NUL byte: TOML forbids it; the error gives its line and column."""
    path = tmp_path / "nul.toml"
    path.write_bytes(b'a = 1\nname = "x\x00y"\n')

    with pytest.raises(UserError) as caught:
        read_toml(path)
    assert f"{path}:2:10" == caught.value.where
    assert "TOML syntax error: Illegal character '\\x00'" == caught.value.what


def test_an_endless_device_is_refused_after_a_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file with no end (/dev/zero) is read only up to the size limit, then refused."""
    import facilitrack._toml as reader

    monkeypatch.setattr(reader, "MAX_BYTES", 1024)
    path = tmp_path / "big.toml"
    path.write_bytes(b"# " + b"x" * 2048 + b"\n")

    with pytest.raises(UserError) as caught:
        read_text(path)
    assert "larger than 1 KiB: not a file facilitrack reads" == caught.value.what
    if Path("/dev/zero").exists():
        with pytest.raises(UserError):
            read_text(Path("/dev/zero"))
