"""`tagsim platforms` and `tagsim tags`: the profiles, an installer's ordered tag list, and where two lists differ."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..choice.installer import Installer
from ..choice.registry import compatible_tags, parse_installer
from ..platform.interpreter import Interpreter
from ..platform.pip_debug import PipDebug
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


def pip_debug_mismatch(debug: PipDebug) -> str | None:
    """Where the tags that pip printed differ from tagsim's for the profile read from them (None: they agree).

    A self-check of the reading: the profile came from the tags, so its tag list must give them back.
    """
    ours = compatible_tags(debug.profile, debug.interpreter, parse_installer(f"pip=={debug.pip_version}"))
    theirs = debug.tags
    if debug.truncated:
        ours = ours[: len(theirs)]
    if tuple(ours) == theirs:
        return None
    rank = next((n for n, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b), min(len(ours), len(theirs)))
    return (f"{debug.path}: pip {debug.pip_version} printed {len(theirs)} tags, tagsim computes {len(ours)} for "
            f"{debug.profile.summary()}; first difference at rank {rank}")
