"""`here`: the running machine and interpreter as a profile, found the way the installers find them.

Every fact comes from the function packaging (and so pip) uses for it: glibc from
`packaging._manylinux._get_glibc_version` (`os.confstr`, then ctypes), musl from
`packaging._musllinux._get_musl_version` (the ELF interpreter of `sys.executable`, run), the ARM
hard-float check from `_manylinux._is_linux_armhf`, the arch as `sysconfig.get_platform()` spells it,
a 32-bit interpreter by pointer size (packaging `_32_BIT_INTERPRETER`), the macOS version from
`platform.mac_ver()` (asked again with `SYSTEM_VERSION_COMPAT=0` when it says 10.16, as packaging
`mac_platforms` does) and Rosetta from `sysctl.proc_translated`. These are packaging's private
helpers: their names are checked by the tests, which compare the result with pip's own tag list.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..errors import ProfileError
from .interpreter import IMPLEMENTATIONS, Interpreter
from .profile import HERE, Profile
from .profile_file import profile_from_mapping

_OS = {"linux": "linux", "darwin": "macos", "win32": "windows", "cygwin": "windows", "ios": "ios",
       "android": "android", "emscripten": "emscripten"}
_WINDOWS_ARCH = {"win-amd64": "amd64", "win32": "x86", "win-arm64": "arm64"}


@dataclass(frozen=True)
class Host:
    """This machine: its profile, its interpreter, and how each fact was found."""

    profile: Profile
    interpreter: Interpreter
    sysconfig_platform: str
    facts: tuple[tuple[str, str], ...]  # (fact, how it was found), for `platforms --here`


def _os_name() -> str:
    name = _OS.get(sys.platform) or ("freebsd" if sys.platform.startswith("freebsd") else None)
    if name is None:
        raise ProfileError(f"sys.platform {sys.platform!r} is not a system tagsim models", where=HERE)
    return name


def _mac_version() -> str:
    """packaging `mac_platforms`: a Python built against an old SDK says 10.16 on macOS 11+; ask again."""
    import platform
    import subprocess

    version = platform.mac_ver()[0]
    if version == "10.16":
        version = subprocess.run([sys.executable, "-sS", "-c", "import platform; print(platform.mac_ver()[0])"],
                                 check=True, env={"SYSTEM_VERSION_COMPAT": "0"}, stdout=subprocess.PIPE,
                                 text=True).stdout.strip()
    return ".".join([*version.split("."), "0"][:2])


def _rosetta() -> bool:
    """An x86_64 process on Apple silicon: `sysctl.proc_translated` is 1."""
    import subprocess

    try:
        out = subprocess.run(["sysctl", "-n", "sysctl.proc_translated"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return False
    return out.stdout.strip() == "1"


def _linux_facts(data: dict[str, Any], facts: list[tuple[str, str]]) -> None:
    from packaging import _manylinux, _musllinux

    glibc = _manylinux._get_glibc_version()
    musl = _musllinux._get_musl_version(sys.executable)
    if glibc != (-1, -1):
        data.update(libc="glibc", libc_version=f"{glibc[0]}.{glibc[1]}")
        facts.append(("libc", f"glibc {glibc[0]}.{glibc[1]} (packaging _manylinux._get_glibc_version)"))
    elif musl is not None:
        data.update(libc="musl", libc_version=f"{musl.major}.{musl.minor}")
        facts.append(("libc", f"musl {musl.major}.{musl.minor} (packaging _musllinux._get_musl_version)"))
    else:
        raise ProfileError("neither glibc nor musl found (packaging finds neither)", where=HERE)
    if sys.maxsize <= 2**32 and data["arch"] in ("x86_64", "aarch64"):
        data["python_bits"] = 32
        facts.append(("python_bits", f"32-bit interpreter on a 64-bit {data['arch']} kernel (pointer size)"))
    if data["arch"] == "armv7l" and not _manylinux._is_linux_armhf(sys.executable):
        data["float_abi"] = "soft"
        facts.append(("float_abi", "soft-float ELF (packaging _manylinux._is_linux_armhf)"))


def host_interpreter() -> Interpreter:
    """The running interpreter: `cp311`, `cp313t`, `pp310`, with its patch level."""
    impl = IMPLEMENTATIONS.get(sys.implementation.name)
    if impl is None:
        raise ProfileError(f"interpreter {sys.implementation.name!r} is not modelled", where=HERE)
    import sysconfig

    threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
    major, minor, patch = sys.version_info[:3]
    return Interpreter(impl, major, minor, threaded, patch)


@cache
def detect_host() -> Host:
    """This machine as a profile (id `here`), its interpreter, and the facts behind them.

    `platform`, `subprocess` and `sysconfig` are imported here: every command resolves PLATFORM through
    this module, and only `here` needs them (40 ms of start-up otherwise)."""
    import platform
    import sysconfig

    plat = sysconfig.get_platform()
    os_name = _os_name()
    facts: list[tuple[str, str]] = [("os", f"{os_name} (sys.platform {sys.platform!r})")]
    data: dict[str, Any] = {"id": HERE, "os": os_name, "description": f"this machine ({platform.platform(terse=True)})"}
    if os_name == "windows":
        data["arch"] = _WINDOWS_ARCH.get(plat, plat.partition("-")[2])
    elif os_name == "macos":
        data["os_version"] = _mac_version()
        machine = platform.mac_ver()[2] or platform.machine()
        data["arch"] = machine if machine in ("x86_64", "arm64") else plat.rsplit("-", 1)[-1]
        facts.append(("os_version", f"macOS {data['os_version']} (platform.mac_ver)"))
        if data["arch"] == "x86_64" and _rosetta():
            data["rosetta"] = True
            facts.append(("rosetta", "x86_64 Python under Rosetta 2 (sysctl.proc_translated)"))
    else:
        data["arch"] = plat.rsplit("-", 1)[-1]
    facts.insert(1, ("arch", f"{data['arch']} (sysconfig.get_platform() {plat!r})"))
    if os_name == "linux":
        _linux_facts(data, facts)
    elif os_name == "freebsd":
        data["os_version"] = platform.release()
    interp = host_interpreter()
    facts.append(("python", f"{interp.tag} {interp.describe()} ({sys.executable})"))
    return Host(profile_from_mapping(data, where=HERE), interp, plat, tuple(facts))

