"""Installer eras as data: which tag features and which ordering each version range has.

Each row says "from this version on, these fields change", with its source.
An era is the fold of every row up to a version, so a rule lives in one row,
not in scattered `if version >` branches. Sources were read in the installers'
own git history (pypa/pip tags, pypa/packaging tags, astral-sh/uv tags) and
checked against the real installers (see `tests/fixtures/` and `tools/fidelity/`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar

from packaging.version import Version

from ..text_enum import TextEnum

_X86 = frozenset({"x86_64", "i686"})


class TagGenerator(TextEnum):
    """Which code computes pip's tags: its own `pep425tags` (pip < 20) or `packaging.tags` (20.0+)."""

    PEP425TAGS = "pep425tags"
    PACKAGING = "packaging"


class LinuxTags(TextEnum):
    """pip's manylinux scheme: pep425tags' legacy names, packaging 20.0-20.4's chain, or PEP 600."""

    MANYLINUX1 = "manylinux1"
    MANYLINUX2010 = "manylinux2010"
    MANYLINUX2014 = "manylinux2014"
    LEGACY_CHAIN = "legacy_chain"
    PEP600 = "pep600"


class MacTags(TextEnum):
    """pip's macOS scheme: pep425tags, packaging <= 20.4's minor loop, or 20.5+'s Big Sur majors."""

    PEP425 = "pep425"
    MINOR_LOOP = "minor_loop"
    BIGSUR = "bigsur"


class FreeThreading(TextEnum):
    """What an era knows of free-threaded CPython: nothing, `cp313t` without abi3, or abi3t (PEP 803)."""

    UNKNOWN = "unknown"
    NO_ABI3 = "no_abi3"
    ABI3T = "abi3t"


class YankRule(TextEnum):
    """How pip's resolver treats yanked files (PEP 592)."""

    IGNORED = "ignored"  # < 19.2
    RANK_LAST = "rank-last"  # legacy resolver, 19.2-20.2
    SKIP_UNLESS_ALL = "skip-unless-all"  # new resolver 20.3-21.3
    SKIP_UNLESS_ALL_PINNED = "skip-unless-all-pinned"  # 22.0+, pip commit 705742337

    @property
    def new_resolver(self) -> bool:
        return self in (YankRule.SKIP_UNLESS_ALL, YankRule.SKIP_UNLESS_ALL_PINNED)


class SortTerm(TextEnum):
    """One term of pip's `CandidateEvaluator._sort_key`."""

    HASH = "hash"
    YANK = "yank"
    BINARY = "binary"
    VERSION = "version"
    PRIORITY = "priority"
    BUILD = "build"


class BinaryPolicy(TextEnum):
    """poetry's installer.no-binary / only-binary: `:all:` in one list beats a name (plain), or the name wins."""

    PLAIN = "plain"
    EXACT_NAME_WINS = "exact-name-wins"


_T = SortTerm


class EraRow(NamedTuple):
    """From version `first` on, these fields of the era change; `source` says where that was read."""

    first: str
    changes: dict[str, Any]
    source: str


@dataclass(frozen=True)
class PipEra:
    """What one pip version computes. Field values are the features of that era."""

    first: str  # first pip version of the era
    generator: TagGenerator = TagGenerator.PEP425TAGS  # "pep425tags" (pip < 20) or "packaging" (`packaging.tags`)
    # Linux: pep425tags "manylinux1" / "manylinux2010" / "manylinux2014";
    # packaging "legacy_chain" (20.0-20.4 `_linux_platforms`) or "pep600".
    linux: LinuxTags = LinuxTags.MANYLINUX1
    manylinux_arches: frozenset[str] = frozenset({"x86_64", "i686"})
    musllinux: bool = False
    linux_first: bool = False
    armv8l: bool = False  # 32-bit aarch64 userland -> [armv8l, armv7l]; else -> armv7l
    mac: MacTags = MacTags.PEP425  # "pep425", "minor_loop" (packaging <= 20.4), "bigsur" (20.5+)
    arm64_universal2_10x: bool = False
    fat: str = "fat32"
    free_threaded: FreeThreading = FreeThreading.UNKNOWN  # no_abi3 from packaging 24.0, abi3t from 26.1
    ios: bool = False
    android: bool = False
    pyemscripten: bool = False
    pypy: bool = False  # pep425tags-era PyPy tags (pp373 style) are not modelled
    windows_abi3: bool = False  # pip < 20 took abi3 from `.abi3` extension suffixes (POSIX only)
    # packaging 20.3-20.7 `_version_nodot`: versions with a part >= 10 joined by "_" (cp3_10, py3_12, abi cp3_10).
    version_underscore: bool = False
    sort_key: tuple[SortTerm, ...] = (_T.VERSION, _T.PRIORITY)  # pip `CandidateEvaluator._sort_key` terms, most significant first
    prefer_binary: bool = False  # `--prefer-binary` exists
    yanked: bool = False  # PEP 592 yank value in the sort key
    # How the resolver treats yanked files: "ignored" (< 19.2), "rank-last" (legacy resolver, 19.2-20.2),
    # "skip-unless-all" (new resolver 20.3-21.3), "skip-unless-all-pinned" (22.0+, pip commit 705742337).
    yank_rule: YankRule = YankRule.IGNORED
    sources: tuple[str, ...] = ()


#: (first pip version, changes, source). Packaging versions from pip's `vendor.txt`.
PIP_ROWS: tuple[EraRow, ...] = (
    EraRow("8.1", {"linux": LinuxTags.MANYLINUX1}, "pip 8.1 `pep425tags.is_manylinux1_compatible` (PEP 513)"),
    EraRow("10.0", {"sort_key": (_T.VERSION, _T.BUILD, _T.PRIORITY)}, "pip 10.0 `_sort_key` adds the wheel build tag before the tag priority (#4299)"),
    EraRow("18.0", {"prefer_binary": True, "sort_key": (_T.BINARY, _T.VERSION, _T.BUILD, _T.PRIORITY)}, "pip 18.0 `--prefer-binary` (#5370)"),
    EraRow("19.0", {"linux": LinuxTags.MANYLINUX2010}, "pip 19.0 `pep425tags` manylinux2010 (PEP 571, #5410)"),
    EraRow("19.2", {"yanked": True, "yank_rule": YankRule.RANK_LAST,
              "sort_key": (_T.HASH, _T.YANK, _T.BINARY, _T.VERSION, _T.BUILD, _T.PRIORITY)}, "pip 19.2 `_sort_key` PEP 592 yank value"),
    EraRow("19.3", {"linux": LinuxTags.MANYLINUX2014}, "pip 19.3 `pep425tags` manylinux2014 (PEP 599, #7102)"),
    EraRow("20.0", {"generator": TagGenerator.PACKAGING, "linux": LinuxTags.LEGACY_CHAIN, "mac": MacTags.MINOR_LOOP, "windows_abi3": True,
              "pypy": True, "manylinux_arches": frozenset({"x86_64", "i686", "aarch64", "armv7l", "ppc64",
                                                           "ppc64le", "s390x"})},
     "pip 20.0 switches to packaging.tags (#6908, packaging 20.0-20.4 `_linux_platforms`)"),
    EraRow("20.1", {"version_underscore": True},
     "pip 20.1 vendors packaging 20.3: `_version_nodot` spells Python 3.10+ as `3_10` (packaging #240); "
     "recorded with pip 20.2.4 (`--python-version 3.12` gives `cp3_12-…`, cp312 wheels are not found)"),
    EraRow("20.3", {"linux": LinuxTags.PEP600, "mac": MacTags.BIGSUR, "yank_rule": YankRule.SKIP_UNLESS_ALL,
              "manylinux_arches": frozenset({"x86_64", "i686", "aarch64", "armv7l", "ppc64", "ppc64le", "s390x"})},
     "pip 20.3 vendors packaging 20.7: PEP 600 `_manylinux_tags`, macOS 11 (packaging #319); new resolver"),
    EraRow("20.3.2", {"version_underscore": False},
     "pip 20.3.2 vendors packaging 20.8: no `_` in version tags (PEP 641 rejected; packaging #355, pip #9272)"),
    EraRow("21.0.1", {"arm64_universal2_10x": True}, "packaging 20.9 (#380): universal2 at macosx_10_x on arm64"),
    EraRow("21.1", {"sort_key": (_T.HASH, _T.YANK, _T.BINARY, _T.VERSION, _T.PRIORITY, _T.BUILD)},
     "pip 21.1 `_sort_key`: tag priority before build tag (426279c39)"),
    EraRow("21.2", {"musllinux": True}, "pip 21.2 vendors packaging 21.0: musllinux (PEP 656)"),
    EraRow("22.0", {"yank_rule": YankRule.SKIP_UNLESS_ALL_PINNED},
     "pip 22.0 `factory.iter_index_candidate_infos`: all-yanked files are used only for a pinned requirement"),
    EraRow("24.1", {"armv8l": True, "free_threaded": FreeThreading.NO_ABI3,
              "manylinux_arches": frozenset({"x86_64", "i686", "aarch64", "armv7l", "ppc64", "ppc64le", "s390x",
                                             "loongarch64", "riscv64"})},
     "pip 24.1 vendors packaging 24.1: armv8l (23.2), loongarch64 (23.2), riscv64 (24.0), free-threaded (24.0)"),
    EraRow("24.3", {"ios": True}, "pip 24.3 backports packaging #832 (PEP 730 iOS)"),
    EraRow("25.1", {"android": True}, "pip 25.1 vendors packaging 25.0: Android (PEP 738, #880)"),
    EraRow("26.1", {"free_threaded": FreeThreading.ABI3T, "pyemscripten": True},
     "pip 26.1 vendors packaging 26.2: abi3t (PEP 803, #1099), pyemscripten (PEP 783)"),
    EraRow("26.3", {"linux_first": True, "fat": "fat3"},
     "pip 26.3 vendors packaging 26.3: `linux_*` first (#1187), `fat3` (#1199)"),
)


#: uv 0.1.19 `Arch::get_minimum_manylinux_minor`: glibc 2.5 on x86, 2.17 on the other arches it knows.
_UV_FLOORS = (("x86_64", 5), ("i686", 5), ("aarch64", 17), ("armv7l", 17), ("ppc64", 17), ("ppc64le", 17), ("s390x", 17))


@dataclass(frozen=True)
class UvEra:
    """What one uv version computes (`crates/uv-platform-tags`)."""

    first: str
    legacy_order: bool = True  # before 0.1.22: linux_* first, manylinux ascending (#2483, #2489, #2496)
    free_threaded: FreeThreading = FreeThreading.UNKNOWN  # no_abi3 (0.1.32, #2805), abi3t (0.11.3, #18767)
    floors: tuple[tuple[str, int], ...] = _UV_FLOORS  # manylinux glibc floor per arch
    userland_32bit: bool = False  # 0.5.10 (#9970): 32-bit interpreter on 64-bit kernel
    musllinux_1_0: bool = False  # 0.7.3 (#13289)
    musl_descending: bool = False  # 0.11.21 (#19804)
    mobile: bool = False  # Android and iOS, 0.8.16 (#15646, #15640)
    armv8l_as_armv7l: bool = False  # 0.9.23 (#17384)
    pyemscripten: bool = False  # 0.11.19 (#19629)
    # Choice rules, each bisected over the real releases with tests/scenarios/choices.json (see docs/fidelity.md):
    build_tag: bool = False  # 0.2.3: the wheel build tag breaks ties of the tag priority (before: filename order)
    binary_name_wins: bool = False  # 0.2.12: `--only-binary NAME` beats `--no-binary :all:` (before: both apply)
    requires_python_chosen_only: bool = False  # 0.2.19: Requires-Python checked on the chosen file, no fallback
    requires_python_lower_only: bool = False  # 0.4.3: only the lower bound of the bounding range counts
    # Ties through a `--find-links` folder: before 0.5.7 the folder's readdir order (unknowable here), then
    # find-links entries sorted by `DistFilename` (0.5.7, #9680), with typed tags from 0.5.19 (#10583).
    folder_sorted: bool = False
    folder_typed_sort: bool = False
    sources: tuple[str, ...] = ()

    def floor(self, arch: str) -> int | None:
        return dict(self.floors).get(arch)


UV_ROWS: tuple[EraRow, ...] = (
    EraRow("0.1.19", {}, "uv 0.1.19 `Arch::get_minimum_manylinux_minor` (floors 5 on x86, 17 elsewhere)"),
    EraRow("0.1.22", {"legacy_order": False}, "uv 0.1.22 tag order fixes (#2483, #2489, #2496)"),
    EraRow("0.1.32", {"free_threaded": FreeThreading.NO_ABI3}, "uv 0.1.32 free-threaded `t` ABI without abi3 (#2805)"),
    EraRow("0.2.3", {"build_tag": True}, "uv 0.2.3 compares wheel build tags (recorded: 0.2.2 ignores them, 0.2.3 does)"),
    EraRow("0.2.12", {"binary_name_wins": True},
     "uv 0.2.12: a named --only-binary beats --no-binary :all: (recorded: 0.2.11 installs nothing)"),
    EraRow("0.2.19", {"requires_python_chosen_only": True},
     "uv 0.2.19 checks Requires-Python on the chosen file of a version only (recorded: 0.2.18 falls back per file)"),
    EraRow("0.4.3", {"requires_python_lower_only": True},
     "uv 0.4.3 checks only the lower bound of a file's Requires-Python bounding range (commit 8eef1a2314, #6882: "
     "`RequiresPython::is_contained_by`; upper bounds and holes above it are ignored, a `!=` at it makes it "
     "exclusive); recorded with 25 versions, 0.4.2 checks the whole specifier (tests/fixtures/uv_requires_python)"),
    EraRow("0.5.1", {"floors": (*_UV_FLOORS, ("riscv64", 31))}, "uv 0.5.1 riscv64 manylinux floor 2_31 (#8934)"),
    EraRow("0.5.7", {"folder_sorted": True},
     "uv 0.5.7 sorts find-links entries by `DistFilename` (`FlatIndexClient::fetch_all`, commit 3aaa9594be, #9680); "
     "before, ties through a folder went by its readdir order (recorded: tools/fidelity/issue13, q2)"),
    EraRow("0.5.10", {"userland_32bit": True}, "uv 0.5.10 32-bit interpreter on a 64-bit kernel (#9970)"),
    EraRow("0.5.19", {"folder_typed_sort": True},
     "uv 0.5.19 `WheelFilename` Ord over typed tags: a single-tag name without build tag sorts first "
     "(`WheelTag::Small` before `Large`, commit 24a5920739, #10583; recorded: tools/fidelity/issue13, q2)"),
    EraRow("0.5.25", {"floors": (*_UV_FLOORS, ("riscv64", 31), ("loongarch64", 36))}, "uv 0.5.25 loongarch64 floor 2_36 (#10927)"),
    EraRow("0.7.3", {"musllinux_1_0": True}, "uv 0.7.3 accepts musllinux_1_0 (#13289)"),
    EraRow("0.8.16", {"mobile": True}, "uv 0.8.16 Android and iOS tags (#15646, #15640)"),
    EraRow("0.9.23", {"armv8l_as_armv7l": True}, "uv 0.9.23 parses armv8l as armv7l (#17384)"),
    EraRow("0.11.3", {"free_threaded": FreeThreading.ABI3T}, "uv 0.11.3 abi3t for free-threaded builds (#18767, #18777)"),
    EraRow("0.11.19", {"pyemscripten": True}, "uv 0.11.19 PyEmscripten platform tags (#19629)"),
    EraRow("0.11.21", {"musl_descending": True}, "uv 0.11.21 musllinux order descending, linux_* last (#19804)"),
)

#: Modelled version ranges and each installer's newest version (its default).
PIP_RANGE = ("8.1", "26.3")
# uv 0.13.9 (newest on PyPI) was recorded identical to 0.13.8 on 3 profiles (tests/fixtures/uv_tags/uv-0.13.9.json).
UV_RANGE = ("0.1.19", "0.13.9")


_E = TypeVar("_E", "PipEra", "UvEra", "PoetryEra", "PdmEra")


def check_rows(rows: tuple[EraRow, ...], base: Any) -> None:
    """Every row names real fields with values of the field's type, in version order: a misspelt key
    (`{"musllinx": False}`) or a string where an enum belongs is an error, not a silent no-op."""
    defaults = {f.name: getattr(base, f.name) for f in fields(base)}
    previous = Version("0")
    for first, changes, source in rows:
        if Version(first) < previous:
            raise ValueError(f"era row {first} is out of version order ({source})")
        previous = Version(first)
        for key, value in changes.items():
            if key not in defaults or key in ("first", "sources"):
                raise ValueError(f"era row {first}: unknown field {key!r} for {type(base).__name__} ({source})")
            if not isinstance(value, type(defaults[key])):
                raise ValueError(f"era row {first}: field {key!r} takes {type(defaults[key]).__name__}, "
                                 f"got {value!r} ({source})")


def _fold(rows: tuple[EraRow, ...], version: Version, base: _E) -> _E:
    era = base
    sources: list[str] = []
    for first, changes, source in rows:
        if Version(first) > version:
            break
        era = replace(era, first=first, **changes)
        sources.append(source)
    return replace(era, sources=tuple(sources))


@lru_cache(maxsize=256)
def pip_era(version: Version) -> PipEra:
    return _fold(PIP_ROWS, version, PipEra(first=PIP_RANGE[0]))


@lru_cache(maxsize=256)
def uv_era(version: Version) -> UvEra:
    return _fold(UV_ROWS, version, UvEra(first=UV_RANGE[0]))


def manylinux_floor_pip(archs: frozenset[str] | set[str]) -> int:
    """packaging `_manylinux.platform_tags`: glibc 2.5 on x86, 2.17 everywhere else."""
    return 5 if set(archs) & _X86 else 17


@dataclass(frozen=True)
class PoetryEra:
    """What one poetry 2.x version does when it picks a version and then a file.

    poetry resolves first (newest version the constraint and the project's Python range allow,
    whatever its files are) and only then lets the installer's `Chooser` pick a file of that
    version; see `tagsim.choice.poetry`.
    """

    first: str
    # installer.no-binary / installer.only-binary: "plain" (2.0-2.1: `:all:` in one list beats a
    # name in the other) or "exact-name-wins" (2.2+: a name beats `:all:` in the other list).
    binary_policy: BinaryPolicy = BinaryPolicy.PLAIN
    # Tags: `VirtualEnv.get_supported_tags` calls the *installed* packaging's `cpython_tags` +
    # `compatible_tags`, the same calls as pip's `get_supported`; poetry requires packaging >= 24,
    # so the list is that of the newest packaging, 26.3, i.e. the one pip 26.3 vendors.
    tags_like_pip: str = "26.3"
    sources: tuple[str, ...] = ()


POETRY_ROWS: tuple[EraRow, ...] = (
    EraRow("2.0.0", {},
     "poetry 2.0.0 `puzzle/provider.py` `Provider.search_for` (newest version first, files not looked at), "
     "`repositories/repository.py` `find_packages` (yanked releases only for `==`), `installation/chooser.py` "
     "`Chooser._sort_key` (hash, yank, binary=0, version, build tag, tag priority), "
     "`utils/env/virtual_env.py` `get_supported_tags`"),
    EraRow("2.2.0", {"binary_policy": BinaryPolicy.EXACT_NAME_WINS},
     "poetry 2.2.0 `Chooser.choose_for`: an exact name in installer.only-binary/no-binary beats `:all:` "
     "in the other list (#10278, fee7d0d2a)"),
)


@dataclass(frozen=True)
class PdmEra:
    """What one pdm 2.x version does (its own finder over unearth, tags from dep_logic)."""

    first: str
    sources: tuple[str, ...] = ()


PDM_ROWS: tuple[EraRow, ...] = (
    EraRow("2.17.0", {},
     "pdm 2.17.0 `models/finder.py` `PDMPackageFinder._sort_key` (yank, prefer-binary, version, dep_logic "
     "`EnvSpec.wheel_compatibility`, build tag never filled in) and lock targets (c190e143, #2995): the lock "
     "resolves for every platform, `sync` picks a locked file for this one (`candidates._find_best_match_link`)"),
    EraRow("2.29.0", {},
     "pdm 2.29.0-2.29.4: file choice unchanged, read from the wheels (`PDMPackageFinder._sort_key` identical, "
     "`models/candidates.py` byte-identical to 2.28.2, dep-logic 0.7.x tag code untouched, unearth 0.19); the "
     "2.29 changes are lock markers and exclude-newer overrides. Recorded: 2.29.4 gives 2.28.2's answers on all "
     "34 scenarios (tests/fixtures/tools/pdm-2.29.4.json)"),
)

# poetry 2.0.0-2.4.1 read at the git tags; 2.5.1 read from its wheel (same rules, the hash check moved
# into `Chooser._choose_hash_verified_link`). Recorded: 2.0.1, 2.4.1, 2.5.1 (tests/fixtures/tools).
POETRY_RANGE = ("2.0.0", "2.5.1")
# pdm 2.17.0-2.28.2 read at the git tags, 2.29.x from its wheels; recorded: 2.22.0, 2.28.2, 2.29.4 (2.29.x installs
# here with its locked extra's pins as constraints, tools/fidelity/constraints/).
PDM_RANGE = ("2.17.0", "2.29.4")


def poetry_era(version: Version) -> PoetryEra:
    return _fold(POETRY_ROWS, version, PoetryEra(first=POETRY_RANGE[0]))


def pdm_era(version: Version) -> PdmEra:
    return _fold(PDM_ROWS, version, PdmEra(first=PDM_RANGE[0]))


check_rows(PIP_ROWS, PipEra(first=PIP_RANGE[0]))
check_rows(UV_ROWS, UvEra(first=UV_RANGE[0]))
check_rows(POETRY_ROWS, PoetryEra(first=POETRY_RANGE[0]))
check_rows(PDM_ROWS, PdmEra(first=PDM_RANGE[0]))
