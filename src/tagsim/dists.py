"""Distribution files: wheels and sdists as an index describes them. Bad names are kept, never dropped."""

from __future__ import annotations

from dataclasses import dataclass, field

from packaging.tags import Tag
from packaging.utils import (
    BuildTag,
    InvalidSdistFilename,
    InvalidWheelFilename,
    NormalizedName,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import Version

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
            name, version, build, tags = parse_wheel_filename(filename)
        except (InvalidWheelFilename, ValueError) as exc:
            return DistFile(filename, "unusable", problem=f"invalid wheel filename: {exc}", **facts)  # type: ignore[arg-type]
        return DistFile(filename, "wheel", name=name, version=version, build=build, tags=tags, **facts)  # type: ignore[arg-type]
    if filename.endswith((".tar.gz", ".zip")):
        try:
            name, version = parse_sdist_filename(filename)
        except (InvalidSdistFilename, ValueError) as exc:
            return DistFile(filename, "unusable", problem=f"invalid sdist filename: {exc}", **facts)  # type: ignore[arg-type]
        return DistFile(filename, "sdist", name=name, version=version, **facts)  # type: ignore[arg-type]
    if filename.endswith(_UNSUPPORTED_SUFFIXES):
        problem = "archive format not modelled (tagsim reads .whl, .tar.gz and .zip)"
    else:
        problem = "not a distribution file (expected .whl, .tar.gz or .zip)"
    return DistFile(filename, "unusable", problem=problem, **facts)  # type: ignore[arg-type]
