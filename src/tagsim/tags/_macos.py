"""macOS platform tags: pip's pep425tags arches, packaging's `mac_platforms`, uv's port of it."""

from __future__ import annotations

from collections.abc import Iterator


def pep425_darwin_arches(major: int, minor: int, machine: str) -> list[str]:
    """pip < 20 `pep425tags.get_darwin_arches`: the machine, its groups, then `universal`.

    arm64 is unknown to it, so an arm64 Mac only gets `universal`.
    """
    groups = {"fat": ("i386", "ppc"), "intel": ("x86_64", "i386"), "fat64": ("x86_64", "ppc64"),
              "fat32": ("x86_64", "i386", "ppc")}

    def supports(arch: str) -> bool:
        version = (major, minor)
        if arch == "ppc":
            return version <= (10, 5)
        if arch == "ppc64":
            return version == (10, 5)
        if arch == "i386":
            return version >= (10, 4)
        if arch == "x86_64":
            return version >= (10, 5)
        return any(supports(member) for member in groups.get(arch, ()))

    arches = [machine] if supports(machine) else []
    arches += [group for group, members in groups.items() if machine in members and supports(group)]
    return [*arches, "universal"]


def pep425_platforms(version: tuple[int, int], machine: str) -> list[str]:
    """pip < 20: `macosx_<major>_<m>_<arch>` for m from the minor down to 0, same major only."""
    major, minor = version
    return [f"macosx_{major}_{m}_{arch}" for m in range(minor, -1, -1)
            for arch in pep425_darwin_arches(major, m, machine)]


def binary_formats(version: tuple[int, int], arch: str, *, universal2: bool, fat: str) -> list[str]:
    """packaging `_mac_binary_formats`; `universal2` exists from packaging 20.5, `fat3` from 26.3."""
    formats = [arch]
    if arch == "x86_64":
        if version < (10, 4):
            return []
        formats += ["intel", "fat64", fat]
    if universal2 and arch in ("x86_64", "arm64"):
        formats.append("universal2")
    if arch == "x86_64" or not universal2:
        formats.append("universal")
    return formats


def packaging_platforms(version: tuple[int, int], arch: str, *, minor_loop: bool, arm64_universal2_10x: bool,
                        fat: str) -> Iterator[str]:
    """packaging `mac_platforms`.

    `minor_loop` (packaging 20.0-20.4): the current major only, minor down to 0.
    Otherwise (20.5+, "Big Sur"): majors down to 11 with minor 0, then 10.16 down to 10.4
    (arm64 gets only universal2 there, and only from 20.9).
    """
    if minor_loop:
        for minor in range(version[1], -1, -1):
            for fmt in binary_formats((version[0], minor), arch, universal2=False, fat=fat):
                yield f"macosx_{version[0]}_{minor}_{fmt}"
        return
    if (10, 0) <= version < (11, 0):
        for minor in range(version[1], -1, -1):
            for fmt in binary_formats((10, minor), arch, universal2=True, fat=fat):
                yield f"macosx_10_{minor}_{fmt}"
        return
    for major in range(version[0], 10, -1):
        for fmt in binary_formats((major, 0), arch, universal2=True, fat=fat):
            yield f"macosx_{major}_0_{fmt}"
    for minor in range(16, 3, -1):
        if arch == "x86_64":
            for fmt in binary_formats((10, minor), arch, universal2=True, fat=fat):
                yield f"macosx_10_{minor}_{fmt}"
        elif arm64_universal2_10x:
            yield f"macosx_10_{minor}_universal2"


def uv_platforms(version: tuple[int, int], arch: str, *, legacy_order: bool) -> list[str]:
    """uv `compatible_tags` for `Os::Macos` (always `fat32`; macOS 11+ minors are ignored).

    Before 0.1.22 (#2496) the major loop ran down to 10 (`macosx_10_0_*`).
    """
    def formats(major: int, minor: int) -> list[str]:
        if arch == "arm64":
            return ["arm64", "universal2"]
        return binary_formats((major, minor), arch, universal2=True, fat="fat32")

    tags: list[str] = []
    if version[0] == 10:
        for minor in range(version[1], 3, -1):
            tags += [f"macosx_10_{minor}_{fmt}" for fmt in formats(10, minor)]
        return tags
    lowest_major = 10 if legacy_order else 11
    for major in range(version[0], lowest_major - 1, -1):
        tags += [f"macosx_{major}_0_{fmt}" for fmt in formats(major, 0)]
    for minor in range(16, 3, -1):
        if arch == "arm64":
            tags.append(f"macosx_10_{minor}_universal2")
        else:
            tags += [f"macosx_10_{minor}_{fmt}" for fmt in formats(10, minor)]
    return tags
