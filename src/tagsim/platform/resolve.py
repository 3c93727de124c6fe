"""A `PLATFORM` argument: a profile id, an inline spec (`os=linux,arch=aarch64,glibc=2.17`), or a uv target name."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from ..errors import ProfileError
from .interpreter import Interpreter, parse_python
from .profile import HERE, Profile
from .profile_file import bundled_profiles, profile_from_mapping

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
    """A `PLATFORM` argument: a profile id, `here` (this machine), an inline spec, a uv target name, or a saved
    `pip debug --verbose` output."""
    known = bundled_profiles() if profiles is None else profiles
    if spec in known:
        return known[spec]
    if spec == HERE:
        from .here import detect_host  # platform, sys.implementation: only for this machine

        return detect_host().profile
    if "=" in spec:
        return parse_inline(spec)
    target = uv_target_profile(spec)
    if target is not None:
        return target
    if os.path.isfile(spec):
        from .pip_debug import load_pip_debug

        return load_pip_debug(spec).profile
    close = [pid for pid in known if spec.lower() in pid.lower()][:5]
    hint = f"; did you mean {', '.join(close)}?" if close else "; run `tagsim platforms` to list them"
    raise ProfileError(f"unknown platform {spec!r}{hint}", where="PLATFORM")


def names_pip_debug(spec: str, profiles: Mapping[str, Profile] | None = None) -> bool:
    """Whether `resolve_platform(spec)` reads a saved pip debug output: an existing file that is no other kind of name."""
    known = bundled_profiles() if profiles is None else profiles
    return (spec not in known and spec != HERE and "=" not in spec and uv_target_profile(spec) is None
            and os.path.isfile(spec))


def default_interpreter(spec: str, given: str | None) -> Interpreter:
    """`--python` when given; else the running interpreter on `here`, the printed one for a pip debug output,
    and CPython 3.12 elsewhere."""
    if given:
        return parse_python(given)
    if spec == HERE:
        from .here import detect_host

        return detect_host().interpreter
    if names_pip_debug(spec):
        from .pip_debug import load_pip_debug

        return load_pip_debug(spec).interpreter
    return parse_python("cp312")
