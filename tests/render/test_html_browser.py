"""The HTML reports in a real browser: headless Chromium from the OS packages, driven over the DevTools pipe.

Each kind of report is rendered by the CLI, loaded offline, and checked on the live DOM: one cell per
JSON decision, each cell's painted colour and label matching that decision's outcome, a tooltip on
keyboard focus, no request but the page itself, A4 pages when printed. Screenshots go to pytest's
temporary folder, or to `$TAGSIM_SCREENSHOTS` (`TAGSIM_SCREENSHOTS=docs/images pytest
tests/render/test_html_browser.py` refreshes the README's picture). Without Chromium every test here
is skipped, with the reason in the summary (`.ci/run` installs it).
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_html_report import CHECK, HISTORY, LOCK, WHATIF

from browser_support import Browser, find_chromium
from tagsim.cli import main
from tagsim.render.html_page import OUTCOME_STYLE

CHROMIUM, MISSING = find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=f"browser tests need Chromium: {MISSING}")

#: The painted background of each outcome's word, as the browser reports a computed colour.
COLOURS = {word: "rgb({}, {}, {})".format(*(int(bg[i:i + 2], 16) for i in (1, 3, 5)))
           for bg, _, _, word in OUTCOME_STYLE.values()}
SYMBOLS = {word: symbol for _, _, symbol, word in OUTCOME_STYLE.values()}

CELLS_JS = """[...document.querySelectorAll('td.c')].map(td => [td.title.split('\\n')[0], td.dataset.outcome,
  getComputedStyle(td).backgroundColor, td.textContent, td.tabIndex])"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM is not None
    with Browser(CHROMIUM) as b:
        yield b


def render(tmp_path: Path, name: str, argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[Path, dict]:
    page = tmp_path / f"{name}.html"
    main([*argv, "--format", "html", "-o", str(page)])
    main([*argv, "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    return page, data


def keep(shot: Path) -> None:
    folder = os.environ.get("TAGSIM_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(folder) / shot.name)


def painted(shot: Path) -> set[tuple[int, int, int]]:
    """The distinct colours of a PNG (matplotlib reads it; it is in the test extra)."""
    from matplotlib.image import imread

    pixels = (imread(shot)[:, :, :3] * 255).round().astype(int).reshape(-1, 3)
    return {tuple(p) for p in pixels.tolist()}


def css_string(value: str) -> str:
    """A computed `content` string back to text: quotes off, `\\a ` (CSS for a newline) and `\\"` undone."""
    assert value[0] == value[-1] == '"'
    return value[1:-1].replace("\\a ", "\n").replace('\\"', '"').replace("\\\\", "\\")


def check_dom(browser: Browser, page: Path, decisions: list[tuple[str, str]]) -> list[list]:
    """Load the page; every cell must be one decision (by title key), painted and labelled as its outcome."""
    browser.requests.clear()
    browser.open(page)
    cells = browser.evaluate(CELLS_JS)
    assert len(cells) == len(decisions)
    assert sorted((key, outcome) for key, outcome, *_ in cells) == sorted(decisions)
    for key, outcome, colour, text, tabindex in cells:
        assert colour == COLOURS[outcome], key
        assert text.startswith(SYMBOLS[outcome]), key
        assert tabindex == 0
    assert browser.requests == [page.resolve().as_uri()]  # nothing fetched but the page itself
    assert browser.evaluate("document.scripts.length + document.images.length + document.styleSheets.length") == 1
    return cells


def test_check_report(browser: Browser, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page, data = render(tmp_path, "check", CHECK, capsys)
    decisions = [(f"{r['platform']} \u00b7 {r['python']} \u00b7 {r['installer']}", r["outcome"]) for r in data["rows"]]
    check_dom(browser, page, decisions)
    # the required cells are outlined
    outlines = browser.evaluate("[...document.querySelectorAll('td.rq')].map(td => getComputedStyle(td).outlineWidth)")
    assert outlines == ["3px"] * 4
    # keyboard: Tab reaches the first cell, whose focus shows the tooltip with the decision
    browser.press_tab()
    focused = browser.evaluate("[document.activeElement.tagName, document.activeElement.title, "
                               "getComputedStyle(document.activeElement, '::after').content]")
    assert focused[0] == "TD" and "why: " in focused[1]
    assert css_string(focused[2]) == focused[1]  # the CSS tooltip shows the whole title
    shot = tmp_path / "check-heatmap.png"
    browser.screenshot(shot, full_page=False)
    keep(shot)
    colours = painted(shot)
    assert {(0x1B, 0x78, 0x37), (0xF6, 0xB0, 0x42)} <= colours  # green wheels and amber builds were painted


def test_whatif_report(browser: Browser, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page, data = render(tmp_path, "whatif", WHATIF, capsys)
    decisions = [(f"{r['platform']} \u00b7 {r['python']} \u00b7 {r['installer']}", r["outcome"])
                 for side in ("before", "after") for r in data[side]["rows"]]
    check_dom(browser, page, decisions)
    marked = browser.evaluate("[...document.querySelectorAll('td.fixed, td.broke')].map(td => "
                              "getComputedStyle(td).boxShadow)")
    assert len(marked) == 2 * len(data["changes"]) and all("inset" in m for m in marked)
    assert browser.evaluate("document.querySelector('h2').textContent") == data["summary"]
    sides = browser.evaluate("[...document.querySelectorAll('.side > section')].map(s => s.getBoundingClientRect().x)")
    assert len(sides) == 2 and sides[0] < sides[1]  # before and after side by side
    shot = tmp_path / "whatif.png"
    browser.screenshot(shot, max_height=1500)
    keep(shot)


def test_history_report(browser: Browser, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page, data = render(tmp_path, "history", HISTORY, capsys)
    columns = data["columns"]  # listed once; a release's cells are [outcome, cell, file] in their order
    decisions = [(f"{c['platform']} {c['python']} {c['installer']} \u00b7 {r['version']}", cell[0])
                 for r in data["releases"] for c, cell in zip(columns, r["cells"], strict=True)]
    check_dom(browser, page, decisions)
    boxed = browser.evaluate("[...document.querySelectorAll('td.regression')].map(td => "
                             "[td.title.split('\\n')[0], getComputedStyle(td).outlineWidth])")
    assert sorted(boxed) == [[f"linux-aarch64-glibc2.17 cp312 {i} \u00b7 0.1.44", "3px"]
                             for i in ("pip==26.3", "uv==0.13.9")]
    shot = tmp_path / "history.png"
    browser.screenshot(shot, max_height=1500)
    keep(shot)


def test_lock_report(browser: Browser, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Packages x targets of a lock file (issue 15): one cell per (package, target), skipped ones grey."""
    page, data = render(tmp_path, "lock", LOCK, capsys)
    decisions = [(f"{d['project']}=={d['locked_version']} \u00b7 {d['platform']} \u00b7 {d['python']} uv",
                  "n/a" if d["status"] == "skipped" else d["outcome"]) for d in data["decisions"]]
    check_dom(browser, page, decisions)
    shot = tmp_path / "lock.png"
    browser.screenshot(shot, max_height=1500)
    keep(shot)
    assert {(0x1B, 0x78, 0x37), (0xF6, 0xB0, 0x42)} <= painted(shot)


def test_prints_on_a4_landscape(browser: Browser, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page, _ = render(tmp_path, "check", CHECK, capsys)
    browser.open(page)
    pdf = base64.b64decode(browser.call("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True},
                                        session=True)["data"])
    boxes = {tuple(round(float(v)) for v in box.split()) for box in
             re.findall(rb"/MediaBox \[([\d. ]+)\]", pdf)}
    assert boxes == {(0, 0, 842, 595)}  # A4 landscape in points, every page


def test_500_by_86_grid_loads(browser: Browser, tmp_path: Path) -> None:
    """The scale the issue asks for: 500 rows x 86 columns = 43,000 cells, all in the DOM (speed: benchmarks/)."""
    from browser_support import big_grid_page

    page = tmp_path / "big.html"
    page.write_text(big_grid_page(500, 86), encoding="utf-8")
    browser.open(page)
    assert browser.evaluate("document.querySelectorAll('td.c').length") == 500 * 86
    assert browser.evaluate("document.querySelectorAll('tbody th[scope=row]').length") == 500
