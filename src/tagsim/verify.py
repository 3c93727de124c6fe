"""`tagsim verify`: ask the real pip or uv which file it picks, and compare with tagsim.

One scenario = a file set + a platform profile + an interpreter + flags + a requirement.
For each installer executable:

1. `dummy_index.build_index` writes tiny valid wheels and sdists with those filenames into a
   throwaway PEP 503 index (`file://…/simple`, so `data-requires-python` and `data-yanked`
   reach the installer; a `--find-links` directory listing carries neither, and uv ignores
   yanked on find-links).
2. An emulation *plan* says how the installer is asked about the profile, or why it cannot be
   asked faithfully:
   - pip: native when the profile is this machine and pip runs on the scenario's interpreter;
     otherwise `--platform` repeated in the order that pip itself computes for the profile,
     plus `--python-version`, `--implementation` and `--abi`. Every flagged plan is checked:
     the tag list pip computes with those flags (at its own Python) must rank the scenario's
     tag kinds exactly like the list pip computes natively, re-platformed to the profile.
   - uv: `--python-platform` for a target that exists in that uv version (read from its own
     `--help`), with a real interpreter of the scenario's version as `--python`.
3. The installer runs offline (`--isolated`, empty `PIP_CONFIG_FILE`, `UV_NO_CONFIG`, fresh
   caches, no `PIP_*`/`UV_*` variables), with a timeout, in a temporary directory that is
   removed afterwards. The file it saved (pip download) or the marker the installed dummy
   carries (uv) is its answer.
4. The answer is compared with `policy.decide` for the same installer version.

A missing installer, a crash or a timeout is reported as such, never as an agreement or a
disagreement; nor is a scenario that the installer cannot emulate (`not-emulable`, with why).
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from .dists import DistFile, parse_filename
from .dummy_index import IndexFile, build_index, read_marker
from .errors import TagsimError
from .installers import parse_installer
from .interpreters import Interpreter, parse_python
from .policy import Flags, decide, parse_names, parse_spec
from .profiles import Profile, bundled_profiles, resolve_platform

DEFAULT_TIMEOUT = 180.0

#: Result statuses of one verification, and whether each is a tested answer.
AGREE, DISAGREE = "agree", "disagree"
NOT_EMULABLE, NOT_MODELLED = "not-emulable", "not-modelled"
MISSING, CRASHED, TIMEOUT = "installer-missing", "installer-crashed", "timeout"
STATUSES = (AGREE, DISAGREE, NOT_EMULABLE, NOT_MODELLED, MISSING, CRASHED, TIMEOUT)

#: What the real installer answered (the fixture schema of tests/fixtures/choices).
CHOSEN, NO_MATCH, ERROR = "chosen", "no-match", "error"

LEGACY_GLIBC = {"manylinux2014": 17, "manylinux2010": 12, "manylinux1": 5}
ARCH_FLOOR = {"x86_64": 5, "i686": 5}  # pip's manylinux floor is 2.17 on every other arch
UV_ARCH = {"x86_64": "x86_64", "aarch64": "aarch64", "i686": "i686"}
UV_TARGET_RE = re.compile(
    r"\b((?:x86_64|aarch64|i686|armv7|armv7l|ppc64le|ppc64|s390x|riscv64|loongarch64)-"
    r"(?:manylinux_2_\d+|unknown-linux-(?:gnu|musl)|apple-darwin|pc-windows-msvc))\b")


# ---------------------------------------------------------------- inputs
@dataclass(frozen=True)
class Scenario:
    """What to ask: files + platform + interpreter + flags + requirement."""

    platform: str
    python: str
    files: tuple[IndexFile, ...]
    spec: str
    flags: Flags = field(default_factory=Flags)
    id: str = "verify"

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Scenario:
        """A `tests/scenarios/choices.json` entry."""
        f = raw.get("flags", {})
        flags = Flags(prefer_binary=f.get("prefer_binary", False), only_binary=parse_names(f.get("only_binary", [])),
                      no_binary=parse_names(f.get("no_binary", [])), no_build=f.get("no_build", False),
                      pre=f.get("pre", False))
        files = tuple(IndexFile(x["filename"], x.get("requires_python"), x.get("yanked", False)) for x in raw["files"])
        return cls(raw["platform"], raw["python"], files, raw["spec"], flags, raw["id"])

    @property
    def project(self) -> str:
        return re.split(r"[<>=!~ ;\[]", self.spec, maxsplit=1)[0]

    def dist_files(self) -> list[DistFile]:
        return [parse_filename(f.filename, requires_python=f.requires_python, yanked=f.yanked is not False,
                               yanked_reason=f.yanked if isinstance(f.yanked, str) else None) for f in self.files]


def index_files(files: Iterable[DistFile]) -> tuple[IndexFile, ...]:
    """Loaded sources (`sources.load_sources`) as files of the dummy index."""
    out = []
    for f in files:
        if not f.usable:
            raise TagsimError(f"{f.filename}: {f.problem}; the dummy index can only carry valid files", where="SOURCE")
        yanked: bool | str = (f.yanked_reason or True) if f.yanked else False
        out.append(IndexFile(f.filename, f.requires_python, yanked))
    return tuple(out)


# ---------------------------------------------------------------- processes
@dataclass(frozen=True)
class Completed:
    """Exit code (None on timeout, -1 if it could not start) and stdout+stderr."""

    rc: int | None
    out: str

    @property
    def timed_out(self) -> bool:
        return self.rc is None


def run_command(argv: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: Path | None = None,
                timeout: float = DEFAULT_TIMEOUT) -> Completed:
    """Run with a timeout; the whole process group is killed when it expires."""
    try:
        proc = subprocess.Popen(list(argv), env=dict(env) if env is not None else None, cwd=cwd,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    except OSError as exc:
        return Completed(-1, f"{type(exc).__name__}: {exc}")
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, 9)
        except OSError:
            proc.kill()
        out, _ = proc.communicate()
        return Completed(None, out.decode(errors="replace"))
    return Completed(proc.returncode, out.decode(errors="replace"))


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The caller's environment without PIP_*/UV_*/PYTHON*/VIRTUAL_ENV, so no user config leaks in."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIP_", "UV_", "PYTHON", "CONDA")) and k != "VIRTUAL_ENV"}
    env.update(extra or {})
    return env


def vkey(version: str) -> tuple[int, ...]:
    """Numeric key of an installer version (enough for pip and uv releases)."""
    return tuple(int(p) for p in re.findall(r"\d+", version)[:3])


# ---------------------------------------------------------------- installers
class InstallerProblem(Exception):
    """The installer is missing, crashed or timed out before it could answer."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class InstallerExe:
    """A real installer: how to start it, what it is, and (pip) the Python it runs on."""

    name: str  # "pip" or "uv"
    version: str
    argv: tuple[str, ...]  # ("/x/python", "-m", "pip"), ("/x/bin/pip",) or ("/x/bin/uv",)
    python: str | None = None
    origin: str = ""

    @property
    def spec(self) -> str:
        return f"{self.name}=={self.version}"


_VERSION_RE = re.compile(r"^(pip|uv)\s+(\d[^\s]*)", re.M)


def _shebang_python(path: Path) -> str | None:
    """The interpreter of a console script (`#!/venv/bin/python`), or the python next to it."""
    try:
        first = path.read_bytes()[:400].split(b"\n", 1)[0].decode(errors="replace")
    except OSError:
        return None
    if first.startswith("#!"):
        exe = first[2:].strip().split()[0] if first[2:].strip() else ""
        if exe and Path(exe).is_file() and "python" in Path(exe).name:
            return exe
    for name in ("python", "python3"):
        cand = path.parent / name
        if cand.is_file():
            return str(cand)
    return None


def detect_installer(text: str, *, timeout: float = 60.0) -> InstallerExe:
    """`pip` (this interpreter's pip), `uv` (on PATH) or a path to a pip or uv executable."""
    if text == "pip":
        argv: tuple[str, ...] = (sys.executable, "-m", "pip")
        python: str | None = sys.executable
        origin = f"{sys.executable} -m pip"
    elif text == "uv":
        found = shutil.which("uv")
        if not found:
            raise InstallerProblem(MISSING, "uv: not found on PATH")
        argv, python, origin = (found,), None, found
    else:
        path = Path(text).expanduser()
        if not path.exists():
            raise InstallerProblem(MISSING, f"{text}: no such file")
        if not path.is_file() or not os.access(path, os.X_OK):
            raise InstallerProblem(MISSING, f"{text}: not an executable file")
        argv, python, origin = (str(path),), None, str(path)
    res = run_command([*argv, "--version"], env=clean_env(), timeout=timeout)
    if res.timed_out:
        raise InstallerProblem(TIMEOUT, f"{origin} --version did not answer within {timeout:g} s")
    m = _VERSION_RE.search(res.out)
    if "No module named pip" in res.out:
        raise InstallerProblem(MISSING, f"{origin}: this Python has no pip")
    if res.rc != 0 or not m:
        tail = res.out.strip().splitlines()[-1:] or [""]
        raise InstallerProblem(CRASHED, f"{origin} --version: exit {res.rc}, not a pip or uv: {tail[0][:200]}")
    name, version = m.group(1), m.group(2)
    if name == "pip" and python is None:
        python = _shebang_python(Path(argv[0]))
    return InstallerExe(name, version, argv, python, origin)


# ---------------------------------------------------------------- interpreters on this machine
class Pythons:
    """Real interpreters of a given tag (`cp312`, `pp39`) on this machine: pyenv, PATH, Debian pypy3."""

    def __init__(self, pyenv_root: Path | None = None) -> None:
        root = pyenv_root or Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
        self.pyenv_versions = root / "versions"
        self._cache: dict[str, str | None] = {}
        self._facts: dict[str, tuple[str, str] | None] = {}

    def find(self, tag: str) -> str | None:
        if tag not in self._cache:
            self._cache[tag] = self._find(tag)
        return self._cache[tag]

    def _find(self, tag: str) -> str | None:
        m = re.fullmatch(r"(cp|pp)3(\d+)", tag)
        if not m:
            return None  # free-threaded and others: no real interpreter looked up
        minor = m.group(2)
        cands: list[str] = []
        if m.group(1) == "cp":
            cands += [str(d / "bin" / "python") for d in sorted(self.pyenv_versions.glob(f"3.{minor}.*"))
                      if re.fullmatch(rf"3\.{minor}\.\d+", d.name)]
            cands += [w for w in (shutil.which(f"python3.{minor}"),) if w]
        else:
            cands += [w for w in (shutil.which(f"pypy3.{minor}"), shutil.which("pypy3"), "/usr/bin/pypy3") if w]
        for exe in cands:
            if Path(exe).is_file() and self.facts(exe) is not None and self.facts(exe)[0] == tag:  # type: ignore[index]
                return exe
        return None

    def facts(self, exe: str) -> tuple[str, str] | None:
        """(`cp312`/`pp39`/`cp313t`, `3.12.1`) of an interpreter."""
        if exe not in self._facts:
            code = ("import sys, sysconfig; i = sys.implementation.name; "
                    "t = 'pp' if i == 'pypy' else 'cp'; "
                    "ft = 't' if sysconfig.get_config_var('Py_GIL_DISABLED') else ''; "
                    "print('%s%d%d%s %d.%d.%d' % ((t,) + tuple(sys.version_info[:2]) + (ft,) + tuple(sys.version_info[:3])))")
            res = run_command([exe, "-c", code], env=clean_env(), timeout=60)
            parts = res.out.split()
            self._facts[exe] = (parts[0], parts[1]) if res.rc == 0 and len(parts) == 2 else None
        return self._facts[exe]

    def full_version(self, tag: str) -> str:
        """X.Y.Z that a scenario interpreter stands for: the local interpreter's, else X.Y.0."""
        exe = self.find(tag.rstrip("t"))
        facts = self.facts(exe) if exe else None
        if facts and not tag.startswith("pp"):
            return facts[1]
        return f"3.{tag[3:].rstrip('t')}" + ("" if tag.startswith("pp") else ".0")


def host_profile(profiles: Mapping[str, Profile] | None = None) -> Profile | None:
    """The bundled profile that is this machine (Linux glibc/musl x86_64/aarch64), if any."""
    if not sys.platform.startswith("linux"):
        return None
    libc, ver = platform.libc_ver()
    if libc != "glibc" or not ver:
        return None
    arch = platform.machine()
    major, minor = (int(x) for x in ver.split(".")[:2])
    for p in (profiles or bundled_profiles()).values():
        if (p.os, p.arch, p.libc, p.libc_version, p.python_bits) == ("linux", arch, "glibc", (major, minor), 64) \
                and p.float_abi == "hard":
            return p
    return None


# ---------------------------------------------------------------- plans
@dataclass(frozen=True)
class Plan:
    """How one installer is asked about one scenario, or (`skip`) why it cannot be faithfully."""

    argv: tuple[str, ...] = ()  # pip: the command prefix; uv: extra arguments (--python ...)
    flags: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    method: str = ""
    skip: str | None = None


def tag_kind(tag: str, minor: int, own_abi: str) -> str:
    """Tag shape relative to the interpreter version (cp312 on 3.12 → `cpV`)."""
    py, abi, plat = tag.split("-")
    m = re.fullmatch(r"([a-z]+)(\d+)", py)
    if m and len(m.group(2)) >= 2:
        n = int(m.group(2)[1:])
        py = m.group(1) + ("V" if n == minor else ("LOW" if n < minor else "HIGH"))
    abi = "OWN" if abi == own_abi else abi
    return f"{py}-{abi}-{plat}"


def restricted_kinds(tags: Sequence[str], minor: int, own_abi: str, wanted: set[str]) -> list[str]:
    """Kinds in list order, deduplicated, restricted to the kinds a scenario's wheels carry."""
    seen: dict[str, None] = {}
    for t in tags:
        k = tag_kind(t, minor, own_abi)
        if k in wanted:
            seen.setdefault(k, None)
    return list(seen)


def wheel_tags(filename: str) -> list[str]:
    """Expanded tags of a wheel filename."""
    parts = filename[:-4].split("-")
    return [f"{a}-{b}-{c}" for a in parts[-3].split(".") for b in parts[-2].split(".") for c in parts[-1].split(".")]


def platforms_of(tags: Sequence[str]) -> list[str]:
    """Ordered distinct platform parts, `any` excluded."""
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
    return LEGACY_GLIBC.get(plat.split("_", 1)[0])


def map_platforms(host_plats: Sequence[str], host_arch: str, profile: Profile, musl_supported: bool,
                  manylinux_arch: bool = True) -> list[str]:
    """The platform list a pip computes on a Linux profile, derived from the list it computes on
    this (Linux glibc) host, so that pip version's own ordering rules carry over.

    `manylinux_arch`: whether that pip offers manylinux tags on the profile's arch at all. A glibc
    newer than the host's extends the PEP 600 ladder upwards (packaging counts down from the
    running glibc), if this pip spells PEP 600 tags at all.
    """
    assert profile.libc_version is not None
    arch, minor = profile.arch, profile.libc_version[1]
    host_top = max((glibc_of(p) or 0 for p in host_plats if p.startswith("manylinux_2_")), default=0)
    out: list[str] = []
    musl_done = above_done = False
    for plat in host_plats:
        g = glibc_of(plat)
        if g is None:
            out.append(plat.replace(host_arch, arch))
            continue
        if profile.libc == "musl":
            if musl_supported and not musl_done:
                out += [f"musllinux_1_{m}_{arch}" for m in range(minor, -1, -1)]
            musl_done = True
            continue
        if not manylinux_arch:
            continue
        if host_top and plat.startswith("manylinux_2_") and not above_done:
            out += [f"manylinux_2_{m}_{arch}" for m in range(minor, host_top, -1)]
            above_done = True
        if ARCH_FLOOR.get(arch, 17) <= g <= minor:
            out.append(plat.replace(host_arch, arch))
    return out


def rebuild_tags(native: Sequence[str], plats: Sequence[str], drop_abi3: bool = False) -> list[str]:
    """A native tag list with its platform block replaced by `plats` (the reference list)."""
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


def own_abi(python: str) -> str:
    """ABI tag of a scenario python as its real interpreter spells it (cp37m, cp312, cp313t, pypy39_pp73)."""
    return parse_python(python).abi


def describe_flags(flags: Sequence[str]) -> str:
    """Short form of a flag list for notes: --platform values joined by commas."""
    plats = [flags[i + 1] for i, f in enumerate(flags) if f == "--platform"]
    rest = [f for i, f in enumerate(flags) if f != "--platform" and (i == 0 or flags[i - 1] != "--platform")]
    return f"--platform {','.join(plats)} " + " ".join(rest)


_OLD_PIP_TAGS = """\
import json, sys
try:
    from pip._internal import pep425tags
except ImportError:
    from pip import pep425tags
a = sys.argv[1:]
def opt(name):
    return a[a.index(name) + 1] if name in a else None
v = opt("--python-version")
tags = pep425tags.get_supported(versions=[v] if v else None, platform=opt("--platform"),
                                impl=opt("--implementation"), abi=opt("--abi"))
sys.stdout.write(json.dumps(["-".join(t) for t in tags]))
"""


class PipEmulator:
    """Plans and runs one pip: native when it can, else `--platform` flags checked against pip's own list.

    `native` optionally gives another installation of the same pip that runs on a scenario's
    interpreter (the fixture recorder keeps one venv per Python); by default only the pip's own
    interpreter counts as native.
    """

    def __init__(self, inst: InstallerExe, *, host: Profile | None = None, pythons: Pythons | None = None,
                 native: Callable[[str], InstallerExe | None] | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.inst = inst
        self.version = inst.version
        self.host = host if host is not None else host_profile()
        self.pythons = pythons or Pythons()
        self.native = native
        self.timeout = timeout
        self._tags: dict[tuple[str, ...], list[str]] = {}
        self._arch_cache: dict[str, bool] = {}
        self.problem: RealAnswer | None = None  # the installer crashed or timed out before any scenario
        facts = self.pythons.facts(inst.python) if inst.python else None
        self.home_tag: str | None = facts[0] if facts else None
        self.home_version: str | None = facts[1] if facts else None
        self.host_tags = self.tags([])
        self.musl = self._has_musllinux()
        if not self.host_tags and self.problem is None:
            self.problem = RealAnswer(ERROR, None, f"pip {self.version} printed no supported tags")

    def _note_problem(self, res: Completed, what: str) -> None:
        if self.problem is None and (res.timed_out or res.rc != 0):
            self.problem = (RealAnswer(TIMEOUT, None, f"{what}: no answer within {self.timeout:g} s") if res.timed_out
                            else RealAnswer(ERROR, None, f"{what}: exit {res.rc}: {last_error(res.out)}"))

    @property
    def old(self) -> bool:
        """pip < 19.2: no `pip debug`, and `--python-version` is `312` rather than `3.12.1`."""
        return vkey(self.version) < (19, 2)

    def knows_arch(self, arch: str) -> bool:
        """Whether this pip's tag code names the arch at all (else it offers no manylinux tags there):
        riscv64 and loongarch64 arrive with packaging 23.2/24.0, aarch64 & co. with manylinux2014."""
        if arch in (self.host.arch if self.host else "", "x86_64", "i686"):
            return True
        if arch not in self._arch_cache:
            code = ("import os, re, pip\n"
                    "root = os.path.dirname(pip.__file__)\n"
                    "names = ['_vendor/packaging/tags.py', '_vendor/packaging/_manylinux.py', "
                    "'_internal/pep425tags.py', 'pep425tags.py', '_internal/utils/glibc.py']\n"
                    "text = ''\n"
                    "for n in names:\n"
                    "    p = os.path.join(root, n)\n"
                    "    if os.path.exists(p):\n"
                    "        text += open(p).read()\n"
                    "print('yes' if re.search('[\"\\']' + '(?:linux_)?' + ARCH + '[\"\\']', text) else 'no')\n"
                    ).replace("ARCH", repr(arch))
            res = run_command([self.inst.python, "-c", code], env=clean_env(), timeout=60) if self.inst.python else None
            self._arch_cache[arch] = res is not None and res.out.strip().endswith("yes")
        return self._arch_cache[arch]

    def _has_musllinux(self) -> bool:
        if not self.inst.python:
            return False
        return run_command([self.inst.python, "-c", "import pip._vendor.packaging._musllinux"],
                           env=clean_env(), timeout=60).rc == 0

    def tags(self, flags: Sequence[str]) -> list[str]:
        """The supported tags this pip computes with these flags, best first (memoised)."""
        key = tuple(flags)
        if key not in self._tags:
            if self.old:
                if not self.inst.python:
                    self._tags[key] = []
                    return []
                res = run_command([self.inst.python, "-c", _OLD_PIP_TAGS, *flags], env=clean_env(), timeout=self.timeout)
                self._note_problem(res, "pep425tags.get_supported()")
                try:
                    self._tags[key] = list(json.loads(res.out.strip().splitlines()[-1])) if res.rc == 0 else []
                except (ValueError, IndexError):
                    self._tags[key] = []
            else:
                res = run_command([*self.inst.argv, "--isolated", "debug", "--verbose", *flags],
                                  env=clean_env({"PIP_CONFIG_FILE": os.devnull}), timeout=self.timeout)
                self._note_problem(res, "pip debug --verbose")
                found = re.findall(r"^\s+([a-z0-9_.]+-[a-z0-9_.]+-[a-z0-9_.]+)\s*$", res.out, re.M)
                self._tags[key] = [t for t in found if "==" not in t]
        return self._tags[key]

    def python_flags(self, python: str) -> list[str]:
        """--python-version/--implementation/--abi standing for a scenario interpreter."""
        impl = "pp" if python.startswith("pp") else "cp"
        version = self.pythons.full_version(python)
        if self.old:
            version = "".join(version.split(".")[:2])
        return ["--python-version", version, "--implementation", impl, "--abi", own_abi(python)]

    def plan(self, sc: Scenario, profile: Profile) -> Plan:
        if not self.host_tags:
            return Plan(skip=f"pip {self.version} printed no supported tags here (it cannot run, or its Python is unknown)")
        py = sc.python
        if sc.flags.no_build:
            return Plan(skip="pip has no --no-build option (its nearest, --only-binary :all:, is a different scenario)")
        if sc.flags.prefer_binary and vkey(self.version) < (18, 0):
            return Plan(skip=f"pip {self.version} has no --prefer-binary (added in pip 18.0)")
        if py.endswith("t") and vkey(self.version) < (24, 1):
            return Plan(skip=f"pip {self.version} predates free-threaded CPython (vendored packaging < 24) "
                             "and cannot run on 3.13t")
        if self.host is not None and profile == replace(self.host, id=profile.id, description=profile.description):
            if py == self.home_tag:
                return Plan(argv=self.inst.argv, method="native")
            other = self.native(py) if self.native else None
            if other is not None:
                return Plan(argv=other.argv, method="native")
        return self.flag_plan(sc, profile)

    def reference(self, profile: Profile) -> tuple[list[str], str] | str:
        """This pip's tag list on the profile at its own Python, derived from its native list here."""
        if self.host is None:
            return "this machine is not a Linux glibc profile, so pip's native list cannot be re-platformed"
        host_plats = platforms_of(self.host_tags)
        if profile.os == "linux":
            if profile.python_bits != 64:
                return "32-bit userland on a 64-bit kernel is not derived from the host list"
            if profile.float_abi != "hard":
                return "soft-float armv7l is not derived from the host list"
            plats = map_platforms(host_plats, self.host.arch, profile, self.musl, self.knows_arch(profile.arch))
            return rebuild_tags(self.host_tags, plats), "derived from native host list"
        if profile.os == "windows":
            plat = {"amd64": "win_amd64", "x86": "win32", "arm64": "win_arm64"}[profile.arch]
            return rebuild_tags(self.host_tags, [plat], drop_abi3=vkey(self.version) < (20, 0)), \
                "host list re-platformed (pip < 20 offers no abi3 on Windows)"
        return f"no reference list for {profile.os}"

    def platform_flags(self, profile: Profile) -> list[str] | str:
        """--platform values in the order this pip computes on the profile."""
        if profile.os == "macos":
            if vkey(self.version) < (20, 3):
                return "pip < 20.3 has no faithful macOS 11+/arm64 expansion of --platform"
            assert profile.os_version is not None
            arch = "x86_64" if profile.rosetta or profile.arch == "x86_64" else "arm64"
            return [f"macosx_{profile.os_version[0]}_{profile.os_version[1]}_{arch}"]
        ref = self.reference(profile)
        if isinstance(ref, str):
            return f"profile {profile.id}: {ref}"
        plats = platforms_of(ref[0])
        if vkey(self.version) < (20, 3):
            return plats[:1]  # pip < 20.3 takes a single --platform; the check below decides
        return plats

    def flag_plan(self, sc: Scenario, profile: Profile) -> Plan:
        """Flags plus a check: restricted to the scenario's tag kinds, the flagged list must rank
        exactly like the real one."""
        if profile.os not in ("linux", "windows", "macos"):
            return Plan(skip=f"pip's --platform cannot stand for {profile.os}: no reference list to check it against")
        plats = self.platform_flags(profile)
        if isinstance(plats, str):
            return Plan(skip=plats)
        py = sc.python
        flags = [f for p in plats for f in ("--platform", p)] + self.python_flags(py)
        if vkey(self.version) < (10, 0) and any(f.filename.endswith((".tar.gz", ".zip")) for f in sc.files) \
                and not self._only_binary_all(sc):
            return Plan(skip=f"pip {self.version} accepts --platform only with --only-binary=:all:, which hides this scenario's sdists")
        if vkey(self.version) < (10, 0) and (sc.flags.no_binary or sc.flags.only_binary - {":all:"}):
            return Plan(skip=f"pip {self.version} accepts --platform only with exactly --only-binary=:all: "
                             "(no --no-binary, no named --only-binary)")
        extra = ("--only-binary=:all:",) if vkey(self.version) < (10, 0) and not self._only_binary_all(sc) else ()
        if self.old:
            mismatch = self._requires_python_mismatch(sc)
            if mismatch:
                return Plan(skip=f"pip {self.version} checks Requires-Python against the Python it runs on "
                                 f"({self.home_version}), not --python-version (fixed in pip 19.2, pip #5369 / #6577): "
                                 f"{mismatch}")
        if not self.tags(flags):
            return Plan(skip=f"pip {self.version} with {' '.join(flags)} printed no tags")
        assert self.inst.python is not None or not self.old
        minor = int(re.sub(r"\D", "", py[3:]) or 0)
        wanted = {tag_kind(t, minor, own_abi(py)) for f in sc.files if f.filename.endswith(".whl")
                  for t in wheel_tags(f.filename)}
        if profile.os == "macos":
            return Plan(argv=self.inst.argv, flags=(*flags, *extra),
                        method="flags " + describe_flags(flags) + " (macOS expansion is pip's own mac_platforms, as on a real Mac)")
        ref = self.reference(profile)
        assert not isinstance(ref, str)
        if not self.home_tag or not self.home_tag.startswith("cp"):
            return Plan(skip="the emulation check needs pip to run on CPython")
        hm = int(self.home_tag[3:].rstrip("t"))
        habi = self.home_abi()
        flagged_home = self.tags([f for p in plats for f in ("--platform", p)] + self.python_flags(self.home_tag)[:4]
                                 + ["--abi", habi])
        real = restricted_kinds(ref[0], hm, habi, wanted)
        emul = restricted_kinds(flagged_home, hm, habi, wanted)
        if real != emul:
            return Plan(skip=f"--platform {' '.join(plats)} ranks this scenario's tag kinds as {emul}, a real machine as {real}")
        return Plan(argv=self.inst.argv, flags=(*flags, *extra),
                    method="flags " + describe_flags(flags) + f" (checked against {ref[1]})")

    def _requires_python_mismatch(self, sc: Scenario) -> str:
        """A file whose Requires-Python verdict differs between the pip's own Python and the scenario's."""
        target = self.pythons.full_version(sc.python)
        for f in sc.files:
            if not f.requires_python or not self.home_version:
                continue
            try:
                spec = SpecifierSet(f.requires_python)
            except InvalidSpecifier:
                continue
            if spec.contains(self.home_version, prereleases=True) != spec.contains(target, prereleases=True):
                return f"{f.filename} requires {f.requires_python}"
        return ""

    @staticmethod
    def _only_binary_all(sc: Scenario) -> bool:
        return ":all:" in sc.flags.only_binary and not sc.flags.no_binary

    def home_abi(self) -> str:
        """ABI of the pip's own interpreter as its native tags spell it (cp37m on 3.7)."""
        for t in self.host_tags:
            py, abi, _ = t.split("-")
            if abi not in ("abi3", "none") and py.startswith("cp"):
                return abi
        return self.home_tag or ""

    def run(self, plan: Plan, sc: Scenario, url: str, work: Path) -> RealAnswer:
        """pip download --no-deps into an empty dir; the saved file is the choice."""
        dest = work / "dest"
        dest.mkdir()
        cfg = work / "pip.conf"
        cfg.write_text("")
        argv = [*plan.argv, "download", "--isolated", "--no-cache-dir", "--disable-pip-version-check",
                "--no-deps", "-d", str(dest), "--index-url", url, *plan.flags, *pip_format_flags(sc.flags), sc.spec]
        if vkey(self.version) >= (10, 0):
            argv.insert(len(plan.argv) + 1, "--no-input")
        res = run_command(argv, env=clean_env({"PIP_CONFIG_FILE": str(cfg), "HOME": str(work)}), cwd=work,
                          timeout=self.timeout)
        return interpret_pip(res, sorted(p.name for p in dest.iterdir()), self.timeout)


def pip_format_flags(flags: Flags) -> list[str]:
    """--prefer-binary/--no-binary/--only-binary/--pre. No-binary first: pip's `--no-binary :all:`
    clears the only-binary set it is given after."""
    out: list[str] = []
    if flags.prefer_binary:
        out.append("--prefer-binary")
    if flags.no_binary:
        out.append("--no-binary=" + ",".join(sorted(flags.no_binary)))
    if flags.only_binary:
        out.append("--only-binary=" + ",".join(sorted(flags.only_binary)))
    if flags.pre:
        out.append("--pre")
    return out


@dataclass(frozen=True)
class RealAnswer:
    """What the real installer did: chosen (file), no-match, error (a crash), timeout or not-emulable."""

    status: str
    file: str | None = None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "file": self.file, "note": self.note}


SAVED_RE = re.compile(r"(?:Saved|Processing|Downloading|File was already downloaded)\s+\S*?([^/\s#]+\.(?:whl|tar\.gz|zip))")
NO_MATCH_RE = re.compile(r"No matching distribution found|Could not find a version that satisfies")


def last_error(out: str) -> str:
    """The most telling line of a failure, for the note."""
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    errs = [line for line in lines if "rror" in line]
    return (errs[-1] if errs else (lines[-1] if lines else ""))[:300]


def interpret_pip(res: Completed, saved: list[str], timeout: float = DEFAULT_TIMEOUT) -> RealAnswer:
    """Map pip's exit and saved files to an answer; never guess a choice."""
    if res.timed_out:
        return RealAnswer(TIMEOUT, None, f"no answer within {timeout:g} s")
    if len(saved) == 1:
        return RealAnswer(CHOSEN, saved[0], "" if res.rc == 0 else f"exit {res.rc} after saving the file")
    if len(saved) > 1:
        return RealAnswer(ERROR, None, f"several files saved: {saved}")
    if NO_MATCH_RE.search(res.out):
        line = next((x.strip() for x in res.out.splitlines() if NO_MATCH_RE.search(x)), "")
        return RealAnswer(NO_MATCH, None, line[:300])
    picked = SAVED_RE.findall(res.out)
    if picked and res.rc not in (0, None):
        return RealAnswer(CHOSEN, picked[-1], f"exit {res.rc}: selected (log line) but not saved: " + last_error(res.out))
    return RealAnswer(ERROR, None, f"exit {res.rc}: " + last_error(res.out))


# ---------------------------------------------------------------- uv
class UvEmulator:
    """Plans and runs one uv: native `--python` on this machine, else a `--python-platform` target it has."""

    def __init__(self, inst: InstallerExe, *, host: Profile | None = None, pythons: Pythons | None = None,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self.inst = inst
        self.version = inst.version
        self.host = host if host is not None else host_profile()
        self.pythons = pythons or Pythons()
        self.timeout = timeout
        res = run_command([*inst.argv, "pip", "install", "--help"], env=clean_env(), timeout=min(timeout, 60))
        self.help = res.out if res.rc == 0 else ""
        self.problem: RealAnswer | None = None
        if res.timed_out:
            self.problem = RealAnswer(TIMEOUT, None, f"uv pip install --help: no answer within {min(timeout, 60):g} s")
        elif res.rc != 0:
            self.problem = RealAnswer(ERROR, None, f"uv pip install --help: exit {res.rc}: {last_error(res.out)}")
        self.targets = set(UV_TARGET_RE.findall(self.help)) if "--python-platform" in self.help else set()
        self.has_target = "--target" in self.help

    def plan(self, sc: Scenario, profile: Profile) -> Plan:
        flags = sc.flags
        if not self.help:
            return Plan(skip=f"uv {self.version}: `uv pip install --help` failed")
        if flags.prefer_binary:
            return Plan(skip="uv has no --prefer-binary (rejected as an unexpected argument)")
        py = sc.python
        if py.endswith("t"):
            return Plan(skip="uv takes free-threading from the real interpreter; there is no 3.13t "
                             "interpreter here and --python-version 3.13t is rejected")
        exe = self.pythons.find(py)
        if exe is None:
            return Plan(skip=f"uv takes the interpreter from a real Python; no {py} interpreter on this machine")
        argv = ["--python", exe]
        if self.host is not None and profile == replace(self.host, id=profile.id, description=profile.description):
            return Plan(argv=tuple(argv), method=f"native --python {exe}")
        if py.startswith("pp"):
            return Plan(skip="uv takes the implementation (PyPy) from the real interpreter; only this machine has one")
        if not self.targets:
            return Plan(skip=f"uv {self.version} has no --python-platform")
        triple, env, why = self.triple(profile)
        if triple is None:
            return Plan(skip=why)
        argv += ["--python-platform", triple, "--python-version", self.pythons.full_version(py)]
        method = "flags " + " ".join(argv[2:]) + "".join(f" {k}={v}" for k, v in env)
        return Plan(argv=tuple(argv), env=tuple(env), method=method)

    def triple(self, profile: Profile) -> tuple[str | None, list[tuple[str, str]], str]:
        """The uv target standing exactly for the profile, if this uv has one."""
        arch, os_ = profile.arch, profile.os
        env: list[tuple[str, str]] = []
        if os_ == "linux" and (profile.python_bits != 64 or profile.float_abi != "hard"):
            return None, env, f"no uv target for {profile.id}"
        if os_ == "linux" and profile.libc == "glibc":
            assert profile.libc_version is not None
            minor = profile.libc_version[1]
            triple = f"{UV_ARCH.get(arch, arch)}-manylinux_2_{minor}"
            if triple not in self.targets:
                return None, env, f"uv {self.version} has no {arch}-manylinux_2_{minor} target (glibc 2.{minor})"
        elif os_ == "linux":
            if profile.libc_version != (1, 2):
                return None, env, "uv's musl targets mean musl 1.2; there is no musl 1.1 target"
            triple = f"{UV_ARCH.get(arch, arch)}-unknown-linux-musl"
        elif os_ == "macos":
            assert profile.os_version is not None
            triple = ("x86_64" if profile.rosetta or arch == "x86_64" else "aarch64") + "-apple-darwin"
            env.append(("MACOSX_DEPLOYMENT_TARGET", f"{profile.os_version[0]}.{profile.os_version[1]}"))
        elif os_ == "windows":
            triple = {"amd64": "x86_64-pc-windows-msvc", "x86": "i686-pc-windows-msvc"}.get(arch, "")
        else:
            triple = ""
        if triple not in self.targets:
            return None, env, f"uv {self.version} has no --python-platform target for {profile.id}"
        return triple, env, ""

    def run(self, plan: Plan, sc: Scenario, url: str, work: Path) -> RealAnswer:
        """uv pip install into a throwaway target with a fresh cache; the marker file is the choice."""
        env = clean_env({"UV_NO_CONFIG": "1", "UV_CACHE_DIR": str(work / "uv-cache"), "UV_PYTHON_DOWNLOADS": "never",
                         "NO_COLOR": "1", "HOME": str(work), **dict(plan.env)})
        extra = list(plan.argv)
        if self.has_target:
            site = work / "target"
            where = ["--target", str(site)]
        else:
            # uv < --target: install into an empty venv of the scenario's interpreter instead.
            venv = work / "venv"
            made = run_command([extra[1], "-m", "venv", "--without-pip", str(venv)], env=clean_env(), timeout=self.timeout)
            if made.rc != 0:
                return RealAnswer(ERROR, None, "could not create the target venv: " + last_error(made.out))
            extra[1] = str(venv / "bin" / "python")
            env["VIRTUAL_ENV"] = str(venv)
            sites = list(venv.glob("lib/*/site-packages"))
            site = sites[0] if sites else venv
            where = []
        argv = [*self.inst.argv, "pip", "install", "--no-deps", *where, "--index-url", url, "-v", *extra,
                *uv_format_flags(sc.flags), sc.spec]
        res = run_command(argv, env=env, cwd=work, timeout=self.timeout)
        if res.rc not in (0, None) and "URL scheme is not allowed" in res.out and url.startswith("file:"):
            # uv 0.1.x reads no file:// index: serve the same pages on the loopback interface (still offline).
            shutil.rmtree(work / "uv-cache", ignore_errors=True)
            with http_index(Path(url[len("file://"):]).parent) as http_url:
                env.update({"NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"})
                for k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
                    env.pop(k, None)
                argv[argv.index(url)] = http_url
                res = run_command(argv, env=env, cwd=work, timeout=self.timeout)
            ans = interpret_uv(res, read_marker(site, sc.project) if site.exists() else None, self.timeout)
            return replace(ans, note="; ".join(x for x in ("index served on 127.0.0.1 (this uv reads no file:// index)",
                                                         ans.note) if x))
        return interpret_uv(res, read_marker(site, sc.project) if site.exists() else None, self.timeout)


@contextmanager
def http_index(root: Path) -> Iterator[str]:
    """Serve a dummy index directory on 127.0.0.1 (an ephemeral port) for installers without file:// support."""

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/simple/"
    finally:
        server.shutdown()
        server.server_close()


def uv_format_flags(flags: Flags) -> list[str]:
    """uv spellings of --no-build/--no-binary/--only-binary/--pre."""
    out: list[str] = []
    if flags.no_build:
        out.append("--no-build")
    for name in sorted(flags.no_binary):
        out += ["--no-binary", name]
    for name in sorted(flags.only_binary):
        out += ["--only-binary", name]
    if flags.pre:
        out += ["--prerelease", "allow"]
    return out


def interpret_uv(res: Completed, marker: str | None, timeout: float = DEFAULT_TIMEOUT) -> RealAnswer:
    """Marker file first; the `Selecting:` debug line is cross-checked in the note."""
    if res.timed_out:
        return RealAnswer(TIMEOUT, None, f"no answer within {timeout:g} s")
    sel = re.findall(r"Selecting: \S+ \[[^\]]*\] \(([^)]+)\)", res.out)
    if res.rc == 0 and marker:
        return RealAnswer(CHOSEN, marker, "" if not sel or sel[-1] == marker else f"Selecting line says {sel[-1]}")
    if "No solution found" in res.out or "unsatisfiable" in res.out:
        cause = [x.strip() for x in res.out.splitlines() if "Because" in x or "hint:" in x]
        return RealAnswer(NO_MATCH, None, " ".join(cause)[:400])
    return RealAnswer(ERROR, None, f"exit {res.rc}: " + last_error(res.out))


# ---------------------------------------------------------------- asking and comparing
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
        return RealAnswer(NOT_EMULABLE, None, plan.skip)
    with tempfile.TemporaryDirectory(prefix="tagsim-verify-") as tmp:
        work = Path(tmp)
        idx = build_index(list(sc.files), work / "index")
        ans = emu.run(plan, sc, idx.simple_url(), work)
    return replace(ans, note="; ".join(x for x in (plan.method, ans.note) if x))


def predict(installer_spec: str, sc: Scenario, profile: Profile | None = None,
            interp: Interpreter | None = None) -> str | None:
    """tagsim's choice (a filename, or None for no match). Raises TagsimError if not modelled."""
    decision = decide(profile or resolve_platform(sc.platform), interp or parse_python(sc.python),
                      parse_installer(installer_spec), sc.dist_files(), parse_spec(sc.spec), sc.flags)
    return decision.chosen.filename if decision.chosen else None


@dataclass(frozen=True)
class Verification:
    """tagsim's prediction and the real installer's answer, side by side."""

    installer: str  # "pip==24.0", or what was asked for when it could not be started
    origin: str
    status: str  # one of STATUSES
    predicted: str | None = None
    real: str | None = None
    detail: str = ""

    @property
    def tested(self) -> bool:
        return self.status in (AGREE, DISAGREE)

    def to_json(self) -> dict[str, Any]:
        return {"installer": self.installer, "origin": self.origin, "status": self.status,
                "tagsim": self.predicted, "real": self.real, "detail": self.detail}


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
    parse_python(sc.python)
    parse_spec(sc.spec)
    pythons = pythons or Pythons()
    host = host_profile()
    out = []
    for text in installers:
        try:
            inst = detect_installer(text, timeout=min(timeout, 60))
        except InstallerProblem as exc:
            out.append(Verification(text, text, exc.status, detail=exc.message))
            continue
        try:
            parse_installer(inst.spec)
        except TagsimError as exc:
            out.append(Verification(inst.spec, inst.origin, NOT_MODELLED, detail=str(exc)))
            continue
        emu = emulator_for(inst, host=host, pythons=pythons, timeout=timeout)
        out.append(compare(inst, ask(emu, sc, profile), sc, profile))
    return out
