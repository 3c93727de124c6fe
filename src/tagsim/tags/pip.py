"""pip's ordered compatible tags, per era: what `pip debug --verbose` prints.

- `pep425tags_tags`: pip 8.1-19.3 (`pip._internal.pep425tags.get_supported`);
- `packaging_tags`: pip 20.0+ (`pip._internal.utils.compatibility_tags.get_supported` over
  `packaging.tags.cpython_tags`/`generic_tags` + `compatible_tags`).
Each takes the profile's facts as arguments; nothing is detected from the host.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import NotModelledError
from ..platform.interpreter import Interpreter
from ..platform.platform_tag import PlatformTag
from ..platform.profile import Profile
from . import _macos, _manylinux, _mobile, _musllinux
from ._generic import Triple, generic_platform
from .eras import FreeThreading, LinuxTags, MacTags, PipEra, TagGenerator, manylinux_floor_pip


def pip_tags(profile: Profile, interp: Interpreter, era: PipEra) -> list[Triple]:
    """The tags of that pip era, from the generator the era uses."""
    if era.generator is TagGenerator.PEP425TAGS:
        return pep425tags_tags(profile, interp, era)
    return packaging_tags(profile, interp, era)


def era_hint(plat: PlatformTag) -> str:
    """Why an otherwise-fitting Linux tag is missing from a pip's list: the era that brought it."""
    if plat.family == "manylinux" and not plat.legacy_name:
        return " (PEP 600 manylinux_X_Y tags need pip 20.3+)"
    if plat.family == "manylinux" and plat.legacy_name == "manylinux2014":
        return " (manylinux2014 needs pip 19.3+)"
    if plat.family == "manylinux" and plat.legacy_name == "manylinux2010":
        return " (manylinux2010 needs pip 19.0+)"
    if plat.family == "musllinux":
        return " (musllinux needs pip 21.2+)"
    return ""


# --- pip, packaging era -------------------------------------------------------------------


def _pip_linux_archs(profile: Profile, era: PipEra) -> list[str]:
    """packaging `_linux_platforms`: a 32-bit interpreter renames the kernel's arch.

    Only packaging 23.2+ (pip 24.1+) produces `armv8l`, and only it widens to [armv8l, armv7l].
    """
    arch = profile.arch
    if profile.python_bits == 32:
        if arch == "x86_64":
            arch = "i686"
        elif arch == "aarch64":
            arch = "armv8l" if era.armv8l else "armv7l"
    return ["armv8l", "armv7l"] if arch == "armv8l" else [arch]


def _elf_abi_ok(profile: Profile, archs: list[str], era: PipEra) -> bool:
    """packaging `_have_compatible_abi`: armv7l must be hard-float; others must be in the allowed set.

    A 32-bit userland on x86_64 really is i686 and on aarch64 really is armhf,
    so the ELF checks pass for those profiles.
    """
    if "armv7l" in archs:
        return profile.float_abi == "hard"
    if "i686" in archs:
        return True
    return any(arch in era.manylinux_arches for arch in archs)


def pip_platforms(profile: Profile, era: PipEra) -> list[str]:
    """The platform half of pip's tags, best first (packaging `platform_tags()` of that era)."""
    if profile.os == "linux":
        archs = _pip_linux_archs(profile, era)
        linux = [f"linux_{arch}" for arch in archs]
        many: list[str] = []
        glibc = profile.glibc
        if glibc is not None and _elf_abi_ok(profile, archs, era):
            if era.linux is LinuxTags.LEGACY_CHAIN:
                many = list(_manylinux.legacy_chain_tags(glibc, archs[0]))
            else:
                many = list(_manylinux.pep600_tags(glibc, archs, manylinux_floor_pip(set(archs))))
        musl: list[str] = []
        if era.musllinux and profile.musl is not None:
            musl = list(_musllinux.packaging_tags(profile.musl, archs))
        return [*linux, *many, *musl] if era.linux_first else [*many, *musl, *linux]
    if profile.os == "macos":
        assert profile.os_version is not None
        return list(_macos.packaging_platforms(profile.os_version, profile.arch, minor_loop=era.mac is MacTags.MINOR_LOOP,
                                               arm64_universal2_10x=era.arm64_universal2_10x, fat=era.fat))
    if profile.os == "ios" and era.ios:
        assert profile.os_version is not None
        return list(_mobile.ios_platforms(profile.os_version, f"{profile.arch}_{profile.sdk}"))
    if profile.os == "android" and era.android:
        assert profile.api_level is not None
        return list(_mobile.android_platforms(profile.api_level, profile.arch))
    if profile.os == "emscripten" and era.pyemscripten and profile.pyemscripten_version:
        return [f"pyemscripten_{profile.pyemscripten_version}_wasm32", generic_platform(profile)]
    # Windows, FreeBSD, and OSes this packaging does not know yet: `_generic_platforms()`.
    return [generic_platform(profile)]


def _nodot(major: int, minor: int, underscore: bool = False) -> str:
    """packaging `_version_nodot`; packaging 20.3-20.7 joined a two-digit part with `_` (`3_12`)."""
    return f"{major}_{minor}" if underscore and minor >= 10 else f"{major}{minor}"


def _py_range(interp: Interpreter, underscore: bool = False) -> Iterator[str]:
    """packaging `_py_interpreter_range`: py3Y, py3, py3(Y-1) ... py30."""
    yield f"py{_nodot(interp.major, interp.minor, underscore)}"
    yield f"py{interp.major}"
    for minor in range(interp.minor - 1, -1, -1):
        yield f"py{_nodot(interp.major, minor, underscore)}"


def packaging_tags(profile: Profile, interp: Interpreter, era: PipEra) -> list[Triple]:
    """pip 20.0+ `compatibility_tags.get_supported()` on this machine and interpreter."""
    if interp.free_threaded and era.free_threaded is FreeThreading.UNKNOWN:
        raise NotModelledError(
            f"pip {era.first}-era packaging predates free-threaded CPython (pip 24.1+ knows `cp313t`)"
        )
    if interp.implementation == "graalpy" and era.free_threaded is FreeThreading.UNKNOWN:
        raise NotModelledError("GraalPy ABI tags are modelled for pip 24.1+ only")
    platforms = pip_platforms(profile, era)
    tags: list[Triple] = []
    us = era.version_underscore  # pip 20.1-20.3.1: `cp3_12-cp3_12-…`; `cp312-none-any` still comes from sysconfig
    if interp.implementation == "cp":
        name = f"cp{_nodot(interp.major, interp.minor, us)}"
        own = interp.abi.replace(f"cp{interp.major}{interp.minor}", name, 1) if us else interp.abi
        tags += [(name, own, p) for p in platforms]
        abi3 = "abi3t" if interp.free_threaded else "abi3"
        use_abi3 = not interp.free_threaded or era.free_threaded is FreeThreading.ABI3T
        if use_abi3:
            tags += [(name, abi3, p) for p in platforms]
        tags += [(name, "none", p) for p in platforms]
        if use_abi3:
            for minor in range(interp.minor - 1, 1, -1):
                tags += [(f"cp{_nodot(interp.major, minor, us)}", abi3, p) for p in platforms]
    else:
        # packaging `generic_tags`: the interpreter's ABI, then `none`.
        for abi in (interp.abi, "none"):
            tags += [(interp.interpreter, abi, p) for p in platforms]
    for py in _py_range(interp, us):
        tags += [(py, "none", p) for p in platforms]
    # pip passes `interpreter=` to `compatible_tags`, so `cp312-none-any` / `pp310-none-any`.
    tags.append((interp.interpreter, "none", "any"))
    tags += [(py, "none", "any") for py in _py_range(interp, us)]
    return tags


# --- pip, pep425tags era ------------------------------------------------------------------


def pep425_arches(profile: Profile, era: PipEra) -> list[str]:
    """pip < 20 `get_supported()` arches: the platform names before the python loops."""
    if profile.os == "linux":
        arch = profile.arch
        if arch == "x86_64" and profile.python_bits == 32:
            arch = "i686"  # only x86 is renamed (`pep425tags.get_platform`)
        names = _manylinux.pep425_names(era.linux.value, profile.glibc, arch, armhf=profile.float_abi == "hard")
        return [*names, f"linux_{arch}"]
    if profile.os == "macos":
        assert profile.os_version is not None
        return _macos.pep425_platforms(profile.os_version, profile.arch)
    # Everything else: `distutils.util.get_platform()` with `.`/`-` as `_`, case kept (no lowercasing
    # before packaging's `Tag`), e.g. `freebsd_14_0_RELEASE_amd64`, `win_amd64`.
    return [generic_platform(profile, lower=False)]


def pep425tags_tags(profile: Profile, interp: Interpreter, era: PipEra) -> list[Triple]:
    """pip 8.1-19.3 `pep425tags.get_supported()`."""
    if interp.implementation != "cp" or interp.free_threaded:
        raise NotModelledError(
            f"pip {era.first}-era `pep425tags` is modelled for GIL CPython only, not {interp.describe()}"
        )
    arches = pep425_arches(profile, era)
    versions = [f"{interp.major}{minor}" for minor in range(interp.minor, -1, -1)]
    impl = "cp"
    # abi3 comes from `.abi3.so` extension suffixes: POSIX CPython 3 only (no `.abi3` on Windows).
    abi3s = [] if profile.os == "windows" else ["abi3"]
    tags: list[Triple] = []
    for abi in [interp.abi, *abi3s, "none"]:
        tags += [(f"{impl}{versions[0]}", abi, arch) for arch in arches]
    for version in versions[1:]:
        if version in ("31", "30"):
            break
        for abi in abi3s:
            tags += [(f"{impl}{version}", abi, arch) for arch in arches]
    tags += [(f"py{versions[0][0]}", "none", arch) for arch in arches]
    tags += [(f"{impl}{versions[0]}", "none", "any"), (f"{impl}{versions[0][0]}", "none", "any")]
    for index, version in enumerate(versions):
        tags.append((f"py{version}", "none", "any"))
        if index == 0:
            tags.append((f"py{version[0]}", "none", "any"))
    return tags
