"""`parse_filename`, the one filename parser, against packaging itself, and the files it makes against
`DistFile`'s own constructor (it builds them without the generated `__init__`, for speed)."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.utils import parse_sdist_filename, parse_wheel_filename

from tagsim.errors import one_line
from tagsim.files.build_needs import BuildNeeds
from tagsim.files.filename import MAX_WHEEL_TAGS, DistFile, FileKind, parse_filename

_PARTS = st.sampled_from(["demo", "Foo_Bar", "zope.interface", "a", "x-y", "", "1.0", "2.0rc1", "1!2.0", "bad version",
                          "7", "12abc", "b7", "py3", "cp312", "none", "abi3", "any", "manylinux_2_17_x86_64",
                          "py2.py3", "cp312.cp313", "a.b.c.d.e.f.g.h", "win_amd64.win32", "\u0130", "x\u212a"])
_SUFFIXES = st.sampled_from([".whl", ".tar.gz", ".zip", ".tar.bz2", ".egg", "", ".WHL"])
#: Names of every shape: 1 to 8 dash-separated parts (so 0 to 7 dashes) and any suffix.
_NAMES = st.builds(lambda parts, suffix: "-".join(parts) + suffix, st.lists(_PARTS, min_size=1, max_size=8), _SUFFIXES)
#: Well-formed wheel and sdist names (with and without a build tag), which the names above seldom are.
_WELL_FORMED = st.builds(
    lambda name, version, build, py, abi, plat, sdist: f"{name}-{version}.{sdist}" if sdist else
    f"{name}-{version}{build}-{py}-{abi}-{plat}.whl",
    st.sampled_from(["demo", "Foo_Bar", "zope.interface", "a"]), st.sampled_from(["1.0", "2.0rc1", "1!2.0", "0.9.0"]),
    st.sampled_from(["", "-1", "-7b", "-12abc", "-x1"]), st.sampled_from(["py3", "py2.py3", "cp312"]),
    st.sampled_from(["none", "abi3", "cp312"]), st.sampled_from(["any", "manylinux_2_17_x86_64.manylinux2014_x86_64"]),
    st.sampled_from([None, "tar.gz", "zip"]))
_HUGE = "-".join([".".join(f"p{i}" for i in range(17))] * 3)  # 17^3 = 4,913 tags


def _expected(name: str) -> tuple[FileKind, Any, str | None]:
    """What the name should parse to: packaging's answer, or its exact error, after tagsim's two refusals."""
    if not name.isascii() and name.endswith((".whl", ".tar.gz", ".zip")):
        return FileKind.UNUSABLE, None, "non-ASCII"
    if name.endswith(".whl"):
        parts = name[:-4].split("-")
        expanded = 1
        for part in parts[-3:] if len(parts) >= 5 else ():
            expanded *= part.count(".") + 1
        if expanded > MAX_WHEEL_TAGS:
            return FileKind.UNUSABLE, None, f"expand to {expanded} tags"
        try:
            return FileKind.WHEEL, parse_wheel_filename(name), None
        except ValueError as exc:
            return FileKind.UNUSABLE, None, f"invalid wheel filename: {one_line(str(exc))}"
    if name.endswith((".tar.gz", ".zip")):
        try:
            name_, version = parse_sdist_filename(name)
            return FileKind.SDIST, (name_, version, (), frozenset()), None
        except ValueError as exc:
            return FileKind.UNUSABLE, None, f"invalid sdist filename: {one_line(str(exc))}"
    return FileKind.UNUSABLE, None, ".whl, .tar.gz"


def _assert_same_as_constructor(dist: DistFile) -> None:
    """The file equals, hashes and prints as the one `DistFile(...)` makes from its fields, and has no other state."""
    values = {f.name: getattr(dist, f.name) for f in fields(DistFile)}
    made = DistFile(**values)
    assert set(vars(dist)) == set(values)
    assert dist == made and hash(dist) == hash(made) and repr(dist) == repr(made)
    assert replace(dist, yanked=not dist.yanked) == replace(made, yanked=not made.yanked)
    with pytest.raises(AttributeError):
        dist.filename = "changed"  # type: ignore[misc]


@given(name=_NAMES | _WELL_FORMED | st.just(f"demo-1.0-{_HUGE}.whl") | st.just(f"demo-1.0-7-{_HUGE}.whl"))
def test_names_parse_as_packaging_says(name: str) -> None:
    dist = parse_filename(name)
    kind, parsed, problem = _expected(name)
    assert dist.kind is kind and dist.filename == name
    if parsed is not None:
        assert (dist.name, dist.version, dist.build, dist.tags) == tuple(parsed) and dist.problem is None
    else:
        assert (dist.name, dist.version, dist.build, dist.tags) == (None, None, (), frozenset())
        assert dist.problem is not None and problem is not None and problem in dist.problem
    _assert_same_as_constructor(dist)


@given(name=_NAMES | _WELL_FORMED, requires=st.none() | st.just(">=3.8"), yanked=st.booleans(), reason=st.none() | st.just("bad"),
       upload=st.none() | st.just("2024-01-01T00:00:00Z"), origin=st.sampled_from(["", "line 3"]), present=st.booleans(),
       path=st.none() | st.just("/tmp/x"), folder=st.booleans(), url=st.none() | st.just("https://x/y"),
       digest=st.none() | st.just(("sha256", "ab")))
def test_every_fact_is_kept(name: str, requires: str | None, yanked: bool, reason: str | None, upload: str | None,
                            origin: str, present: bool, path: str | None, folder: bool, url: str | None,
                            digest: tuple[str, str] | None) -> None:
    dist = parse_filename(name, requires_python=requires, yanked=yanked, yanked_reason=reason, upload_time=upload,
                          origin=origin, present=present, path=path, in_folder=folder, url=url, digest=digest)
    assert (dist.requires_python, dist.yanked, dist.yanked_reason, dist.upload_time, dist.origin, dist.present,
            dist.path, dist.in_folder, dist.url, dist.digest, dist.build_needs) == \
        (requires, yanked, reason, upload, origin, present, path, folder, url, digest, None)
    _assert_same_as_constructor(dist)
    needs = replace(dist, build_needs=BuildNeeds("setuptools.build_meta", (), ""))
    assert needs != dist and needs.build_needs is not None
