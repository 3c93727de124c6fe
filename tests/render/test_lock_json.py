"""A lock report's JSON records written from the compact answers equal the ones written from each decision.

`render.lock.derived_json` writes a wheel's record from its file, rank and tag, and a build's or a
failure's from its hints and the words the package's cells share, without building the decision; every
record must be what `decision_json` writes from the decision itself.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tagsim import bundled_profiles, parse_installer, parse_python
from tagsim.files.locks.detect import read_lock
from tagsim.render.json import Detail
from tagsim.render.lock import cell_json, lock_json
from tagsim.report.build_chain import BuildResolver
from tagsim.report.check import build_rows
from tagsim.report.lock import LockReport, run_lock

ROOT = Path(__file__).resolve().parents[2]
LOCKS = ROOT / "tests" / "fixtures" / "locks"
ROWS = build_rows(list(bundled_profiles().values()), [parse_python("cp310"), parse_python("cp312")])
ALL = [parse_installer(n) for n in ("pip", "uv", "poetry", "pdm")]


def _benchmark_lock(tmp_path: Path) -> str:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from locks import write_lock  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    path = tmp_path / "pylock.toml"
    write_lock(path, 42)
    return str(path)


def _report(path: str, builds: bool) -> LockReport:
    resolver = BuildResolver(fetch_sdists=False) if builds else None
    return run_lock(read_lock(path), ROWS, ALL, builds=resolver)


@pytest.mark.parametrize("builds", [True, False], ids=["completed builds", "no resolver"])
@pytest.mark.parametrize("name", ["uv/uv.lock", "uv/pylock.toml", "uv/pylock.pip.toml", "poetry/poetry.lock",
                                  "pdm/pdm.lock", "benchmark"])
def test_derived_records_equal_the_decisions(name: str, builds: bool, tmp_path: Path) -> None:
    path = _benchmark_lock(tmp_path) if name == "benchmark" else str(LOCKS / name)
    derived = lock_json(_report(path, builds))["decisions"]
    slow = [cell_json(c) for c in _report(path, builds).cells]  # no shared words: every record from its decision
    assert len(derived) == len(slow) > 1000
    assert {r["status"] for r in derived} >= {"wheel", "build", "fail"}
    for got, want in zip(derived, slow, strict=True):
        assert json.dumps(got) == json.dumps(want)


def test_all_considered_lists_every_file(tmp_path: Path) -> None:
    report = _report(_benchmark_lock(tmp_path), True)
    records = lock_json(report, Detail.ALL)["decisions"]
    decided = [(r, c) for r, c in zip(records, report.cells, strict=True) if c.answer is not None and not c.target.error]
    assert len(decided) > 1000
    assert all(len(r["considered"]) == len(c.package.files) for r, c in decided)
    assert not any("considered" in r or "rejected" in r for r in lock_json(report)["decisions"])
