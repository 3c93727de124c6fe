"""Installer specs (`pip`, `pip==20.2.4`, `uv==0.4.30`) and their ordered tag lists."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from packaging.version import Version

from . import taggen, taggen_pdm
from .eras import (
    PDM_RANGE,
    PIP_RANGE,
    POETRY_RANGE,
    UV_RANGE,
    PdmEra,
    PipEra,
    PoetryEra,
    UvEra,
    pdm_era,
    pip_era,
    poetry_era,
    uv_era,
)
from .errors import InstallerError, NotModelledError
from .interpreters import Interpreter
from .profiles import Profile

INSTALLERS = ("pip", "uv", "poetry", "pdm")
_SPEC = re.compile(r"^\s*(?P<name>[A-Za-z]+)\s*(?:==\s*(?P<version>[^\s]+))?\s*$")
_RANGES = {"pip": PIP_RANGE, "uv": UV_RANGE, "poetry": POETRY_RANGE, "pdm": PDM_RANGE}
Era = PipEra | UvEra | PoetryEra | PdmEra
_ERAS: dict[str, Callable[[Version], Era]] = {"pip": pip_era, "uv": uv_era, "poetry": poetry_era, "pdm": pdm_era}


@dataclass(frozen=True, order=True)
class Installer:
    """One installer at one version, with the era that version belongs to."""

    name: str
    version: Version

    @cached_property
    def spec(self) -> str:  # computed once: `str(Version)` rebuilds the text on every call
        return f"{self.name}=={self.version}"

    @property
    def era(self) -> Era:
        return _ERAS[self.name](self.version)

    def __str__(self) -> str:
        return self.spec


def parse_installer(text: str) -> Installer:
    """`pip` means the newest modelled pip; a version outside the modelled range is an error."""
    match = _SPEC.match(text)
    if not match or match["name"].lower() not in INSTALLERS:
        raise InstallerError(
            f"unknown installer {text!r}; expected pip, uv, poetry, pdm or NAME==X", where="--installer"
        )
    name = match["name"].lower()
    low, high = _RANGES[name]
    raw = match["version"] or high
    try:
        version = Version(raw)
    except ValueError:  # InvalidVersion, or a component over 4300 digits
        raise InstallerError(f"{text[:60]!r}: {raw[:40]!r} is not a version", where="--installer") from None
    if not Version(low) <= version <= Version(high):
        raise InstallerError(
            f"{name} {version} is not modelled; supported: {name} {low} to {high}", where="--installer"
        )
    return Installer(name, version)


def newest(name: str) -> Installer:
    return parse_installer(name)


@lru_cache(maxsize=4096)
def _tags_for_era(profile: Profile, interp: Interpreter, name: str, era: Era) -> tuple[str, ...]:
    if isinstance(era, PoetryEra):
        # poetry `VirtualEnv.get_supported_tags`: packaging's `cpython_tags` + `compatible_tags`, as pip.
        if interp.implementation != "cp" or interp.free_threaded:
            raise NotModelledError(f"poetry is modelled for GIL CPython only, not {interp.describe()}")
        triples = taggen.packaging_tags(profile, interp, pip_era(Version(era.tags_like_pip)))
    elif isinstance(era, PdmEra):
        triples = taggen_pdm.pdm_tags(profile, interp)
    elif isinstance(era, UvEra):
        triples = taggen.uv_tags(profile, interp, era)
    elif era.generator == "pep425tags":
        triples = taggen.pep425tags_tags(profile, interp, era)
    else:
        triples = taggen.packaging_tags(profile, interp, era)
    return tuple(f"{py}-{abi}-{plat}" for py, abi, plat in triples)


def compatible_tags(profile: Profile, interp: Interpreter, installer: Installer) -> tuple[str, ...]:
    """The ordered tag list that installer computes on that machine; index 0 is the best.

    Cached per era, so every pip 26.3-like version shares one list.
    """
    return _tags_for_era(profile, interp, installer.name, installer.era)
