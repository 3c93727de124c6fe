"""Profile documents: `data/platforms.json`, `--matrix` files and inline entries, validated field by field."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ProfileError, read_json_file
from .profile import ARCHES, OSES, Profile

_ALLOWED_KEYS: Mapping[str, frozenset[str]] = {
    "linux": frozenset({"libc", "libc_version", "python_bits", "float_abi"}),
    "macos": frozenset({"os_version", "rosetta"}),
    "windows": frozenset(),
    "ios": frozenset({"os_version", "sdk"}),
    "android": frozenset({"api_level"}),
    "emscripten": frozenset({"emscripten_version", "pyemscripten_version"}),
    "freebsd": frozenset({"os_version"}),
}
_COMMON_KEYS = frozenset({"id", "description", "os", "arch"})

# Bounds that reject impossible machines instead of simulating them.
_GLIBC_RANGE = ((2, 0), (2, 50))  # packaging `_LAST_GLIBC_MINOR` defaults to 50
_MUSL_RANGE = ((1, 0), (1, 2))  # musl 1.2 is the newest series (musl.libc.org)
_MACOS_RANGE = ((10, 0), (26, 9))  # macOS 26 (Tahoe) is the newest major
_LAST_MINOR = 20  # macOS 11+ and iOS minors (the highest so far: macOS 11.7, iOS 16.7)



def _version(value: Any, where: str, field_name: str) -> tuple[int, int]:
    if isinstance(value, float):  # JSON 2.10 arrives as 2.1: a silently wrong glibc
        raise ProfileError(f"field {field_name!r}: write the version as a string (\"{value}\"); "
                           "a JSON number loses trailing zeros (2.10 reads as 2.1)", where=where)
    text = str(value).strip()
    m = re.fullmatch(r"(\d{1,6})(?:\.(\d{1,6}))?", text)  # no real version has 7 digits (int() caps at 4300)
    if not m or isinstance(value, bool):
        raise ProfileError(f"field {field_name!r}: expected a version like 2.17, got {value!r}", where=where)
    return int(m[1]), int(m[2] or 0)


def _check_range(
    version: tuple[int, int], bounds: tuple[tuple[int, int], tuple[int, int]], where: str, what: str
) -> None:
    low, high = bounds
    if not low <= version <= high:
        raise ProfileError(
            f"field {what!r}: {version[0]}.{version[1]} is not a real version "
            f"(expected {low[0]}.{low[1]} to {high[0]}.{high[1]})",
            where=where,
        )


def profile_from_mapping(data: Mapping[str, Any], *, where: str) -> Profile:
    """Validate one profile entry; every error names the profile and the field."""
    if not isinstance(data, Mapping):
        raise ProfileError(f"expected an object, got {type(data).__name__}", where=where)
    pid = data.get("id")
    if not isinstance(pid, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._:=,+-]*", pid):
        raise ProfileError(f"field 'id': expected a non-empty name, got {pid!r}", where=where)
    where = where if where.endswith((pid, f"profile {pid!r}")) else f"{where} profile {pid!r}"
    os_name = data.get("os")
    if os_name not in OSES:
        raise ProfileError(f"field 'os': expected one of {', '.join(OSES)}, got {os_name!r}", where=where)
    arch = data.get("arch")
    if not isinstance(arch, str) or arch not in ARCHES[os_name]:
        raise ProfileError(
            f"field 'arch': {arch!r} is not a {os_name} architecture "
            f"(expected one of {', '.join(sorted(ARCHES[os_name]))})",
            where=where,
        )
    unknown = set(data) - _COMMON_KEYS - _ALLOWED_KEYS[os_name]
    if unknown:
        raise ProfileError(f"unknown field(s) for os {os_name!r}: {', '.join(sorted(map(str, unknown)))}", where=where)
    description = data.get("description", "")
    if not isinstance(description, str):
        raise ProfileError("field 'description': expected a string", where=where)
    kw: dict[str, Any] = {}
    if os_name == "linux":
        libc = data.get("libc")
        if libc not in ("glibc", "musl"):
            raise ProfileError(f"field 'libc': expected 'glibc' or 'musl', got {libc!r}", where=where)
        if "libc_version" not in data:
            raise ProfileError("field 'libc_version' is required on linux", where=where)
        version = _version(data["libc_version"], where, "libc_version")
        _check_range(version, _GLIBC_RANGE if libc == "glibc" else _MUSL_RANGE, where, "libc_version")
        kw.update(libc=libc, libc_version=version)
        bits = data.get("python_bits", 64)
        if bits not in (32, 64) or isinstance(bits, bool):
            raise ProfileError(f"field 'python_bits': expected 32 or 64, got {bits!r}", where=where)
        if bits == 32 and arch not in ("x86_64", "aarch64"):
            raise ProfileError(
                "field 'python_bits': 32 means a 32-bit userland on an x86_64 or aarch64 kernel", where=where
            )
        float_abi = data.get("float_abi", "hard")
        if float_abi not in ("hard", "soft"):
            raise ProfileError(f"field 'float_abi': expected 'hard' or 'soft', got {float_abi!r}", where=where)
        if float_abi == "soft" and arch != "armv7l":
            raise ProfileError("field 'float_abi': only armv7l has a soft-float variant", where=where)
        kw.update(python_bits=bits, float_abi=float_abi)
    elif os_name in ("macos", "ios"):
        if "os_version" not in data:
            raise ProfileError("field 'os_version' is required", where=where)
        version = _version(data["os_version"], where, "os_version")
        # Real minors stay small: macOS 10.x ends at 10.16, later majors and iOS at .9 or so. A huge minor is
        # no machine, and the tag generators loop over every minor (10.99999 gave 16 million tags).
        last_minor = 16 if os_name == "macos" and version[0] == 10 else _LAST_MINOR
        if version[1] > last_minor:
            raise ProfileError(f"field 'os_version': {version[0]}.{version[1]} is not a real version "
                               f"(minors of {os_name} {version[0]} end by .{last_minor})", where=where)
        if os_name == "macos":
            _check_range(version, _MACOS_RANGE, where, "os_version")
            rosetta = data.get("rosetta", False)
            if not isinstance(rosetta, bool):
                raise ProfileError("field 'rosetta': expected true or false", where=where)
            if rosetta and arch != "x86_64":
                raise ProfileError("field 'rosetta': Rosetta 2 runs x86_64 Pythons only", where=where)
            kw["rosetta"] = rosetta
        else:
            _check_range(version, ((12, 0), (26, 9)), where, "os_version")
            sdk = data.get("sdk", "iphoneos")
            if sdk not in ("iphoneos", "iphonesimulator"):
                raise ProfileError(f"field 'sdk': expected iphoneos or iphonesimulator, got {sdk!r}", where=where)
            kw["sdk"] = sdk
        kw["os_version"] = version
    elif os_name == "android":
        api = data.get("api_level")
        if not isinstance(api, int) or isinstance(api, bool) or not 16 <= api <= 40:
            raise ProfileError(f"field 'api_level': expected an API level 16-40, got {api!r}", where=where)
        kw["api_level"] = api
    elif os_name == "emscripten":
        ver = data.get("emscripten_version")
        if not isinstance(ver, str) or not re.fullmatch(r"\d+\.\d+\.\d+", ver):
            raise ProfileError(f"field 'emscripten_version': expected e.g. 3.1.58, got {ver!r}", where=where)
        pyem = data.get("pyemscripten_version")
        if pyem is not None and (not isinstance(pyem, str) or not re.fullmatch(r"\d{4}_\d+", pyem)):
            raise ProfileError(f"field 'pyemscripten_version': expected e.g. 2025_0, got {pyem!r}", where=where)
        kw.update(emscripten_version=ver, pyemscripten_version=pyem)
    elif os_name == "freebsd":
        release = data.get("os_version")
        if not isinstance(release, str) or not re.fullmatch(r"\d+\.\d+-[A-Za-z0-9]+", release):
            raise ProfileError(f"field 'os_version': expected e.g. 14.0-RELEASE, got {release!r}", where=where)
        kw["release"] = release
    return Profile(id=pid, os=os_name, arch=arch, description=description, **kw)


def parse_profiles_document(document: Any, *, source: str) -> dict[str, Profile]:
    """Validate a whole `platforms.json`-shaped document."""
    if not isinstance(document, Mapping) or not isinstance(document.get("profiles"), list):
        raise ProfileError("expected an object with a 'profiles' list", where=source)
    profiles: dict[str, Profile] = {}
    for index, entry in enumerate(document["profiles"]):
        label = entry.get("id") if isinstance(entry, Mapping) else None
        where = f"{source} profile {label!r}" if isinstance(label, str) else f"{source} profiles[{index}]"
        profile = profile_from_mapping(entry, where=where)
        if profile.id in profiles:
            raise ProfileError("duplicate profile id", where=where)
        profiles[profile.id] = profile
    return profiles


def load_profiles_file(path: str | Path) -> dict[str, Profile]:
    """Read a project's own profile list (`--matrix FILE`)."""
    document = read_json_file(str(path), ProfileError, "profile file")
    return parse_profiles_document(document, source=str(path))


@lru_cache(maxsize=1)
def bundled_profiles() -> dict[str, Profile]:
    """The profiles shipped in the package (a copy of the top-level `data/platforms.json`)."""
    bundled = Path(__file__).resolve().parent.parent / "data" / "platforms.json"
    if bundled.is_file():  # an installed or source tree (importlib.resources costs 7 ms to import)
        text = bundled.read_text(encoding="utf-8")
    else:  # a zipped install
        from importlib import resources

        text = resources.files("tagsim").joinpath("data/platforms.json").read_text(encoding="utf-8")
    return parse_profiles_document(json.loads(text), source="platforms.json")


