"""Ties through a `--find-links` folder and through an index page (issue 13, part 3), against real pip and uv.

Recorded by `tools/fidelity/issue13/record_issue13.py` (question 2) with pip 20.2.4, 21.3.1, 26.3 and
16 uv versions from 0.1.40 to 0.13.9: equally ranked wheels of one version (build tags 1/2, none/1,
2/10; `py3` / `py2.py3` / `py30.py3`), each listed in two orders, through a page and through a folder
on ext4 (hash order) and tmpfs (reverse creation order). Before uv 0.5.7 a folder's ties go by its
readdir order, which tagsim cannot know: there the explanation must say so, and the real choice must
be one of the files it names as tied.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tagsim import decide, parse_filename, parse_installer, parse_python, parse_spec, resolve_platform

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "issue13"
FILE_SYSTEM = "file-system order"


def _records() -> list[dict[str, Any]]:
    out = []
    for name in ("q2_ties.json", "q2_ties_tmpfs.json", "q2_ties_uv05.json"):
        for record in json.loads((FIXTURES / name).read_text(encoding="utf-8"))["records"]:
            out.append({**record, "fixture": name})
    return out


RECORDS = _records()


def test_the_recordings_cover_pages_folders_and_the_uv_eras() -> None:
    assert {r["source"] for r in RECORDS} == {"index", "find-links"}
    assert {"uv==0.5.6", "uv==0.5.7", "uv==0.5.18", "uv==0.5.19", "pip==20.2.4", "pip==26.3"} <= {
        r["installer"] for r in RECORDS}
    assert len(RECORDS) == 460


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: f"{r['fixture']}|{r['installer']}|{r['scenario']}|"
                                                         f"{r['order_id']}|{r['source']}")
def test_ties_are_broken_as_recorded(record: dict[str, Any]) -> None:
    folder = record["source"] == "find-links"
    names = record["creation_and_page_order"]
    # tagsim lists a folder by name (`files.sources.scan_directory`), a page in page order.
    files = [parse_filename(n, in_folder=folder) for n in (sorted(names) if folder else names)]
    decision = decide(resolve_platform("linux-x86_64-glibc2.36"), parse_python("cp312"),
                      parse_installer(record["installer"]), files, parse_spec("demo"))
    assert decision.chosen is not None
    tied = [c for c in decision.considered if c.reason is not None and FILE_SYSTEM in c.detail]
    if tied:
        assert (folder and record["installer"] < "uv==0.5.7") or record["installer"].startswith("uv==0.1") \
            or record["installer"].startswith("uv==0.2") or record["installer"].startswith("uv==0.4") \
            or record["installer"] == "uv==0.5.6"
        assert record["chosen"] in {decision.chosen.filename, *(c.file.filename for c in tied)}
        return
    assert decision.chosen.filename == record["chosen"], (record["log"][:200], decision.runner_up)


def test_the_explanation_names_the_tie_rule() -> None:
    files = [parse_filename(n, in_folder=True) for n in ("demo-1.0-py2.py3-none-any.whl", "demo-1.0-py3-none-any.whl")]
    d = decide(resolve_platform("linux-x86_64-glibc2.36"), parse_python("cp312"), parse_installer("pip"), files)
    assert d.chosen is not None and d.chosen.filename == "demo-1.0-py2.py3-none-any.whl"
    assert d.runner_up is not None and "a tie: pip takes the alphabetically first" in d.runner_up.detail
    d = decide(resolve_platform("linux-x86_64-glibc2.36"), parse_python("cp312"), parse_installer("uv"), files)
    assert d.chosen is not None and d.chosen.filename == "demo-1.0-py3-none-any.whl"
    assert d.runner_up is not None and "single-tag names without a build tag first" in d.runner_up.detail
