#!/usr/bin/env python3
"""Record the tag-priority order that real uv releases use, per platform profile.

uv exposes no tag list, so the order is recovered by *selection sort* against a
``--find-links`` directory of dummy wheels ``demo-1.0-<tag>.whl`` (one per
candidate tag): let uv choose (``uv pip install --dry-run -v``; the chosen file
is read from the ``Selecting: demo==1.0 ... (<file>)`` debug line), delete the
chosen file, repeat until uv reports that no wheel is compatible.  The chosen
sequence is uv's priority order restricted to the candidates; what is never
chosen is incompatible ("rejected").

Candidates are a generous union: every tag packaging 26.3 produces for the
profile (cp312, or the real interpreter's tags for the host/PyPy cases) plus
uv-specific and near-miss decoys.  Before sorting, every target is probed with
one-wheel indexes (profile's highest libc / OS-version tag must be accepted;
the next version up and another architecture must be rejected).

Usage (regenerates tests/fixtures/uv_tags/uv-<ver>.json):

    python3 tools/fidelity/record_uv_tags.py                 # all versions
    python3 tools/fidelity/record_uv_tags.py --versions 0.13.8 --jobs 2
    python3 tools/fidelity/record_uv_tags.py --versions 0.13.8 --profiles linux-aarch64-glibc2.17

Needs: pyenv CPython 3.12 (~/.pyenv/versions/3.12.*), PyPI reachable through
pip (uv and packaging are installed into ~/.cache/tagsim/installers/), and for
the PyPy case Debian's ``pypy3`` + ``pypy3-venv`` packages.
"""
from __future__ import annotations

import argparse
import base64
import concurrent.futures
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROFILES_JSON = REPO / "data" / "platforms.json"
OUT_DIR = REPO / "tests" / "fixtures" / "uv_tags"
CACHE = Path(os.path.expanduser("~/.cache/tagsim/installers"))
PACKAGING_VERSION = "26.3"
HOST_PROFILE = "linux-x86_64-glibc2.36"

# What to record per uv version.  "all" = every profile in data/platforms.json
# (cp312, via --python-platform); extras: "host" = host profile with the real
# 3.12 and no --python-platform; "pypy" = host profile with a Debian pypy3 venv.
VERSIONS = {
    "0.13.8": {"profiles": "all", "extras": ["host", "pypy"]},
    "0.4.30": {"profiles": "all", "extras": ["host"]},
    # Only a spot check: if identical to 0.13.8 on these, that is all we keep.
    "0.13.9": {"profiles": ["linux-aarch64-glibc2.17", "linux-x86_64-musl1.2", "macos13-arm64"],
               "extras": []},
    # Before 0.1.35 there is no --python-platform: host only.
    "0.1.20": {"profiles": [], "extras": ["host"]},
}

METHOD = (
    "selection sort over a --find-links dir of dummy wheels demo-1.0-<tag>.whl (one per "
    "candidate tag): `uv pip install --dry-run --no-deps --no-index --find-links DIR demo -v "
    "[--python-platform T --python-version 3.12] --python <real interpreter>` with UV_NO_CONFIG=1 "
    "and a fresh UV_CACHE_DIR per run (seeded only with uv's interpreter-info cache of the "
    "--python interpreter); chosen file read from the `Selecting:` debug line and removed; "
    "repeated until uv finds no compatible wheel. Candidates: packaging 26.3 tags for the "
    "profile plus near-miss/uv-specific decoys; tags never chosen are listed in `rejected`. "
    "Each target was first probed with one-wheel indexes (see `probes`)."
)

SELECT_RE = re.compile(r"Selecting: demo==1\.0 (?:\[[^\]]*\] )?\((demo-1\.0-[^)]+\.whl)\)")
NO_SOLUTION_RE = re.compile(r"No solution found|no wheels|unsatisfiable|not compatible|no version of demo", re.I)


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- installers

def pyenv_python(minor: str) -> str:
    cands = sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{minor}.*/bin/python")))
    if not cands:
        sys.exit(f"no pyenv Python {minor}")
    return cands[-1]


def ensure_venv(path: Path, python: str, pip_args: list[str] | None = None) -> Path:
    py = path / "bin" / "python"
    if not py.exists():
        subprocess.run([python, "-m", "venv", str(path)], check=True)
        if pip_args:
            subprocess.run([str(py), "-m", "pip", "install", "-q", *pip_args], check=True)
    return py


def ensure_uv(version: str) -> str:
    d = CACHE / f"uv-{version}"
    ensure_venv(d, pyenv_python("3.12"), [f"uv=={version}"])
    uv = d / "bin" / "uv"
    if not uv.exists():
        sys.exit(f"uv binary missing in {d}")
    return str(uv)


def ensure_packaging() -> str:
    """packaging 26.3 installed with --target so any interpreter can import it."""
    d = CACHE / f"packaging-{PACKAGING_VERSION}"
    if not (d / "packaging" / "tags.py").exists():
        subprocess.run([pyenv_python("3.12"), "-m", "pip", "install", "-q", "--target", str(d),
                        f"packaging=={PACKAGING_VERSION}"], check=True)
    return str(d)


def ensure_cp312_env() -> str:
    """An empty venv of the real CPython 3.12, used as --python (dry runs only)."""
    return str(ensure_venv(CACHE / "target-cp312", pyenv_python("3.12")))


def ensure_pypy_env() -> str | None:
    py = CACHE / "target-pypy3" / "bin" / "python"
    if py.exists():
        return str(py)
    if not shutil.which("pypy3"):
        return None
    subprocess.run(["pypy3", "-m", "venv", "--without-pip", str(CACHE / "target-pypy3")], check=True)
    return str(py)


# --------------------------------------------------------------------------- candidate tags

# Runs inside a real interpreter with packaging 26.3 on sys.path.  Input JSON on stdin:
#   {"mode": "native"}                       -> real sys_tags() / platform_tags()
#   {"mode": "patched", "profile": {...}}    -> platform list for the profile
#   {"mode": "tags", "python": "cp312"|"native", "platforms": [...]}
HELPER = r'''
import json, sys, sysconfig
req = json.load(sys.stdin)
from packaging import tags, _manylinux, _musllinux
out = {}
if req["mode"] == "native":
    out["tags"] = [str(t) for t in tags.sys_tags()]
    out["platforms"] = list(tags.platform_tags())
    out["interpreter"] = tags.interpreter_name() + tags.interpreter_version()
elif req["mode"] == "patched":
    p = req["profile"]
    osn, arch = p["os"], p["arch"]
    if osn == "linux":
        bits32 = p.get("python_bits") == 32
        sysconfig.get_platform = lambda: "linux-" + arch
        major, minor = (int(x) for x in p["libc_version"].split("."))
        if p["libc"] == "glibc":
            _manylinux._get_glibc_version = lambda: _manylinux._GLibCVersion(major, minor)
            _musllinux._get_musl_version = lambda exe: None
        else:
            _manylinux._get_glibc_version = lambda: _manylinux._GLibCVersion(-1, -1)
            _musllinux._get_musl_version = lambda exe: _musllinux._MuslVersion(major, minor)
        soft = p.get("float_abi") == "soft"
        _manylinux._have_compatible_abi = lambda exe, archs: not soft
        out["platforms"] = list(tags._linux_platforms(is_32bit=bits32))
    elif osn == "macos":
        v = tuple(int(x) for x in p["os_version"].split(".")[:2])
        out["platforms"] = list(tags.mac_platforms(v, arch))
    elif osn == "ios":
        v = tuple(int(x) for x in p["os_version"].split(".")[:2])
        out["platforms"] = list(tags.ios_platforms(v, arch + "_" + p["sdk"]))
    elif osn == "android":
        out["platforms"] = list(tags.android_platforms(int(p["api_level"]), arch))
    elif osn == "windows":
        out["platforms"] = [{"amd64": "win_amd64", "x86": "win32", "arm64": "win_arm64"}[arch]]
    elif osn == "emscripten":
        ev = p["emscripten_version"]
        pv = p.get("pyemscripten_version")
        sysconfig.get_platform = lambda: "emscripten-%s-wasm32" % ev
        orig = sysconfig.get_config_var
        sysconfig.get_config_var = lambda n: pv if n == "PYEMSCRIPTEN_PLATFORM_VERSION" else orig(n)
        out["platforms"] = list(tags._emscripten_platforms())
    elif osn == "freebsd":
        out["platforms"] = ["freebsd_%s_%s" % (p["os_version"].replace(".", "_").replace("-", "_").lower(), arch)]
    else:
        raise SystemExit("unknown os " + osn)
else:
    plats = req["platforms"]
    if req["python"] == "native":
        if tags.interpreter_name() == "cp":
            t = list(tags.cpython_tags(platforms=plats))
            interp = "cp" + tags.interpreter_version()
        else:
            t = list(tags.generic_tags(platforms=plats))
            interp = "pp3" if tags.interpreter_name() == "pp" else None
        t += list(tags.compatible_tags(platforms=plats, interpreter=interp))
    else:
        pyv = (int(req["python"][2]), int(req["python"][3:]))
        t = list(tags.cpython_tags(pyv, [req["python"]], plats))
        t += list(tags.compatible_tags(pyv, req["python"], plats))
    out["tags"] = [str(x) for x in t]
json.dump(out, sys.stdout)
'''


def run_helper(python: str, req: dict) -> dict:
    env = dict(os.environ, PYTHONPATH=ensure_packaging())
    r = subprocess.run([python, "-c", HELPER], input=json.dumps(req),
                       capture_output=True, text=True, env=env, timeout=120)
    if r.returncode:
        raise RuntimeError(f"helper failed: {r.stderr}")
    return json.loads(r.stdout)


OTHER_ARCH = {"x86_64": "aarch64", "aarch64": "x86_64", "ppc64le": "s390x", "s390x": "ppc64le",
              "riscv64": "x86_64", "loongarch64": "x86_64", "i686": "x86_64", "armv7l": "aarch64"}


def decoy_platforms(p: dict, pkg_plats: list[str]) -> list[str]:
    """Near-miss and uv-specific platform tags (product with all interpreter/ABI combos)."""
    osn, arch = p["os"], p["arch"]
    out: list[str] = []
    if osn == "linux":
        a = arch
        if p.get("python_bits") == 32:
            a = {"x86_64": "i686", "aarch64": "armv7l"}[arch]
        maj, mnr = (int(x) for x in p["libc_version"].split("."))
        o = OTHER_ARCH.get(a, "x86_64")
        out += [f"linux_{a}", f"linux_{o}"]
        if p["libc"] == "glibc":
            out += [f"manylinux_2_{m}_{a}" for m in range(mnr + 1, -1, -1)]
            out += [f"manylinux2014_{a}", f"manylinux2010_{a}", f"manylinux1_{a}"]
            out += [f"musllinux_1_{m}_{a}" for m in (2, 1, 0)]
            out += [f"manylinux_2_{mnr}_{o}"]
        else:
            out += [f"musllinux_1_{m}_{a}" for m in range(mnr + 1, -1, -1)]
            out += [f"manylinux_2_17_{a}", f"manylinux2014_{a}", f"manylinux_2_5_{a}", f"manylinux1_{a}"]
            out += [f"musllinux_1_{mnr}_{o}"]
        if a == "armv7l":
            out += ["linux_armv8l", f"manylinux_2_{mnr}_armv8l"]
    elif osn == "macos":
        maj, mnr = (int(x) for x in p["os_version"].split(".")[:2])
        a = arch
        o = "x86_64" if a == "arm64" else "arm64"
        # uv still spells fat3 as fat32 (packaging 26.3 renamed it): add fat32 twins.
        out += [pl.replace("_fat3", "_fat32") for pl in pkg_plats if pl.endswith("_fat3")]
        if maj >= 11:
            out += [f"macosx_{maj + 1}_0_{a}", f"macosx_{maj}_1_{a}", f"macosx_{maj}_0_{o}",
                    f"macosx_{maj}_0_universal2"]
        else:
            out += [f"macosx_10_{mnr + 1}_{a}", f"macosx_10_{mnr}_{o}", f"macosx_10_{mnr}_universal2"]
        out += [f"macosx_10_{m}_{a}" for m in range(0, 17)]
        out += [f"macosx_10_{m}_universal2" for m in range(0, 17)]
    elif osn == "windows":
        out += ["win_amd64", "win32", "win_arm64"]
    elif osn == "android":
        api = int(p["api_level"])
        out += [f"android_{v}_{arch}" for v in range(api + 1, 14, -1)]
        out += [f"android_{api}_x86_64", f"android_{api}_armeabi_v7a"]
    elif osn == "ios":
        maj, mnr = (int(x) for x in p["os_version"].split(".")[:2])
        ma = f"{arch}_{p['sdk']}"
        out += [f"ios_{maj}_{mnr + 1}_{ma}", f"ios_{maj + 1}_0_{ma}", f"ios_11_9_{ma}",
                f"ios_{maj}_{mnr}_arm64_iphonesimulator", f"ios_{maj}_{mnr}_x86_64_iphonesimulator"]
    elif osn == "emscripten":
        out += ["pyemscripten_2025_0_wasm32", "pyodide_2025_0_wasm32", "pyemscripten_2024_0_wasm32",
                "pyodide_2024_0_wasm32", "pyemscripten_2026_0_wasm32", "pyodide_2026_0_wasm32",
                "emscripten_3_1_58_wasm32", "emscripten_4_0_9_wasm32"]
    return out


def decoy_tags(python: str, top: str) -> list[str]:
    """Near-miss interpreter/ABI combos on the profile's best platform and on `any`."""
    if python.startswith("cp"):
        n = int(python[3:])
        t = [f"cp3{n}-abi3t-{top}", f"cp3{n + 1}-abi3-{top}", f"cp3{n + 1}-cp3{n + 1}-{top}",
             f"cp3{n - 1}-cp3{n - 1}-{top}", f"cp3{n - 1}-none-{top}", f"cp31-abi3-{top}",
             f"cp3{n}-cp3{n}t-{top}", f"cp3{n}-cp3{n}d-{top}", f"pp3{n}-pypy3{n}_pp73-{top}",
             f"py2-none-{top}", f"py3{n + 1}-none-{top}",
             f"cp3{n}-abi3-any", f"cp3{n}-cp3{n}-any", f"cp3{n - 1}-none-any", "cp3-none-any",
             "pp3-none-any", f"pp3{n}-none-any", "py2-none-any", f"py3{n + 1}-none-any", "py4-none-any"]
    else:  # pp39
        n = int(python[3:])
        t = [f"pp3{n}-none-{top}", f"pp3{n}-pypy3{n}_pp74-{top}", f"pp3{n + 1}-pypy3{n + 1}_pp73-{top}",
             f"cp3{n}-cp3{n}-{top}", f"cp3{n}-abi3-{top}", f"py3{n + 1}-none-{top}",
             "pp3-none-any", f"pp3{n}-none-any", f"pp3{n + 1}-none-any", f"cp3{n}-none-any",
             "py2-none-any", f"py3{n + 1}-none-any"]
    return t


def dedupe(seq):
    seen, out = set(), []
    for x in seq:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def candidates_for(case: dict, helper_python: str) -> tuple[list[str], list[str]]:
    """(candidate tags, packaging 26.3 tags) for a case."""
    p = case["profile_obj"]
    if case["kind"] == "profile":
        plats = run_helper(helper_python, {"mode": "patched", "profile": p})["platforms"]
        pkg_tags = run_helper(helper_python, {"mode": "tags", "python": "cp312", "platforms": plats})["tags"]
        mode_python = "cp312"
    else:  # native: host / pypy
        nat = run_helper(case["python_exe"], {"mode": "native"})
        plats, pkg_tags = nat["platforms"], nat["tags"]
        mode_python = "native"
    union = dedupe(plats + decoy_platforms(p, plats))
    helper = helper_python if mode_python == "cp312" else case["python_exe"]
    union_tags = run_helper(helper, {"mode": "tags", "python": mode_python, "platforms": union})["tags"]
    top = next((pl for pl in plats if not pl.startswith("linux_")), plats[0])
    cands = dedupe(pkg_tags + union_tags + decoy_tags(case["python"], top))
    return cands, pkg_tags


# --------------------------------------------------------------------------- dummy wheels

def make_wheel(d: Path, tag: str, name: str = "demo") -> str:
    fn = f"{name}-1.0-{tag}.whl"
    interp, abi, plat = tag.split("-")
    wheel_tags = "".join(f"Tag: {i}-{a}-{pl}\n" for i in interp.split(".") for a in abi.split(".")
                         for pl in plat.split("."))
    files = {
        f"{name}_chosen.txt": fn + "\n",
        f"{name}-1.0.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n",
        f"{name}-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: tagsim-record-uv-tags\n"
                                       "Root-Is-Purelib: false\n" + wheel_tags,
    }
    rec = ""
    with zipfile.ZipFile(d / fn, "w") as z:
        for k, v in files.items():
            z.writestr(k, v)
            h = base64.urlsafe_b64encode(hashlib.sha256(v.encode()).digest()).rstrip(b"=").decode()
            rec += f"{k},sha256={h},{len(v.encode())}\n"
        rec += f"{name}-1.0.dist-info/RECORD,,\n"
        z.writestr(f"{name}-1.0.dist-info/RECORD", rec)
    return fn


# --------------------------------------------------------------------------- running uv

class Runner:
    """Runs one uv version against one interpreter with optional --python-platform."""

    def __init__(self, uv: str, python_exe: str, target: str | None, pyver: str | None,
                 env: dict, cache_mode: str, workdir: Path):
        self.uv, self.python_exe, self.target, self.pyver = uv, python_exe, target, pyver
        self.env, self.cache_mode, self.workdir = env, cache_mode, workdir
        self.template = workdir / "cache-template"
        self.runs = 0

    def cmd(self, findlinks: Path) -> list[str]:
        c = [self.uv, "pip", "install", "--dry-run", "--no-deps", "--no-index",
             "--find-links", str(findlinks), "demo", "-v", "--python", self.python_exe]
        if self.target:
            c += ["--python-platform", self.target]
        if self.pyver:
            c += ["--python-version", self.pyver]
        if self.cache_mode == "none":
            c.append("--no-cache")
        return c

    def _fresh_cache(self) -> str:
        d = Path(tempfile.mkdtemp(prefix="c", dir=self.workdir))
        if self.cache_mode == "seeded":
            if not self.template.exists():
                # Warm once: only the interpreter-info entries are ever copied out.
                self.template.mkdir()
                e = dict(os.environ, UV_NO_CONFIG="1", UV_CACHE_DIR=str(self.template), **self.env)
                empty = self.workdir / "empty"
                empty.mkdir(exist_ok=True)
                subprocess.run(self.cmd(empty), env=e, capture_output=True, timeout=120)
            for sub in self.template.iterdir():
                if sub.name.startswith("interpreter"):
                    shutil.copytree(sub, d / sub.name)
        return str(d)

    def choose(self, findlinks: Path) -> tuple[str | None, str]:
        """Returns (chosen filename or None if nothing compatible, raw output)."""
        cache = self._fresh_cache()
        e = dict(os.environ, UV_NO_CONFIG="1", UV_CACHE_DIR=cache, **self.env)
        for k in ("UV_PYTHON", "UV_INDEX_URL", "UV_FIND_LINKS", "VIRTUAL_ENV", "UV_SYSTEM_PYTHON"):
            if k not in self.env:
                e.pop(k, None)
        try:
            r = subprocess.run(self.cmd(findlinks), env=e, capture_output=True, text=True, timeout=90)
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        self.runs += 1
        out = r.stdout + r.stderr
        m = SELECT_RE.search(out)
        if m and r.returncode == 0:
            return m.group(1), out
        if "invalid value" in out:
            raise InvalidTarget(out)
        if r.returncode != 0 and NO_SOLUTION_RE.search(out):
            return None, out
        raise RuntimeError(f"unexpected uv output (rc={r.returncode}):\n{out[-3000:]}")


class InvalidTarget(Exception):
    pass


def probe(runner: Runner, workdir: Path, tag: str) -> bool:
    d = Path(tempfile.mkdtemp(prefix="probe", dir=workdir))
    try:
        make_wheel(d, tag)
        chosen, _ = runner.choose(d)
        return chosen is not None
    finally:
        shutil.rmtree(d, ignore_errors=True)


def selection_sort(runner: Runner, workdir: Path, cands: list[str]) -> tuple[list[str], list[str]]:
    d = workdir / "findlinks"
    if d.exists():
        shutil.rmtree(d)
    d.mkdir()
    by_file = {make_wheel(d, t): t for t in cands}
    order: list[str] = []
    while True:
        chosen, out = runner.choose(d)
        if chosen is None:
            break
        if chosen not in by_file or not (d / chosen).exists():
            raise RuntimeError(f"uv chose {chosen!r}, which is not (any more) in the dir")
        order.append(by_file.pop(chosen))
        (d / chosen).unlink()
    rejected = [t for t in cands if t in by_file.values()]
    shutil.rmtree(d, ignore_errors=True)
    return order, rejected


# --------------------------------------------------------------------------- targets per profile

def plan_profile(p: dict) -> dict:
    """Target + env + probes for a profile, or {"skipped": reason}.

    The target name is then validated against the uv version (``invalid value`` -> skip)
    and the probes decide whether it is faithful.
    """
    osn, arch = p["os"], p["arch"]
    if osn == "linux":
        if p.get("python_bits") == 32:
            eff = {"x86_64": "i686", "aarch64": "armv7l (armv8l userland)"}[arch]
            return {"skipped": f"32-bit interpreter on a 64-bit {arch} kernel: uv would use {eff} tags, "
                               f"and uv has no {eff.split()[0]} Linux --python-platform target"}
        if arch in ("i686", "armv7l", "armv6l"):
            extra = " (soft-float armel)" if p.get("float_abi") == "soft" else ""
            return {"skipped": f"uv has no {arch}{extra} Linux --python-platform target "
                               f"(only x86_64/aarch64, plus hidden ppc64le/s390x/loongarch64 and riscv64 in newer uv)"}
        maj, mnr = (int(x) for x in p["libc_version"].split("."))
        o = OTHER_ARCH.get(arch, "x86_64")
        if p["libc"] == "musl":
            if (maj, mnr) != (1, 2):
                return {"skipped": f"uv's musl targets (<arch>-unknown-linux-musl) always mean musl 1.2; "
                                   f"no target for musl {maj}.{mnr}"}
            return {"target": f"{arch}-unknown-linux-musl", "env": {},
                    "accept": [f"musllinux_1_2_{arch}"],
                    "reject": [f"musllinux_1_3_{arch}", f"musllinux_1_2_{o}"]}
        target = "riscv64-unknown-linux" if arch == "riscv64" else f"{arch}-manylinux_2_{mnr}"
        return {"target": target, "env": {},
                "accept": [f"manylinux_2_{mnr}_{arch}"],
                "reject": [f"manylinux_2_{mnr + 1}_{arch}", f"manylinux_2_{mnr}_{o}"]}
    if osn == "macos":
        maj, mnr = (int(x) for x in p["os_version"].split(".")[:2])
        o = "x86_64" if arch == "arm64" else "arm64"
        top = f"macosx_{maj}_0_{arch}" if maj >= 11 else f"macosx_10_{mnr}_{arch}"
        nxt = f"macosx_{maj + 1}_0_{arch}" if maj >= 11 else f"macosx_10_{mnr + 1}_{arch}"
        return {"target": ("aarch64" if arch == "arm64" else "x86_64") + "-apple-darwin",
                "env": {"MACOSX_DEPLOYMENT_TARGET": p["os_version"]},
                "accept": [top], "reject": [nxt, top.replace(arch, o)]}
    if osn == "windows":
        plat = {"amd64": "win_amd64", "x86": "win32", "arm64": "win_arm64"}[arch]
        tgt = {"amd64": "x86_64-pc-windows-msvc", "x86": "i686-pc-windows-msvc",
               "arm64": "aarch64-pc-windows-msvc"}[arch]
        return {"target": tgt, "env": {}, "accept": [plat],
                "reject": [x for x in ("win_amd64", "win32", "win_arm64") if x != plat]}
    if osn == "ios":
        maj, mnr = (int(x) for x in p["os_version"].split(".")[:2])
        ma = f"{arch}_{p['sdk']}"
        tgt = {"arm64_iphoneos": "arm64-apple-ios", "arm64_iphonesimulator": "arm64-apple-ios-simulator",
               "x86_64_iphonesimulator": "x86_64-apple-ios-simulator"}[ma]
        return {"target": tgt, "env": {"IPHONEOS_DEPLOYMENT_TARGET": p["os_version"]},
                "accept": [f"ios_{maj}_{mnr}_{ma}"],
                "reject": [f"ios_{maj}_{mnr + 1}_{ma}", f"ios_{maj}_{mnr}_arm64_iphonesimulator"]}
    if osn == "android":
        api = int(p["api_level"])
        tgt = {"arm64_v8a": "aarch64-linux-android", "x86_64": "x86_64-linux-android"}.get(arch)
        if not tgt:
            return {"skipped": f"uv has no Android target for ABI {arch}"}
        return {"target": tgt, "env": {"ANDROID_API_LEVEL": str(api)},
                "accept": [f"android_{api}_{arch}"],
                "reject": [f"android_{api + 1}_{arch}", f"android_{api}_x86_64"]}
    if osn == "emscripten":
        year = p.get("pyemscripten_version", "2025_0").split("_")[0]
        return {"target": f"wasm32-pyodide{year}", "env": {},
                "accept": [f"pyodide_{year}_0_wasm32"],
                "reject": [f"pyodide_{int(year) + 1}_0_wasm32", f"emscripten_{p['emscripten_version'].replace('.', '_')}_wasm32"]}
    return {"skipped": f"uv has no --python-platform target for {osn}"}


# --------------------------------------------------------------------------- cases

def build_cases(version: str, profiles: dict, only: list[str] | None, env_py: dict) -> list[dict]:
    spec = VERSIONS.get(version, {"profiles": "all", "extras": ["host"]})
    ids = list(profiles) if spec["profiles"] == "all" else list(spec["profiles"])
    cases = []
    for pid in ids:
        cases.append({"kind": "profile", "platform": pid, "python": "cp312",
                      "profile_obj": profiles[pid], "python_exe": env_py["cp312"]})
    for ex in spec["extras"]:
        if ex == "host":
            cases.append({"kind": "host", "platform": HOST_PROFILE, "python": "cp312",
                          "profile_obj": profiles[HOST_PROFILE], "python_exe": env_py["cp312"]})
        elif ex == "pypy":
            cases.append({"kind": "pypy", "platform": HOST_PROFILE, "python": "pp39",
                          "profile_obj": profiles[HOST_PROFILE], "python_exe": env_py.get("pypy")})
    if only:
        cases = [c for c in cases if c["platform"] in only or f"{c['platform']}:{c['kind']}" in only]
    return cases


def record_case(version: str, uv: str, case: dict, helper_python: str, cache_mode: str) -> dict:
    base = {"platform": case["platform"], "python": case["python"]}
    if case["kind"] == "pypy" and not case["python_exe"]:
        return {**base, "skipped": "no pypy3 interpreter (apt-get install pypy3 pypy3-venv)"}
    workdir = Path(tempfile.mkdtemp(prefix=f"uvtags-{version}-"))
    try:
        if case["kind"] == "profile":
            plan = plan_profile(case["profile_obj"])
            if "skipped" in plan:
                return {**base, "skipped": plan["skipped"]}
            runner = Runner(uv, case["python_exe"], plan["target"], "3.12", plan["env"], cache_mode, workdir)
            probes = {}
            try:
                for t in plan["accept"] + plan["reject"]:
                    probes[t] = probe(runner, workdir, f"cp312-cp312-{t}")
            except InvalidTarget:
                return {**base, "skipped": f"uv {version} has no `--python-platform {plan['target']}` "
                                           f"(invalid value)"}
            bad = [t for t in plan["accept"] if not probes[t]] + [t for t in plan["reject"] if probes[t]]
            if bad:
                return {**base, "skipped": f"`--python-platform {plan['target']}` "
                                           f"(env {plan['env']}) is not faithful in uv {version}: probes "
                                           + ", ".join(f"{t}={'accepted' if probes[t] else 'rejected'}" for t in bad),
                        "probes": probes}
            case_out = {**base, "target": plan["target"], "python_version": "3.12", "env": plan["env"],
                        "probes": probes}
        else:
            runner = Runner(uv, case["python_exe"], None, None, {}, cache_mode, workdir)
            case_out = {**base, "target": None, "python_version": None, "env": {},
                        "note": "real interpreter, no --python-platform/--python-version"}
        cands, pkg_tags = candidates_for(case, helper_python)
        t0 = time.time()
        order, rejected = selection_sort(runner, workdir, cands)
        log(f"uv {version} {case['platform']} [{case['kind']}]: {len(order)} tags, "
            f"{len(rejected)} rejected, {runner.runs} runs, {time.time() - t0:.0f}s")
        case_out.update({"tags": order, "rejected": rejected,
                         "candidates": len(cands), "packaging_26_3_tags": len(pkg_tags)})
        return case_out
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--versions", default=",".join(VERSIONS))
    ap.add_argument("--profiles", help="comma-separated profile ids (default: per-version list); "
                    "`<id>:host` / `<id>:pypy` select only the native host / PyPy case")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cache-mode", choices=["seeded", "none"], default="seeded",
                    help="seeded: fresh UV_CACHE_DIR per run holding only the interpreter-info cache; "
                         "none: --no-cache on every run (slower)")
    ap.add_argument("--out", default=str(OUT_DIR))
    ap.add_argument("--merge", action="store_true",
                    help="replace only the recorded cases in an existing fixture")
    args = ap.parse_args(argv)

    profiles = {p["id"]: p for p in json.loads(PROFILES_JSON.read_text())["profiles"]}
    CACHE.mkdir(parents=True, exist_ok=True)
    ensure_packaging()
    env_py = {"cp312": ensure_cp312_env(), "pypy": ensure_pypy_env()}
    helper_python = env_py["cp312"]
    py_full = subprocess.run([env_py["cp312"], "-c", "import platform;print(platform.python_version())"],
                             capture_output=True, text=True).stdout.strip()
    only = args.profiles.split(",") if args.profiles else None
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)

    for version in args.versions.split(","):
        uv = ensure_uv(version)
        cases = build_cases(version, profiles, only, env_py)
        log(f"uv {version}: {len(cases)} cases")
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
            results = list(ex.map(lambda c: record_case(version, uv, c, helper_python, args.cache_mode), cases))
        for c, r in zip(cases, results):
            if "skipped" in r:
                log(f"uv {version} {c['platform']}: skipped: {r['skipped']}")
        path = out_dir / f"uv-{version}.json"
        doc = {"installer": f"uv=={version}",
               "recorded_with": {"python": py_full, "pypy": pypy_version(env_py.get("pypy")),
                                 "packaging": PACKAGING_VERSION, "host": "x86_64 Debian 12, glibc 2.36",
                                 "cache_mode": args.cache_mode, "method": METHOD},
               "cases": results}
        if args.merge and path.exists():
            old = json.loads(path.read_text())
            key = lambda c: (c["platform"], c["python"], c.get("target", "?") is None)
            new_keys = {key(c) for c in results}
            doc["cases"] = [c for c in old["cases"] if key(c) not in new_keys] + results
        path.write_text(json.dumps(doc, indent=1) + "\n")
        log(f"wrote {path}")


def pypy_version(exe):
    if not exe:
        return None
    r = subprocess.run([exe, "-c", "import sys,platform;print(platform.python_version(), "
                                   "'.'.join(map(str, sys.pypy_version_info[:3])))"],
                       capture_output=True, text=True)
    return r.stdout.strip() or None


if __name__ == "__main__":
    main()
