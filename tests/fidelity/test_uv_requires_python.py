"""uv's Requires-Python rule (issue 13, part 1) against 25 real uv versions, 0.1.40 to 0.13.9.

Recorded by `tools/fidelity/issue13/record_issue13.py` through a local PEP 503 index: `demo-1.0`
carries the Requires-Python of the scenario, `demo-0.9` none, the spec is `demo`; the chosen file
says whether uv admitted 1.0. Every mode is compared, each at the version uv checks: `--python-version
3.9` is 3.9.0 (`cp39`), `--python-version 3.9.1` is 3.9.1, a real 3.9.18 alone is 3.9.18 (`cp39@3.9.18`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tagsim import decide, parse_filename, parse_installer, parse_python, parse_spec, resolve_platform
from tagsim.choice.requires_python import lower_bound
from tagsim.errors import TagsimError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "uv_requires_python"
#: mode -> the `--python` that stands for what uv checks in that mode.
PYTHONS = {"pv3.9@py3.9.18": "cp39", "pv3.9@py3.12.1": "cp39", "pv3.9.0@py3.9.18": "cp39",
           "pv3.9.1@py3.9.18": "cp39@3.9.1", "pv3.9.2@py3.9.18": "cp39@3.9.2", "native3.9.18": "cp39@3.9.18"}
#: Pinned: uv skips a file whose Requires-Python it cannot parse when it reads the page
#: (`registry_client.rs`: "Skipping file ... Failed to parse requires-python"); tagsim keeps it, as pip
#: does. Not modelled yet; a pinned case that starts to agree fails, so the list cannot go stale.
DIVERGENT = {">=3.9+local"}


def _records() -> list[dict[str, Any]]:
    out = []
    for path in sorted(FIXTURES.glob("q1_uv_index_*.json")):
        out += [r for r in json.loads(path.read_text(encoding="utf-8"))["records"]
                if r["source"] == "index" and r["mode"] in PYTHONS]
    return out


RECORDS = _records()


def test_the_recordings_cover_both_eras_and_the_key_cases() -> None:
    versions = {r["installer"] for r in RECORDS}
    assert {"uv==0.4.2", "uv==0.4.3", "uv==0.13.9"} <= versions and len(versions) == 25
    assert {"!=3.9.0,!=3.9.1,>=3.9", "!=3.9.0,>=3.9", "~=3.9", "==3.9.*", ">3.9", ">=3.9.2", "==3.9.0+local"} <= {
        r["scenario"] for r in RECORDS}


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: f"{r['installer']}|{r['scenario']}|{r['mode']}")
def test_uv_admits_requires_python_as_recorded(record: dict[str, Any]) -> None:
    files = [parse_filename(name, requires_python=rp) for name, rp in record["files"].items()]
    try:
        decision = decide(resolve_platform("linux-x86_64-glibc2.36"), parse_python(PYTHONS[record["mode"]]),
                          parse_installer(record["installer"]), files, parse_spec("demo"))
    except TagsimError as exc:  # every recorded version is modelled: a refusal is a failure
        pytest.fail(f"not modelled: {exc}")
    ours = decision.chosen.filename if decision.chosen else None
    if record["scenario"] in DIVERGENT:
        assert ours != record["chosen"], "a pinned divergence now agrees: remove it from DIVERGENT"
        return
    assert ours == record["chosen"], f"real {record['installer']} chose {record['chosen']}: {record['log'][:200]}"


@pytest.mark.parametrize(("spec", "bound"), [
    ("!=3.9.0,!=3.9.1,>=3.9", ("3.9", False)),  # cryptography 50.0: the hole at 3.9.0 makes the bound exclusive
    ("!=3.9.0,!=3.9.1,>=3.7", ("3.7", True)),  # holes above the bound do not move it
    ("!=3.9.*,>=3.9", ("3.10", True)),
    ("!=3.9.0", None),
    ("~=3.9.0", ("3.9.0", True)),
    (">3.9", ("3.9", False)),
    ("==3.9.0+local", ("3.9.0", True)),
    ("<3.10", None),
])
def test_lower_bound_of_the_bounding_range(spec: str, bound: tuple[str, bool] | None) -> None:
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    found = lower_bound(SpecifierSet(spec))
    assert found == (None if bound is None else (Version(bound[0]), bound[1]))
