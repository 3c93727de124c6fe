"""Distribution files: wheels and sdists as an index describes them. Bad names are kept, never dropped."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from packaging.tags import Tag
from packaging.utils import (
    BuildTag,
    InvalidSdistFilename,
    InvalidWheelFilename,
    NormalizedName,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from .errors import one_line

#: Archive suffixes an installer may still meet, and what tagsim does with them.
_UNSUPPORTED_SUFFIXES = (".tar.bz2", ".tar.xz", ".tgz", ".tbz", ".tar", ".egg", ".exe", ".msi", ".rpm")
#: A wheel name's compressed tag sets expand to their product; past this, the name is refused unparsed
#: (300 interpreters x 300 ABIs x 300 platforms would be 27 million tags).
MAX_WHEEL_TAGS = 4096


@dataclass(frozen=True)
class DistFile:
    """One file. `kind` is "wheel", "sdist" or "unusable" (then `problem` says why)."""

    filename: str
    kind: str
    name: NormalizedName | None = None
    version: Version | None = None
    build: BuildTag = ()
    tags: frozenset[Tag] = field(default_factory=frozenset)
    requires_python: str | None = None
    yanked: bool = False
    yanked_reason: str | None = None
    upload_time: str | None = None
    problem: str | None = None
    origin: str = ""  # where the file came from: a path, a page, the command line
    present: bool = False  # the bytes are on disk at `path` (for reading metadata)
    path: str | None = None

    @property
    def is_wheel(self) -> bool:
        return self.kind == "wheel"

    @property
    def usable(self) -> bool:
        return self.kind != "unusable"


def parse_filename(filename: str, **index_facts: object) -> DistFile:
    """Parse with `packaging.utils`; an invalid name becomes an unusable file with packaging's reason."""
    facts = dict(index_facts)
    if not filename.isascii() and filename.endswith((".whl", ".tar.gz", ".zip")):
        # packaging matches names case-insensitively, so 'İ' or the Kelvin sign pass as 'i'/'k' and then
        # canonicalize to names no requirement can spell (PEP 508 names are ASCII).
        return DistFile(filename, "unusable", problem="invalid distribution filename: non-ASCII characters "
                                                      "(wheel and sdist names are ASCII)", **facts)  # type: ignore[arg-type]
    if filename.endswith(".whl"):
        parts = filename[: -len(".whl")].split("-")
        expanded = 1
        for part in parts[-3:] if len(parts) >= 5 else ():
            expanded *= part.count(".") + 1
        if expanded > MAX_WHEEL_TAGS:
            return DistFile(filename, "unusable", problem=f"invalid wheel filename: its compressed tag sets expand to "
                                                          f"{expanded} tags (tagsim reads at most {MAX_WHEEL_TAGS})", **facts)  # type: ignore[arg-type]
        try:
            name, version, build, tags = _parse_wheel(filename)
        except (InvalidWheelFilename, ValueError) as exc:
            return DistFile(filename, "unusable", problem=f"invalid wheel filename: {one_line(str(exc))}", **facts)  # type: ignore[arg-type]
        return DistFile(filename, "wheel", name=name, version=version, build=build, tags=tags, **facts)  # type: ignore[arg-type]
    if filename.endswith((".tar.gz", ".zip")):
        try:
            name, version = _parse_sdist(filename)
        except (InvalidSdistFilename, ValueError) as exc:
            return DistFile(filename, "unusable", problem=f"invalid sdist filename: {one_line(str(exc))}", **facts)  # type: ignore[arg-type]
        return DistFile(filename, "sdist", name=name, version=version, **facts)  # type: ignore[arg-type]
    if filename.endswith(_UNSUPPORTED_SUFFIXES):
        problem = "archive format not modelled (tagsim reads .whl, .tar.gz and .zip)"
    else:
        problem = "not a distribution file (expected .whl, .tar.gz or .zip)"
    return DistFile(filename, "unusable", problem=problem, **facts)  # type: ignore[arg-type]


# --- parsing, once per distinct component -----------------------------------------------------
# A big index repeats a few thousand tag strings, versions and names across millions of files.
# `_parse_wheel` / `_parse_sdist` split a name as packaging does and ask packaging itself about each
# component once (on a minimal filename holding only that component), so files with the same tag
# string share one frozenset of `Tag`s. Any component packaging rejects sends the whole name through
# packaging's own parser, for its exact error.


def _parse_wheel(filename: str) -> tuple[NormalizedName, Version, BuildTag, frozenset[Tag]]:
    stem = filename[: -len(".whl")]
    dashes = stem.count("-")
    if dashes in (4, 5):
        parts = stem.split("-", dashes - 2)
        try:
            build = _wheel_build(parts[2]) if dashes == 5 else ()
            return _wheel_name(parts[0]), _version(parts[1]), build, _wheel_tags(parts[-1])
        except (InvalidWheelFilename, InvalidVersion, ValueError):
            pass
    return parse_wheel_filename(filename)


def _parse_sdist(filename: str) -> tuple[NormalizedName, Version]:
    stem = filename[: -len(".tar.gz")] if filename.endswith(".tar.gz") else filename[: -len(".zip")]
    name_part, sep, version_part = stem.rpartition("-")
    if sep and name_part:
        try:
            return _sdist_name(name_part), _version(version_part)
        except (InvalidSdistFilename, InvalidVersion, ValueError):
            pass
    return parse_sdist_filename(filename)


@lru_cache(maxsize=1 << 16)
def _version(text: str) -> Version:
    return Version(text)


@lru_cache(maxsize=1 << 16)
def _wheel_name(part: str) -> NormalizedName:
    return parse_wheel_filename(f"{part}-0-py3-none-any.whl")[0]


@lru_cache(maxsize=1 << 12)
def _wheel_build(part: str) -> BuildTag:
    return parse_wheel_filename(f"a-0-{part}-py3-none-any.whl")[2]


@lru_cache(maxsize=1 << 14)
def _wheel_tags(part: str) -> frozenset[Tag]:
    return parse_wheel_filename(f"a-0-{part}.whl")[3]


@lru_cache(maxsize=1 << 16)
def _sdist_name(part: str) -> NormalizedName:
    return parse_sdist_filename(f"{part}-0.tar.gz")[0]
