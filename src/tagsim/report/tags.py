"""`tagsim platforms` and `tagsim tags`: the profiles, an installer's ordered tag list, and where two lists differ."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..choice.installer import Installer
from ..choice.registry import compatible_tags
from ..platform.interpreter import Interpreter
from ..platform.profile import Profile
from ..tags.diff import RankChange, diff_tag_lists


@dataclass(frozen=True)
class PlatformList:
    profiles: Mapping[str, Profile]


@dataclass(frozen=True)
class TagList:
    profile: Profile
    interp: Interpreter
    installer: Installer
    tags: tuple[str, ...]
    limit: int | None = None  # show only the best N


@dataclass(frozen=True)
class TagComparison:
    profile: Profile
    interp: Interpreter
    installers: tuple[Installer, Installer]
    changes: tuple[RankChange, ...]
    limit: int | None = None


def tag_list(profile: Profile, interp: Interpreter, installer: Installer, limit: int | None = None) -> TagList:
    return TagList(profile, interp, installer, compatible_tags(profile, interp, installer), limit)


def compare_tags(profile: Profile, interp: Interpreter, a: Installer, b: Installer,
                 limit: int | None = None) -> TagComparison:
    changes = diff_tag_lists(compatible_tags(profile, interp, a), compatible_tags(profile, interp, b))
    return TagComparison(profile, interp, (a, b), tuple(changes), limit)
