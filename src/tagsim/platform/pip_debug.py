"""A saved `pip debug --verbose` output as a profile: the machine a user only has a log from.

pip (19.2+) prints its version, `sys.version`, `sys.platform`, `sys.implementation.name` and its
compatible tags, best first (pip `commands/debug.py` `show_tags`). The tags carry the facts packaging
detected on that machine: the highest `manylinux_2_X` is the glibc version (`manylinux2014` = 2.17,
`2010` = 2.12, `1` = 2.5 before PEP 600 tags), the highest `musllinux_1_X` the musl version, the
highest `macosx_M_m` the macOS version, `linux_<arch>` the arch as the interpreter sees it
(`i686`/`armv8l`: a 32-bit Python on a 64-bit kernel), `win_*` the Windows arch, `ios_*`/`android_*`
the OS version and SDK or API level. What the tags cannot tell is refused, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..errors import ProfileError, clipped
from .interpreter import IMPLEMENTATIONS, Interpreter
from .platform_tag import LEGACY_ALIASES
from .profile import Profile
from .profile_file import profile_from_mapping

#: Longest file read: a verbose output of a current pip is about 60 KB.
_LIMIT = 4 * 1024 * 1024
_PIP = re.compile(r"^pip version: pip (\S+)", re.M)
_VERSION = re.compile(r"^sys\.version: (\d+)\.(\d+)\.(\d+)", re.M)
_PLATFORM = re.compile(r"^sys\.platform: (\S+)", re.M)
_IMPLEMENTATION = re.compile(r"^sys\.implementation:\s*\n\s+name: (\S+)", re.M)
_TAGS = re.compile(r"^Compatible tags: (\d+)(.*)$", re.M)
_TAG = re.compile(r"^\s+([a-z0-9_.]+-[a-z0-9_.]+-[a-z0-9_.]+)\s*$")
_LEGACY_GLIBC = {alias: version for version, alias in LEGACY_ALIASES.items()}


@dataclass(frozen=True)
class PipDebug:
    """What one `pip debug --verbose` output says, and the profile and interpreter it implies."""

    path: str
    pip_version: str
    sys_platform: str
    tags: tuple[str, ...]
    truncated: bool  # printed without --verbose: the first tags only
    profile: Profile
    interpreter: Interpreter


def _read(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            data = handle.read(_LIMIT + 1)
    except OSError as exc:
        raise ProfileError(f"cannot read: {exc.strerror}", where=path) from None
    if len(data) > _LIMIT:
        raise ProfileError(f"over {_LIMIT // (1024 * 1024)} MiB: not a `pip debug --verbose` output", where=path)
    return data.decode("utf-8", errors="replace").lstrip("\ufeff").replace("\r\n", "\n")


def _need(pattern: re.Pattern[str], text: str, what: str, path: str) -> re.Match[str]:
    match = pattern.search(text)
    if match is None:
        raise ProfileError(f"not a `pip debug --verbose` output: no {what} line", where=path)
    return match


def _tags(text: str, path: str) -> tuple[tuple[str, ...], bool]:
    head = _need(_TAGS, text, "'Compatible tags: N'", path)
    tags = []
    for line in text[head.end() + 1:].split("\n"):
        found = _TAG.match(line)
        if found is None:
            break
        tags.append(found[1])
    if not tags:
        raise ProfileError("the output lists no compatible tags: too little to tell the machine", where=path)
    return tuple(tags), "truncated" in head[2] or len(tags) < int(head[1])


def _platforms(tags: tuple[str, ...]) -> list[str]:
    return list(dict.fromkeys(p for t in tags for p in t.split("-", 2)[2].split(".") if p != "any"))


def _linux(plats: list[str], path: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    arch = next((p[len("linux_"):] for p in plats if p.startswith("linux_")), None)
    if arch is None:
        raise ProfileError("no linux_<arch> tag: the arch cannot be told", where=path)
    data["arch"] = arch
    if arch == "armv8l":  # packaging 24+: a 32-bit Python on an aarch64 kernel
        data.update(arch="aarch64", python_bits=32)
    glibc = [(int(m[1]), int(m[2])) for p in plats if (m := re.match(r"manylinux_(\d+)_(\d+)_", p))]
    glibc += [v for p in plats for name, v in _LEGACY_GLIBC.items() if p.startswith(name + "_")]
    musl = [(int(m[1]), int(m[2])) for p in plats if (m := re.match(r"musllinux_(\d+)_(\d+)_", p))]
    if glibc:
        data.update(libc="glibc", libc_version="{}.{}".format(*max(glibc)))
    elif musl:
        data.update(libc="musl", libc_version="{}.{}".format(*max(musl)))
    else:
        raise ProfileError("no manylinux or musllinux tag: the libc and its version cannot be told (an old pip "
                           "on musl, or a platform without them)", where=path)
    return data


def _macos(plats: list[str], path: str) -> dict[str, Any]:
    found = [(int(m[1]), int(m[2]), m[3]) for p in plats if (m := re.fullmatch(r"macosx_(\d+)_(\d+)_(\w+)", p))]
    if not found:
        raise ProfileError("no macosx_* tag: the macOS version cannot be told", where=path)
    major, minor, _ = max(found)
    arch = next((a for *_, a in found if a in ("arm64", "x86_64")), None)
    if arch is None:
        raise ProfileError("no macosx_*_arm64 or _x86_64 tag: the arch cannot be told", where=path)
    return {"arch": arch, "os_version": f"{major}.{minor}"}


def _windows(plats: list[str], path: str) -> dict[str, Any]:
    arch = {"win_amd64": "amd64", "win32": "x86", "win_arm64": "arm64"}
    found = next((arch[p] for p in plats if p in arch), None)
    if found is None:
        raise ProfileError("no win32/win_amd64/win_arm64 tag: the arch cannot be told", where=path)
    return {"arch": found}


def _os_of(sys_platform: str, plats: list[str], path: str) -> str:
    if any(p.startswith("android_") for p in plats):
        return "android"
    if any(p.startswith("ios_") for p in plats):
        return "ios"
    name = {"linux": "linux", "darwin": "macos", "win32": "windows", "cygwin": "windows"}.get(sys_platform)
    if name is None:
        raise ProfileError(f"sys.platform {clipped(sys_platform)} is not a system a pip debug output is read "
                           "for (linux, darwin, win32, iOS and Android tags)", where=path)
    return name


def _mobile(os_name: str, plats: list[str], path: str) -> dict[str, Any]:
    if os_name == "android":
        m = next((m for p in plats if (m := re.fullmatch(r"android_(\d+)_(\w+)", p))), None)
        if m is None:
            raise ProfileError("no android_<api>_<abi> tag", where=path)
        return {"arch": m[2], "api_level": max(int(x[1]) for p in plats if (x := re.match(r"android_(\d+)_", p)))}
    m = next((m for p in plats if (m := re.fullmatch(r"ios_(\d+)_(\d+)_(\w+?)_(iphoneos|iphonesimulator)", p))), None)
    if m is None:
        raise ProfileError("no ios_<version>_<arch>_<sdk> tag", where=path)
    return {"arch": m[3], "os_version": f"{m[1]}.{m[2]}", "sdk": m[4]}


def _interpreter(text: str, tags: tuple[str, ...], path: str) -> Interpreter:
    version = _need(_VERSION, text, "'sys.version: X.Y.Z'", path)
    name = _IMPLEMENTATION.search(text)
    impl = IMPLEMENTATIONS.get(name[1] if name else "cpython")
    if impl is None:
        raise ProfileError(f"interpreter {clipped(name[1] if name else '')} is not modelled", where=path)
    major, minor, patch = int(version[1]), int(version[2]), int(version[3])
    threaded = impl == "cp" and tags[0].split("-")[1].endswith("t")
    return Interpreter(impl, major, minor, threaded, patch)


@cache
def load_pip_debug(path: str) -> PipDebug:
    """Read a saved `pip debug --verbose` output; `ProfileError` naming the file when it cannot tell the machine."""
    text = _read(path)
    pip_version = _need(_PIP, text, "'pip version: pip X'", path)[1]
    sys_platform = _need(_PLATFORM, text, "'sys.platform:'", path)[1]
    tags, truncated = _tags(text, path)
    plats = _platforms(tags)
    os_name = _os_of(sys_platform, plats, path)
    reader = {"linux": _linux, "macos": _macos, "windows": _windows}.get(os_name)
    data = reader(plats, path) if reader else _mobile(os_name, plats, path)
    name = re.sub(r"[^A-Za-z0-9._-]", "_", path.rsplit("/", 1)[-1]).lstrip("._-") or "pip-debug"
    data.update(id=name, os=os_name, description=f"from `pip debug --verbose` of pip {pip_version} ({path})")
    profile = profile_from_mapping(data, where=path)
    return PipDebug(path, pip_version, sys_platform, tags, truncated, profile, _interpreter(text, tags, path))

