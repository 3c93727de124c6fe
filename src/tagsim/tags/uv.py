"""uv's ordered compatible tags, per era (`crates/uv-platform-tags/src/tags.rs` `Tags::from_env`)."""

from __future__ import annotations

from ..errors import NotModelledError
from ..platform.interpreter import Interpreter
from ..platform.platform_tag import PlatformTag
from ..platform.profile import Profile
from . import _macos, _manylinux, _mobile, _musllinux
from ._generic import Triple, generic_platform
from .eras import FreeThreading, UvEra


def era_hint(plat: PlatformTag, era: UvEra) -> str:
    """Why an otherwise-fitting manylinux tag is missing from uv's list: its per-arch glibc floor."""
    if plat.family == "manylinux" and plat.version:
        floor = era.floor(plat.arch or "")
        if floor is None:
            return f" (uv has no manylinux tags for {plat.arch})"
        if plat.version[1] < floor:
            return f" (uv's manylinux floor for {plat.arch} is glibc 2.{floor})"
    return ""



def uv_platforms(profile: Profile, era: UvEra) -> list[str]:
    """uv `compatible_tags(&Platform)`, best first."""
    if profile.os == "linux":
        arch = profile.arch
        if profile.python_bits == 32 and era.userland_32bit:
            arch = "i686" if arch == "x86_64" else "armv8l"
        if arch == "armv8l":
            if not era.armv8l_as_armv7l:
                raise NotModelledError(f"uv {era.first}-era cannot parse the armv8l architecture (uv 0.9.23+ can)")
            arch = "armv7l"
        linux = f"linux_{arch}"
        if profile.musl is not None:
            musl = _musllinux.uv_tags(profile.musl, arch, lowest_minor=0 if era.musllinux_1_0 else 1,
                                      descending=era.musl_descending)
            return [*musl, linux] if era.musl_descending else [linux, *musl]
        floor = era.floor(arch)
        assert profile.glibc is not None
        if floor is None or profile.glibc[1] < floor:
            return [linux]
        many = _manylinux.uv_tags(profile.glibc, arch, floor, legacy_order=era.legacy_order)
        return [linux, *many] if era.legacy_order else [*many, linux]
    if profile.os == "macos":
        assert profile.os_version is not None
        return _macos.uv_platforms(profile.os_version, profile.arch, legacy_order=era.legacy_order)
    if profile.os == "windows":
        return [generic_platform(profile)]
    if profile.os in ("ios", "android"):
        if not era.mobile:
            raise NotModelledError(f"uv {era.first}-era has no {profile.os} support (uv 0.8.16+)")
        if profile.os == "ios":
            assert profile.os_version is not None
            return list(_mobile.ios_platforms(profile.os_version, f"{profile.arch}_{profile.sdk}"))
        assert profile.api_level is not None
        return list(_mobile.android_platforms(profile.api_level, profile.arch))
    if profile.os == "emscripten":
        if not era.pyemscripten or not profile.pyemscripten_version:
            raise NotModelledError(f"uv {era.first}-era Pyodide targets are not modelled (uv 0.11.19+ is)")
        version = profile.pyemscripten_version
        return [f"pyemscripten_{version}_wasm32", f"pyodide_{version}_wasm32"]
    # FreeBSD: `<os>_<release lowercased, . and - as _>_<machine>` (uv `tags.rs`, `Os::FreeBsd`).
    return [generic_platform(profile)]


def uv_tags(profile: Profile, interp: Interpreter, era: UvEra) -> list[Triple]:
    """uv `Tags::from_env`."""
    if interp.free_threaded and era.free_threaded is FreeThreading.UNKNOWN:
        raise NotModelledError(f"uv {era.first}-era predates free-threaded CPython (uv 0.1.32+)")
    if interp.implementation == "graalpy" and era.legacy_order:
        raise NotModelledError("uv before 0.1.22 has no GraalPy support")
    platforms = uv_platforms(profile, era)
    name = interp.interpreter
    is_cp = interp.implementation == "cp"
    if era.legacy_order:
        return _uv_legacy_tags(interp, platforms)
    tags: list[Triple] = [(name, interp.abi, p) for p in platforms]
    if is_cp:
        abi3 = "abi3t" if interp.free_threaded else "abi3"
        use_abi3 = not interp.free_threaded or era.free_threaded is FreeThreading.ABI3T
        for minor in range(interp.minor, 1, -1):
            if use_abi3:
                tags += [(f"cp{interp.major}{minor}", abi3, p) for p in platforms]
            if minor == interp.minor:
                tags += [(name, "none", p) for p in platforms]
    for minor in range(interp.minor, -1, -1):
        tags += [(f"py{interp.major}{minor}", "none", p) for p in platforms]
        if minor == interp.minor:
            tags += [(f"py{interp.major}", "none", p) for p in platforms]
    if is_cp:
        tags.append((name, "none", "any"))
    tags.append((f"py{interp.major}{interp.minor}", "none", "any"))
    tags.append((f"py{interp.major}", "none", "any"))
    tags += [(f"py{interp.major}{minor}", "none", "any") for minor in range(interp.minor - 1, -1, -1)]
    return tags


def _uv_legacy_tags(interp: Interpreter, platforms: list[str]) -> list[Triple]:
    """uv 0.1.19-0.1.21 `Tags::from_env`: platform outer for the first step, `py3` after every `py3X`."""
    name, major = interp.interpreter, interp.major
    tags: list[Triple] = []
    for p in platforms:
        tags += [(name, interp.abi, p), (name, "none", p)]
    if interp.implementation == "cp" and not interp.free_threaded:
        for minor in range(interp.minor, 1, -1):
            tags += [(f"cp{major}{minor}", "abi3", p) for p in platforms]
    for minor in range(interp.minor, -1, -1):
        tags += [(f"py{major}{minor}", "none", p) for p in platforms]
    tags += [(f"py{major}", "none", p) for p in platforms]
    tags += [(f"py{major}{minor}", "none", "any") for minor in range(interp.minor, -1, -1)]
    tags.append((f"py{major}", "none", "any"))
    return tags
