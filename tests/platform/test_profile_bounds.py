"""Impossible machines are refused before any tag is generated (issue 14 item 3)."""

from __future__ import annotations

import pytest

from tagsim import resolve_platform
from tagsim.cli import main
from tagsim.errors import ProfileError


@pytest.mark.parametrize("spec", ["os=macos,arch=x86_64,os_version=10.99999", "os=macos,arch=arm64,os_version=14.99999",
                                  "os=ios,arch=arm64,os_version=17.500"])
def test_huge_minor_versions_are_no_machine(spec: str) -> None:
    with pytest.raises(ProfileError, match="is not a real version"):
        resolve_platform(spec)


def test_real_minors_still_pass() -> None:
    assert resolve_platform("os=macos,arch=x86_64,os_version=10.16").os_version == (10, 16)
    assert resolve_platform("os=macos,arch=arm64,os_version=11.7").os_version == (11, 7)


def test_the_cli_prints_nothing_on_stdout_before_refusing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tags", "os=macos,arch=x86_64,os_version=10.99999"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("tagsim: error: inline profile") and "minors of macos 10 end by .16" in err
