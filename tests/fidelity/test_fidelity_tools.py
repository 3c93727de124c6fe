"""tagsim's poetry and pdm choices against what the real tools installed (tests/scenarios/tools.json).

Regenerate with `python tools/fidelity/record_tools.py` (see tools/fidelity/POETRY_PDM.md).
"""

from __future__ import annotations

from typing import Any

import pytest

from fidelity_support import ROOT, assert_matches_recording, fixture_files, load_json
from tagsim import parse_installer, parse_python, resolve_platform
from tagsim.choice.decide import decide
from tagsim.choice.decision import Decision
from tagsim.choice.flags import Flags, parse_names
from tagsim.choice.requirement import parse_spec
from tagsim.files.filename import parse_filename

SCENARIOS = {s["id"]: s for s in load_json(ROOT / "scenarios" / "tools.json")}


def scenario_flags(raw: dict[str, Any]) -> Flags:
    return Flags(only_binary=parse_names(raw.get("only_binary", [])), no_binary=parse_names(raw.get("no_binary", [])),
                 prefer_binary_for=parse_names(raw.get("prefer_binary_for", [])))


def decide_scenario(installer: str, scenario: dict[str, Any]) -> Decision:
    files = [parse_filename(f["filename"], requires_python=f.get("requires_python"), yanked=bool(f.get("yanked")),
                            yanked_reason=f["yanked"] if isinstance(f.get("yanked"), str) else None)
             for f in scenario["files"]]
    return decide(resolve_platform(scenario["platform"]), parse_python(scenario["python"]),
                  parse_installer(installer), files, parse_spec(scenario["spec"]),
                  scenario_flags(scenario.get("flags", {})))


def _cases() -> list[Any]:
    params = []
    for path in fixture_files("tools"):
        doc = load_json(path)
        for sid, result in doc["results"].items():
            if result["status"] in ("chosen", "no-match"):
                params.append(pytest.param(doc["installer"], sid, result, id=f"{doc['installer']}/{sid}"))
    return params


CASES = _cases()


def test_scenarios_and_fixtures_are_present() -> None:
    assert len(SCENARIOS) >= 15
    installers = {case.values[0] for case in CASES}
    assert {"poetry==2.4.1", "pdm==2.28.2", "pdm==2.29.4"} <= installers
    assert len(CASES) >= 150
    with_tags = {load_json(path)["installer"].split("==")[0] for path in fixture_files("tools")
                 if load_json(path).get("host_tags", {}).get("tags" if "poetry" in path.name else "platform_lists")}
    assert with_tags == {"poetry", "pdm"}


def test_every_fixture_scenario_exists() -> None:
    for path in fixture_files("tools"):
        assert set(load_json(path)["results"]) <= set(SCENARIOS), path.name


@pytest.mark.parametrize(("installer", "sid", "result"), CASES)
def test_choice_matches_real_tool(installer: str, sid: str, result: dict[str, Any]) -> None:
    def ours() -> tuple[str | None, str]:
        decision = decide_scenario(installer, SCENARIOS[sid])
        return (decision.chosen.filename if decision.chosen else None), decision.message

    assert_matches_recording(f"tools/{installer}/{sid}", result, ours)


def _host_tag_docs() -> list[Any]:
    """Fixtures with the tool's own tag list (poetry 2.0 has no `debug tags` command: its entry is an error)."""
    return [pytest.param(doc, id=doc["installer"]) for doc in map(load_json, fixture_files("tools"))
            if {"tags", "platform_lists"} & set(doc.get("host_tags", {}))]


@pytest.mark.parametrize("doc", _host_tag_docs())
def test_host_tags_match_the_real_tool(doc: dict[str, Any]) -> None:
    """poetry's `debug tags` list, and pdm's dep_logic platform list, on the recording host."""
    from tagsim.choice.registry import compatible_tags
    from tagsim.tags.pdm import pdm_platforms

    host, cp312 = resolve_platform("linux-x86_64-glibc2.36"), parse_python("cp312")
    real = doc["host_tags"]
    if doc["installer"].startswith("poetry"):
        assert list(compatible_tags(host, cp312, parse_installer(doc["installer"]))) == real["tags"]
    else:
        assert real["env_spec"].startswith("(==3.12.")
        assert pdm_platforms(host) == real["platform_tags"]
        # dep_logic's own `Platform.compatible_tags` for every profile tagsim models for pdm
        known = {pid: tags for pid, tags in real["platform_lists"].items() if tags is not None}
        assert len(known) >= 30  # None: an arch that dep-logic version cannot parse (pdm fails there)
        for profile_id, tags in known.items():
            assert pdm_platforms(resolve_platform(profile_id)) == tags, profile_id
