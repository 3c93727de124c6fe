"""`check --all-considered --format json` is written cell by cell (issue 14 item 9): the same text as the
whole document, without holding files x cells of considered entries (20,000 files x 86 cells took 1.5 GB)."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from tagsim import build_rows, default_installers, load_sources, parse_python, resolve_platform, run_check
from tagsim.cli import main
from tagsim.files.filename import DistFile, parse_filename
from tagsim.render.formats import Format, render, render_chunks
from tagsim.report.check import CheckResult, WhatIf

ROOT = Path(__file__).resolve().parents[2]
UV = str(ROOT / "data" / "demo" / "pypi-simple-uv.json")
PLATFORMS = ["linux-aarch64-glibc2.17", "linux-x86_64-musl1.1", "windows-arm64", "macos11-arm64"]


def _check(files: list[DistFile]) -> CheckResult:
    rows = build_rows([resolve_platform(p) for p in PLATFORMS], [parse_python("cp311"), parse_python("cp312")])
    return run_check(files, rows, default_installers())


def test_streamed_json_is_the_whole_json() -> None:
    files = load_sources([UV]).files
    result = _check(files)
    whole = render(result, Format.JSON, all_considered=True)
    assert "".join(render_chunks(result, Format.JSON, all_considered=True)) == whole
    whatif = WhatIf(result, _check(files[:-40]), ("--drop x",))
    assert json.loads("".join(render_chunks(whatif, Format.JSON, all_considered=True))) == json.loads(
        render(whatif, Format.JSON, all_considered=True))


def test_cli_writes_the_same_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["check", UV, "--spec", "uv==0.1.44", "--format", "json", "--all-considered",
            *[a for p in PLATFORMS for a in ("--platform", p)]]
    assert main([*argv, "-o", str(tmp_path / "out.json")]) == 0
    assert main([*argv, "--pretty"]) == 0  # indented: the whole-document path
    pretty = json.loads(capsys.readouterr().out)
    assert json.loads((tmp_path / "out.json").read_text()) == pretty
    assert sum(len(r["considered"]) for r in pretty["rows"]) == len(pretty["rows"]) * 6024


def _peak(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_streaming_holds_one_cell_at_a_time() -> None:
    """Memory that does not grow with files x cells: the streamed peak is a fraction of the whole document's."""
    files = [parse_filename(f"demo-1.{i}{suffix}") for i in range(1500) for suffix in ("-py3-none-any.whl", ".tar.gz")]
    streamed = _peak(lambda: [None for _ in render_chunks(_check(files), Format.JSON, all_considered=True)])
    whole = _peak(lambda: render(_check(files), Format.JSON, all_considered=True))
    assert streamed * 3 < whole, (streamed, whole)
