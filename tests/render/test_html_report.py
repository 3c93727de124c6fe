"""`--format html`: one self-contained page per report, built from the same decisions as the JSON.

Parsed with the standard library's HTML parser here; `test_html_browser.py` loads the same pages
in a real browser.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tagsim.cli import main
from tagsim.report.grid import Mark

ROOT = Path(__file__).resolve().parents[2]
UV = str(ROOT / "data" / "demo" / "pypi-simple-uv.json")
# Eight platforms of four systems: `--format json` lists every file per cell, which is slow for all 43.
PLATFORMS = [arg for p in ("linux-aarch64-glibc2.17", "linux-x86_64-glibc2.17", "linux-x86_64-musl1.1",
                           "linux-riscv64-glibc2.39", "macos11-arm64", "windows-amd64", "windows-arm64",
                           "freebsd14-amd64") for arg in ("--platform", p)]
CHECK = ["check", UV, "--spec", "uv==0.1.40", "--build-backend", "maturin", "--python", "cp311", "--python",
         "cp312", "--require", "linux-aarch64-glibc2.17", *PLATFORMS]
WHATIF = ["check", UV, "--spec", "uv==0.1.40", "--build-backend", "maturin", *PLATFORMS,
          "--retag", "*manylinux_2_28_aarch64*=+manylinux_2_17_aarch64", "--drop", "*win_amd64*"]
HISTORY = ["history", UV, "--since", "0.1.38", "--spec", "uv<0.1.47", "--build-backend", "maturin",
           "--platform", "linux-aarch64-glibc2.17", "--platform", "macos11-arm64", "--platform", "windows-amd64"]


class Cells(HTMLParser):
    """Every heatmap cell (`td.c`) with its attributes and text, and every tag name seen."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict[str, str]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._open: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if tag == "td" and "c" in (found.get("class") or "").split():
            self._open = {k: v or "" for k, v in found.items()} | {"text": ""}
            self.cells.append(self._open)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["text"] += data


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def parsed(page: str) -> Cells:
    parser = Cells()
    parser.feed(page)
    return parser


def key_of(cell: dict[str, str]) -> tuple[str, ...]:
    """(platform, python, installer) from the first line of the cell's title."""
    return tuple(re.split(r" \u00b7 | ", cell["title"].split("\n")[0]))


def test_check_cells_are_the_json_decisions(capsys: pytest.CaptureFixture[str]) -> None:
    code, page, _ = run(capsys, *CHECK, "--format", "html")
    assert code == 1  # the required cell builds from source, as in every other format
    _, raw, _ = run(capsys, *CHECK, "--format", "json")
    rows = json.loads(raw)["rows"]
    cells = parsed(page).cells
    assert len(cells) == len(rows) == 8 * 2 * 2
    want = {(r["platform"], r["python"], r["installer"]): r for r in rows}
    for cell in cells:
        row = want[key_of(cell)]
        assert cell["data-outcome"] == row["outcome"]
        assert row["outcome"] in cell["text"]
        assert row["message"] in cell["title"]
        if row["file"]:
            assert row["file"] in cell["title"]
        if row["tag"]:
            assert f"tag {row['tag']}, rank {row['rank']}" in cell["title"]
        assert ("rq" in cell["class"].split()) == (row["platform"] == "linux-aarch64-glibc2.17")
    # what would fix it: the missing tag, from the decision's own hint
    assert "a wheel tagged <code>manylinux_2_17_aarch64 or lower</code> would fit linux-aarch64-glibc2.17" in page


def test_page_is_self_contained(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (CHECK, WHATIF, HISTORY):
        _, page, _ = run(capsys, *argv, "--format", "html")
        tags = parsed(page).tags
        assert not [t for t, _ in tags if t in ("script", "link", "img", "iframe", "object", "embed", "base")]
        assert not [a for _, attrs in tags for a in ("src", "href") if a in attrs]
        assert "url(" not in page and "@import" not in page and "http://" not in page and "https://" not in page
        assert "default-src 'none'" in page  # the CSP forbids every request, should one slip in
        assert page.count("<table") == page.count("</table>") >= 1
        assert "<th scope=\"row\">" in page and "<th scope=\"col\"" in page and "scope=\"rowgroup\"" in page


def test_whatif_marks_changes_on_both_sides(capsys: pytest.CaptureFixture[str]) -> None:
    _, page, _ = run(capsys, *WHATIF, "--format", "html")
    _, raw, _ = run(capsys, *WHATIF, "--format", "json")
    data = json.loads(raw)
    kinds = [c["kind"] for c in data["changes"]]
    assert f"<h2>{data['summary']}</h2>" in page
    assert kinds.count("fixed") == 2 and kinds.count("broke") == 2  # aarch64 glibc 2.17; windows amd64
    cells = parsed(page).cells
    assert len(cells) == len(data["before"]["rows"]) + len(data["after"]["rows"])
    for kind in ("fixed", "broke"):
        marked = [c for c in cells if kind in c["class"].split()]
        assert len(marked) == 2 * kinds.count(kind)  # before and after
    before, after = cells[: len(cells) // 2], cells[len(cells) // 2:]
    fixed = [(b, a) for b, a in zip(before, after, strict=True) if "fixed" in a["class"].split()]
    assert all(b["data-outcome"] != "wheel" and a["data-outcome"] == "wheel" for b, a in fixed)


def test_history_boxes_the_regression(capsys: pytest.CaptureFixture[str]) -> None:
    _, page, _ = run(capsys, *HISTORY, "--format", "html")
    _, raw, _ = run(capsys, *HISTORY, "--format", "json")
    data = json.loads(raw)
    cells = parsed(page).cells
    assert len(cells) == sum(len(r["cells"]) for r in data["releases"])
    boxed = [c for c in cells if Mark.REGRESSION.value in c["class"].split()]
    # 0.1.44 lost the glibc 2.17 aarch64 wheel for pip and uv; 0.1.45 brought it back
    assert [r["first_bad"] for r in data["regressions"]] == ["0.1.44", "0.1.44"]
    assert len(boxed) == 2
    assert all(key_of(c)[0] == "linux-aarch64-glibc2.17" and key_of(c)[-1] == "0.1.44" for c in boxed)
    assert all(c["data-outcome"] == "sdist" for c in boxed)


def test_outside_text_is_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    names = tmp_path / "names.txt"
    names.write_text("demo-1.0.tar.gz\n<script>alert(1)</script>\"'&.whl\n", encoding="utf-8")
    _, page, _ = run(capsys, "check", str(names), "--platform", "linux-aarch64-glibc2.17", "--format", "html")
    assert "<script" not in page
    assert "<code>&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#x27;&amp;.whl</code>" in page  # listed as unusable


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.html"
    code, out, _ = run(capsys, *HISTORY, "--format", "html", "-o", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    code, out, err = run(capsys, *HISTORY, "--format", "html", "--output", str(tmp_path / "no" / "such.html"))
    assert code == 2 and out == ""
    assert err == f"tagsim: error: {tmp_path / 'no' / 'such.html'}: cannot write: No such file or directory\n"


LOCK = ["check", "--no-fetch-sdist", str(ROOT / "tests" / "fixtures" / "locks" / "uv" / "uv.lock"), "--platform", "linux-x86_64-musl1.1",
        "--platform", "windows-arm64", "--platform", "linux-x86_64-glibc2.17", "--require", "windows-arm64"]


def test_lock_cells_are_the_json_decisions(capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 18 with issue 15: packages x targets, failures and builds first, skipped cells n/a with the reason."""
    code, page, _ = run(capsys, *LOCK, "--format", "html")
    _, raw, _ = run(capsys, *LOCK, "--format", "json")
    assert code == 1  # the required Windows-on-ARM targets build, as in every other format
    decisions = json.loads(raw)["decisions"]
    want = {(d["project"], d["locked_version"], d["platform"], d["python"]): d for d in decisions}
    cells = parsed(page).cells
    assert len(cells) == len(decisions)  # one cell per (package, target), skipped ones included
    for cell in cells:
        package, platform, column = cell["title"].split("\n")[0].split(" \u00b7 ")
        name, version = package.split("==")
        d = want[(name, version, platform, column.split()[0])]
        if d["status"] == "skipped":
            assert cell["data-outcome"] == "n/a" and "not applicable: skipped" in cell["title"]
        else:
            assert cell["data-outcome"] == d["outcome"] and d["message"] in cell["title"]
        assert ("rq" in cell["class"].split()) == (platform == "windows-arm64")
    groups = re.findall(r'scope="rowgroup"[^>]*>([^<(]+) \(', page)
    assert groups == ["cannot install on some targets", "builds from source on some targets",
                      "a wheel wherever installed", "skipped on every target"]
