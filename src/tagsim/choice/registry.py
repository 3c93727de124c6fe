"""The installer registry: one `Family` per installer, and the lookups every stage uses.

Adding an installer: its era table (`tags/eras.py`) and tag generator (`tags/`), a module here
with its `pick`, an `InstallerName` member, and one row below (see CONTRIBUTING.md).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from packaging.version import Version

from ..errors import InstallerError, NotModelledError
from ..platform.interpreter import Interpreter
from ..platform.platform_tag import PlatformTag
from ..platform.profile import Profile
from ..tags import eras
from ..tags import pdm as pdm_tags
from ..tags import pip as pip_tags
from ..tags import uv as uv_tags
from ..tags.index import TagIndex, build_index
from . import pdm, pip, poetry, uv
from .family import Family, Triple
from .flags import Flags
from .installer import Era, Installer, InstallerName


def _no_hint(plat: PlatformTag, era: Era) -> str:
    return ""


def _pip_hint(plat: PlatformTag, era: Era) -> str:
    return pip_tags.era_hint(plat)


def _uv_hint(plat: PlatformTag, era: Era) -> str:
    assert isinstance(era, eras.UvEra)
    return uv_tags.era_hint(plat, era)


def _pip_tags(profile: Profile, interp: Interpreter, era: Era) -> list[Triple]:
    assert isinstance(era, eras.PipEra)
    return pip_tags.pip_tags(profile, interp, era)


def _uv_tags(profile: Profile, interp: Interpreter, era: Era) -> list[Triple]:
    assert isinstance(era, eras.UvEra)
    return uv_tags.uv_tags(profile, interp, era)


def _poetry_tags(profile: Profile, interp: Interpreter, era: Era) -> list[Triple]:
    """poetry `VirtualEnv.get_supported_tags`: packaging's `cpython_tags` + `compatible_tags`, as pip of that packaging."""
    assert isinstance(era, eras.PoetryEra)
    if interp.implementation != "cp" or interp.free_threaded:
        raise NotModelledError(f"poetry is modelled for GIL CPython only, not {interp.describe()}")
    return pip_tags.packaging_tags(profile, interp, eras.pip_era(Version(era.tags_like_pip)))


def _pdm_tags(profile: Profile, interp: Interpreter, era: Era) -> list[Triple]:
    return pdm_tags.pdm_tags(profile, interp)


def _uv_name_wins(era: Era) -> bool:
    assert isinstance(era, eras.UvEra)
    return era.binary_name_wins


def _uv_flags(flags: Flags) -> Flags:
    """uv has no --prefer-binary (astral-sh/uv#1794): it is ignored for uv, and the docs say so."""
    return _without_prefer_binary(flags) if flags.prefer_binary else flags


@lru_cache(maxsize=64)
def _without_prefer_binary(flags: Flags) -> Flags:
    """One object per flag set, so a listing's memos (matched by identity) hit across targets."""
    return replace(flags, prefer_binary=False)


FAMILIES: dict[InstallerName, Family] = {
    InstallerName.PIP: Family(InstallerName.PIP, eras.PIP_RANGE, eras.pip_era, _pip_tags, _pip_hint, pip.pick),
    InstallerName.UV: Family(InstallerName.UV, eras.UV_RANGE, eras.uv_era, _uv_tags, _uv_hint, uv.pick,
                             name_wins=_uv_name_wins, drop_flags=_uv_flags),
    InstallerName.POETRY: Family(InstallerName.POETRY, eras.POETRY_RANGE, eras.poetry_era, _poetry_tags, _no_hint,
                                 poetry.pick, walks_files=False),
    InstallerName.PDM: Family(InstallerName.PDM, eras.PDM_RANGE, eras.pdm_era, _pdm_tags, _no_hint, pdm.pick,
                              walks_files=False),
}

_SPEC = re.compile(r"^\s*(?P<name>[A-Za-z]+)\s*(?:==\s*(?P<version>[^\s]+))?\s*$")


def family_of(installer: Installer) -> Family:
    return FAMILIES[installer.name]


def parse_installer(text: str, *, allow_newer: bool = True) -> Installer:
    """`pip` means the newest modelled pip.

    A version older than the modelled range is an error. A newer one (a release since the model was
    built) is decided with the newest modelled era's rules, and `Installer.note` says so, for the
    CLI to print as a warning: new releases rarely change these rules, and `tools/fidelity/newest.py`
    notices them so they get recorded and modelled. `allow_newer=False` (as `verify` uses) refuses it.
    """
    match = _SPEC.match(text)
    names = {n.value: n for n in InstallerName}
    if not match or match["name"].lower() not in names:
        raise InstallerError(
            f"unknown installer {text!r}; expected pip, uv, poetry, pdm or NAME==X", where="--installer"
        )
    family = FAMILIES[names[match["name"].lower()]]
    low, high = family.versions
    raw = match["version"] or high
    try:
        version = Version(raw)
    except ValueError:  # InvalidVersion, or a component over 4300 digits
        raise InstallerError(f"{text[:60]!r}: {raw[:40]!r} is not a version", where="--installer") from None
    if version < Version(low) or (version > Version(high) and not allow_newer):
        raise InstallerError(
            f"{family.name} {version} is not modelled; supported: {family.name} {low} to {high}", where="--installer"
        )
    note = ""
    if version > Version(high):
        note = (f"{family.name} {version} is newer than the newest modelled {family.name} ({high}); "
                f"deciding with {family.name} {high}'s rules")
    return Installer(family.name, version, family.era(version), note)


def newest(name: InstallerName) -> Installer:
    return parse_installer(name.value)


def default_installers() -> list[Installer]:
    """What `explain`, `check` and `stream` ask when no `--installer` is given: the newest pip and uv."""
    return [newest(InstallerName.PIP), newest(InstallerName.UV)]


@lru_cache(maxsize=4096)
def _tags_for_era(profile: Profile, interp: Interpreter, name: InstallerName, era: Era) -> tuple[str, ...]:
    return tuple(map("-".join, FAMILIES[name].tags(profile, interp, era)))


def compatible_tags(profile: Profile, interp: Interpreter, installer: Installer) -> tuple[str, ...]:
    """The ordered tag list that installer computes on that machine; index 0 is the best.

    Cached per era, so every pip 26.3-like version shares one list.
    """
    return _tags_for_era(profile, interp, installer.name, installer.era)


@lru_cache(maxsize=1024)
def tag_index(profile: Profile, interp: Interpreter, installer: Installer) -> TagIndex:
    """The tag -> rank lookup for one (platform, interpreter, installer), with that family's era hint."""
    family, era = family_of(installer), installer.era
    return build_index(profile, interp, compatible_tags(profile, interp, installer), label=installer.spec,
                       hint=lambda plat: family.tag_hint(plat, era))
