"""uv-style hints under a decision: where wheels exist, and which tag would have fit this platform."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from packaging.tags import Tag
from packaging.version import Version

from ..files.filename import DistFile
from ..platform.platform_tag import parse_platform_tag
from ..tags.index import TagIndex
from .reasons import TAG_REASONS
from .verdict import Verdict


class LazyHints:
    """A decision's hints, worked out when first read (`check`, `history` and `stream` often never read them).

    `_wheels` gives the wheels rejected for their tags in the run that decided; `sdist` is the chosen sdist.
    A subclass that knows those wheels' tag sets already (of the sdist's version) gives `_tag_sets` instead.
    """

    __slots__ = ("_value", "index", "sdist")

    def __init__(self, index: TagIndex | None, sdist: DistFile | None) -> None:
        self.index, self.sdist = index, sdist
        self._value: tuple[str, ...] | None = None if index is not None else ()

    def get(self) -> tuple[str, ...]:
        if self._value is None:
            assert self.index is not None
            self._value = hint_texts(self.index, self._tag_sets(), self.sdist.version if self.sdist else None)
        return self._value

    def _tag_sets(self) -> tuple[frozenset[Tag], ...]:
        return rejected_tag_sets(self._wheels(), self.sdist)

    def _wheels(self) -> Iterable[DistFile]:
        return ()


#: A wheel decision says nothing more.
NO_HINTS = LazyHints(None, None)


class TagRejected(LazyHints):
    """Hints from the wheels a decision's own pass rejected for their tags (kept, the verdicts are not)."""

    __slots__ = ("wheels",)

    def __init__(self, index: TagIndex, verdicts: Iterable[Verdict], sdist: DistFile | None) -> None:
        super().__init__(index, sdist)
        self.wheels = [ev.file for ev in verdicts if ev.reason in TAG_REASONS and ev.file.is_wheel]

    def _wheels(self) -> Iterable[DistFile]:
        return self.wheels


#: (id of the index, version, the rejected wheels' tag sets) -> (the index, its hints). The index is kept
#: with its hints, so its id names no other index while the entry lives. A lock report asks this for tens
#: of thousands of cells whose packages repeat a few wheel sets.
_HINTS: dict[tuple[int, object, tuple[frozenset[Tag], ...]], tuple[TagIndex, tuple[str, ...]]] = {}
_HINTS_LIMIT = 1 << 14


def decision_hints(index: TagIndex, rejected: Iterable[DistFile], sdist: DistFile | None) -> list[str]:
    """uv-style hints: where wheels exist, and which tag would have fit this platform.

    `rejected`: the wheels the decision rejected for their tags (of the sdist's version, if one is chosen).
    """
    return list(hint_texts(index, rejected_tag_sets(rejected, sdist), sdist.version if sdist else None))


def rejected_tag_sets(rejected: Iterable[DistFile], sdist: DistFile | None) -> tuple[frozenset[Tag], ...]:
    """The tag sets the hints read: of the rejected wheels of the sdist's version (all of them without an sdist)."""
    version = sdist.version if sdist else None
    # `is` first: parsed files share one Version object per spelling, and packaging's `==` runs in Python
    return tuple(dist.tags for dist in rejected
                 if version is None or dist.version is version or dist.version == version)


def hint_texts(index: TagIndex, tag_sets: tuple[frozenset[Tag], ...], version: Version | None) -> tuple[str, ...]:
    """The hints of `decision_hints`: they read only the wheels' tag sets, the sdist's version and the
    index, and are remembered under those."""
    key = (id(index), version, tag_sets)
    found = _HINTS.get(key)
    if found is None:
        if len(_HINTS) >= _HINTS_LIMIT:
            _HINTS.clear()
        found = _HINTS[key] = (index, _hints(index, tag_sets, version))
    return found[1]


def _hints(index: TagIndex, tag_sets: tuple[frozenset[Tag], ...], version: object) -> tuple[str, ...]:
    hints = []
    if tag_sets:
        before, after = _where_wheels_are(index.profile.os, tag_sets)
        hints.append(f"{before}{f' (v{version})' if version else ''}{after}")
    wanted = index.fitting_platform
    if wanted:
        hints.append(_FIT.format(wanted))
    return tuple(hints)


@lru_cache(maxsize=4096)
def _where_wheels_are(os: str, tag_sets: tuple[frozenset[Tag], ...]) -> tuple[str, str]:
    """The "wheels are available" hint around where its version goes: it reads no more than the system and
    the tag sets (a stream's projects repeat a few build matrices under thousands of versions)."""
    plats = _without_legacy_twins(frozenset().union(*[_platforms_of(tags) for tags in tag_sets]))
    own = [p for p in plats if _os_of(p) == os]
    if own:
        others = len(plats) - len(own)
        more = f" (and {others} for other systems)" if others else ""
        return f"{os} wheels are available", f" only for: {', '.join(own)}{more}"
    return "wheels are available", f" for the following platforms: {', '.join(plats)}"


_FIT = "a wheel tagged {} would fit this platform"
_FIT_PREFIX, _FIT_SUFFIX = _FIT.split("{}")


def fitting_tag(hints: tuple[str, ...]) -> str | None:
    """The platform tag a decision's "would fit" hint names (`manylinux_2_17_aarch64 or lower`), if it has one.

    The HTML report's "what would fix it" line reads it back from the same hint `decision_hints` wrote.
    """
    for hint in hints:
        if hint.startswith(_FIT_PREFIX) and hint.endswith(_FIT_SUFFIX):
            return hint[len(_FIT_PREFIX):-len(_FIT_SUFFIX)]
    return None


@lru_cache(maxsize=4096)
def _without_legacy_twins(plats: frozenset[str]) -> tuple[str, ...]:
    """`manylinux2014_x86_64` says nothing more than its PEP 600 twin `manylinux_2_17_x86_64`: list one."""
    out = []
    for plat in plats:
        tag = parse_platform_tag(plat)
        if tag.legacy_name and tag.version and f"manylinux_{tag.version[0]}_{tag.version[1]}_{tag.arch}" in plats:
            continue
        out.append(plat)
    return tuple(sorted(out))


@lru_cache(maxsize=4096)
def _platforms_of(tags: frozenset[Tag]) -> frozenset[str]:
    return frozenset(t.platform for t in tags)


@lru_cache(maxsize=4096)
def _os_of(platform: str) -> str:
    return parse_platform_tag(platform).os_name()
