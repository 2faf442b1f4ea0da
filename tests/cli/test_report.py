"""The coordinator's report as a user runs it: one self-contained, escaped HTML page."""

from __future__ import annotations

import json
import re
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from facilitrack.testing import CliResult

Cli = Callable[..., CliResult]
ROOT = Path(__file__).parents[2]
MPG = ROOT / "examples" / "mpg" / "cohort.toml"
DUET = ROOT / "examples" / "duet" / "cohort.toml"


def test_report_writes_one_self_contained_page(cli: Cli, tmp_path: Path) -> None:
    """The page embeds its style, forbids every fetch, and names no external resource."""
    result = cli("report", str(MPG), "--out", "report.html")
    assert 0 == result.code, result.err
    assert "wrote report.html (html, 7 trainees)" in result.out
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 0o600 == stat.S_IMODE((tmp_path / "report.html").stat().st_mode)
    assert "default-src 'none'" in page
    assert '<meta name="viewport"' in page
    assert "@media print" in page
    for fetch in ("<script", "<link", "<img", "src=", "@import", "url(", "@font-face"):
        assert fetch not in page


def test_report_shows_a_progress_bar_per_requirement_with_have_and_need(cli: Cli) -> None:
    """Marcus's five requirements each have a labelled <progress> with have/need."""
    page = cli("report", str(MPG)).out
    card = page[page.index('data-trainee="marcus"'):]
    card = card[: card.index("</article>")]
    pattern = r'<progress [^>]*value="(\d+)" max="(\d+)" data-have="(\d+)"[^>]*aria-label="([^"]+)"'
    bars = re.findall(pattern, card)
    assert [("1", "1", "1", "a mental-health professional, or leads beside one: 1 of 1"),
            ("10", "18", "10", "weeks leading one&#x27;s own group: 10 of 18")] == bars[:2]
    assert 5 == len(bars)


def test_report_json_is_the_pages_content(cli: Cli) -> None:
    """--format json prints the model the page draws: strips, trainees, requirements, groups."""
    data = json.loads(cli("report", str(MPG), "--format", "json").out)
    assert {"cohort", "strips", "trainees", "groups"} == set(data)
    assert ["level1", "demonstration", "trainee_led", "certified", "on_hold", "withdrawn"] == [
        s["stage"] for s in data["strips"][0]["stages"]
    ]
    assert 7 == sum(s["count"] for s in data["strips"][0]["stages"])


def test_report_escapes_everything_users_wrote(cli: Cli, tmp_path: Path) -> None:
    """Names, the cohort's name and problems with markup appear as text, never as markup."""
    text = MPG.read_text(encoding="utf-8")
    text = text.replace('name = "MPG Level 2 - 2025/26"', 'name = "<script>alert(1)</script> & co"')
    text = text.replace('name = "Ana Gómez"', 'name = "Ana \\"><img src=x onerror=alert(2)>"')
    (tmp_path / "evil.toml").write_text(text, encoding="utf-8")
    page = cli("report", "evil.toml").out
    assert "<script>" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "Ana &quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in page


def test_hebrew_names_are_written_in_their_own_direction(cli: Cli) -> None:
    """Each name is an element with dir="auto", so Hebrew reads right to left."""
    page = cli("report", str(DUET)).out
    assert '<h3 class="name" dir="auto">יעל כהן</h3>' in page


def test_report_from_a_store_with_people_and_issuer(cli: Cli, tmp_path: Path) -> None:
    """From a store, names and the issuer come from the imported file; --people and --issuer
    override them; a name erased with `forget` falls back to the id."""
    assert 0 == cli("import", str(MPG), "--store", "s.db").code
    page = cli("report", "--store", "s.db").out
    assert '<h3 class="name" dir="auto">Ana Gómez</h3>' in page
    assert "Center for Reflective Communities" in page
    (tmp_path / "p.toml").write_text('[[trainees]]\nid = "ana"\nname = "Ana G."\n'
                                     '[issuer]\nname = "Other Org"\nurl = "https://other.example.org"\n',
                                     encoding="utf-8")
    given = cli("report", "--store", "s.db", "--people", "p.toml", "--issuer", "p.toml").out
    assert ('<h3 class="name" dir="auto">Ana G.</h3>' in given, "Other Org" in given) == (True, True)
    assert 0 == cli("forget", "--store", "s.db", "ana").code
    bare = cli("report", "--store", "s.db").out
    assert '<h3 class="name" dir="auto">ana</h3>' in bare


def test_report_needs_exactly_one_source(cli: Cli) -> None:
    """Neither a cohort nor a store, or both, exits 2 with the fix."""
    neither = cli("report")
    assert (2, True) == (neither.code, "name a cohort file or a store" in neither.err)
    both = cli("report", str(MPG), "--store", "s.db")
    assert 2 == both.code


def test_report_refuses_to_overwrite_its_input(cli: Cli, tmp_path: Path) -> None:
    """--out naming the cohort file exits 2 and leaves it whole."""
    (tmp_path / "c.toml").write_text(MPG.read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("report", "c.toml", "--out", "c.toml")
    assert 2 == result.code
    assert MPG.read_text(encoding="utf-8") == (tmp_path / "c.toml").read_text(encoding="utf-8")


def test_an_issuer_file_with_errors_is_named(cli: Cli, tmp_path: Path) -> None:
    """An [issuer] with a bad url exits 2 naming the file and the field."""
    (tmp_path / "i.toml").write_text('[issuer]\nname = "X"\nurl = "ftp://x"\n')
    result = cli("report", str(MPG), "--issuer", "i.toml")
    assert 2 == result.code
    assert "i.toml" in result.err
    assert "issuer.url" in result.err


def test_run_never_imports_the_report_renderers_or_signing(tmp_path: Path) -> None:
    """`facilitrack run` loads no HTML, certificate, xAPI or signing code, nor cryptography."""
    code = (
        "import sys\n"
        "from facilitrack._cli import main\n"
        f"main(['run', {str(MPG)!r}, '--out', {str(tmp_path / 'r.json')!r}])\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = set(out.split())
    for module in ("cryptography", "jsonschema", "ralph", "playwright", "facilitrack._report.signing",
                   "facilitrack._report.html", "facilitrack._report.ob3", "facilitrack._report.xapi",
                   "facilitrack._report.view", "facilitrack._report.certificates", "facilitrack._report.jcs",
                   "facilitrack._cohort.people"):
        assert module not in loaded
