"""Distribution files: wheels and sdists as an index describes them. Bad names are kept, never dropped.

The one filename parser: every stage that needs a name's project, version, build tag or tags asks it.
"""

from __future__ import annotations

from collections.abc import Iterable
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

from ..errors import one_line
from ..text_enum import TextEnum
from .build_needs import BuildNeeds

#: Archive suffixes an installer may still meet, and what tagsim does with them.
_UNSUPPORTED_SUFFIXES = (".tar.bz2", ".tar.xz", ".tgz", ".tbz", ".tar", ".egg", ".exe", ".msi", ".rpm")
#: A wheel name's compressed tag sets expand to their product; past this, the name is refused unparsed
#: (300 interpreters x 300 ABIs x 300 platforms would be 27 million tags).
MAX_WHEEL_TAGS = 4096


class FileKind(TextEnum):
    WHEEL = "wheel"
    SDIST = "sdist"
    UNUSABLE = "unusable"  # `DistFile.problem` says why; it stays listed


# Module constants for the hot properties below: `FileKind.WHEEL` is a class-attribute lookup through the
# enum machinery, and `is_wheel` is read about 25 times per file per decision in a history run.
_WHEEL, _SDIST, _UNUSABLE = FileKind.WHEEL, FileKind.SDIST, FileKind.UNUSABLE
_NO_TAGS: frozenset[Tag] = frozenset()


@dataclass(frozen=True)
class DistFile:
    """One file, usable or not, with what its source said about it."""

    filename: str
    kind: FileKind
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
    #: What building this sdist needs, read from the file itself when it is at hand (`tagsim.files.sources`).
    build_needs: BuildNeeds | None = None
    #: Listed by a folder (`--find-links DIR`), not an index page: installers order folders their own way,
    #: which decides ties between equally ranked files (`tagsim.choice.pip`, `tagsim.choice.uv`).
    in_folder: bool = False
    #: Where an index page says the file is (absolute http(s), resolved against the page as pip does),
    #: and the digest it gives as (algorithm, hex): what downloading the sdist to be built uses.
    url: str | None = None
    digest: tuple[str, str] | None = None

    @property
    def is_wheel(self) -> bool:
        return self.kind is _WHEEL

    @property
    def usable(self) -> bool:
        return self.kind is not _UNUSABLE


def parse_filename(filename: str, *, requires_python: str | None = None, yanked: bool = False,
                   yanked_reason: str | None = None, upload_time: str | None = None, origin: str = "",
                   present: bool = False, path: str | None = None, in_folder: bool = False,
                   url: str | None = None, digest: tuple[str, str] | None = None) -> DistFile:
    """Parse with `packaging.utils`; an invalid name becomes an unusable file with packaging's reason."""
    kind, (name, version, build, tags), problem = _parsed(filename)
    # `DistFile(...)` without the generated `__init__`, which sets each of the 18 fields of a frozen dataclass
    # through `object.__setattr__`: 2-4 µs a file, most of the cost of reading a streamed name. The instance
    # is the same (tests/files/test_filename.py compares it field for field, with `==`, `hash` and `repr`)
    # and stays frozen for everyone after.
    # The fields go into a copy of a dict already sized and ordered for them (a dict display of 18 keys grows
    # its table twice on the way), which then becomes the instance's own `__dict__`.
    fields = _FIELDS.copy()
    fields["filename"] = filename
    fields["kind"] = kind
    fields["name"] = name
    fields["version"] = version
    fields["build"] = build
    fields["tags"] = tags
    fields["requires_python"] = requires_python
    fields["yanked"] = yanked
    fields["yanked_reason"] = yanked_reason
    fields["upload_time"] = upload_time
    fields["problem"] = problem
    fields["origin"] = origin
    fields["present"] = present
    fields["path"] = path
    fields["in_folder"] = in_folder
    fields["url"] = url
    fields["digest"] = digest
    dist: DistFile = _new(DistFile)
    _set(dist, "__dict__", fields)
    return dist


_new, _set = object.__new__, object.__setattr__
#: Every field of a `DistFile`, in field order (`build_needs` is never set by a name).
_FIELDS: dict[str, object] = {name: None for name in DistFile.__dataclass_fields__}
#: What a name says: (name, version, build tag, tags), all empty for an unusable name.
_Parts = tuple[NormalizedName | None, Version | None, BuildTag, frozenset[Tag]]
_NOTHING: _Parts = (None, None, (), _NO_TAGS)


def _parsed(filename: str) -> tuple[FileKind, _Parts, str | None]:
    """The kind, the parts and the problem (None for a usable name) of one filename."""
    if not filename.isascii() and filename.endswith((".whl", ".tar.gz", ".zip")):
        # packaging matches names case-insensitively, so 'İ' or the Kelvin sign pass as 'i'/'k' and then
        # canonicalize to names no requirement can spell (PEP 508 names are ASCII).
        return _UNUSABLE, _NOTHING, ("invalid distribution filename: non-ASCII characters "
                                     "(wheel and sdist names are ASCII)")
    if filename.endswith(".whl"):
        stem = filename[: -len(".whl")]
        dashes = stem.count("-")
        parts = stem.split("-", dashes - 2) if dashes >= 4 else None
        expanded = _expansion(parts[-1]) if parts is not None else 1
        if expanded > MAX_WHEEL_TAGS:
            return _UNUSABLE, _NOTHING, (f"invalid wheel filename: its compressed tag sets expand to "
                                         f"{expanded} tags (tagsim reads at most {MAX_WHEEL_TAGS})")
        try:
            return _WHEEL, _parse_wheel(filename, parts if dashes in (4, 5) else None), None
        except (InvalidWheelFilename, ValueError) as exc:
            return _UNUSABLE, _NOTHING, f"invalid wheel filename: {one_line(str(exc))}"
    if filename.endswith((".tar.gz", ".zip")):
        try:
            name, version = _parse_sdist(filename)
        except (InvalidSdistFilename, ValueError) as exc:
            return _UNUSABLE, _NOTHING, f"invalid sdist filename: {one_line(str(exc))}"
        return _SDIST, (name, version, (), _NO_TAGS), None
    if filename.endswith(_UNSUPPORTED_SUFFIXES):
        return _UNUSABLE, _NOTHING, "archive format not modelled (tagsim reads .whl, .tar.gz and .zip)"
    return _UNUSABLE, _NOTHING, "not a distribution file (expected .whl, .tar.gz or .zip)"


def projects_in(files: Iterable[DistFile], *, usable_only: bool = False) -> list[NormalizedName]:
    """The distinct projects some files belong to, sorted: "which project are these files?" asked once."""
    return sorted({f.name for f in files if f.name and (f.usable or not usable_only)})


def wheel_tag_parts(filename: str) -> tuple[str, str, str]:
    """The three compressed tag components of a wheel name as written: (`py2.py3`, `none`, `any`)."""
    pyver, abi, plat = filename[: -len(".whl")].split("-")[-3:]
    return pyver, abi, plat


@dataclass(frozen=True)
class RawName:
    """A distribution filename split as written, nothing normalised: what a writer of such files needs
    (the dummy index of `tagsim verify` writes METADATA and WHEEL from it). `tags` are expanded, in order."""

    filename: str
    project: str
    version: str
    build: str | None
    tags: tuple[str, ...]
    suffix: str  # ".whl", ".tar.gz" or ".zip"


def split_filename(filename: str) -> RawName:
    """Split a wheel (build tags, compressed tag sets) or sdist name; ValueError when it has not that shape."""
    if filename.endswith(".whl"):
        parts = filename[: -len(".whl")].split("-")
        if len(parts) not in (5, 6):
            raise ValueError(f"wheel filename needs 5 or 6 dash-separated parts: {filename!r}")
        build = parts[2] if len(parts) == 6 else None
        if build is not None and not build[:1].isdigit():
            raise ValueError(f"build tag must start with a digit: {filename!r}")
        pys, abis, plats = wheel_tag_parts(filename)
        tags = tuple(f"{py}-{abi}-{plat}" for py in pys.split(".") for abi in abis.split(".") for plat in plats.split("."))
        return RawName(filename, parts[0], parts[1], build, tags, ".whl")
    for suffix in (".tar.gz", ".zip"):
        if filename.endswith(suffix):
            project, sep, version = filename[: -len(suffix)].rpartition("-")
            if not sep or not project or not version:
                raise ValueError(f"sdist filename needs name-version: {filename!r}")
            return RawName(filename, project, version, None, (), suffix)
    raise ValueError(f"not a wheel or sdist filename: {filename!r}")


# --- parsing, once per distinct component -----------------------------------------------------
# A big index repeats a few thousand tag strings, versions and names across millions of files.
# `_parse_wheel` / `_parse_sdist` split a name as packaging does and ask packaging itself about each
# component once (on a minimal filename holding only that component), so files with the same tag
# string share one frozenset of `Tag`s. Any component packaging rejects sends the whole name through
# packaging's own parser, for its exact error.


def _parse_wheel(filename: str, parts: list[str] | None) -> _Parts:
    """`parts`: the stem split into name, version, [build,] tags when it has 4 or 5 dashes (else None)."""
    if parts is not None:
        try:
            build = _wheel_build(parts[2]) if len(parts) == 4 else ()
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
def _expansion(part: str) -> int:
    """How many tags a wheel name's `py-abi-platform` part expands to (compressed tag sets multiply)."""
    expanded = 1
    for component in part.split("-"):
        expanded *= component.count(".") + 1
    return expanded


@lru_cache(maxsize=1 << 14)
def _wheel_tags(part: str) -> frozenset[Tag]:
    return parse_wheel_filename(f"a-0-{part}.whl")[3]


@lru_cache(maxsize=1 << 16)
def _sdist_name(part: str) -> NormalizedName:
    return parse_sdist_filename(f"{part}-0.tar.gz")[0]
