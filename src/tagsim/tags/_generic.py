"""The generic platform tag: `sysconfig.get_platform()` normalized, as packaging's `_generic_platforms` spells it."""

from __future__ import annotations

from ..platform.profile import Profile

Triple = tuple[str, str, str]


def _normalize(text: str) -> str:
    return text.replace(".", "_").replace("-", "_").replace(" ", "_")


def generic_platform(profile: Profile, *, lower: bool = True) -> str:
    """`sysconfig.get_platform()` normalized (packaging `_generic_platforms`; `Tag` lowercases)."""
    tag = _normalize(profile.sysconfig_platform())
    return tag.lower() if lower else tag
