"""Live fidelity run: ask every listed real pip/uv version again, now, and compare with tagsim.

    pytest -m live_installers                       # all installer versions (network on first use)
    TAGSIM_LIVE_INSTALLERS=pip==26.3,uv==0.13.8 TAGSIM_LIVE_SCENARIOS=id1,id2 pytest -m live_installers

Deselected by default (pyproject addopts). Installers are installed from PyPI into cached venvs
(~/.cache/tagsim/installers/choices/, reused afterwards); when that is impossible (no network, no
pyenv Python) the test is skipped with a loud reason. Each installer's agreement numbers are
printed and written to ~/.cache/tagsim/live-report.json.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

from fidelity_support import ROOT, known_divergences, load_json
from tagsim.platform.profile_file import bundled_profiles
from tagsim.verify import AGREE, DISAGREE, NOT_EMULABLE, Scenario, ask, compare

sys.path.insert(0, str(ROOT.parent / "tools" / "fidelity"))
import record_choices

pytestmark = pytest.mark.live_installers
REPORT = Path.home() / ".cache" / "tagsim" / "live-report.json"


def _scenarios() -> list[dict[str, Any]]:
    raw = load_json(ROOT / "scenarios" / "choices.json")
    wanted = os.environ.get("TAGSIM_LIVE_SCENARIOS")
    return [s for s in raw if not wanted or s["id"] in wanted.split(",")]


INSTALLERS = [i for i in os.environ.get("TAGSIM_LIVE_INSTALLERS", "").split(",") if i] or record_choices.ALL_INSTALLERS


@pytest.mark.parametrize("installer", INSTALLERS)
def test_live_installer_agrees_with_tagsim(installer: str) -> None:
    emu = record_choices.emulator(installer)
    if isinstance(emu, str):
        warnings.warn(f"LIVE INSTALLER NOT TESTED: {installer}: {emu}", stacklevel=1)
        pytest.skip(f"LIVE INSTALLER NOT TESTED: {installer}: {emu}")
    profiles = bundled_profiles()
    fixture_path = ROOT / "fixtures" / "choices" / f"{installer.replace('==', '-')}.json"
    recorded = load_json(fixture_path)["results"] if fixture_path.exists() else {}
    pinned = known_divergences()
    counts: dict[str, int] = {}
    unexpected, fixed, drift = [], [], []
    for raw in _scenarios():
        sc = Scenario.from_json(raw)
        answer = ask(emu, sc, profiles[sc.platform])
        v = compare(emu.inst, answer, sc, profiles[sc.platform])
        counts[v.status] = counts.get(v.status, 0) + 1
        key = f"choices/{installer}/{sc.id}"
        if v.status == DISAGREE and key not in pinned:
            unexpected.append(f"{sc.id}: tagsim {v.predicted}, real {v.real} ({v.detail[:150]})")
        if v.status == AGREE and key in pinned:
            fixed.append(sc.id)
        old = recorded.get(sc.id)
        if old is not None and (old["status"], old["file"]) != (answer.status, answer.file):
            drift.append(f"{sc.id}: recorded {old['status']} {old['file']}, live {answer.status} {answer.file}")
    tested = counts.get(AGREE, 0) + counts.get(DISAGREE, 0)
    line = {"installer": installer, "tested": tested, "agree": counts.get(AGREE, 0), "disagree": counts.get(DISAGREE, 0),
            "not_emulable": counts.get(NOT_EMULABLE, 0), "counts": counts, "drift_from_fixture": drift}
    report = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    report[installer] = line
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=1) + "\n")
    print(f"\nLIVE {installer}: {line['agree']}/{tested} tested agree, {line['disagree']} disagree "
          f"(pinned divergences), {line['not_emulable']} not emulable; {counts}")
    assert not unexpected, "new disagreements:\n" + "\n".join(unexpected)
    assert not fixed, f"pinned divergences that now agree (remove them): {fixed}"
    assert not drift, "live answers differ from the recorded fixture:\n" + "\n".join(drift)
