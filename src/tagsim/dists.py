"""Distribution files: wheels and sdists as an index describes them. Bad names are kept, never dropped."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from packaging.tags import Tag
from packaging.utils import (
    BuildTag,
    InvalidSdistFilename,
    InvalidWheelFilename,
    NormalizedName,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import Version

#: Archive suffixes an installer may still meet, and what tagsim does with them.
_UNSUPPORTED_SUFFIXES = (".tar.bz2", ".tar.xz", ".tgz", ".tbz", ".tar", ".egg", ".exe", ".msi", ".rpm")


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
    if filename.endswith(".whl"):
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


def with_platform_tags(dist: DistFile, platforms: list[str], *, add: bool) -> DistFile:
    """A hypothetical retag, as `wheel tags --platform-tag [+]...` would write the filename."""
    assert dist.is_wheel and dist.name is not None and dist.version is not None
    pythons = sorted({t.interpreter for t in dist.tags})
    abis = sorted({t.abi for t in dist.tags})
    existing = sorted({t.platform for t in dist.tags}) if add else []
    plats = list(dict.fromkeys([*existing, *platforms]))
    stem = dist.filename[: -len(".whl")].split("-")
    build = f"-{stem[2]}" if len(stem) == 6 else ""
    new_name = f"{stem[0]}-{stem[1]}{build}-{'.'.join(pythons)}-{'.'.join(abis)}-{'.'.join(plats)}.whl"
    parsed = parse_filename(new_name)
    return replace(parsed, requires_python=dist.requires_python, yanked=dist.yanked,
                   yanked_reason=dist.yanked_reason, upload_time=dist.upload_time, origin=dist.origin)


def project_of(dist: DistFile) -> str | None:
    return dist.name


def canonical(name: str) -> NormalizedName:
    return canonicalize_name(name)
