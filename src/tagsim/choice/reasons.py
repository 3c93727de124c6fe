"""Outcomes and rejection reasons, as values (their text is what JSON and the renderers show)."""

from __future__ import annotations

from ..text_enum import TextEnum


class Outcome(TextEnum):
    WHEEL = "wheel"
    SDIST = "sdist"  # the installer builds it
    NONE = "none"  # nothing can be installed


class Reason(TextEnum):
    """Why a file was not chosen. The first three are the tag mismatches (`tags.index.TagMismatch`)."""

    PLATFORM = "platform"
    PYTHON = "python"
    ABI = "abi"
    YANKED = "yanked"
    REQUIRES_PYTHON = "requires-python"
    FORMAT = "format"
    VERSION = "version"
    DIFFERENT_PROJECT = "different-project"
    INVALID = "invalid"
    OLDER_VERSION = "older-version"
    LOWER_PRIORITY = "lower-priority"
    PREFER_BINARY = "prefer-binary"

    @property
    def heading(self) -> str:
        return _TITLES[self]

    @property
    def usable(self) -> bool:
        """The file could have been installed; another one was preferred."""
        return self in (Reason.OLDER_VERSION, Reason.LOWER_PRIORITY, Reason.PREFER_BINARY)


TAG_REASONS = frozenset({Reason.PLATFORM, Reason.PYTHON, Reason.ABI})

_TITLES = {
    Reason.PLATFORM: "wrong platform", Reason.PYTHON: "wrong Python", Reason.ABI: "wrong ABI",
    Reason.YANKED: "yanked", Reason.REQUIRES_PYTHON: "requires-python", Reason.FORMAT: "excluded by a flag",
    Reason.VERSION: "version not requested", Reason.DIFFERENT_PROJECT: "another project",
    Reason.INVALID: "unusable filename", Reason.OLDER_VERSION: "older version",
    Reason.LOWER_PRIORITY: "lower priority", Reason.PREFER_BINARY: "lost to --prefer-binary",
}
