"""A lock package's compact answers (`answer_package`) equal its decisions, column for column.

The compact pass for pip's pylock rule is not the rule's own code: each column's chosen file, rank and
tag must be what the rule's decision says, and the batched columns what `decide` says. Tested on every
recorded lock's packages and on generated packages (ties, build tags, pre-releases, yanked and
unusable files, archives) over every bundled profile.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tagsim import bundled_profiles, decide, parse_installer, parse_python
from tagsim.choice.listing import Listing
from tagsim.choice.lock_choice import READERS, Column, answer_package, refusal
from tagsim.files.filename import parse_filename
from tagsim.files.locks.detect import read_lock
from tagsim.files.locks.model import LockedPackage, LockFormat, PackageSource

LOCKS = Path(__file__).resolve().parents[1] / "fixtures" / "locks"
PROFILES = list(bundled_profiles().values())
PYTHONS = [parse_python(p) for p in ("cp310", "cp312", "cp313t", "pp310")]
INSTALLERS = {"pip": parse_installer("pip"), "uv": parse_installer("uv"), "poetry": parse_installer("poetry"),
              "pdm": parse_installer("pdm")}


def _columns(fmt: LockFormat, profiles: list, pythons: list) -> list[Column]:  # type: ignore[type-arg]
    from tagsim.choice.registry import compatible_tags
    from tagsim.errors import NotModelledError

    out = []
    for name in READERS[fmt]:
        installer = INSTALLERS[name.value]
        if refusal(fmt, installer):
            continue
        for profile in profiles:
            for interp in pythons:
                try:
                    compatible_tags(profile, interp, installer)
                except NotModelledError:
                    continue
                out.append(Column(profile, interp, installer))
    return out


def _assert_agree(fmt: LockFormat, pkg: LockedPackage, columns: list[Column], position: int = 0) -> int:
    """Each column: the compact answer is its decision's, and a batched column's decision is `decide`'s."""
    answers = answer_package(fmt, pkg, columns, position=position)
    fresh = answer_package(fmt, pkg, columns, position=position)  # decisions built before any compact read
    req = Requirement(f"{pkg.name}=={pkg.version}") if pkg.version is not None else None
    checked = 0
    for i, col in enumerate(columns):
        d = fresh.decision(i)
        assert answers.chosen(i) == (d.outcome, d.chosen, d.rank, d.tag), (pkg.name, col)
        assert answers.decision(i) == d
        pip_rule = fmt is LockFormat.PYLOCK and col.installer.name.value == "pip"
        if not pip_rule and not pkg.source.builds and pkg.problem is None:
            oracle = decide(col.profile, col.interp, col.installer, Listing(pkg.files), req)
            assert (oracle.outcome, oracle.chosen, oracle.rank, oracle.tag, oracle.hints) == (
                d.outcome, d.chosen, d.rank, d.tag, d.hints)
        checked += 1
    return checked


@pytest.mark.parametrize("path", ["uv/uv.lock", "uv/pylock.toml", "uv/pylock.pip.toml", "uv/pylock.nowheelonly.toml",
                                  "poetry/poetry.lock", "pdm/pdm.lock"])
def test_recorded_locks_compact_answers_equal_decisions(path: str) -> None:
    lock = read_lock(str(LOCKS / path))
    columns = _columns(lock.format, PROFILES, PYTHONS[:2])
    checked = sum(_assert_agree(lock.format, pkg, columns, n) for n, pkg in enumerate(lock.packages))
    assert checked == len(lock.packages) * len(columns) > 0


_WHEEL_TAGS = ["py3-none-any", "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64", "cp312-abi3-win_amd64",
               "cp310-cp310-musllinux_1_2_aarch64", "cp39-abi3-macosx_11_0_arm64", "cp312-cp312-manylinux_2_28_x86_64",
               "cp313-cp313t-manylinux_2_17_aarch64", "pp310-pypy310_pp73-manylinux_2_17_x86_64",
               "py2.py3-none-any", "cp312-none-any", "cp312-cp312-linux_armv7l"]


@st.composite
def _packages(draw: st.DrawFn) -> LockedPackage:
    version = draw(st.sampled_from(["1.0", "2.0rc1"]))
    names = []
    for tags in draw(st.lists(st.sampled_from(_WHEEL_TAGS), max_size=6)):
        build = draw(st.sampled_from(["", "-1", "-2"]))
        names.append(f"pkg-{version}{build}-{tags}.whl")
    if draw(st.booleans()):
        names.append(f"pkg-{version}.tar.gz")
    if draw(st.booleans()):
        names.append("pkg-9.9-py3-none-any.whl")  # another version than the locked one
    if draw(st.booleans()):
        names.append("pkg-1.0-bogus.whl")  # unusable
    names = draw(st.permutations(names))
    files = tuple(parse_filename(n, yanked=draw(st.booleans()) and n.endswith(".tar.gz")) for n in names)
    source = draw(st.sampled_from([PackageSource.REGISTRY, PackageSource.REGISTRY, PackageSource.URL]))
    return LockedPackage(canonicalize_name("pkg"), Version(version), source, 1, files=files)


_SAMPLE = [p for p in PROFILES if p.id in {"linux-x86_64-glibc2.17", "linux-x86_64-glibc2.28", "linux-aarch64-musl1.2",
                                            "windows-amd64", "macos14-arm64", "linux-armv7l-glibc2.31",
                                            "linux-x86_64-glibc2.5"}]


@settings(max_examples=150, deadline=None)
@given(pkg=_packages(), fmt=st.sampled_from([LockFormat.PYLOCK, LockFormat.UV]))
def test_generated_packages_compact_answers_equal_decisions(pkg: LockedPackage, fmt: LockFormat) -> None:
    assert len(_SAMPLE) == 7
    _assert_agree(fmt, pkg, _columns(fmt, _SAMPLE, PYTHONS))
