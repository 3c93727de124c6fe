"""The real installers and interpreters on this machine: which pip or uv an executable is, pyenv's Pythons,
and which bundled profile this machine itself is."""

from __future__ import annotations

import os
import platform
import re
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..platform.profile import Profile
from ..platform.profile_file import bundled_profiles
from .process import clean_env, run_command
from .scenario import Status


class InstallerProblem(Exception):
    """The installer is missing, crashed or timed out before it could answer."""

    def __init__(self, status: Status, message: str) -> None:
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
            raise InstallerProblem(Status.MISSING, "uv: not found on PATH")
        argv, python, origin = (found,), None, found
    else:
        path = Path(text).expanduser()
        if not path.exists():
            raise InstallerProblem(Status.MISSING, f"{text}: no such file")
        if not path.is_file() or not os.access(path, os.X_OK):
            raise InstallerProblem(Status.MISSING, f"{text}: not an executable file")
        argv, python, origin = (str(path),), None, str(path)
    res = run_command([*argv, "--version"], env=clean_env(), timeout=timeout)
    if res.timed_out:
        raise InstallerProblem(Status.TIMEOUT, f"{origin} --version did not answer within {timeout:g} s")
    m = _VERSION_RE.search(res.out)
    if "No module named pip" in res.out:
        raise InstallerProblem(Status.MISSING, f"{origin}: this Python has no pip")
    if res.rc != 0 or not m:
        tail = res.out.strip().splitlines()[-1:] or [""]
        raise InstallerProblem(Status.CRASHED, f"{origin} --version: exit {res.rc}, not a pip or uv: {tail[0][:200]}")
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
            facts = self.facts(exe) if Path(exe).is_file() else None
            if facts is not None and facts[0] == tag:
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
