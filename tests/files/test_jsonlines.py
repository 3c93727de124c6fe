"""`parse_line`: a streamed name's `Line` (made without the named tuple's generated `__new__`, for speed)
is the one its constructor makes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tagsim.files.filename import parse_filename
from tagsim.files.jsonlines import Line, parse_line, project_groups

_NAMES = st.builds(lambda name, version, rest: f"{name}-{version}{rest}",
                   st.sampled_from(["demo", "Foo_Bar", "zope.interface", "x"]), st.sampled_from(["1.0", "2.0rc1", "bad!"]),
                   st.sampled_from([".tar.gz", ".zip", "-py3-none-any.whl", "-1-cp312-cp312-win_amd64.whl", ".rpm", ""]))


@given(number=st.integers(1, 10**6), name=_NAMES, pad=st.sampled_from(["", " ", "\t", "\r"]))
def test_a_name_line_is_its_constructors(number: int, name: str, pad: str) -> None:
    line = parse_line(number, f"{pad}{name}{pad}\n")
    dist = parse_filename(name, origin=f"line {number}")
    expected = Line(number, name, None, None, dist.problem) if dist.name is None else Line(number, name, dist, dist.name)
    assert type(line) is Line and line == expected
    assert (line.number, line.text, line.dist, line.project, line.problem) == tuple(expected)


def test_an_unusable_line_comes_out_at_once_and_does_not_end_its_group() -> None:
    lines = ["demo-1.0.tar.gz", "# a comment", "", "demo-1.0-py3-none-any.whl", "nope.rpm", "demo-2.0.zip", "other-2.0.zip"]
    groups = [(project, [line.number for line in group]) for project, group in project_groups(lines)]
    assert groups == [(None, [5]), ("demo", [1, 4, 6]), ("other", [7])]
