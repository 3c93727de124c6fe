"""What-if edits of a release's files: retag wheels, drop files, add hypothetical ones.

A retag renames the wheel as `wheel tags --platform-tag` does (wheel `wheel/cli/tags.py`, `tags()`):
`+TAGS` appends, `-TAGS` removes, `TAGS` replaces, and each tag component of the new name is
sorted. Installers read only the filename, so a renamed file is all the simulation needs.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import EditError, clipped
from ..text_enum import TextEnum
from .filename import DistFile, parse_filename

_PLATFORM_TAG = re.compile(r"^[a-z0-9_]+$")


class RetagMode(TextEnum):
    ADD = "+"
    REMOVE = "-"
    REPLACE = "="


@dataclass(frozen=True)
class Retag:
    """`GLOB=+TAGSET` (add), `GLOB=-TAGSET` (remove) or `GLOB=TAGSET` (replace) platform tags."""

    glob: str
    mode: RetagMode
    platforms: tuple[str, ...]

    def new_platforms(self, old: Sequence[str]) -> list[str]:
        if self.mode is RetagMode.ADD:
            combined = [*old, *self.platforms]
        elif self.mode is RetagMode.REMOVE:
            combined = [p for p in old if p not in self.platforms]
        else:
            combined = list(self.platforms)
        return sorted(set(combined))

    def __str__(self) -> str:
        sign = "" if self.mode is RetagMode.REPLACE else self.mode.value
        return f"--retag {self.glob}={sign}{'.'.join(self.platforms)}"


@dataclass(frozen=True)
class Drop:
    glob: str

    def __str__(self) -> str:
        return f"--drop {self.glob}"


@dataclass(frozen=True)
class Add:
    filename: str

    def __str__(self) -> str:
        return f"--add {self.filename}"


Edit = Retag | Drop | Add


def parse_retag(text: str) -> Retag:
    glob, sep, tagset = text.rpartition("=")
    if not sep or not glob.strip():
        raise EditError(f"expected GLOB=+TAGSET or GLOB=TAGSET, got {clipped(text)}", where="--retag")
    mode = RetagMode.REPLACE
    if tagset[:1] in ("+", "-"):
        mode, tagset = RetagMode(tagset[0]), tagset[1:]
    platforms = tuple(t for t in tagset.split("."))
    bad = [t for t in platforms if not _PLATFORM_TAG.match(t)]
    if not platforms or bad:
        raise EditError(f"{clipped(text)}: {clipped(bad[0] if bad else tagset)} is not a platform tag "
                        "(lower-case letters, digits and '_', joined by '.')", where="--retag")
    return Retag(glob.strip(), mode, platforms)


#: More what-if edits than anyone types; past it, an error rather than minutes of renaming.
MAX_EDITS = 1000


@dataclass(frozen=True)
class _Renamed:
    """A wheel renamed by one or more retags, parsed only once all edits are applied: parsing every
    intermediate name kept each intermediate tag set in the parse caches (4,000 cumulative
    `--retag`s were a MemoryError, 2,000 took 30 s and 640 MB)."""

    original: DistFile
    filename: str
    last: Retag

    @property
    def is_wheel(self) -> bool:
        return True


def apply_edits(files: Sequence[DistFile], edits: Sequence[Edit]) -> list[DistFile]:
    """Apply edits in order. An edit that matches no file is an error: a typo must not read as "no change"."""
    if len(edits) > MAX_EDITS:
        raise EditError(f"{len(edits)} what-if edits, over the limit of {MAX_EDITS}", where=f"--{_flag(edits[-1])}")
    current: list[DistFile | _Renamed] = list(files)
    for edit in edits:
        if isinstance(edit, Add):
            dist = parse_filename(edit.filename, origin="--add")
            if not dist.usable:
                raise EditError(f"{clipped(edit.filename)}: {dist.problem}", where="--add")
            if any(f.filename == dist.filename for f in current):
                raise EditError(f"{clipped(edit.filename)} is already in the sources", where="--add")
            current.append(dist)
        elif isinstance(edit, Drop):
            kept = [f for f in current if not fnmatch.fnmatchcase(f.filename, edit.glob)]
            if len(kept) == len(current):
                raise EditError(f"{clipped(edit.glob)} matches no file", where="--drop")
            current = kept
        else:
            current = _retag(current, edit)
    return [_parsed(f) if isinstance(f, _Renamed) else f for f in current]


def _flag(edit: Edit) -> str:
    return "retag" if isinstance(edit, Retag) else "drop" if isinstance(edit, Drop) else "add"


def _retag(files: list[DistFile | _Renamed], edit: Retag) -> list[DistFile | _Renamed]:
    out: list[DistFile | _Renamed] = []
    matched = 0
    for dist in files:
        if not (dist.is_wheel and fnmatch.fnmatchcase(dist.filename, edit.glob)):
            out.append(dist)
            continue
        matched += 1
        stem = dist.filename[: -len(".whl")]
        head, pythons, abis, plats = stem.rsplit("-", 3)
        new_plats = edit.new_platforms(plats.split("."))
        if not new_plats:
            raise EditError(f"{edit}: would leave {dist.filename} without a platform tag", where="--retag")
        original = dist.original if isinstance(dist, _Renamed) else dist
        out.append(_Renamed(original, f"{head}-{pythons}-{abis}-{'.'.join(new_plats)}.whl", edit))
    if not matched:
        raise EditError(f"{clipped(edit.glob)} matches no wheel", where="--retag")
    return out


def _parsed(renamed: _Renamed) -> DistFile:
    dist = renamed.original
    parsed = parse_filename(renamed.filename, requires_python=dist.requires_python, yanked=dist.yanked,
                            yanked_reason=dist.yanked_reason, upload_time=dist.upload_time,
                            origin=f"{renamed.last} (was {dist.filename})")
    if not parsed.usable:
        raise EditError(f"{renamed.last}: {clipped(renamed.filename)}: {parsed.problem}", where="--retag")
    return parsed
