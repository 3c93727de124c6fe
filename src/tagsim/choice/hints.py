"""uv-style hints under a decision: where wheels exist, and which tag would have fit this platform."""

from __future__ import annotations

from functools import lru_cache

from packaging.tags import Tag

from ..files.filename import DistFile
from ..platform.platform_tag import parse_platform_tag
from ..tags.index import TagIndex
from .reasons import TAG_REASONS
from .verdict import Verdict


def decision_hints(index: TagIndex, evals: list[Verdict], sdist: DistFile | None) -> list[str]:
    """uv-style hints: where wheels exist, and which tag would have fit this platform."""
    version = sdist.version if sdist else None
    wheels = [ev for ev in evals if ev.reason in TAG_REASONS and ev.file.is_wheel
              and (version is None or ev.file.version == version)]
    hints = []
    if wheels:
        plats = _without_legacy_twins(frozenset(p for ev in wheels for p in _platforms_of(ev.file.tags)))
        own = [p for p in plats if _os_of(p) == index.profile.os]
        where = f" (v{version})" if version else ""
        if own:
            others = len(plats) - len(own)
            more = f" (and {others} for other systems)" if others else ""
            hints.append(f"{index.profile.os} wheels are available{where} only for: {', '.join(own)}{more}")
        else:
            hints.append(f"wheels are available{where} for the following platforms: {', '.join(plats)}")
    wanted = index.fitting_platform
    if wanted:
        hints.append(_FIT.format(wanted))
    return hints


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
