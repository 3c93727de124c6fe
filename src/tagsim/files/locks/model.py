"""What a lock file says, as typed records: packages, their files and markers, and the lock's own limits.

The same records for all four formats, so choosing what installs (`tagsim.choice.lock_select`)
reads one shape. A package that cannot be used (a marker that does not parse, no files and no
source) keeps its place with `problem` set; a file that cannot be used is an unusable `DistFile`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from packaging.markers import Marker
from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName
from packaging.version import Version

from ...text_enum import TextEnum
from ..filename import DistFile, FileKind


class LockFormat(TextEnum):
    UV = "uv.lock"
    PYLOCK = "pylock.toml"
    POETRY = "poetry.lock"
    PDM = "pdm.lock"


class PackageSource(TextEnum):
    """Where a locked package comes from (uv.lock `source`, pylock `vcs`/`directory`/`archive`, poetry `source.type`)."""

    REGISTRY = "registry"  # an index: its files are listed
    GIT = "git"  # any VCS: always built from the checkout
    PATH = "path"  # a local archive file
    DIRECTORY = "directory"  # a local source tree: built
    EDITABLE = "editable"  # a local source tree installed editable: built
    URL = "url"  # a direct URL archive (uv `url`, pylock `archive`, poetry `url`)
    VIRTUAL = "virtual"  # uv: a workspace member that is not installed itself

    @property
    def builds(self) -> bool:
        """Always built from source, whatever files are listed (uv `Package::to_dist`, PEP 751 step 4)."""
        return self in (PackageSource.GIT, PackageSource.DIRECTORY, PackageSource.EDITABLE)


@dataclass(frozen=True)
class Dependency:
    """A uv.lock dependency edge: `{name, marker, extra, version?, source?}` (`version`/`source` only when ambiguous)."""

    name: NormalizedName
    marker: Marker | None = None
    extras: tuple[str, ...] = ()
    version: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class LockedPackage:
    """One `[[package]]` entry. `files`: its wheels and sdists (usable or not), in the lock's order."""

    name: NormalizedName
    version: Version | None
    source: PackageSource
    line: int
    origin: str = ""  # the URL, path or repository of a non-registry source
    marker: Marker | None = None
    requires_python: SpecifierSet | None = None
    files: tuple[DistFile, ...] = ()
    #: pdm: the extras of this entry (`coverage[toml]` is its own entry); poetry/pdm: the groups.
    extras: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    #: poetry lock 2.1: a marker per group (`markers = {main = "...", dev = "..."}`).
    group_markers: Mapping[str, Marker] = field(default_factory=dict, compare=False)
    optional: bool = False  # poetry: installed only through an extra of the project
    dependencies: tuple[Dependency, ...] = ()
    optional_dependencies: Mapping[str, tuple[Dependency, ...]] = field(default_factory=dict, compare=False)
    dev_dependencies: Mapping[str, tuple[Dependency, ...]] = field(default_factory=dict, compare=False)
    #: Why this entry cannot be installed anywhere (it stays listed, as a failure on every target).
    problem: str | None = None
    #: pylock: some entry of the lock lists a file with `hashes`, so pip installs it in hash-checking mode
    #: (pip 26.3 `cli/req_command.py`: `require_hashes` once any requirement `has_hash_options`), where a
    #: source tree or checkout is refused (recorded: tests/fixtures/locks/pip).
    in_hashed_lock: bool = False

    @property
    def wheels(self) -> tuple[DistFile, ...]:
        return tuple(f for f in self.files if f.is_wheel)

    @property
    def sdist(self) -> DistFile | None:
        return next((f for f in self.files if f.kind is FileKind.SDIST), None)

    @property
    def label(self) -> str:
        """`name==version`, with pdm's extras: `coverage[toml]==7.6.1`."""
        extras = f"[{','.join(self.extras)}]" if self.extras else ""
        return f"{self.name}{extras}" + (f"=={self.version}" if self.version is not None else "")


@dataclass(frozen=True)
class PdmTarget:
    """A pdm.lock `[[metadata.targets]]` entry: the environments the lock was made for."""

    requires_python: SpecifierSet | None
    platform: str | None = None
    implementation: str | None = None

    def __str__(self) -> str:
        parts = [f"python {self.requires_python}" if self.requires_python else "any python"]
        parts += [p for p in (self.platform, self.implementation) if p]
        return ", ".join(parts)


@dataclass(frozen=True)
class LockFile:
    """A whole lock: its packages and what it says about where it may be installed."""

    path: str
    format: LockFormat
    version: str
    packages: tuple[LockedPackage, ...]
    requires_python: SpecifierSet | None = None
    #: pylock `environments`, uv.lock `supported-markers`: an installer refuses a machine that matches none.
    environments: tuple[Marker, ...] = ()
    #: uv.lock `required-markers` (checked by uv at lock time only; shown, and used as default platforms).
    required: tuple[Marker, ...] = ()
    resolution_markers: tuple[str, ...] = ()
    targets: tuple[PdmTarget, ...] = ()
    #: pylock `default-groups`, pdm `metadata.groups`, poetry's groups: what installs without `--group`.
    default_groups: tuple[str, ...] = ()
    declared_extras: tuple[str, ...] = ()
    declared_groups: tuple[str, ...] = ()
    #: poetry `[extras]`: extra name -> the optional packages it installs.
    extra_packages: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    #: uv.lock `[manifest] members`, else the editable/virtual root: where `uv sync` starts.
    members: tuple[str, ...] = ()
    created_by: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def files(self) -> list[DistFile]:
        """Every file of every package, in lock order, once (a lock as a plain SOURCE of files; pdm's
        `coverage` and `coverage[toml]` entries share their files)."""
        return list({f.filename: f for p in self.packages for f in p.files}.values())
