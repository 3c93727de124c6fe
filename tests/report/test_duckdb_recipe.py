"""The README's DuckDB recipe, run for real: export a file table as JSON lines sorted by project, stream
it through `tagsim stream`, aggregate the answers in DuckDB; the counts must be the Python API's.

The SQL is the README's, statement for statement (read from it, so the two cannot drift apart).
duckdb is in the `test` extra; where it cannot be installed the test skips and says so.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections import Counter
from pathlib import Path

import pytest

from tagsim import bundled_profiles, default_installers, load_source, parse_python, stream_decisions
from tagsim.cli import main
from tagsim.report.stream import Decided

ROOT = Path(__file__).resolve().parents[2]
PLATFORM = "linux-aarch64-glibc2.17"


def readme_sql() -> tuple[str, str]:
    """The export and the aggregation statements of the README's DuckDB block."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("With DuckDB, export a file table", 1)[1].split("```sql", 1)[1].split("```", 1)[0]
    statements = [s.strip() for s in re.sub(r"--[^\n]*", "", block).split(";") if s.strip()]
    export, aggregate = statements
    assert "tagsim stream files.jsonl --platform " + PLATFORM in block  # the shell step the test runs
    return export, aggregate


def test_the_readme_duckdb_recipe_matches_the_python_api(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb", reason="SKIPPED LOUDLY: duckdb is not installed (pip install '.[test]')")
    files = load_source(str(ROOT / "data" / "demo" / "pypi-simple-uv.json"))
    # A file table as an index would keep it: two projects (uv, and a copy renamed), in no useful order.
    rows = [(f.name, f.filename, f.requires_python, f.yanked) for f in files]
    rows += [("uv-copy", f.filename.replace("uv-", "uv_copy-", 1), f.requires_python, not f.yanked)
             for f in files[::7]]
    rows.reverse()
    export, aggregate = readme_sql()
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        con = duckdb.connect()
        con.execute("CREATE TABLE files (project VARCHAR, filename VARCHAR, requires_python VARCHAR, yanked BOOLEAN)")
        con.executemany("INSERT INTO files VALUES (?, ?, ?, ?)", rows)
        con.execute("COPY files TO 'files.parquet' (FORMAT PARQUET)")
        con.execute(export)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(["stream", "files.jsonl", "--platform", PLATFORM, "--no-summary"]) == 0
        Path("decisions.jsonl").write_text(out.getvalue(), encoding="utf-8")
        got = {(platform, installer, outcome): count for platform, installer, outcome, count in con.execute(aggregate).fetchall()}
    finally:
        os.chdir(old)
    lines = (tmp_path / "files.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(rows) and lines == sorted(lines, key=lambda line: line.split('"filename"')[0])
    records = stream_decisions(lines, [bundled_profiles()[PLATFORM]], [parse_python("cp312")], default_installers())
    want = Counter((r.profile.id, r.decision.installer.spec, r.decision.outcome.value) for r in records
                   if isinstance(r, Decided))
    assert got == dict(want) and sum(want.values()) == 2 * 2  # two projects x newest pip and uv
