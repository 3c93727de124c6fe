#!/usr/bin/env python3
"""Record what real pip and uv choose for every scenario of tests/scenarios/choices.json.

    python3 tools/fidelity/record_choices.py --all [--jobs 2]        # every installer version below
    python3 tools/fidelity/record_choices.py --installer pip==26.3 --scenario linux-vs-manylinux

For each installer version: install it from PyPI into a cached venv (old pips on the old
Pythons pyenv provides), then ask it about every scenario with `tagsim.verify` (the same
emulation planning, dummy index and running code as `tagsim verify`). Results go to
tests/fixtures/choices/<installer>-<ver>.json. A crash, timeout or missing installer is
recorded as such, never as a choice. See docs/fidelity.md and tools/fidelity/CHOICES.md.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))

from tagsim.platform.profile_file import bundled_profiles  # noqa: E402
from tagsim.verify import InstallerExe, Pythons, RealAnswer, Scenario, ask, clean_env, host_profile, run_command
from tagsim.verify.pip import PipEmulator
from tagsim.verify.uv import UvEmulator

SCENARIOS = REPO / "tests" / "scenarios" / "choices.json"
OUT_DIR = REPO / "tests" / "fixtures" / "choices"
CACHE = Path.home() / ".cache" / "tagsim" / "installers" / "choices"
HOST = "linux-x86_64-glibc2.36"
ALL_INSTALLERS = ["pip==9.0.3", "pip==19.0.3", "pip==19.3.1", "pip==20.2.4", "pip==20.3.4", "pip==21.1.3",
                  "pip==21.3.1", "pip==24.0", "pip==25.3", "pip==26.2.1", "pip==26.3",
                  "uv==0.1.20", "uv==0.4.30", "uv==0.13.8"]
# Python that runs each pip (old pips need old Pythons); uv runs from a 3.12 venv.
PIP_HOME_PYTHON = {"9": "cp37", "19": "cp37", "20": "cp38", "21": "cp39"}
# Scenario Pythons a given pip can also run on natively here (one venv each).
PIP_NATIVE = {"9": {"cp37"}, "19": {"cp37"}, "20": {"cp38"}, "21": {"cp39", "cp310", "pp39"},
              "24": {"cp310", "cp311", "cp312", "cp313", "pp39"}, "25": {"cp310", "cp311", "cp312", "cp313", "pp39"},
              "26": {"cp310", "cp311", "cp312", "cp313"}}
PYTHONS = Pythons()
# uv choice-rule boundaries (bisected over every release between 0.1.20 and 0.4.30): each pair is the
# last release with the old rule and the first with the new one; see UV_ROWS in src/tagsim/eras.py.
UV_ERA_VERSIONS = ["0.2.2", "0.2.3", "0.2.11", "0.2.12", "0.2.18", "0.2.19", "0.4.2", "0.4.3"]
UV_ERA_SCENARIOS = ["cp37-build-tag-same-tag", "build-tag-ordering", "only-binary-name-beats-no-binary-all",
                    "rp-per-file-same-version", "rp-sdist-excluded", "rp-not-equal-wildcard", "rp-upper-bound-cp313"]
UV_ERAS_OUT = REPO / "tests" / "fixtures" / "uv_choice_eras.json"


def venv_for(installer: str, version: str, python: str) -> Path | None:
    """Cached venv ~/.cache/tagsim/installers/choices/<inst>-<ver>-<py>; built from PyPI if absent."""
    exe = PYTHONS.find(python)
    if exe is None:
        return None
    label = "pp3.9" if python.startswith("pp") else f"py3.{python[3:]}"
    d = CACHE / f"{installer}-{version}-{label}"
    if installed_version(d, installer) == version:
        return d
    shutil.rmtree(d, ignore_errors=True)
    if run_command([exe, "-m", "venv", str(d)], env=clean_env(), timeout=300).rc != 0:
        return None
    pin = f"{installer}=={version}"
    res = run_command([str(d / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", pin],
                      env=clean_env(), timeout=900)
    if res.rc == 0 and installed_version(d, installer) == version:
        return d
    print(f"could not install {pin} on {python}: {res.out.strip().splitlines()[-1:] or ''}", file=sys.stderr)
    shutil.rmtree(d, ignore_errors=True)  # a half-built venv would otherwise be reused
    return None


def installed_version(venv: Path, installer: str) -> str | None:
    """Version of pip/uv actually present in a venv (guards against stale caches)."""
    tool = venv / "bin" / ("uv" if installer == "uv" else "python")
    if not tool.exists():
        return None
    argv = [str(tool), "--version"] if installer == "uv" else [str(tool), "-m", "pip", "--version"]
    res = run_command(argv, env=clean_env(), timeout=60)
    m = re.match(r"(?:uv|pip) (\S+)", res.out.strip())
    return m.group(1) if res.rc == 0 and m else None


def pip_exe(version: str, python: str) -> InstallerExe | None:
    venv = venv_for("pip", version, python)
    if venv is None:
        return None
    py = str(venv / "bin" / "python")
    return InstallerExe("pip", version, (py, "-m", "pip"), py, str(venv))


def emulator(installer: str) -> PipEmulator | UvEmulator | str:
    """The emulator of one installer version, or why it could not be set up."""
    name, version = installer.split("==")
    host = host_profile()
    if host is None or host.id != HOST:
        return f"fixtures are recorded on {HOST}; this machine is {host.id if host else 'something else'}"
    if name == "uv":
        venv = venv_for("uv", version, "cp312")
        if venv is None:
            return f"uv {version} could not be installed"
        uv = str(venv / "bin" / "uv")
        return UvEmulator(InstallerExe("uv", version, (uv,), None, uv), host=host, pythons=PYTHONS)
    major = version.split(".")[0]
    home = pip_exe(version, PIP_HOME_PYTHON.get(major, "cp312"))
    if home is None:
        return f"pip {version} could not be installed"
    allowed = PIP_NATIVE.get(major, set())

    def native(python: str) -> InstallerExe | None:
        return pip_exe(version, python) if python in allowed else None

    return PipEmulator(home, host=host, pythons=PYTHONS, native=native)


def record(installer: str, scenarios: list[dict], only: set[str] | None) -> dict:
    """All results of one installer version (merged into the existing fixture with --scenario)."""
    name, version = installer.split("==")
    out_path = OUT_DIR / f"{name}-{version}.json"
    old = json.loads(out_path.read_text()) if out_path.exists() else {}
    results: dict[str, dict] = dict(old.get("results", {})) if only else {}
    emu = emulator(installer)
    profiles = bundled_profiles()
    for raw in scenarios:
        if only and raw["id"] not in only:
            continue
        sc = Scenario.from_json(raw)
        ans = RealAnswer(NOT_EMULABLE, None, emu) if isinstance(emu, str) else ask(emu, sc, profiles[sc.platform])
        results[sc.id] = ans.to_json()
        print(f"{installer:12} {sc.id:45} {ans.status:12} {ans.file or ''}", flush=True)
    home = getattr(getattr(emu, "inst", None), "origin", "")
    data = {
        "installer": installer,
        "recorded_with": {
            "installer": f"{installer} from PyPI in {home}" if home else str(emu),
            "method": "tagsim.verify: dummy file:// PEP 503 index; pip download --isolated --no-cache-dir --no-deps "
                      "(empty PIP_CONFIG_FILE) / uv pip install --no-deps --target (UV_NO_CONFIG, fresh UV_CACHE_DIR); "
                      "native on the host, else checked --platform/--python-version flags or a uv --python-platform target",
            "host": HOST,
        },
        "results": {k: results[k] for k in [s["id"] for s in scenarios] if k in results},
    }
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    return data


def record_uv_eras(scenarios: list[dict]) -> int:
    """The era-boundary uv releases on the scenarios that tell their choice rules apart."""
    by_id = {s["id"]: s for s in scenarios}
    profiles = bundled_profiles()
    out: dict[str, dict] = {}
    for version in UV_ERA_VERSIONS:
        emu = emulator(f"uv=={version}")
        results = {}
        for sid in UV_ERA_SCENARIOS:
            sc = Scenario.from_json(by_id[sid])
            ans = RealAnswer(NOT_EMULABLE, None, emu) if isinstance(emu, str) else ask(emu, sc, profiles[sc.platform])
            results[sid] = ans.to_json()
            print(f"uv=={version:8} {sid:45} {ans.status:12} {ans.file or ''}", flush=True)
        out[f"uv=={version}"] = results
    UV_ERAS_OUT.write_text(json.dumps({"host": HOST, "results": out}, indent=1, ensure_ascii=False) + "\n")
    return 0


def summary() -> int:
    """Agreement of tagsim with every recorded fixture (offline), one line per installer version."""
    from tagsim.errors import TagsimError
    from tagsim.verify import predict

    pinned = json.loads((REPO / "tests" / "known_divergences.json").read_text())
    scenarios = {s["id"]: Scenario.from_json(s) for s in json.loads(SCENARIOS.read_text())}
    print(f"{'installer':12} {'tested':>6} {'agree':>6} {'pinned':>6} {'other':>6} {'not-emulable':>12}")
    for inst in ALL_INSTALLERS:
        path = OUT_DIR / f"{inst.replace('==', '-')}.json"
        if not path.exists():
            print(f"{inst:12} (no fixture)")
            continue
        c = {"tested": 0, "agree": 0, "pinned": 0, "other": 0, "not-emulable": 0}
        for sid, r in json.loads(path.read_text())["results"].items():
            if r["status"] not in ("chosen", "no-match"):
                c["not-emulable" if r["status"] == NOT_EMULABLE else "other"] += 1
                continue
            c["tested"] += 1
            try:
                ours = predict(inst, scenarios[sid])
            except TagsimError:
                ours = "refused"
            real = r["file"] if r["status"] == "chosen" else None
            c["agree" if ours == real else ("pinned" if f"choices/{inst}/{sid}" in pinned else "other")] += 1
        print(f"{inst:12} {c['tested']:6} {c['agree']:6} {c['pinned']:6} {c['other']:6} {c['not-emulable']:12}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--all", action="store_true", help="every installer version: " + ", ".join(ALL_INSTALLERS))
    ap.add_argument("--installer", action="append", help="e.g. pip==26.3 (repeatable)")
    ap.add_argument("--scenario", action="append", help="only these scenario ids (merged into the fixtures)")
    ap.add_argument("--jobs", type=int, default=1, help="installer versions recorded in parallel (default 1)")
    ap.add_argument("--summary", action="store_true", help="only print tagsim's agreement with the recorded fixtures")
    ap.add_argument("--uv-eras", action="store_true", help="record the uv era-boundary releases (tests/fixtures/uv_choice_eras.json)")
    args = ap.parse_args(argv)
    if args.summary:
        return summary()
    if args.uv_eras:
        return record_uv_eras(json.loads(SCENARIOS.read_text()))
    installers = ALL_INSTALLERS if args.all or not args.installer else args.installer
    scenarios = json.loads(SCENARIOS.read_text())
    if args.jobs > 1 and len(installers) > 1:
        def child(inst: str) -> int:
            extra = [a for s in (args.scenario or []) for a in ("--scenario", s)]
            return subprocess.call([sys.executable, __file__, "--installer", inst, *extra])
        with ThreadPoolExecutor(args.jobs) as pool:
            return max(pool.map(child, installers))
    for installer in installers:
        data = record(installer, scenarios, set(args.scenario) if args.scenario else None)
        counts: dict[str, int] = {}
        for r in data["results"].values():
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        print(installer, counts, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
