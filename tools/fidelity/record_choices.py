#!/usr/bin/env python3
"""Record what real pip and uv choose for every scenario of tests/scenarios/choices.json.

Usage: python tools/fidelity/record_choices.py [--installer pip==26.3 ...] [--scenario ID ...]

For each installer version: install it into a cached venv, build a dummy index
per scenario (src/tagsim/dummy_index.py), run the installer fully offline and
read back the file it chose. Results go to tests/fixtures/choices/<installer>-<ver>.json.
A crash, timeout or missing installer is recorded as "error", never as a choice.
See tools/fidelity/CHOICES.md for the method and the emulation rules.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))

from tagsim.dummy_index import IndexFile, build_index, read_marker  # noqa: E402

SCENARIOS = REPO / "tests" / "scenarios" / "choices.json"
OUT_DIR = REPO / "tests" / "fixtures" / "choices"
CACHE = Path.home() / ".cache" / "tagsim" / "installers" / "choices"
PYENV = Path.home() / ".pyenv" / "versions"
PYPY = Path("/usr/bin/pypy3")
HOST = "linux-x86_64-glibc2.36"
TIMEOUT = 180
DEFAULT_INSTALLERS = ["pip==26.3", "uv==0.13.8", "pip==20.3.4", "pip==26.2.1",
                      "pip==21.1.3", "pip==19.3.1", "uv==0.4.30"]
# Python that runs each pip (old pips need old Pythons); uv runs from a 3.12 venv.
PIP_HOME_PYTHON = {"19": "3.7", "20": "3.8", "21": "3.9"}
# Scenario Pythons a given pip can run on natively here.
PIP_NATIVE = {"19": {"cp37"}, "20": {"cp38"}, "21": {"cp39", "cp310", "pp39"},
              "26": {"cp310", "cp311", "cp312", "cp313"}}
UV_GLIBC_TRIPLES = {"0.13.8": {17, 28} | set(range(31, 41)), "0.4.30": {17, 28, 31}}
UV_ARCH = {"x86_64": "x86_64", "aarch64": "aarch64", "i686": "i686"}
LEGACY_GLIBC = {"manylinux2014": 17, "manylinux2010": 12, "manylinux1": 5}
ARCH_FLOOR = {"x86_64": 5, "i686": 5}


@dataclass(frozen=True)
class Plan:
    """How one installer is asked about one scenario (or why it cannot be)."""

    argv: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    method: str = ""
    skip: str | None = None


def vkey(version: str) -> tuple[int, ...]:
    """Numeric version key, enough for the installer versions we handle."""
    return tuple(int(p) for p in re.findall(r"\d+", version)[:3])


def run(argv: list[str], env: dict[str, str] | None = None, cwd: Path | None = None,
        timeout: int = TIMEOUT) -> tuple[int | None, str]:
    """Run a command; (None, output) on timeout. Output is stdout+stderr."""
    try:
        proc = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=timeout)
        return proc.returncode, proc.stdout
    except subprocess.TimeoutExpired as exc:
        out = exc.output.decode() if isinstance(exc.output, bytes) else (exc.output or "")
        return None, out
    except OSError as exc:
        return -1, f"{type(exc).__name__}: {exc}"


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    """Environment without PIP_*/UV_*/VIRTUAL_ENV leaks from the caller."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIP_", "UV_", "PYTHON")) and k != "VIRTUAL_ENV"}
    env.update(extra)
    return env


# ---------------------------------------------------------------- interpreters
def interpreter(python: str) -> Path | None:
    """Real interpreter on this machine for a scenario python like cp312/pp39."""
    if python.startswith("pp"):
        return PYPY if PYPY.exists() else None
    m = re.fullmatch(r"cp3(\d+)", python)
    if not m:
        return None
    for d in sorted(PYENV.glob(f"3.{m.group(1)}.*")):
        if (d / "bin" / "python").exists():
            return d / "bin" / "python"
    return None


def full_version(python: str) -> str:
    """Exact X.Y.Z a scenario python stands for (the pyenv patch level when known)."""
    exe = interpreter(python.rstrip("t"))
    if exe is not None and not python.startswith("pp"):
        return exe.parent.parent.name
    if python.startswith("pp"):
        return f"3.{python[3:]}"
    return f"3.{python[3:].rstrip('t')}.0"


def venv_for(installer: str, version: str, py_label: str, exe: Path) -> Path | None:
    """Cached venv ~/.cache/tagsim/installers/choices/<inst>-<ver>-<py>; built if absent."""
    d = CACHE / f"{installer}-{version}-{py_label}"
    tool = d / "bin" / ("uv" if installer == "uv" else "pip")
    if tool.exists() and installed_version(d, installer) == version:
        return d
    shutil.rmtree(d, ignore_errors=True)
    rc, _ = run([str(exe), "-m", "venv", str(d)], timeout=300)
    if rc != 0:
        return None
    rc, _ = run([str(d / "bin" / "python"), "-m", "pip", "install", "-q",
                 "--disable-pip-version-check", f"{installer}=={version}"], timeout=600)
    if rc == 0 and installed_version(d, installer) == version:
        return d
    shutil.rmtree(d, ignore_errors=True)  # e.g. pip 26.x needs Python >= 3.10
    return None


def installed_version(venv: Path, installer: str) -> str | None:
    """Version of pip/uv actually present in a venv (guards against stale caches)."""
    argv = [str(venv / "bin" / "uv"), "--version"] if installer == "uv" else \
        [str(venv / "bin" / "python"), "-m", "pip", "--version"]
    rc, out = run(argv, timeout=60)
    m = re.match(r"(?:uv|pip) (\S+)", out.strip())
    return m.group(1) if rc == 0 and m else None


def pip_venv(version: str, python: str | None) -> Path | None:
    """Venv whose interpreter is `python` (native run) or the pip's home Python."""
    if python is None:
        home = PIP_HOME_PYTHON.get(version.split(".")[0], "3.12")
        exe = interpreter("cp3" + home.split(".")[1])
        return venv_for("pip", version, f"py{home}", exe) if exe else None
    exe = interpreter(python)
    if exe is None:
        return None
    label = "pp3.9" if python.startswith("pp") else f"py3.{python[3:]}"
    return venv_for("pip", version, label, exe)


# ---------------------------------------------------------------- pip tags
def pip_debug_tags(py: Path, flags: list[str]) -> list[str]:
    """Compatible tags, best first, exactly as this pip prints them."""
    rc, out = run([str(py), "-m", "pip", "debug", "--verbose", *flags],
                  env=clean_env({"PIP_CONFIG_FILE": os.devnull}))
    tags = re.findall(r"^\s+([a-z0-9_.]+-[a-z0-9_.]+-[a-z0-9_.]+)\s*$", out, re.M)
    return [t for t in tags if "==" not in t]


def platforms_of(tags: list[str]) -> list[str]:
    """Ordered distinct platform parts, 'any' excluded."""
    seen: dict[str, None] = {}
    for t in tags:
        plat = t.rsplit("-", 1)[1]
        if plat != "any":
            seen.setdefault(plat, None)
    return list(seen)


def glibc_of(plat: str) -> int | None:
    """glibc minor a manylinux platform needs, None if not manylinux."""
    m = re.match(r"manylinux_2_(\d+)_", plat)
    if m:
        return int(m.group(1))
    prefix = plat.split("_", 1)[0]
    return LEGACY_GLIBC.get(prefix)


def map_platforms(host_plats: list[str], profile: dict, musl_supported: bool) -> list[str]:
    """The platform list this pip would compute on a Linux profile, derived from
    the list it computes on the real x86_64 glibc 2.36 host (same order rules)."""
    arch, libc, ver = profile["arch"], profile["libc"], profile["libc_version"]
    minor = int(ver.split(".")[1])
    out: list[str] = []
    musl_done = False
    for plat in host_plats:
        g = glibc_of(plat)
        if g is None:
            out.append(plat.replace("x86_64", arch))
            continue
        if libc == "musl":
            if musl_supported and not musl_done:
                out += [f"musllinux_1_{m}_{arch}" for m in range(minor, -1, -1)]
            musl_done = True
            continue
        if ARCH_FLOOR.get(arch, 17) <= g <= minor:
            out.append(plat.replace("x86_64", arch))
    return out


def rebuild_tags(native: list[str], plats: list[str], drop_abi3: bool = False) -> list[str]:
    """Native tag list with its platform block replaced by `plats` (the reference)."""
    out: list[str] = []
    done: set[str] = set()
    for t in native:
        py, abi, plat = t.split("-")
        if drop_abi3 and abi == "abi3":
            continue
        if plat == "any":
            out.append(t)
        elif f"{py}-{abi}" not in done:
            done.add(f"{py}-{abi}")
            out += [f"{py}-{abi}-{p}" for p in plats]
    return out


def kind(tag: str, minor: int, own_abi: str) -> str:
    """Tag shape relative to the interpreter version (cp312 on 3.12 → 'cpV')."""
    py, abi, plat = tag.split("-")
    m = re.fullmatch(r"([a-z]+)(\d+)", py)
    if m and len(m.group(2)) >= 2:
        n = int(m.group(2)[1:])
        rel = "V" if n == minor else ("LOW" if n < minor else "HIGH")
        py = m.group(1) + rel
    abi = "OWN" if abi == own_abi else abi
    return f"{py}-{abi}-{plat}"


def restricted_kinds(tags: list[str], minor: int, own_abi: str, wanted: set[str]) -> list[str]:
    """Kinds in list order, deduplicated, restricted to the kinds a scenario uses."""
    seen: dict[str, None] = {}
    for t in tags:
        k = kind(t, minor, own_abi)
        if k in wanted:
            seen.setdefault(k, None)
    return list(seen)


# ---------------------------------------------------------------- pip plans
def describe(flags: list[str]) -> str:
    """Short form of a flag list for notes: --platform values joined by commas."""
    plats = [flags[i + 1] for i, f in enumerate(flags) if f == "--platform"]
    rest = [f for i, f in enumerate(flags) if f != "--platform" and (i == 0 or flags[i - 1] != "--platform")]
    return f"--platform {','.join(plats)} " + " ".join(rest)


def own_abi(python: str) -> str:
    """ABI tag of a scenario python (cp312, cp313t, pypy39_pp73)."""
    return f"pypy3{python[3:]}_pp73" if python.startswith("pp") else python


def python_flags(python: str) -> list[str]:
    """--python-version/--implementation/--abi standing for a scenario python."""
    impl = "pp" if python.startswith("pp") else "cp"
    return ["--python-version", full_version(python), "--implementation", impl,
            "--abi", own_abi(python)]


class PipPlanner:
    """Decides, per scenario, native run or faithful flags for one pip version."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.home = pip_venv(version, None)
        self.native_cache: dict[str, Path | None] = {}
        self.debug_cache: dict[tuple[str, ...], list[str]] = {}
        self.host_tags = pip_debug_tags(self.home / "bin" / "python", []) if self.home else []
        home_py = PIP_HOME_PYTHON.get(version.split(".")[0], "3.12")
        self.home_python = "cp3" + home_py.split(".")[1]
        self.musl = self._has_musllinux()

    def _has_musllinux(self) -> bool:
        """Whether this pip's vendored packaging knows musllinux at all."""
        if not self.home:
            return False
        rc, _ = run([str(self.home / "bin" / "python"), "-c",
                     "import pip._vendor.packaging._musllinux"])
        return rc == 0

    def native_venv(self, python: str) -> Path | None:
        """A venv of this pip running on the scenario's own interpreter, if it can."""
        major = self.version.split(".")[0]
        allowed = PIP_NATIVE.get(major)
        if allowed is not None and python not in allowed:
            return None
        if python.endswith("t"):
            return None
        if python not in self.native_cache:
            self.native_cache[python] = pip_venv(self.version, python)
        return self.native_cache[python]

    def debug(self, flags: list[str]) -> list[str]:
        """`pip debug --verbose FLAGS`, memoised."""
        key = tuple(flags)
        if key not in self.debug_cache:
            self.debug_cache[key] = pip_debug_tags(self.home / "bin" / "python", flags)
        return self.debug_cache[key]

    def plan(self, sc: dict, profile: dict) -> Plan:
        """Native on the host when possible, otherwise checked --platform flags."""
        if not self.home:
            return Plan(skip=f"pip {self.version} could not be installed")
        py = sc["python"]
        if sc["flags"].get("no_build"):
            return Plan(skip="pip has no --no-build option (its nearest, --only-binary :all:, is a different scenario)")
        if py.endswith("t") and vkey(self.version) < (24, 1):
            return Plan(skip=f"pip {self.version} predates free-threaded CPython (vendored packaging < 24) and cannot run on 3.13t")
        if profile["id"] == HOST:
            venv = self.native_venv(py)
            if venv is not None:
                return Plan(argv=(str(venv / "bin" / "python"),), method="native")
        return self.flag_plan(sc, profile)

    def reference(self, profile: dict) -> tuple[list[str], str] | str:
        """Real tag list of this pip on the profile, at its home Python (or a reason)."""
        host_plats = platforms_of(self.host_tags)
        if profile["os"] == "linux":
            plats = map_platforms(host_plats, profile, self.musl)
            return rebuild_tags(self.host_tags, plats), "derived from native host list"
        if profile["os"] == "windows":
            plat = {"amd64": "win_amd64", "win32": "win32", "arm64": "win_arm64"}[profile["id"].split("-")[1]]
            return rebuild_tags(self.host_tags, [plat], drop_abi3=vkey(self.version) < (20, 0)), \
                "host list re-platformed (pip < 20 offers no abi3 on Windows)"
        return "no reference"

    def platform_flags(self, profile: dict) -> list[str] | str:
        """--platform values in the order this pip computes on the profile."""
        if profile["os"] == "macos":
            if vkey(self.version) < (20, 3):
                return "pip < 20.3 has no faithful macOS 11+/arm64 expansion of --platform"
            major = profile["id"].split("-")[0][len("macos"):]
            arch = "arm64" if profile["arch"] in ("arm64", "aarch64") else "x86_64"
            if "rosetta" in profile["id"]:
                arch = "x86_64"
            ver = major if "." in major else f"{major}_0"
            return [f"macosx_{ver.replace('.', '_')}_{arch}"]
        ref = self.reference(profile)
        if isinstance(ref, str):
            return f"profile {profile['id']}: {ref}"
        plats = platforms_of(ref[0])
        if vkey(self.version) < (20, 3):
            return plats[:1]  # pip < 20.3 takes a single --platform; checked below
        return plats

    def flag_plan(self, sc: dict, profile: dict) -> Plan:
        """Flags plus a check: restricted to the scenario's tag kinds, the flagged
        list must rank exactly like the real one."""
        plats = self.platform_flags(profile)
        if isinstance(plats, str):
            return Plan(skip=plats)
        py = sc["python"]
        flags = [f for p in plats for f in ("--platform", p)] + python_flags(py)
        flagged = self.debug(flags)
        if not flagged:
            return Plan(skip=f"pip debug --verbose {' '.join(flags)} printed no tags")
        minor = int(re.sub(r"\D", "", py[3:]) or 0)
        wanted = {kind(t, minor, own_abi(py)) for f in sc["files"] if f["filename"].endswith(".whl")
                  for t in wheel_tags(f["filename"])}
        if profile["os"] == "macos":
            return Plan(argv=(str(self.home / "bin" / "python"),), flags=tuple(flags),
                        method="flags " + describe(flags)
                        + " (macOS expansion is pip's own mac_platforms, as on a real Mac)")
        ref = self.reference(profile)
        assert not isinstance(ref, str)
        hm = int(self.home_python[3:])
        flagged_home = self.debug([f for p in plats for f in ("--platform", p)]
                                  + ["--python-version", full_version(self.home_python),
                                     "--implementation", "cp", "--abi", self.home_abi()])
        real = restricted_kinds(ref[0], hm, self.home_abi(), wanted)
        emul = restricted_kinds(flagged_home, hm, self.home_abi(), wanted)
        if real != emul:
            return Plan(skip=f"--platform {' '.join(plats)} ranks this scenario's tag kinds as {emul}, "
                             f"a real machine as {real}")
        return Plan(argv=(str(self.home / "bin" / "python"),), flags=tuple(flags),
                    method="flags " + describe(flags) + f" (checked against {ref[1]})")

    def home_abi(self) -> str:
        """ABI of the home interpreter as its native tags spell it (cp37m on 3.7)."""
        first = self.host_tags[0] if self.host_tags else ""
        for t in self.host_tags:
            py, abi, _ = t.split("-")
            if abi not in ("abi3", "none") and py.startswith("cp"):
                return abi
        return first


def wheel_tags(filename: str) -> list[str]:
    """Expanded tags of a wheel filename."""
    parts = filename[:-4].split("-")
    return [f"{a}-{b}-{c}" for a in parts[-3].split(".") for b in parts[-2].split(".")
            for c in parts[-1].split(".")]


def pip_format_flags(flags: dict) -> list[str]:
    """--prefer-binary/--no-binary/--only-binary; no-binary first because pip's
    `--no-binary :all:` clears the only-binary set it is given after."""
    out: list[str] = []
    if flags.get("prefer_binary"):
        out.append("--prefer-binary")
    if flags.get("no_binary"):
        out.append("--no-binary=" + ",".join(flags["no_binary"]))
    if flags.get("only_binary"):
        out.append("--only-binary=" + ",".join(flags["only_binary"]))
    return out


SAVED_RE = re.compile(r"(?:Saved|Processing|Downloading|File was already downloaded)\s+\S*?([^/\s#]+\.(?:whl|tar\.gz|zip))")
NO_MATCH_RE = re.compile(r"No matching distribution found|Could not find a version that satisfies")


def run_pip(plan: Plan, sc: dict, url: str, work: Path) -> dict:
    """pip download --no-deps into an empty dir; the saved file is the choice."""
    dest = work / "dest"
    dest.mkdir()
    cfg = work / "pip.conf"
    cfg.write_text("")
    argv = [*plan.argv, "-m", "pip", "download", "--isolated", "--no-cache-dir",
            "--disable-pip-version-check", "--no-input", "--no-deps", "-d", str(dest),
            "--index-url", url, *plan.flags, *pip_format_flags(sc["flags"]), sc["spec"]]
    rc, out = run(argv, env=clean_env({"PIP_CONFIG_FILE": str(cfg)}), cwd=work)
    return interpret_pip(rc, out, sorted(p.name for p in dest.iterdir()))


def interpret_pip(rc: int | None, out: str, saved: list[str]) -> dict:
    """Map pip's exit and saved files to a result; never guess a choice."""
    if rc is None:
        return {"status": "error", "file": None, "note": "timeout"}
    if len(saved) == 1:
        note = "" if rc == 0 else f"exit {rc} after saving the file"
        return {"status": "chosen", "file": saved[0], "note": note}
    if len(saved) > 1:
        return {"status": "error", "file": None, "note": f"several files saved: {saved}"}
    if NO_MATCH_RE.search(out):
        line = next((l.strip() for l in out.splitlines() if NO_MATCH_RE.search(l)), "")
        return {"status": "no-match", "file": None, "note": line[:300]}
    picked = SAVED_RE.findall(out)
    if picked and rc != 0:
        return {"status": "chosen", "file": picked[-1],
                "note": f"exit {rc}: selected (log line) but not saved: " + last_error(out)}
    return {"status": "error", "file": None, "note": f"exit {rc}: " + last_error(out)}


def last_error(out: str) -> str:
    """The most telling line of a failure, for the note."""
    lines = [l.strip() for l in out.splitlines() if l.strip()]
    errs = [l for l in lines if "rror" in l]
    return (errs[-1] if errs else (lines[-1] if lines else ""))[:300]


# ---------------------------------------------------------------- uv
def uv_plan(version: str, sc: dict, profile: dict) -> Plan:
    """--python-platform triple + real interpreter, or a reason it is not faithful."""
    flags = sc["flags"]
    if flags.get("prefer_binary"):
        return Plan(skip="uv has no --prefer-binary (rejected as an unexpected argument)")
    py = sc["python"]
    if py.endswith("t"):
        return Plan(skip="uv takes free-threading from the real interpreter; no CPython 3.13t here and --python-version 3.13t is rejected")
    exe = interpreter(py)
    if exe is None:
        return Plan(skip=f"no real {py} interpreter on this machine")
    argv = ["--python", str(exe)]
    if profile["id"] == HOST:
        return Plan(argv=tuple(argv), method=f"native --python {exe}")
    if py.startswith("pp"):
        return Plan(skip="uv takes the implementation (PyPy) from the real interpreter; only the host has one")
    env: list[tuple[str, str]] = []
    arch, os_ = profile["arch"], profile["os"]
    if os_ == "linux" and profile["libc"] == "glibc":
        minor = int(profile["libc_version"].split(".")[1])
        if minor not in UV_GLIBC_TRIPLES.get(version, set()) or arch not in UV_ARCH:
            return Plan(skip=f"uv {version} has no {arch}-manylinux_2_{minor} target")
        triple = f"{UV_ARCH[arch]}-manylinux_2_{minor}"
    elif os_ == "linux":
        if profile["libc_version"] != "1.2":
            return Plan(skip="uv's musl targets mean musl 1.2; there is no musl 1.1 target")
        triple = f"{UV_ARCH[arch]}-unknown-linux-musl"
    elif os_ == "macos":
        uarch = "x86_64" if ("rosetta" in profile["id"] or arch == "x86_64") else "aarch64"
        triple = f"{uarch}-apple-darwin"
        major = profile["id"].split("-")[0][len("macos"):]
        env.append(("MACOSX_DEPLOYMENT_TARGET", major if "." in major else f"{major}.0"))
    elif os_ == "windows":
        kind_ = profile["id"].split("-")[1]
        triple = {"amd64": "x86_64-pc-windows-msvc", "win32": "i686-pc-windows-msvc"}.get(kind_, "")
        if not triple:
            return Plan(skip=f"no uv target for {profile['id']}")
    else:
        return Plan(skip=f"no uv target for {profile['id']}")
    argv += ["--python-platform", triple, "--python-version", full_version(py)]
    method = "flags " + " ".join(argv[2:]) + "".join(f" {k}={v}" for k, v in env)
    return Plan(argv=tuple(argv), env=tuple(env), method=method)


def uv_format_flags(flags: dict) -> list[str]:
    """uv spellings of --no-build/--no-binary/--only-binary."""
    out: list[str] = []
    if flags.get("no_build"):
        out.append("--no-build")
    for name in flags.get("no_binary", []):
        out += ["--no-binary", name]
    for name in flags.get("only_binary", []):
        out += ["--only-binary", name]
    return out


def run_uv(uv: Path, plan: Plan, sc: dict, url: str, work: Path) -> dict:
    """uv pip install --target with a fresh cache; the marker file is the choice."""
    target = work / "target"
    env = clean_env({"UV_NO_CONFIG": "1", "UV_CACHE_DIR": str(work / "uv-cache"),
                     "UV_PYTHON_DOWNLOADS": "never", "NO_COLOR": "1", **dict(plan.env)})
    argv = [str(uv), "pip", "install", "--no-deps", "--target", str(target), "--index-url", url,
            "-v", *plan.argv, *uv_format_flags(sc["flags"]), sc["spec"]]
    rc, out = run(argv, env=env, cwd=work)
    project = re.split(r"[<>=!~ ;\[]", sc["spec"], maxsplit=1)[0]
    return interpret_uv(rc, out, read_marker(target, project) if target.exists() else None)


def interpret_uv(rc: int | None, out: str, marker: str | None) -> dict:
    """Marker file first; the `Selecting:` debug line is cross-checked in the note."""
    if rc is None:
        return {"status": "error", "file": None, "note": "timeout"}
    sel = re.findall(r"Selecting: \S+ \[[^\]]*\] \(([^)]+)\)", out)
    if rc == 0 and marker:
        note = "" if not sel or sel[-1] == marker else f"Selecting line says {sel[-1]}"
        return {"status": "chosen", "file": marker, "note": note}
    if "No solution found" in out or "unsatisfiable" in out:
        cause = [l.strip() for l in out.splitlines() if "Because" in l or "hint:" in l]
        return {"status": "no-match", "file": None, "note": " ".join(cause)[:400]}
    return {"status": "error", "file": None, "note": f"exit {rc}: " + last_error(out)}


def uv_binary(version: str) -> Path | None:
    """uv installed (from PyPI) into its cached venv."""
    exe = interpreter("cp312")
    venv = venv_for("uv", version, "py3.12", exe) if exe else None
    return venv / "bin" / "uv" if venv else None


# ---------------------------------------------------------------- driver
def record(installer: str, scenarios: list[dict], profiles: dict[str, dict],
           only: set[str] | None) -> dict:
    """All results of one installer version (merged into an existing fixture)."""
    name, version = installer.split("==")
    out_path = OUT_DIR / f"{name}-{version}.json"
    old = json.loads(out_path.read_text()) if out_path.exists() else {}
    results: dict[str, dict] = dict(old.get("results", {})) if only else {}
    methods: set[str] = set()
    planner = PipPlanner(version) if name == "pip" else None
    uv = uv_binary(version) if name == "uv" else None
    for sc in scenarios:
        if only and sc["id"] not in only:
            continue
        profile = profiles[sc["platform"]]
        if name == "pip":
            assert planner is not None
            plan = planner.plan(sc, profile)
        elif uv is None:
            plan = Plan(skip=f"uv {version} could not be installed")
        else:
            plan = uv_plan(version, sc, profile)
        if plan.skip:
            res = {"status": "not-emulable", "file": None, "note": plan.skip}
        else:
            with tempfile.TemporaryDirectory(prefix="tagsim-choice-") as tmp:
                work = Path(tmp)
                idx = build_index([IndexFile(f["filename"], f.get("requires_python"),
                                             f.get("yanked", False)) for f in sc["files"]],
                                  work / "index")
                if name == "pip":
                    res = run_pip(plan, sc, idx.simple_url(), work)
                else:
                    assert uv is not None
                    res = run_uv(uv, plan, sc, idx.simple_url(), work)
            res["note"] = "; ".join(x for x in (plan.method, res["note"]) if x)
            methods.add(plan.method.split(" ")[0])
        results[sc["id"]] = res
        print(f"{installer:12} {sc['id']:45} {res['status']:12} {res['file'] or ''}", flush=True)
    recorded_with = {
        "python": (f"pip's own venvs under {CACHE} (home Python {PIP_HOME_PYTHON.get(version.split('.')[0], '3.12')}; "
                   "native scenario Pythons where the pip runs on them)") if name == "pip"
        else f"uv {version} binary from PyPI; scenario interpreters from pyenv and /usr/bin/pypy3",
        "method": ("pip download --isolated --no-cache-dir --no-deps -d DEST --index-url file://…/simple "
                   "(PIP_CONFIG_FILE=empty); native run on the host, else --platform/--python-version/"
                   "--implementation/--abi checked against the real tag list")
        if name == "pip" else
        ("uv pip install --no-deps --target T --index-url file://…/simple -v (UV_NO_CONFIG=1, fresh "
         "UV_CACHE_DIR); native --python on the host, else --python-platform/--python-version"),
        "host": HOST,
    }
    data = {"installer": installer, "recorded_with": recorded_with,
            "results": {k: results[k] for k in [s["id"] for s in scenarios] if k in results}}
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    return data


def main(argv: list[str] | None = None) -> int:
    """Parse options and record every requested installer version."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--installer", action="append", help="e.g. pip==26.3 (repeatable)")
    ap.add_argument("--scenario", action="append", help="only these scenario ids (merged into fixtures)")
    args = ap.parse_args(argv)
    scenarios = json.loads(SCENARIOS.read_text())
    profiles = {p["id"]: p for p in json.loads((REPO / "data" / "platforms.json").read_text())["profiles"]}
    for installer in args.installer or DEFAULT_INSTALLERS:
        data = record(installer, scenarios, profiles, set(args.scenario) if args.scenario else None)
        counts: dict[str, int] = {}
        for r in data["results"].values():
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        print(installer, counts, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
