"""Asking a real pip: native when it can, else `--platform` flags checked against pip's own tag list."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from ..choice.flags import Flags
from ..platform.profile import Profile
from .machine import InstallerExe, Pythons, host_profile
from .plan import (
    Plan,
    describe_flags,
    map_platforms,
    own_abi,
    platforms_of,
    rebuild_tags,
    restricted_kinds,
    tag_kind,
    wheel_tags,
)
from .process import DEFAULT_TIMEOUT, Completed, clean_env, run_command, vkey
from .scenario import Answer, RealAnswer, Scenario

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
            self.problem = RealAnswer(Answer.ERROR, None, f"pip {self.version} printed no supported tags")

    def _note_problem(self, res: Completed, what: str) -> None:
        if self.problem is None and (res.timed_out or res.rc != 0):
            self.problem = (RealAnswer(Answer.TIMEOUT, None, f"{what}: no answer within {self.timeout:g} s") if res.timed_out
                            else RealAnswer(Answer.ERROR, None, f"{what}: exit {res.rc}: {last_error(res.out)}"))

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

    def python_flags(self, python: str, version: str | None = None) -> list[str]:
        """--python-version/--implementation/--abi standing for a scenario interpreter (at `version`,
        else the local interpreter's full version)."""
        impl = "pp" if python.startswith("pp") else "cp"
        version = version or self.pythons.full_version(python)
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
        same_patch = sc.python_version is None or sc.python_version == self.home_version
        if self.host is not None and profile == replace(self.host, id=profile.id, description=profile.description) \
                and same_patch:
            if py == self.home_tag:
                return Plan(argv=self.inst.argv, method="native")
            other = self.native(py) if self.native and sc.python_version is None else None
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
        flags = [f for p in plats for f in ("--platform", p)] + self.python_flags(py, sc.python_version)
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
        target = sc.python_version or self.pythons.full_version(sc.python)
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
        return RealAnswer(Answer.TIMEOUT, None, f"no answer within {timeout:g} s")
    if len(saved) == 1:
        return RealAnswer(Answer.CHOSEN, saved[0], "" if res.rc == 0 else f"exit {res.rc} after saving the file")
    if len(saved) > 1:
        return RealAnswer(Answer.ERROR, None, f"several files saved: {saved}")
    if NO_MATCH_RE.search(res.out):
        line = next((x.strip() for x in res.out.splitlines() if NO_MATCH_RE.search(x)), "")
        return RealAnswer(Answer.NO_MATCH, None, line[:300])
    picked = SAVED_RE.findall(res.out)
    if picked and res.rc not in (0, None):
        return RealAnswer(Answer.CHOSEN, picked[-1], f"exit {res.rc}: selected (log line) but not saved: " + last_error(res.out))
    return RealAnswer(Answer.ERROR, None, f"exit {res.rc}: " + last_error(res.out))
