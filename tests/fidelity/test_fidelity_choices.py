"""tagsim's choices against what real pip and uv versions chose (tests/scenarios/choices.json).

Every fixture in tests/fixtures/choices is compared, one case per scenario and installer version.
Re-record with `python3 tools/fidelity/record_choices.py --all --jobs 2` (see docs/fidelity.md).
"""

from __future__ import annotations

from typing import Any

import pytest

from fidelity_support import ROOT, assert_matches_recording, fixture_files, known_divergences, load_json
from tagsim.verify import Scenario, predict

RAW_SCENARIOS = load_json(ROOT / "scenarios" / "choices.json")
SCENARIOS = {s["id"]: Scenario.from_json(s) for s in RAW_SCENARIOS}
#: The installer versions the fidelity suite must hold a recorded answer for.
REQUIRED = ["pip==9.0.3", "pip==19.0.3", "pip==19.3.1", "pip==20.2.4", "pip==20.3.4", "pip==21.1.3", "pip==21.3.1",
            "pip==24.0", "pip==25.3", "pip==26.2.1", "pip==26.3", "uv==0.1.20", "uv==0.4.30", "uv==0.13.8"]
TESTED = ("chosen", "no-match")
DOCS = {path.stem: load_json(path) for path in fixture_files("choices")}


def _cases() -> list[Any]:
    params = []
    for doc in DOCS.values():
        for sid, result in doc["results"].items():
            if result["status"] in TESTED:
                params.append(pytest.param(doc["installer"], sid, result, id=f"{doc['installer']}/{sid}"))
    return params


CASES = _cases()


def test_scenarios_and_fixtures_are_present() -> None:
    assert len(SCENARIOS) == len(RAW_SCENARIOS) >= 150, "scenario ids must be unique, and there must be 150+"
    assert sorted(doc["installer"] for doc in DOCS.values()) == sorted(REQUIRED)
    for doc in DOCS.values():
        missing = sorted(set(SCENARIOS) - set(doc["results"]))
        assert not missing, f"{doc['installer']} has no recorded answer for {missing}: re-record it"
        assert set(doc["results"]) <= set(SCENARIOS), f"{doc['installer']} answers scenarios that no longer exist"
    assert len(CASES) >= 1000


def test_no_fixture_records_a_crash() -> None:
    """A crash or timeout while recording is an infrastructure problem, not an answer: re-record."""
    bad = [f"{doc['installer']}/{sid}: {r['note']}" for doc in DOCS.values() for sid, r in doc["results"].items()
           if r["status"] not in (*TESTED, "not-emulable")]
    assert not bad


def test_known_divergences_point_at_tested_cases() -> None:
    """Every pinned choice divergence names a recorded, tested answer (stale entries must go)."""
    tested = {f"choices/{doc['installer']}/{sid}" for doc in DOCS.values()
              for sid, r in doc["results"].items() if r["status"] in TESTED}
    stale = sorted(k for k in known_divergences() if k.startswith("choices/") and k not in tested)
    assert not stale


@pytest.mark.parametrize(("installer", "sid", "result"), CASES)
def test_choice_matches_real_installer(installer: str, sid: str, result: dict[str, Any]) -> None:
    assert_matches_recording(f"choices/{installer}/{sid}", result,
                             lambda: (predict(installer, SCENARIOS[sid]), result["note"][:200]))


UV_ERAS = load_json(ROOT / "fixtures" / "uv_choice_eras.json")["results"]


@pytest.mark.parametrize(("installer", "sid"), [(i, s) for i, r in UV_ERAS.items() for s in r],
                         ids=[f"{i}/{s}" for i, r in UV_ERAS.items() for s in r])
def test_uv_choice_era_boundaries(installer: str, sid: str) -> None:
    """The last uv release before each choice-rule change and the first after it (record_choices --uv-eras)."""
    result = UV_ERAS[installer][sid]
    assert result["status"] in TESTED, result
    expected = result["file"] if result["status"] == "chosen" else None
    assert predict(installer, SCENARIOS[sid]) == expected
