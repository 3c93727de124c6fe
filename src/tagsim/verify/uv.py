"""Asking a real uv: native `--python` on this machine, else a `--python-platform` target that uv version has."""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ..choice.flags import Flags
from ..platform.profile import Profile
from .dummy_index import read_marker
from .machine import InstallerExe, Pythons, host_profile
from .pip import last_error
from .plan import Plan
from .process import DEFAULT_TIMEOUT, Completed, clean_env, run_command
from .scenario import Answer, RealAnswer, Scenario

UV_ARCH = {"x86_64": "x86_64", "aarch64": "aarch64", "i686": "i686"}
UV_TARGET_RE = re.compile(
    r"\b((?:x86_64|aarch64|i686|armv7|armv7l|ppc64le|ppc64|s390x|riscv64|loongarch64)-"
    r"(?:manylinux_2_\d+|unknown-linux-(?:gnu|musl)|apple-darwin|pc-windows-msvc))\b")


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
            self.problem = RealAnswer(Answer.TIMEOUT, None, f"uv pip install --help: no answer within {min(timeout, 60):g} s")
        elif res.rc != 0:
            self.problem = RealAnswer(Answer.ERROR, None, f"uv pip install --help: exit {res.rc}: {last_error(res.out)}")
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
        facts = self.pythons.facts(exe)
        if sc.python_version and facts and facts[1] != sc.python_version:
            argv += ["--python-version", sc.python_version]  # uv pads nothing: it checks this full version
        if self.host is not None and profile == replace(self.host, id=profile.id, description=profile.description):
            return Plan(argv=tuple(argv), method=f"native {' '.join(argv)}")
        if py.startswith("pp"):
            return Plan(skip="uv takes the implementation (PyPy) from the real interpreter; only this machine has one")
        if not self.targets:
            return Plan(skip=f"uv {self.version} has no --python-platform")
        triple, env, why = self.triple(profile)
        if triple is None:
            return Plan(skip=why)
        if "--python-version" not in argv:
            argv += ["--python-version", sc.python_version or self.pythons.full_version(py)]
        argv += ["--python-platform", triple]
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
                return RealAnswer(Answer.ERROR, None, "could not create the target venv: " + last_error(made.out))
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
        return RealAnswer(Answer.TIMEOUT, None, f"no answer within {timeout:g} s")
    sel = re.findall(r"Selecting: \S+ \[[^\]]*\] \(([^)]+)\)", res.out)
    if res.rc == 0 and marker:
        return RealAnswer(Answer.CHOSEN, marker, "" if not sel or sel[-1] == marker else f"Selecting line says {sel[-1]}")
    if "No solution found" in res.out or "unsatisfiable" in res.out:
        cause = [x.strip() for x in res.out.splitlines() if "Because" in x or "hint:" in x]
        return RealAnswer(Answer.NO_MATCH, None, " ".join(cause)[:400])
    return RealAnswer(Answer.ERROR, None, f"exit {res.rc}: " + last_error(res.out))
