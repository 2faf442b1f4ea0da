"""The project's metadata is complete and builds with the setuptools it declares."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
#: Assumption: the project's public home (no repository is published yet).
HOME = "https://github.com/facilitrack/facilitrack"


def test_build_needs_a_setuptools_that_reads_license_expressions() -> None:
    """`license = "MIT"` (an SPDX expression, PEP 639) needs setuptools 77 or later."""
    [setuptools] = [r for r in PROJECT["build-system"]["requires"] if r.startswith("setuptools")]
    minimum = re.fullmatch(r"setuptools>=(\d+)(?:\.\d+)*", setuptools)

    assert minimum is not None, setuptools
    assert int(minimum[1]) >= 77
    assert "MIT" == PROJECT["project"]["license"]


def test_license_file_is_mit_and_shipped() -> None:
    """LICENSE holds the MIT text for "the facilitrack authors" and goes into the distribution."""
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")

    assert text.startswith("MIT License\n")
    assert "Copyright (c) the facilitrack authors" in text
    assert "THE SOFTWARE IS PROVIDED \"AS IS\"" in text
    assert ["LICENSE"] == PROJECT["project"]["license-files"]


def test_classifiers_and_urls() -> None:
    """Classifiers name the tested Python and the audience, no License one (PEP 639); URLs lead home."""
    classifiers = PROJECT["project"]["classifiers"]
    urls = PROJECT["project"]["urls"]

    assert {
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3 :: Only",
        "Typing :: Typed",
        "Environment :: Console",
    } <= set(classifiers)
    assert [] == [c for c in classifiers if c.startswith("License ::")]
    assert {"Homepage", "Documentation", "Source", "Issues"} == set(urls)
    assert all(url.startswith(HOME) for url in urls.values())
