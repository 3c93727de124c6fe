"""Installer options that change the choice, and pip's `FormatControl` rule for them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from packaging.utils import canonicalize_name

from ..text_enum import TextEnum


class DistFormat(TextEnum):
    """pip's `FormatControl` formats: what `--no-binary` / `--only-binary` allow."""

    BINARY = "binary"
    SOURCE = "source"


@dataclass(frozen=True)
class Flags:
    """Installer options that change the choice. Names in the sets are canonical, or `:all:`."""

    prefer_binary: bool = False
    only_binary: frozenset[str] = frozenset()
    no_binary: frozenset[str] = frozenset()
    no_build: bool = False
    pre: bool = False
    build_backend: str | None = None
    # pdm `resolution.prefer-binary` (unearth `PackageFinder(prefer_binary=...)`): per package, or `:all:`.
    prefer_binary_for: frozenset[str] = frozenset()
    # Build isolation off (pip and uv `--no-build-isolation`): build requirements are not installed, the
    # environment must already hold them. uv `--no-build-isolation-package`: off for these projects only.
    no_build_isolation: bool = False
    no_build_isolation_package: frozenset[str] = frozenset()

    def allowed_formats(self, project: str, *, name_wins: bool = True) -> set[DistFormat]:
        """pip `FormatControl.get_allowed_formats`: an explicit name beats `:all:`.

        `name_wins=False` (uv before 0.2.12): `--only-binary` and `--no-binary` apply independently.
        """
        formats = {DistFormat.BINARY, DistFormat.SOURCE}
        if not name_wins:
            if project in self.only_binary or ":all:" in self.only_binary or self.no_build:
                formats.discard(DistFormat.SOURCE)
            if project in self.no_binary or ":all:" in self.no_binary:
                formats.discard(DistFormat.BINARY)
            return formats
        if project in self.only_binary:
            formats.discard(DistFormat.SOURCE)
        elif project in self.no_binary:
            formats.discard(DistFormat.BINARY)
        elif ":all:" in self.only_binary:
            formats.discard(DistFormat.SOURCE)
        elif ":all:" in self.no_binary:
            formats.discard(DistFormat.BINARY)
        if self.no_build:
            formats.discard(DistFormat.SOURCE)
        return formats


def parse_names(values: Sequence[str]) -> frozenset[str]:
    """`--only-binary a,b --only-binary :all:` -> canonical names; `:none:` clears what came before."""
    names: set[str] = set()
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if part == ":none:":
                names.clear()
            elif part == ":all:":
                names.add(part)
            elif part:
                names.add(canonicalize_name(part))
    return frozenset(names)
