"""musllinux platform tags (PEP 656)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence


def packaging_tags(musl: tuple[int, int], archs: Sequence[str]) -> Iterator[str]:
    """packaging >= 21.0 `_musllinux.platform_tags`: arch outer, minor from current down to 0."""
    for arch in archs:
        for minor in range(musl[1], -1, -1):
            yield f"musllinux_{musl[0]}_{minor}_{arch}"


def uv_tags(musl: tuple[int, int], arch: str, *, lowest_minor: int, descending: bool) -> list[str]:
    """uv `compatible_tags` for `Os::Musllinux`, without the trailing/leading `linux_*`.

    Lowest minor 1 before uv 0.7.3 (#13289), 0 after; ascending before 0.11.21 (#19804).
    """
    minors = list(range(lowest_minor, musl[1] + 1))
    if descending:
        minors.reverse()
    return [f"musllinux_{musl[0]}_{minor}_{arch}" for minor in minors]
