"""Python patch levels (issue 13, part 2): `--python 3.9.18` / `cp39@3.9.18`; X.Y.0 stays the default and says so."""

from __future__ import annotations

import pytest

from tagsim import decide, parse_filename, parse_installer, parse_python, parse_spec, resolve_platform
from tagsim.errors import InterpreterError

FILES = [parse_filename("demo-2.0-py3-none-any.whl", requires_python=">=3.12.1"),
         parse_filename("demo-1.0-py3-none-any.whl")]


@pytest.mark.parametrize(("text", "patch", "tag"), [
    ("3.12.1", 1, "cp312@3.12.1"), ("cp312@3.12.1", 1, "cp312@3.12.1"), ("cp312", None, "cp312"),
    ("cp313t@3.13.2", 2, "cp313t@3.13.2"), ("pp310", None, "pp310"),
])
def test_a_patch_level_is_read_and_spelt_back(text: str, patch: int | None, tag: str) -> None:
    interp = parse_python(text)
    assert interp.patch == patch and interp.tag == tag and parse_python(interp.tag) == interp


def test_a_patch_level_of_another_minor_is_refused() -> None:
    with pytest.raises(InterpreterError, match=r"3\.11\.2 is not a 3\.12 release"):
        parse_python("cp312@3.11.2")


@pytest.mark.parametrize("installer", ["pip", "pip==19.3.1", "uv", "uv==0.4.2", "uv==0.1.20"])
def test_requires_python_is_checked_at_the_patch_level(installer: str) -> None:
    """pip compares `sys.version_info[:3]`, uv a real interpreter's full version (recorded: rp-patch-level)."""
    profile, inst, req = resolve_platform("linux-x86_64-glibc2.36"), parse_installer(installer), parse_spec("demo")
    at_0 = decide(profile, parse_python("cp312"), inst, FILES, req)
    at_1 = decide(profile, parse_python("3.12.1"), inst, FILES, req)
    assert at_0.chosen is not None and at_0.chosen.filename == "demo-1.0-py3-none-any.whl"
    assert at_1.chosen is not None and at_1.chosen.filename == "demo-2.0-py3-none-any.whl"
    rejected = next(c for c in at_0.considered if c.file.filename.startswith("demo-2.0"))
    assert "taken as 3.12.0; 3.12.1 or later would pass" in rejected.detail


def test_no_patch_hint_when_no_patch_level_helps() -> None:
    files = [parse_filename("demo-2.0-py3-none-any.whl", requires_python=">=3.13"), parse_filename("demo-1.0.tar.gz")]
    d = decide(resolve_platform("windows-amd64"), parse_python("cp312"), parse_installer("pip"), files)
    rejected = next(c for c in d.considered if c.file.filename.startswith("demo-2.0"))
    assert rejected.detail == "requires-python >=3.13, target is Python 3.12"
