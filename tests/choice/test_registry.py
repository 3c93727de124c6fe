"""The installer registry and the listing memo (issue 12): one family object per installer, no name checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagsim import Listing, decide, decision_json, load_source, parse_installer, parse_python, resolve_platform
from tagsim.choice.flags import Flags
from tagsim.choice.installer import InstallerName
from tagsim.choice.registry import FAMILIES, compatible_tags
from tagsim.errors import InstallerError

UV = str(Path(__file__).resolve().parents[2] / "data" / "demo" / "pypi-simple-uv.json")


def test_every_installer_has_one_family_and_its_newest_version_is_the_default() -> None:
    assert set(FAMILIES) == set(InstallerName)
    for name, family in FAMILIES.items():
        installer = parse_installer(name.value)
        assert installer.name is name and str(installer.version) == str(type(installer.version)(family.versions[1]))
        assert installer.era == family.era(installer.version)


def test_a_version_outside_the_family_range_is_refused() -> None:
    with pytest.raises(InstallerError, match="not modelled"):
        parse_installer("pdm==2.0")


def test_uv_drops_prefer_binary_in_decide_itself() -> None:
    """uv has no --prefer-binary: `decide` drops it for uv whoever calls it (it was done in explain and stream)."""
    files = load_source(UV)
    profile, interp, uv = resolve_platform("linux-aarch64-glibc2.17"), parse_python("cp312"), parse_installer("uv")
    with_flag = decide(profile, interp, uv, files, None, Flags(prefer_binary=True))
    without = decide(profile, interp, uv, files, None, Flags())
    assert decision_json(with_flag) == decision_json(without)


def test_a_shared_listing_gives_the_same_decisions_as_fresh_files() -> None:
    files = load_source(UV)
    listing = Listing(files)
    interp = parse_python("cp312")
    for pid in ("linux-aarch64-glibc2.17", "windows-arm64", "linux-x86_64-musl1.1"):
        for spec in ("pip", "uv", "poetry", "pdm", "pip==19.3.1"):
            profile, installer = resolve_platform(pid), parse_installer(spec)
            assert decision_json(decide(profile, interp, installer, listing)) == \
                decision_json(decide(profile, interp, installer, list(files)))
    assert listing.memo, "the listing remembered what does not depend on the target"


def test_tag_lists_come_from_the_family() -> None:
    profile, interp = resolve_platform("linux-aarch64-glibc2.17"), parse_python("cp312")
    pip, poetry = parse_installer("pip"), parse_installer("poetry")
    assert compatible_tags(profile, interp, poetry) == compatible_tags(profile, interp, pip)  # poetry 2.5 uses packaging 26.3
    assert compatible_tags(profile, interp, parse_installer("uv"))[0].endswith("manylinux_2_17_aarch64")


def test_a_listing_memo_stays_bounded_when_callers_pass_new_objects() -> None:
    files = load_source(UV)
    listing = Listing(files)
    profile, interp, pip = resolve_platform("linux-x86_64-glibc2.28"), parse_python("cp312"), parse_installer("pip")
    for _ in range(300):
        decide(profile, interp, pip, listing, None, Flags(pre=False))  # a new, equal Flags object every time
    assert len(listing.memo) <= 256
    for _ in range(50):
        decide(profile, interp, pip, listing)  # the default flags are one object: one entry, reused
    assert len(listing.memo) <= 256
