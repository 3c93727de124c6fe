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
from typing import Any

from packaging.version import Version

_X86 = frozenset({"x86_64", "i686"})


@dataclass(frozen=True)
class PipEra:
    """What one pip version computes. Field values are the features of that era."""

    first: str  # first pip version of the era
    generator: str = "pep425tags"  # "pep425tags" (pip < 20) or "packaging" (`packaging.tags`)
    # Linux: pep425tags "manylinux1" / "manylinux2010" / "manylinux2014";
    # packaging "legacy_chain" (20.0-20.4 `_linux_platforms`) or "pep600".
    linux: str = "manylinux1"
    manylinux_arches: frozenset[str] = frozenset({"x86_64", "i686"})
    musllinux: bool = False
    linux_first: bool = False
    armv8l: bool = False  # 32-bit aarch64 userland -> [armv8l, armv7l]; else -> armv7l
    mac: str = "pep425"  # "pep425", "minor_loop" (packaging <= 20.4), "bigsur" (20.5+)
    arm64_universal2_10x: bool = False
    fat: str = "fat32"
    free_threaded: str = "unknown"  # "unknown", "no_abi3" (packaging 24.0), "abi3t" (26.1)
    ios: bool = False
    android: bool = False
    pyemscripten: bool = False
    pypy: bool = False  # pep425tags-era PyPy tags (pp373 style) are not modelled
    windows_abi3: bool = False  # pip < 20 took abi3 from `.abi3` extension suffixes (POSIX only)
    # packaging 20.3-20.7 `_version_nodot`: versions with a part >= 10 joined by "_" (cp3_10, py3_12, abi cp3_10).
    version_underscore: bool = False
    sort_key: str = "version,priority"  # pip `CandidateEvaluator._sort_key` terms, most significant first
    prefer_binary: bool = False  # `--prefer-binary` exists
    yanked: bool = False  # PEP 592 yank value in the sort key
    # How the resolver treats yanked files: "ignored" (< 19.2), "rank-last" (legacy resolver, 19.2-20.2),
    # "skip-unless-all" (new resolver 20.3-21.3), "skip-unless-all-pinned" (22.0+, pip commit 705742337).
    yank_rule: str = "ignored"
    sources: tuple[str, ...] = ()


#: (first pip version, changes, source). Packaging versions from pip's `vendor.txt`.
PIP_ROWS: tuple[tuple[str, dict[str, Any], str], ...] = (
    ("8.1", {"linux": "manylinux1"}, "pip 8.1 `pep425tags.is_manylinux1_compatible` (PEP 513)"),
    ("10.0", {"sort_key": "version,build,priority"}, "pip 10.0 `_sort_key` adds the wheel build tag before the tag priority (#4299)"),
    ("18.0", {"prefer_binary": True, "sort_key": "binary,version,build,priority"}, "pip 18.0 `--prefer-binary` (#5370)"),
    ("19.0", {"linux": "manylinux2010"}, "pip 19.0 `pep425tags` manylinux2010 (PEP 571, #5410)"),
    ("19.2", {"yanked": True, "yank_rule": "rank-last", "sort_key": "hash,yank,binary,version,build,priority"}, "pip 19.2 `_sort_key` PEP 592 yank value"),
    ("19.3", {"linux": "manylinux2014"}, "pip 19.3 `pep425tags` manylinux2014 (PEP 599, #7102)"),
    ("20.0", {"generator": "packaging", "linux": "legacy_chain", "mac": "minor_loop", "windows_abi3": True,
              "pypy": True, "manylinux_arches": frozenset({"x86_64", "i686", "aarch64", "armv7l", "ppc64",
                                                           "ppc64le", "s390x"})},
     "pip 20.0 switches to packaging.tags (#6908, packaging 20.0-20.4 `_linux_platforms`)"),
    ("20.1", {"version_underscore": True},
     "pip 20.1 vendors packaging 20.3: `_version_nodot` spells Python 3.10+ as `3_10` (packaging #240); "
     "recorded with pip 20.2.4 (`--python-version 3.12` gives `cp3_12-…`, cp312 wheels are not found)"),
    ("20.3", {"linux": "pep600", "mac": "bigsur", "yank_rule": "skip-unless-all",
              "manylinux_arches": frozenset({"x86_64", "i686", "aarch64", "armv7l", "ppc64", "ppc64le", "s390x"})},
     "pip 20.3 vendors packaging 20.7: PEP 600 `_manylinux_tags`, macOS 11 (packaging #319); new resolver"),
    ("20.3.2", {"version_underscore": False},
     "pip 20.3.2 vendors packaging 20.8: no `_` in version tags (PEP 641 rejected; packaging #355, pip #9272)"),
    ("21.0.1", {"arm64_universal2_10x": True}, "packaging 20.9 (#380): universal2 at macosx_10_x on arm64"),
    ("21.1", {"sort_key": "hash,yank,binary,version,priority,build"},
     "pip 21.1 `_sort_key`: tag priority before build tag (426279c39)"),
    ("21.2", {"musllinux": True}, "pip 21.2 vendors packaging 21.0: musllinux (PEP 656)"),
    ("22.0", {"yank_rule": "skip-unless-all-pinned"},
     "pip 22.0 `factory.iter_index_candidate_infos`: all-yanked files are used only for a pinned requirement"),
    ("24.1", {"armv8l": True, "free_threaded": "no_abi3",
              "manylinux_arches": frozenset({"x86_64", "i686", "aarch64", "armv7l", "ppc64", "ppc64le", "s390x",
                                             "loongarch64", "riscv64"})},
     "pip 24.1 vendors packaging 24.1: armv8l (23.2), loongarch64 (23.2), riscv64 (24.0), free-threaded (24.0)"),
    ("24.3", {"ios": True}, "pip 24.3 backports packaging #832 (PEP 730 iOS)"),
    ("25.1", {"android": True}, "pip 25.1 vendors packaging 25.0: Android (PEP 738, #880)"),
    ("26.1", {"free_threaded": "abi3t", "pyemscripten": True},
     "pip 26.1 vendors packaging 26.2: abi3t (PEP 803, #1099), pyemscripten (PEP 783)"),
    ("26.3", {"linux_first": True, "fat": "fat3"},
     "pip 26.3 vendors packaging 26.3: `linux_*` first (#1187), `fat3` (#1199)"),
)


@dataclass(frozen=True)
class UvEra:
    """What one uv version computes (`crates/uv-platform-tags`)."""

    first: str
    legacy_order: bool = True  # before 0.1.22: linux_* first, manylinux ascending (#2483, #2489, #2496)
    free_threaded: str = "unknown"  # "no_abi3" (0.1.32, #2805), "abi3t" (0.11.3, #18767)
    floors: tuple[tuple[str, int], ...] = (
        ("x86_64", 5), ("i686", 5), ("aarch64", 17), ("armv7l", 17), ("ppc64", 17), ("ppc64le", 17), ("s390x", 17)
    )
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
    requires_python_lower_only: bool = False  # 0.4.3: Requires-Python upper bounds (<, <=, !=) ignored
    sources: tuple[str, ...] = ()

    def floor(self, arch: str) -> int | None:
        return dict(self.floors).get(arch)


UV_ROWS: tuple[tuple[str, dict[str, Any], str], ...] = (
    ("0.1.19", {}, "uv 0.1.19 `Arch::get_minimum_manylinux_minor` (floors 5 on x86, 17 elsewhere)"),
    ("0.1.22", {"legacy_order": False}, "uv 0.1.22 tag order fixes (#2483, #2489, #2496)"),
    ("0.1.32", {"free_threaded": "no_abi3"}, "uv 0.1.32 free-threaded `t` ABI without abi3 (#2805)"),
    ("0.2.3", {"build_tag": True}, "uv 0.2.3 compares wheel build tags (recorded: 0.2.2 ignores them, 0.2.3 does)"),
    ("0.2.12", {"binary_name_wins": True},
     "uv 0.2.12: a named --only-binary beats --no-binary :all: (recorded: 0.2.11 installs nothing)"),
    ("0.2.19", {"requires_python_chosen_only": True},
     "uv 0.2.19 checks Requires-Python on the chosen file of a version only (recorded: 0.2.18 falls back per file)"),
    ("0.4.3", {"requires_python_lower_only": True},
     "uv 0.4.3 ignores Requires-Python upper bounds (#5045, #4022; recorded: 0.4.2 honours them)"),
    ("0.5.1", {"floors": None, "_add_floor": ("riscv64", 31)}, "uv 0.5.1 riscv64 manylinux floor 2_31 (#8934)"),
    ("0.5.10", {"userland_32bit": True}, "uv 0.5.10 32-bit interpreter on a 64-bit kernel (#9970)"),
    ("0.5.25", {"floors": None, "_add_floor": ("loongarch64", 36)}, "uv 0.5.25 loongarch64 floor 2_36 (#10927)"),
    ("0.7.3", {"musllinux_1_0": True}, "uv 0.7.3 accepts musllinux_1_0 (#13289)"),
    ("0.8.16", {"mobile": True}, "uv 0.8.16 Android and iOS tags (#15646, #15640)"),
    ("0.9.23", {"armv8l_as_armv7l": True}, "uv 0.9.23 parses armv8l as armv7l (#17384)"),
    ("0.11.3", {"free_threaded": "abi3t"}, "uv 0.11.3 abi3t for free-threaded builds (#18767, #18777)"),
    ("0.11.19", {"pyemscripten": True}, "uv 0.11.19 PyEmscripten platform tags (#19629)"),
    ("0.11.21", {"musl_descending": True}, "uv 0.11.21 musllinux order descending, linux_* last (#19804)"),
)

#: Modelled version ranges and each installer's newest version (its default).
PIP_RANGE = ("8.1", "26.3")
# uv 0.13.9 (newest on PyPI) was recorded identical to 0.13.8 on 3 profiles (tests/fixtures/uv_tags/uv-0.13.9.json).
UV_RANGE = ("0.1.19", "0.13.9")


def _fold(rows: tuple[tuple[str, dict[str, Any], str], ...], version: Version, base: Any) -> Any:
    era = base
    names = {f.name for f in fields(base)}
    sources: list[str] = []
    for first, changes, source in rows:
        if Version(first) > version:
            break
        update = {k: v for k, v in changes.items() if k in names and v is not None}
        if "_add_floor" in changes:
            update["floors"] = (*era.floors, changes["_add_floor"])
        era = replace(era, first=first, **update)
        sources.append(source)
    return replace(era, sources=tuple(sources))


@lru_cache(maxsize=256)
def pip_era(version: Version) -> PipEra:
    return _fold(PIP_ROWS, version, PipEra(first=PIP_RANGE[0]))  # type: ignore[no-any-return]


@lru_cache(maxsize=256)
def uv_era(version: Version) -> UvEra:
    return _fold(UV_ROWS, version, UvEra(first=UV_RANGE[0]))  # type: ignore[no-any-return]


def manylinux_floor_pip(archs: frozenset[str] | set[str]) -> int:
    """packaging `_manylinux.platform_tags`: glibc 2.5 on x86, 2.17 everywhere else."""
    return 5 if set(archs) & _X86 else 17


@dataclass(frozen=True)
class PoetryEra:
    """What one poetry 2.x version does when it picks a version and then a file.

    poetry resolves first (newest version the constraint and the project's Python range allow,
    whatever its files are) and only then lets the installer's `Chooser` pick a file of that
    version; see `tagsim.policy_tools`.
    """

    first: str
    # installer.no-binary / installer.only-binary: "plain" (2.0-2.1: `:all:` in one list beats a
    # name in the other) or "exact-name-wins" (2.2+: a name beats `:all:` in the other list).
    binary_policy: str = "plain"
    # Tags: `VirtualEnv.get_supported_tags` calls the *installed* packaging's `cpython_tags` +
    # `compatible_tags`, the same calls as pip's `get_supported`; poetry requires packaging >= 24,
    # so the list is that of the newest packaging, 26.3, i.e. the one pip 26.3 vendors.
    tags_like_pip: str = "26.3"
    sources: tuple[str, ...] = ()


POETRY_ROWS: tuple[tuple[str, dict[str, Any], str], ...] = (
    ("2.0.0", {},
     "poetry 2.0.0 `puzzle/provider.py` `Provider.search_for` (newest version first, files not looked at), "
     "`repositories/repository.py` `find_packages` (yanked releases only for `==`), `installation/chooser.py` "
     "`Chooser._sort_key` (hash, yank, binary=0, version, build tag, tag priority), "
     "`utils/env/virtual_env.py` `get_supported_tags`"),
    ("2.2.0", {"binary_policy": "exact-name-wins"},
     "poetry 2.2.0 `Chooser.choose_for`: an exact name in installer.only-binary/no-binary beats `:all:` "
     "in the other list (#10278, fee7d0d2a)"),
)


@dataclass(frozen=True)
class PdmEra:
    """What one pdm 2.x version does (its own finder over unearth, tags from dep_logic)."""

    first: str
    sources: tuple[str, ...] = ()


PDM_ROWS: tuple[tuple[str, dict[str, Any], str], ...] = (
    ("2.17.0", {},
     "pdm 2.17.0 `models/finder.py` `PDMPackageFinder._sort_key` (yank, prefer-binary, version, dep_logic "
     "`EnvSpec.wheel_compatibility`, build tag never filled in) and lock targets (c190e143, #2995): the lock "
     "resolves for every platform, `sync` picks a locked file for this one (`candidates._find_best_match_link`)"),
)

# poetry 2.0.0-2.4.1 read at the git tags; 2.5.1 read from its wheel (same rules, the hash check moved
# into `Chooser._choose_hash_verified_link`). Recorded: 2.0.1, 2.4.1, 2.5.1 (tests/fixtures/tools).
POETRY_RANGE = ("2.0.0", "2.5.1")
# pdm 2.17.0-2.28.2 read at the git tags; recorded: 2.22.0, 2.28.2. (2.29.x does not install here.)
PDM_RANGE = ("2.17.0", "2.28.2")


def poetry_era(version: Version) -> PoetryEra:
    return _fold(POETRY_ROWS, version, PoetryEra(first=POETRY_RANGE[0]))  # type: ignore[no-any-return]


def pdm_era(version: Version) -> PdmEra:
    return _fold(PDM_ROWS, version, PdmEra(first=PDM_RANGE[0]))  # type: ignore[no-any-return]
