"""The report and the certificates opened in real headless Chromium, at desktop and phone widths.

Debian's ``chromium`` (/usr/bin/chromium), driven by Playwright with ``executable_path``:
Playwright's own browser download is not used. Without a browser the tests skip, saying so.
With ``FACILITRACK_SCREENSHOTS=DIR`` set they also save the screenshots docs/report.md shows.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from facilitrack.testing import CliResult

Cli = Callable[..., CliResult]
ROOT = Path(__file__).parents[2]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
HEBREW = re.compile("[\u0590-\u05ff]")


def chromium_path() -> str | None:
    """The Chromium to drive: $FACILITRACK_CHROMIUM, else Debian's chromium on the PATH."""
    given = os.environ.get("FACILITRACK_CHROMIUM")
    if given:
        return given
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium, or a skip naming what is missing."""
    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium found: install Debian's `chromium` (apt-get install chromium)"
                    " or set FACILITRACK_CHROMIUM to a Chromium binary")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed (it is in the `test` extra)")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=path, headless=True, args=ARGS)
        yield launched
        launched.close()


def _open(browser: Any, path: Path, viewport: dict[str, int]) -> tuple[Any, Any, list[str]]:
    """`path` loaded in a fresh page; every request the page makes is recorded, and any not for
    the file itself is aborted."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    def only_the_file(route: Any) -> None:
        if route.request.url == path.as_uri():
            route.continue_()
        else:
            route.abort()

    page.route("**/*", only_the_file)
    page.goto(path.as_uri(), wait_until="load")
    return context, page, requests


def _screenshot(page: Any, name: str, *, full_page: bool = False) -> None:
    where = os.environ.get("FACILITRACK_SCREENSHOTS")
    if where:
        target = Path(where)
        if not target.is_absolute():
            target = ROOT / target
        target.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target / name), full_page=full_page)


def _no_horizontal_overflow(page: Any) -> None:
    sizes = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1], f"the page is {sizes[0]}px wide in a {sizes[1]}px window"


@pytest.mark.parametrize("example", ["mpg", "duet"])
@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_report_in_chromium(browser: Any, cli: Cli, tmp_path: Path, example: str, width: str) -> None:
    """Bars match the JSON report, Hebrew reads right to left, nothing is fetched or overflows."""
    cohort = ROOT / "examples" / example / "cohort.toml"
    assert 0 == cli("report", str(cohort), "--out", "report.html").code
    data = json.loads(cli("report", str(cohort), "--format", "json").out)
    run = json.loads(cli("run", str(cohort), "--format", "json").out)
    context, page, requests = _open(browser, tmp_path / "report.html", VIEWPORTS[width])
    try:
        assert [(tmp_path / "report.html").as_uri()] == requests

        bars = page.evaluate("""() => [...document.querySelectorAll('progress')].map(p => ({
            trainee: p.closest('[data-trainee]').dataset.trainee,
            requirement: p.closest('[data-requirement]').dataset.requirement,
            value: p.value, max: p.max, have: Number(p.dataset.have),
            label: p.getAttribute('aria-label'),
            name: p.labels.length ? p.labels[0].textContent : null}))""")
        expected = [
            {"trainee": t["trainee"]["id"], "requirement": r["requirement"],
             "value": min(r["have"], r["need"]), "max": r["need"], "have": r["have"]}
            for t in data["trainees"] for r in t["requirements"]
        ]
        fields = ("trainee", "requirement", "value", "max", "have")
        assert expected == [{k: b[k] for k in fields} for b in bars]
        for bar in bars:
            assert bar["label"].startswith(bar["name"])
            assert f"{bar['have']} of {bar['max']}" in bar["label"]
        # every requirement `run --format json` reports missing has its bar, with the same have/need
        missing = {
            (t["id"], m["requirement"]): (m["have"], m["need"]) for t in run["trainees"] for m in t["missing"]
        }
        shown = {(b["trainee"], b["requirement"]): (b["have"], b["max"]) for b in bars}
        assert missing.items() <= shown.items()

        names = page.evaluate("""() => [...document.querySelectorAll('[dir=auto]')].map(el => {
            const range = document.createRange(), text = el.firstChild;
            if (!text || text.nodeType !== 3 || text.length < 2) return null;
            range.setStart(text, 0); range.setEnd(text, 1); const first = range.getBoundingClientRect();
            range.setStart(text, text.length - 1); range.setEnd(text, text.length);
            const last = range.getBoundingClientRect();
            return {text: el.textContent, direction: getComputedStyle(el).direction,
                    firstX: first.left, lastX: last.left, sameLine: Math.abs(first.top - last.top) < 2};
        }).filter(Boolean)""")
        hebrew = [n for n in names if HEBREW.match(n["text"])]
        if example == "duet":
            assert len(hebrew) >= 6
        for name in hebrew:
            assert "rtl" == name["direction"], name
            if name["sameLine"]:
                assert name["firstX"] > name["lastX"], name  # the first letter stands at the right

        _no_horizontal_overflow(page)
        if example == "mpg":
            _screenshot(page, f"report-{width}.png")
    finally:
        context.close()


def test_certificates_print_one_per_page(browser: Any, cli: Cli, tmp_path: Path) -> None:
    """Printed to PDF, the certificates page has one page per certificate; it fetches nothing."""
    cohort = ROOT / "examples" / "mpg" / "cohort.toml"
    assert 0 == cli("certificates", str(cohort), "--format", "html", "--out", "certificates.html").code
    sheets = (tmp_path / "certificates.html").read_text(encoding="utf-8").count('<section class="sheet"')
    context, page, requests = _open(browser, tmp_path / "certificates.html", VIEWPORTS["desktop"])
    try:
        assert [(tmp_path / "certificates.html").as_uri()] == requests
        _screenshot(page, "certificate.png")
        pdf = page.pdf(landscape=True, prefer_css_page_size=True)
        assert sheets == len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    finally:
        context.close()
    context, page, requests = _open(browser, tmp_path / "certificates.html", VIEWPORTS["phone"])
    try:
        _no_horizontal_overflow(page)
    finally:
        context.close()
