"""tagsim's choices against what real pip and uv versions chose (tests/scenarios/choices.json).

Regenerate with `python tools/fidelity/record_choices.py`.
"""

from __future__ import annotations

from typing import Any

import pytest

from fidelity_support import ROOT, fixture_files, known_divergences, load_json
from tagsim import parse_installer, parse_python, resolve_platform
from tagsim.dists import parse_filename
from tagsim.errors import NotModelledError
from tagsim.policy import Flags, decide, parse_names, parse_spec

SCENARIOS = {s["id"]: s for s in load_json(ROOT / "scenarios" / "choices.json")}


def scenario_flags(raw: dict[str, Any]) -> Flags:
    return Flags(prefer_binary=raw.get("prefer_binary", False), only_binary=parse_names(raw.get("only_binary", [])),
                 no_binary=parse_names(raw.get("no_binary", [])), no_build=raw.get("no_build", False),
                 pre=raw.get("pre", False))


def predict(installer: str, scenario: dict[str, Any]) -> str | None:
    files = [parse_filename(f["filename"], requires_python=f.get("requires_python"),
                            yanked=bool(f.get("yanked")),
                            yanked_reason=f["yanked"] if isinstance(f.get("yanked"), str) else None)
             for f in scenario["files"]]
    decision = decide(resolve_platform(scenario["platform"]), parse_python(scenario["python"]),
                      parse_installer(installer), files, parse_spec(scenario["spec"]),
                      scenario_flags(scenario.get("flags", {})))
    return decision.chosen.filename if decision.chosen else None


def _cases() -> list[Any]:
    params = []
    for path in fixture_files("choices"):
        doc = load_json(path)
        for sid, result in doc["results"].items():
            if result["status"] in ("chosen", "no-match"):
                params.append(pytest.param(doc["installer"], sid, result, id=f"{doc['installer']}/{sid}"))
    return params


CASES = _cases()


def test_scenarios_and_fixtures_are_present() -> None:
    assert len(SCENARIOS) >= 60
    assert len(CASES) >= 200


@pytest.mark.parametrize(("installer", "sid", "result"), CASES)
def test_choice_matches_real_installer(installer: str, sid: str, result: dict[str, Any]) -> None:
    key = f"choices/{installer}/{sid}"
    divergence = known_divergences().get(key)
    expected = result["file"] if result["status"] == "chosen" else None
    try:
        ours = predict(installer, SCENARIOS[sid])
    except NotModelledError as exc:
        assert divergence is not None, f"tagsim refuses a scenario the real installer answered: {exc}"
        return
    if divergence is not None:
        assert ours != expected, f"{key} is listed as a known divergence but now agrees: remove it"
        return
    assert ours == expected
