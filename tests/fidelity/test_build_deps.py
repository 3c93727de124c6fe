"""The build-dependency chain against what real pip 26.3 and uv 0.13.8 installed into the build environment.

Recorded by `tools/fidelity/build_deps/record_build_deps.py` (tests/fixtures/build_deps/recorded.json):
`demo-app` is an sdist whose build requires `demo-backend>=1`, which has wheels for
manylinux_2_28_x86_64 and macosx_11_0_arm64 only, and an sdist. pip was asked natively and
host-patched to other profiles; uv natively. tagsim must pick the file each one installed, build
the sdist where they built it, and install nothing where build isolation is off.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement

from tagsim import parse_installer, parse_python, resolve_platform
from tagsim.choice.decide import decide
from tagsim.choice.flags import Flags, parse_names
from tagsim.choice.reasons import Outcome
from tagsim.files.archive_scan import Scan
from tagsim.files.build_needs import needs_from_scan
from tagsim.files.filename import parse_filename
from tagsim.report.build_chain import BuildResolver

RECORDED = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "build_deps" / "recorded.json").read_text())
HOST = RECORDED["host"]


def _flags(args: list[str]) -> Flags:
    values = dict(zip(args[::2], args[1::2], strict=False))
    return Flags(no_binary=parse_names([values["--no-binary"]]) if "--no-binary" in values else frozenset(),
                 only_binary=parse_names([values["--only-binary"]]) if "--only-binary" in values else frozenset(),
                 no_build_isolation="--no-build-isolation" in args,
                 no_build_isolation_package=parse_names([values["--no-build-isolation-package"]])
                 if "--no-build-isolation-package" in values else frozenset())


def tagsim_answer(scenario: dict[str, Any]) -> tuple[str | None, bool]:
    """The demo-backend file tagsim says the build environment gets (None: nothing), and whether it installs any."""
    needs = needs_from_scan(Scan(("demo_app-1.0/pyproject.toml",),
                                 texts={"demo_app-1.0/pyproject.toml": RECORDED["app_pyproject"].encode()}))
    app = replace(parse_filename("demo_app-1.0.tar.gz", origin="index"), build_needs=needs)
    backend = [parse_filename(name, origin="index") for name in RECORDED["backend_files"]]
    installer = parse_installer(scenario["installer"])
    interp = parse_python("cp311" if installer.name == "pip" else "cp312")
    profile = resolve_platform(scenario["profile"] or HOST)
    flags = _flags(scenario["flags"])
    decision = decide(profile, interp, installer, [app], Requirement("demo-app"), flags)
    assert decision.outcome is Outcome.SDIST
    done = BuildResolver(local_files=backend).complete(decision, profile, interp, flags)
    assert done.chain is not None
    if done.chain.isolation:
        assert not done.chain.steps
        return None, False
    (step,) = done.chain.steps
    assert step.requirement == "demo-backend>=1" and step.decision is not None
    chosen = step.decision.chosen
    return (chosen.filename if chosen else None), True


@pytest.mark.parametrize("scenario", RECORDED["scenarios"], ids=lambda s: s["id"])
def test_build_environment_matches_the_real_installer(scenario: dict[str, Any]) -> None:
    got, installs = tagsim_answer(scenario)
    assert got == scenario["build_env_got"]
    if scenario["installer"].startswith("pip"):
        assert installs == scenario["installing_build_dependencies"]  # pip -v says it only when it does
    if got is None:
        assert scenario["exit"] != 0  # without its backend, the real build failed


def test_the_recording_covers_wheel_sdist_none_and_no_isolation() -> None:
    answers = {s["build_env_got"] for s in RECORDED["scenarios"]}
    assert {"demo_backend-2.0-py3-none-manylinux_2_28_x86_64.whl", "demo_backend-2.0.tar.gz", None} <= answers
    assert any("--no-build-isolation-package" in s["flags"] for s in RECORDED["scenarios"])
