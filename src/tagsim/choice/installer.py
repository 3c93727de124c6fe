"""One installer at one version (`pip==26.3`), with the era that version belongs to.

`tagsim.choice.registry.parse_installer` makes them; the era comes from that family's table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from packaging.version import Version

from ..tags.eras import PdmEra, PipEra, PoetryEra, UvEra
from ..text_enum import TextEnum

Era = PipEra | UvEra | PoetryEra | PdmEra


class InstallerName(TextEnum):
    PIP = "pip"
    UV = "uv"
    POETRY = "poetry"
    PDM = "pdm"


@dataclass(frozen=True, order=True)
class Installer:
    name: InstallerName
    version: Version
    era: Era = field(compare=False, repr=False)
    #: Said once to the user when the version is newer than the newest modelled one (its era is the newest's).
    note: str = field(default="", compare=False, repr=False)
    #: `pip==26.3`. Set once, as a plain attribute: `str(Version)` rebuilds the text on every call, and a
    #: `cached_property` takes a lock on every read in Python 3.11 (matrix reports read it per cell).
    spec: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "spec", f"{self.name}=={self.version}")

    def __str__(self) -> str:
        return self.spec
