"""tagsim's tag lists against the lists real pip and uv versions computed (recorded fixtures).

Regenerate with `python tools/fidelity/record_pip_tags.py` and `python tools/fidelity/record_uv_tags.py`.
"""

from __future__ import annotations

from typing import Any

import pytest

from fidelity_support import fixture_files, known_divergences, load_json
from tagsim import compatible_tags, parse_installer, parse_python, resolve_platform
from tagsim.errors import NotModelledError


def _cases() -> list[Any]:
    params = []
    for kind in ("pip_tags", "uv_tags"):
        for path in fixture_files(kind):
            doc = load_json(path)
            for case in doc["cases"]:
                if "skipped" in case or "tags" not in case:
                    continue
                case_id = f"{kind}/{doc['installer']}/{case['platform']}/{case['python']}"
                params.append(pytest.param(doc["installer"], case, id=case_id))
    return params


CASES = _cases()


def test_fixtures_are_present() -> None:
    assert len(CASES) >= 200, "the recorded real-installer tag fixtures are missing"


@pytest.mark.parametrize(("installer", "case"), CASES)
def test_tag_list_matches_real_installer(installer: str, case: dict[str, Any]) -> None:
    key = f"tags/{installer}/{case['platform']}/{case['python']}"
    divergence = known_divergences().get(key)
    profile = resolve_platform(case["platform"])
    try:
        ours = list(compatible_tags(profile, parse_python(case["python"]), parse_installer(installer)))
    except NotModelledError as exc:
        assert divergence is not None, f"tagsim refuses a case the real installer answered: {exc}"
        return
    real = case["tags"]
    if "rejected" in case:
        # uv's order is recovered over a candidate set: compare on those candidates only.
        candidates = set(real) | set(case["rejected"])
        ours = [t for t in ours if t in candidates]
    if divergence is not None:
        assert ours != real, f"{key} is listed as a known divergence but now agrees: remove it"
        return
    assert ours == real
