"""Does a pdm lock target fit a machine? dep_logic 0.7 `EnvSpec.compare` and `Platform.parse`, as pdm 2.28
`cli/actions.py` `resolve_from_lockfile` uses them.

pdm refuses ("No compatible lock target found"; its message: `pdm_refusal`) only when every target is INCOMPATIBLE: the Python
ranges do not meet, the implementations differ, or the platform's architecture or OS kind differs.
A target for a newer OS version than the machine (HIGHER) is installed with a warning.
"""

from __future__ import annotations

import re

from ..files.locks.model import PdmTarget
from ..platform.interpreter import Interpreter
from ..platform.profile import Profile

#: dep_logic `Platform.parse` aliases: name -> (os kind, arch).
_ALIASES = {"linux": ("manylinux", "x86_64"), "windows": ("windows", "x86_64"), "macos": ("macos", "aarch64"),
            "alpine": ("musllinux", "x86_64"), "macos_arm64": ("macos", "aarch64"),
            "macos_x86_64": ("macos", "x86_64")}
_VERSIONED = re.compile(r"^(manylinux|macos|musllinux)_(\d+)_(\d+)_(.+)$")
_IMPLEMENTATIONS = {"cp": "cpython", "pp": "pypy", "graalpy": "graalpy"}


def _arch(arch: str) -> str:
    """dep_logic `Arch.parse`: i386/i686 -> x86, amd64 -> x86_64, arm64 -> aarch64."""
    return {"i386": "x86", "i686": "x86", "amd64": "x86_64", "arm64": "aarch64"}.get(arch, arch)


def target_platform(text: str) -> tuple[str, str] | None:
    """(os kind, arch) of a target's `platform`, or None when dep_logic would not parse it."""
    if text in _ALIASES:
        return _ALIASES[text]
    if text.startswith("windows_"):
        return ("windows", _arch(text.split("_", 1)[1]))
    found = _VERSIONED.match(text)
    if found:
        return (found[1], _arch(found[4]))
    return None


def profile_platform(profile: Profile) -> tuple[str, str]:
    """The (os kind, arch) dep_logic `Platform.current()` reports on the profile's machine."""
    arch = "x86" if profile.python_bits == 32 and profile.arch == "x86_64" else _arch(profile.arch)
    if profile.os == "linux":
        return ("musllinux" if profile.musl else "manylinux", arch)
    return (profile.os, arch)


def pdm_target_fits(target: PdmTarget, profile: Profile, interp: Interpreter) -> bool:
    if target.requires_python is not None and not target.requires_python.contains(interp.full_version,
                                                                                   prereleases=True):
        return False
    if target.implementation and target.implementation.lower() != _IMPLEMENTATIONS[interp.implementation]:
        return False
    if not target.platform:
        return True
    return target_platform(target.platform) == profile_platform(profile)


def _current_platform_text(profile: Profile) -> str:
    """dep_logic `Platform.current()` as pdm prints it (`manylinux_2_36_x86_64`, `windows_amd64`; recorded: glibc)."""
    kind, arch = profile_platform(profile)
    if kind in ("manylinux", "musllinux") and profile.libc_version is not None:
        return f"{kind}_{profile.libc_version[0]}_{profile.libc_version[1]}_{arch}"
    if kind == "macos" and profile.os_version is not None:  # pdm printed a `macos_arm64` target `macos_14_0_arm64`
        return f"macos_{profile.os_version[0]}_{profile.os_version[1]}_{'arm64' if arch == 'aarch64' else arch}"
    if kind == "windows":
        return "windows_" + {"x86_64": "amd64", "aarch64": "arm64"}.get(arch, arch)
    return f"{kind}_{arch}"


def pdm_refusal(targets: tuple[PdmTarget, ...], profile: Profile, interp: Interpreter) -> str:
    """pdm 2.29 `resolve_from_lockfile`'s words when no target fits (recorded, tests/fixtures/locks/pdm-foreign):
    the heading names the current env, then one line per target (joined here after a space)."""
    current = f"=={interp.full_version}, {_current_platform_text(profile)}, {_IMPLEMENTATIONS[interp.implementation]}"
    listed = " ".join(f"- ({t.requires_python or ''}{', ' + t.platform if t.platform else ''}"
                      f"{', ' + t.implementation if t.implementation else ''})" for t in targets)
    return f"None of the lock targets matches the current env ({current}): {listed}"
