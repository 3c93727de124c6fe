"""Platform profiles: the facts about a machine that change which wheel tags fit.

A profile replaces the *detection* half of packaging's `tags.py` (glibc from
`os.confstr`, musl from the ELF interpreter, `platform.mac_ver()`, the ELF
hard-float check...). Generators take a profile instead of asking the host.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ProfileError, read_json_file

OSES = ("linux", "macos", "windows", "ios", "android", "emscripten", "freebsd")

#: CPU architectures as `sysconfig.get_platform()` spells them on each OS.
ARCHES: Mapping[str, frozenset[str]] = {
    "linux": frozenset(
        {"x86_64", "i686", "aarch64", "armv7l", "armv6l", "ppc64le", "ppc64", "s390x",
         "riscv64", "loongarch64"}
    ),
    "macos": frozenset({"x86_64", "arm64"}),
    "windows": frozenset({"amd64", "x86", "arm64"}),
    "ios": frozenset({"arm64", "x86_64"}),
    "android": frozenset({"arm64_v8a", "armeabi_v7a", "x86_64", "x86"}),
    "emscripten": frozenset({"wasm32"}),
    "freebsd": frozenset({"amd64", "arm64", "i386"}),
}

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


@dataclass(frozen=True)
class Profile:
    """One machine. Only facts that change tags; everything else is description."""

    id: str
    os: str
    arch: str
    description: str = ""
    libc: str | None = None  # "glibc" or "musl" on Linux
    libc_version: tuple[int, int] | None = None
    os_version: tuple[int, int] | None = None  # macOS / iOS
    release: str | None = None  # FreeBSD `uname -r`, e.g. 14.0-RELEASE
    python_bits: int = 64  # 32 = 32-bit userland (interpreter) on a 64-bit kernel
    float_abi: str = "hard"  # armv7l: "soft" (armel) fails packaging's ELF hard-float check
    api_level: int | None = None  # Android
    sdk: str | None = None  # iOS: iphoneos / iphonesimulator
    emscripten_version: str | None = None
    pyemscripten_version: str | None = None
    rosetta: bool = False

    @property
    def glibc(self) -> tuple[int, int] | None:
        return self.libc_version if self.libc == "glibc" else None

    @property
    def musl(self) -> tuple[int, int] | None:
        return self.libc_version if self.libc == "musl" else None

    def sysconfig_platform(self) -> str:
        """What `sysconfig.get_platform()` returns on this machine (the kernel's view)."""
        if self.os == "linux":
            return f"linux-{self.arch}"
        if self.os == "windows":
            return {"amd64": "win-amd64", "x86": "win32", "arm64": "win-arm64"}[self.arch]
        if self.os == "ios":
            assert self.os_version is not None
            return f"ios-{self.os_version[0]}.{self.os_version[1]}-{self.arch}-{self.sdk}"
        if self.os == "android":
            return f"android-{self.api_level}-{self.arch}"
        if self.os == "emscripten":
            return f"emscripten-{self.emscripten_version}-wasm32"
        if self.os == "freebsd":
            return f"freebsd-{self.release}-{self.arch}"
        assert self.os_version is not None
        return f"macosx-{self.os_version[0]}.{self.os_version[1]}-{self.arch}"

    def summary(self) -> str:
        """A short fact line, e.g. `linux aarch64, glibc 2.17`."""
        parts = [f"{self.os} {self.arch}"]
        if self.libc and self.libc_version:
            parts.append(f"{self.libc} {self.libc_version[0]}.{self.libc_version[1]}")
        if self.os_version and self.os in ("macos", "ios"):
            parts.append(f"{self.os} {self.os_version[0]}.{self.os_version[1]}")
        if self.release:
            parts.append(self.release)
        if self.api_level:
            parts.append(f"API {self.api_level}")
        if self.python_bits == 32:
            parts.append("32-bit userland")
        if self.float_abi == "soft":
            parts.append("soft-float")
        if self.rosetta:
            parts.append("x86_64 Python under Rosetta 2")
        return ", ".join(parts)


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
    text = resources.files("tagsim").joinpath("data/platforms.json").read_text(encoding="utf-8")
    return parse_profiles_document(json.loads(text), source="platforms.json")


# --- inline specs and uv `--python-platform` names ------------------------------------------

_UV_ARCH = {"x86_64": "x86_64", "aarch64": "aarch64", "armv7": "armv7l", "armv7l": "armv7l",
            "i686": "i686", "ppc64le": "ppc64le", "s390x": "s390x", "riscv64": "riscv64",
            "loongarch64": "loongarch64", "ppc64": "ppc64"}


def parse_inline(spec: str) -> Profile:
    """`os=linux,arch=aarch64,glibc=2.17`: a profile typed on the command line."""
    data: dict[str, Any] = {"id": spec}
    for part in spec.split(","):
        key, sep, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise ProfileError(f"expected key=value, got {part!r}", where=f"inline profile {spec!r}")
        if key in ("glibc", "musl"):
            data["libc"], data["libc_version"] = key, value
        elif key == "version":
            data["_version"] = value
        elif key in ("bits", "python_bits", "api", "api_level"):
            name = "python_bits" if key in ("bits", "python_bits") else "api_level"
            if not (value.isdecimal() and len(value) <= 6):  # isdigit() passes '²', which int() refuses
                raise ProfileError(f"field {name!r}: expected a number, got {value!r}", where=f"inline profile {spec!r}")
            data[name] = int(value)
        elif key == "rosetta":
            data["rosetta"] = value.lower() in ("1", "true", "yes")
        else:
            data[key] = value
    version = data.pop("_version", None)
    if version is not None:
        data["os_version" if data.get("os") in ("macos", "ios", "freebsd") else "libc_version"] = version
    return profile_from_mapping(data, where=f"inline profile {spec!r}")


def uv_target_profile(name: str) -> Profile | None:
    """uv's `--python-platform` names (uv-configuration `TargetTriple`, uv 0.13.8) as profiles.

    Defaults follow uv 0.8.0+ (#14300): `*-unknown-linux-gnu` is manylinux_2_28,
    musl targets are musl 1.2, `*-apple-darwin` is macOS 13.0 (0.6.11+, #12518),
    Android API 24 and iOS 13.0 (0.8.16).
    """
    fixed: dict[str, dict[str, Any]] = {
        "linux": {"os": "linux", "arch": "x86_64", "libc": "glibc", "libc_version": "2.28"},
        "macos": {"os": "macos", "arch": "arm64", "os_version": "13.0"},
        "windows": {"os": "windows", "arch": "amd64"},
        "x86_64-pc-windows-msvc": {"os": "windows", "arch": "amd64"},
        "i686-pc-windows-msvc": {"os": "windows", "arch": "x86"},
        "aarch64-pc-windows-msvc": {"os": "windows", "arch": "arm64"},
        "arm64-pc-windows-msvc": {"os": "windows", "arch": "arm64"},
        "aarch64-apple-darwin": {"os": "macos", "arch": "arm64", "os_version": "13.0"},
        "x86_64-apple-darwin": {"os": "macos", "arch": "x86_64", "os_version": "13.0"},
        "aarch64-linux-android": {"os": "android", "arch": "arm64_v8a", "api_level": 24},
        "x86_64-linux-android": {"os": "android", "arch": "x86_64", "api_level": 24},
        "arm64-apple-ios": {"os": "ios", "arch": "arm64", "os_version": "13.0", "sdk": "iphoneos"},
        "arm64-apple-ios-simulator": {"os": "ios", "arch": "arm64", "os_version": "13.0", "sdk": "iphonesimulator"},
        "x86_64-apple-ios-simulator": {"os": "ios", "arch": "x86_64", "os_version": "13.0", "sdk": "iphonesimulator"},
        "riscv64-unknown-linux": {"os": "linux", "arch": "riscv64", "libc": "glibc", "libc_version": "2.39"},
        "wasm32-pyodide2024": {"os": "emscripten", "arch": "wasm32", "emscripten_version": "3.1.58",
                               "pyemscripten_version": "2024_0"},
        "wasm32-pyodide2025": {"os": "emscripten", "arch": "wasm32", "emscripten_version": "4.0.9",
                               "pyemscripten_version": "2025_0"},
    }
    data: dict[str, Any] | None = fixed.get(name)
    if data is None:
        m = re.fullmatch(r"(x86_64|aarch64)-unknown-linux-(gnu|musl)", name)
        if m:
            data = {"os": "linux", "arch": m[1], "libc": "glibc" if m[2] == "gnu" else "musl",
                    "libc_version": "2.28" if m[2] == "gnu" else "1.2"}
    if data is None:
        m = re.fullmatch(r"([a-z0-9_]+)-manylinux(?:_2_(\d+)|(2014))", name) or re.fullmatch(
            r"manylinux(?:_2_(\d+)|(2014))_([a-z0-9_]+)", name
        )
        if m:
            groups = m.groups()
            arch_name, minor = (groups[0], groups[1] or "17") if name[0] != "m" else (groups[2], groups[0] or "17")
            arch = _UV_ARCH.get(arch_name)
            if arch is None:
                return None
            data = {"os": "linux", "arch": arch, "libc": "glibc", "libc_version": f"2.{minor}"}
    if data is None:
        return None
    return profile_from_mapping({"id": name, **data}, where=f"uv target {name!r}")


def resolve_platform(spec: str, profiles: Mapping[str, Profile] | None = None) -> Profile:
    """A `PLATFORM` argument: a profile id, an inline spec, or a uv target name."""
    known = bundled_profiles() if profiles is None else profiles
    if spec in known:
        return known[spec]
    if "=" in spec:
        return parse_inline(spec)
    target = uv_target_profile(spec)
    if target is not None:
        return target
    close = [pid for pid in known if spec.lower() in pid.lower()][:5]
    hint = f"; did you mean {', '.join(close)}?" if close else "; run `tagsim platforms` to list them"
    raise ProfileError(f"unknown platform {spec!r}{hint}", where="PLATFORM")
