"""manylinux platform tags: PEP 513/571/599 legacy names and PEP 600 `manylinux_2_X`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..platform.platform_tag import LEGACY_ALIASES, LEGACY_GLIBC


def pep600_tags(glibc: tuple[int, int], archs: Sequence[str], floor_minor: int) -> Iterator[str]:
    """packaging >= 20.5 `_manylinux.platform_tags`: arch outer, glibc descending, alias after its twin."""
    for arch in archs:
        for minor in range(glibc[1], floor_minor - 1, -1):
            yield f"manylinux_{glibc[0]}_{minor}_{arch}"
            alias = LEGACY_ALIASES.get((glibc[0], minor))
            if alias:
                yield f"{alias}_{arch}"


def legacy_chain_tags(glibc: tuple[int, int], arch: str) -> Iterator[str]:
    """packaging 20.0-20.4 `_linux_platforms`: the newest compatible legacy name, then every older one.

    The first name whose glibc is met is yielded; all later names follow unchecked.
    """
    chain = [("manylinux2014", (2, 17))] if arch in {"x86_64", "i686", "aarch64", "armv7l", "ppc64", "ppc64le",
                                                     "s390x"} else []
    if arch in {"x86_64", "i686"}:
        chain += [("manylinux2010", (2, 12)), ("manylinux1", (2, 5))]
    for index, (_name, needed) in enumerate(chain):
        if glibc[0] == needed[0] and glibc[1] >= needed[1]:
            yield from (f"{later}_{arch}" for later, _ in chain[index:])
            return


def pep425_names(era_linux: str, glibc: tuple[int, int] | None, arch: str, armhf: bool) -> list[str]:
    """pip < 20 `pep425tags.get_supported`: each legacy name whose `is_manylinuxN_compatible()` holds.

    Checks per name: platform in the name's arch list, armv7l must be hard-float (19.3),
    and `have_compatible_glibc(2, minor)` (same major, minor >= floor).
    """
    if glibc is None:
        return []
    names: list[str] = []
    candidates = {"manylinux1": ["manylinux1"], "manylinux2010": ["manylinux2010", "manylinux1"],
                  "manylinux2014": ["manylinux2014", "manylinux2010", "manylinux1"]}[era_linux]
    for name in candidates:
        arches = {"x86_64", "i686"}
        if name == "manylinux2014":
            arches |= {"aarch64", "armv7l", "ppc64", "ppc64le", "s390x"}
            if arch == "armv7l" and not armhf:
                continue
        needed = LEGACY_GLIBC[name]
        if arch in arches and glibc[0] == needed[0] and glibc[1] >= needed[1]:
            names.append(f"{name}_{arch}")
    return names


def uv_tags(glibc: tuple[int, int], arch: str, floor_minor: int, *, legacy_order: bool) -> list[str]:
    """uv `compatible_tags` for `Os::Manylinux`.

    uv >= 0.1.22 (#2483): descending, each alias right after its twin, within glibc's own major.
    uv < 0.1.22: ascending, then manylinux2010, manylinux2014, manylinux1 (0.1.21 `tags.rs`).
    """
    minors = range(floor_minor, glibc[1] + 1)
    if legacy_order:
        tags = [f"manylinux_{glibc[0]}_{minor}_{arch}" for minor in minors]
        for alias_minor, legacy in ((12, "manylinux2010"), (17, "manylinux2014"), (5, "manylinux1")):
            if alias_minor in minors:
                tags.append(f"{legacy}_{arch}")
        return tags
    tags = []
    for minor in reversed(minors):
        tags.append(f"manylinux_{glibc[0]}_{minor}_{arch}")
        alias = LEGACY_ALIASES.get((glibc[0], minor))
        if alias:
            tags.append(f"{alias}_{arch}")
    return tags
