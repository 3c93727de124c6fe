"""Asking and comparing: build the dummy index, run the installer's plan, and set its answer beside tagsim's."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ..choice.decide import decide
from ..choice.registry import parse_installer
from ..choice.requirement import parse_spec
from ..errors import TagsimError
from ..platform.interpreter import Interpreter
from ..platform.profile import Profile
from ..platform.resolve import resolve_platform
from .dummy_index import build_index
from .machine import InstallerExe, InstallerProblem, Pythons, detect_installer, host_profile
from .pip import PipEmulator
from .process import DEFAULT_TIMEOUT
from .scenario import (
    AGREE,
    CHOSEN,
    CRASHED,
    DISAGREE,
    ERROR,
    NOT_EMULABLE,
    NOT_MODELLED,
    TIMEOUT,
    Answer,
    RealAnswer,
    Scenario,
    Verification,
)
from .uv import UvEmulator

Emulator = PipEmulator | UvEmulator


def emulator_for(inst: InstallerExe, *, host: Profile | None = None, pythons: Pythons | None = None,
                 timeout: float = DEFAULT_TIMEOUT) -> Emulator:
    if inst.name == "pip":
        return PipEmulator(inst, host=host, pythons=pythons, timeout=timeout)
    return UvEmulator(inst, host=host, pythons=pythons, timeout=timeout)


def ask(emu: Emulator, sc: Scenario, profile: Profile | None = None) -> RealAnswer:
    """The real installer's answer for one scenario: plan, build the index, run, clean up."""
    profile = profile or resolve_platform(sc.platform)
    if emu.problem is not None:
        return emu.problem
    plan = emu.plan(sc, profile)
    if plan.skip:
        return RealAnswer(Answer.NOT_EMULABLE, None, plan.skip)
    with tempfile.TemporaryDirectory(prefix="tagsim-verify-") as tmp:
        work = Path(tmp)
        idx = build_index(list(sc.files), work / "index")
        ans = emu.run(plan, sc, idx.simple_url(), work)
    return replace(ans, note="; ".join(x for x in (plan.method, ans.note) if x))


def predict(installer_spec: str, sc: Scenario, profile: Profile | None = None,
            interp: Interpreter | None = None) -> str | None:
    """tagsim's choice (a filename, or None for no match). Raises TagsimError if not modelled."""
    decision = decide(profile or resolve_platform(sc.platform), interp or sc.interpreter(),
                      parse_installer(installer_spec), sc.dist_files(), parse_spec(sc.spec), sc.flags)
    return decision.chosen.filename if decision.chosen else None


def compare(inst: InstallerExe, answer: RealAnswer, sc: Scenario, profile: Profile | None = None) -> Verification:
    """Turn a real answer into a verification against tagsim's model of the same version."""
    status_of = {NOT_EMULABLE: NOT_EMULABLE, ERROR: CRASHED, TIMEOUT: TIMEOUT}
    refused = ""
    try:
        predicted = predict(inst.spec, sc, profile)
    except TagsimError as exc:
        predicted, refused = None, f"tagsim does not model this: {exc}"
    if answer.status in status_of:
        return Verification(inst.spec, inst.origin, status_of[answer.status], predicted, None, answer.note)
    if refused:
        return Verification(inst.spec, inst.origin, NOT_MODELLED, None, answer.file, refused)
    real = answer.file if answer.status == CHOSEN else None
    status = AGREE if real == predicted else DISAGREE
    return Verification(inst.spec, inst.origin, status, predicted, real, answer.note)


def verify(sc: Scenario, installers: Sequence[str], *, timeout: float = DEFAULT_TIMEOUT,
           pythons: Pythons | None = None) -> list[Verification]:
    """Check tagsim against each installer (`pip`, `uv`, or a path to either executable)."""
    profile = resolve_platform(sc.platform)
    sc.interpreter()
    parse_spec(sc.spec)
    pythons = pythons or Pythons()
    if sc.python_version is None and not sc.python.startswith("pp"):
        # The real installer runs with (or is told) the local interpreter's full version: ask tagsim about it too.
        sc = replace(sc, python_version=pythons.full_version(sc.python))
    host = host_profile()
    out = []
    for text in installers:
        try:
            inst = detect_installer(text, timeout=min(timeout, 60))
        except InstallerProblem as exc:
            out.append(Verification(text, text, exc.status, detail=exc.message))
            continue
        try:
            parse_installer(inst.spec, allow_newer=False)
        except TagsimError as exc:
            out.append(Verification(inst.spec, inst.origin, NOT_MODELLED, detail=str(exc)))
            continue
        emu = emulator_for(inst, host=host, pythons=pythons, timeout=timeout)
        out.append(compare(inst, ask(emu, sc, profile), sc, profile))
    return out
