"""pip's current era against the installed `packaging`, driven with each profile's facts.

pip >= 20 computes its tags with `packaging.tags` (`compatibility_tags.get_supported`).
Here packaging's own functions run with detection replaced by the profile
(glibc, musl, ELF checks, sysconfig platform), and tagsim's list for the pip
release that vendors that packaging must be identical, tag for tag.
"""

from __future__ import annotations

import sysconfig
from collections.abc import Iterator
from typing import Any

import packaging
import pytest
from packaging import _manylinux, _musllinux, tags

from tagsim import compatible_tags, parse_installer, parse_python
from tagsim.platform.profile import Profile
from tagsim.platform.profile_file import bundled_profiles

#: packaging release -> the pip release that vendors it (pip `src/pip/_vendor/vendor.txt`).
PIP_FOR_PACKAGING = {"26.3": "26.3", "26.2": "26.2.1", "26.0": "26.0", "25.0": "25.3", "24.2": "25.0",
                     "24.1": "24.3.1"}
PYTHONS = ["cp38", "cp312", "cp313t", "pp310", "cp314"]


def _pip_for_installed_packaging() -> str:
    pip = PIP_FOR_PACKAGING.get(packaging.__version__)
    if pip is None:
        pytest.skip(f"SKIPPED LOUDLY: no pip release is mapped to the installed packaging {packaging.__version__}")
    return pip


def _packaging_platforms(profile: Profile, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr(sysconfig, "get_platform", profile.sysconfig_platform)
    if profile.os == "linux":
        glibc = profile.glibc or (-1, -1)
        monkeypatch.setattr(_manylinux, "_get_glibc_version", lambda: glibc)
        armhf = profile.float_abi == "hard" and (profile.arch == "armv7l" or
                                                 (profile.arch == "aarch64" and profile.python_bits == 32))
        i686 = profile.arch == "i686" or (profile.arch == "x86_64" and profile.python_bits == 32)
        monkeypatch.setattr(_manylinux, "_is_linux_armhf", lambda executable: armhf)
        monkeypatch.setattr(_manylinux, "_is_linux_i686", lambda executable: i686)
        musl = _musllinux._MuslVersion(*profile.musl) if profile.musl else None
        monkeypatch.setattr(_musllinux, "_get_musl_version", lambda executable: musl)
        return list(tags._linux_platforms(is_32bit=profile.python_bits == 32))
    if profile.os == "macos":
        assert profile.os_version
        return list(tags.mac_platforms(profile.os_version, profile.arch))
    if profile.os == "ios":
        assert profile.os_version
        return list(tags.ios_platforms(profile.os_version, f"{profile.arch}_{profile.sdk}"))
    if profile.os == "android":
        assert profile.api_level
        return list(tags.android_platforms(profile.api_level, profile.arch))
    if profile.os == "emscripten":
        real = sysconfig.get_config_var

        def config_var(name: str) -> Any:
            return profile.pyemscripten_version if name == "PYEMSCRIPTEN_PLATFORM_VERSION" else real(name)

        monkeypatch.setattr(sysconfig, "get_config_var", config_var)
        return list(tags._emscripten_platforms())
    return list(tags._generic_platforms())


def _packaging_tags(profile: Profile, python: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    interp = parse_python(python)
    platforms = _packaging_platforms(profile, monkeypatch)
    version = interp.version
    if interp.implementation == "cp":
        found = tags.cpython_tags(version, abis=[interp.abi], platforms=platforms)
    else:
        found = tags.generic_tags(interp.interpreter, abis=[interp.abi], platforms=platforms)
    rest = tags.compatible_tags(version, interp.interpreter, platforms)
    for tag in [*found, *rest]:
        yield str(tag)


@pytest.mark.parametrize("python", PYTHONS)
@pytest.mark.parametrize("profile_id", sorted(bundled_profiles()))
def test_pip_current_era_equals_packaging(profile_id: str, python: str, monkeypatch: pytest.MonkeyPatch) -> None:
    pip = _pip_for_installed_packaging()
    profile = bundled_profiles()[profile_id]
    expected = list(_packaging_tags(profile, python, monkeypatch))
    got = list(compatible_tags(profile, parse_python(python), parse_installer(f"pip=={pip}")))
    assert got == expected
