"""Real public lock files (tests/fixtures/locks/public, see SOURCES.md): every package is read, and a report
over every bundled profile runs to the end with each package once per target."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest

from tagsim.choice.lock_choice import LockStatus
from tagsim.files.locks.detect import read_lock
from tagsim.report.lock import run_lock
from tagsim.report.lock_plan import plan_lock

PUBLIC = Path(__file__).resolve().parents[1] / "fixtures" / "locks" / "public"
LOCKS = {"pdm-project-pdm.lock.gz": "pdm.lock", "python-poetry-poetry.lock.gz": "poetry.lock",
         "pydantic-uv.lock.gz": "uv.lock"}


@pytest.mark.parametrize(("packed", "name"), sorted(LOCKS.items()))
def test_public_lock_read_whole_and_reported(tmp_path: Path, packed: str, name: str) -> None:
    text = gzip.decompress((PUBLIC / packed).read_bytes()).decode()
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    lock = read_lock(str(path))
    assert len(lock.packages) == text.count("\n[[package]]\n") > 20
    assert [p.label for p in lock.packages if p.problem] == []
    assert [f.filename for f in lock.files if not f.usable] == []
    assert sum(len(p.files) for p in lock.packages) > 100
    plan = plan_lock(lock, pythons=["cp312"])
    report = run_lock(lock, plan.rows, plan.installers)
    for target in report.targets:
        if target.not_modelled:
            continue
        cells = report.cells_of(target)
        assert Counter(c.position for c in cells) == Counter(range(len(lock.packages)))
    statuses = Counter(c.status for c in report.cells)
    assert statuses[LockStatus.WHEEL] > statuses[LockStatus.FAIL]  # mostly installable, as these projects are
