"""One installer at one version (`pip==26.3`), with the era that version belongs to.

`tagsim.choice.registry.parse_installer` makes them; the era comes from that family's table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

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

    @cached_property
    def spec(self) -> str:  # computed once: `str(Version)` rebuilds the text on every call
        return f"{self.name}=={self.version}"

    def __str__(self) -> str:
        return self.spec
