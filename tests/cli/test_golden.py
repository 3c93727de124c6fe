"""The redesign's promise (issue 12): every command's output, and every scenario's decision, as recorded.

`tests/golden/outputs.json` was recorded before the package was reshaped (`tests/golden/record.py`).
A difference here is a behaviour change: either a bug, or a change that is meant, re-recorded in a
commit that says why.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
sys.path.insert(0, str(GOLDEN))

from cases import COMMANDS, _keep, run_command, scenario_decisions  # noqa: E402

RECORDED = json.loads((GOLDEN / "outputs.json").read_text(encoding="utf-8"))


def test_every_case_is_recorded() -> None:
    assert [c["argv"] for c in RECORDED["commands"]] == COMMANDS


@pytest.mark.parametrize("recorded", RECORDED["commands"], ids=lambda c: " ".join(c["argv"])[:80])
def test_command_output_unchanged(recorded: dict[str, Any]) -> None:
    now = run_command(recorded["argv"])
    assert now["exit"] == recorded["exit"]
    for stream in ("stdout", "stderr"):
        if "text" in recorded[stream]:
            assert now[stream].get("text") == recorded[stream]["text"], stream
        else:
            assert now[stream] == recorded[stream], f"{stream}: {now[stream]}"


def test_scenario_decisions_unchanged() -> None:
    now = scenario_decisions()
    assert sorted(now) == sorted(RECORDED["decisions"])
    changed = [key for key in now if json.loads(json.dumps(now[key])) != RECORDED["decisions"][key]]
    assert not changed, f"{len(changed)} decisions changed, e.g. {changed[:5]}"


def test_keep_hashes_big_output() -> None:
    assert "sha256" in _keep("x" * (300 * 1024)) and _keep("small") == {"text": "small"}
