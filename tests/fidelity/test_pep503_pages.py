"""PEP 503 pages read as the real installers read them (issue 14 item 13).

`tests/fixtures/pep503/recorded.json` is what real pip 26.3 and uv 0.13.8 installed from hostile
pages served on 127.0.0.1 (recorder: `tools/fidelity/pep503/record_pep503.py`). tagsim reads a page
once for all installers, following pip's `HTMLLinkParser` and `Link` (pip >= 22.0); uv's own parser
differs on three pages, which are pinned here so that a change on either side is seen.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tagsim.choice.registry import parse_installer
from tagsim.choice.requirement import parse_spec
from tagsim.files.pages import parse_pep503
from tagsim.platform.interpreter import parse_python
from tagsim.platform.resolve import resolve_platform
from tagsim.report.explain import explain

RECORDS = json.loads((Path(__file__).parents[1] / "fixtures" / "pep503" / "recorded.json").read_text())
#: Pages where uv 0.13.8 reads links differently from pip (and so from tagsim), as recorded.
UV_READS_DIFFERENTLY = {
    "trailing-slash": "uv takes no filename from a path ending in '/' (pip strips the slash)",
    "valueless-yanked": "uv takes a valueless data-yanked as yanked (pip reads None: not yanked)",
    "repeated-href": "uv keeps the first of a repeated href (pip's dict(attrs) keeps the last)",
}


def _chosen(body: str, installer: str) -> str | None:
    files = parse_pep503(f"<!DOCTYPE html><html><body>{body}", origin="page.html")
    (decision,) = explain(resolve_platform("linux-x86_64-glibc2.17"), parse_python("cp311"), files,
                          req=parse_spec("demo"), installers=[parse_installer(installer)]).decisions
    return decision.chosen.filename.rsplit("-py3", 1)[0] if decision.chosen else None


@pytest.mark.parametrize("record", RECORDS, ids=[r["page"] for r in RECORDS])
def test_pages_read_as_pip_reads_them(record: dict[str, str | None]) -> None:
    assert _chosen(str(record["body"]), "pip==26.3") == record["pip==26.3"]


@pytest.mark.parametrize("record", RECORDS, ids=[r["page"] for r in RECORDS])
def test_uv_agrees_except_on_the_pinned_pages(record: dict[str, str | None]) -> None:
    agrees = _chosen(str(record["body"]), "uv==0.13.8") == record["uv==0.13.8"]
    assert agrees is (record["page"] not in UV_READS_DIFFERENTLY), record["page"]
