"""How one real installer is asked about one scenario: the emulation plan, and the tag-list arithmetic that
checks a flagged pip against pip's own list on this machine."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..files.filename import split_filename
from ..platform.interpreter import parse_python
from ..platform.platform_tag import LEGACY_GLIBC
from ..platform.profile import Profile
from ..tags.eras import manylinux_floor_pip


@dataclass(frozen=True)
class Plan:
    """How one installer is asked about one scenario, or (`skip`) why it cannot be faithfully."""

    argv: tuple[str, ...] = ()  # pip: the command prefix; uv: extra arguments (--python ...)
    flags: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    method: str = ""
    skip: str | None = None


def tag_kind(tag: str, minor: int, own_abi: str) -> str:
    """Tag shape relative to the interpreter version (cp312 on 3.12 → `cpV`)."""
    py, abi, plat = tag.split("-")
    m = re.fullmatch(r"([a-z]+)(\d+)", py)
    if m and len(m.group(2)) >= 2:
        n = int(m.group(2)[1:])
        py = m.group(1) + ("V" if n == minor else ("LOW" if n < minor else "HIGH"))
    abi = "OWN" if abi == own_abi else abi
    return f"{py}-{abi}-{plat}"


def restricted_kinds(tags: Sequence[str], minor: int, own_abi: str, wanted: set[str]) -> list[str]:
    """Kinds in list order, deduplicated, restricted to the kinds a scenario's wheels carry."""
    seen: dict[str, None] = {}
    for t in tags:
        k = tag_kind(t, minor, own_abi)
        if k in wanted:
            seen.setdefault(k, None)
    return list(seen)


def wheel_tags(filename: str) -> list[str]:
    """Expanded tags of a wheel filename."""
    return list(split_filename(filename).tags)


def platforms_of(tags: Sequence[str]) -> list[str]:
    """Ordered distinct platform parts, `any` excluded."""
    seen: dict[str, None] = {}
    for t in tags:
        plat = t.rsplit("-", 1)[1]
        if plat != "any":
            seen.setdefault(plat, None)
    return list(seen)


def glibc_of(plat: str) -> int | None:
    """glibc minor a manylinux platform needs, None if not manylinux."""
    m = re.match(r"manylinux_2_(\d+)_", plat)
    if m:
        return int(m.group(1))
    legacy = LEGACY_GLIBC.get(plat.split("_", 1)[0])
    return legacy[1] if legacy else None


def map_platforms(host_plats: Sequence[str], host_arch: str, profile: Profile, musl_supported: bool,
                  manylinux_arch: bool = True) -> list[str]:
    """The platform list a pip computes on a Linux profile, derived from the list it computes on
    this (Linux glibc) host, so that pip version's own ordering rules carry over.

    `manylinux_arch`: whether that pip offers manylinux tags on the profile's arch at all. A glibc
    newer than the host's extends the PEP 600 ladder upwards (packaging counts down from the
    running glibc), if this pip spells PEP 600 tags at all.
    """
    assert profile.libc_version is not None
    arch, minor = profile.arch, profile.libc_version[1]
    host_top = max((glibc_of(p) or 0 for p in host_plats if p.startswith("manylinux_2_")), default=0)
    out: list[str] = []
    musl_done = above_done = False
    for plat in host_plats:
        g = glibc_of(plat)
        if g is None:
            out.append(plat.replace(host_arch, arch))
            continue
        if profile.libc == "musl":
            if musl_supported and not musl_done:
                out += [f"musllinux_1_{m}_{arch}" for m in range(minor, -1, -1)]
            musl_done = True
            continue
        if not manylinux_arch:
            continue
        if host_top and plat.startswith("manylinux_2_") and not above_done:
            out += [f"manylinux_2_{m}_{arch}" for m in range(minor, host_top, -1)]
            above_done = True
        if manylinux_floor_pip({arch}) <= g <= minor:
            out.append(plat.replace(host_arch, arch))
    return out


def rebuild_tags(native: Sequence[str], plats: Sequence[str], drop_abi3: bool = False) -> list[str]:
    """A native tag list with its platform block replaced by `plats` (the reference list)."""
    out: list[str] = []
    done: set[str] = set()
    for t in native:
        py, abi, plat = t.split("-")
        if drop_abi3 and abi == "abi3":
            continue
        if plat == "any":
            out.append(t)
        elif f"{py}-{abi}" not in done:
            done.add(f"{py}-{abi}")
            out += [f"{py}-{abi}-{p}" for p in plats]
    return out


def own_abi(python: str) -> str:
    """ABI tag of a scenario python as its real interpreter spells it (cp37m, cp312, cp313t, pypy39_pp73)."""
    return parse_python(python).abi


def describe_flags(flags: Sequence[str]) -> str:
    """Short form of a flag list for notes: --platform values joined by commas."""
    plats = [flags[i + 1] for i, f in enumerate(flags) if f == "--platform"]
    rest = [f for i, f in enumerate(flags) if f != "--platform" and (i == 0 or flags[i - 1] != "--platform")]
    return f"--platform {','.join(plats)} " + " ".join(rest)
