"""Cumulative what-if edits stay linear (issue 14, smaller items: 4,000 `--retag`s were a MemoryError)."""

from __future__ import annotations

import tracemalloc

import pytest

from tagsim.errors import EditError
from tagsim.files.edits import MAX_EDITS, apply_edits, parse_retag
from tagsim.files.filename import parse_filename

WHEEL = "demo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl"


def test_many_cumulative_retags_are_parsed_once() -> None:
    """Each edit adds one platform tag: every intermediate name used to be parsed and cached (2,000 took 640 MB)."""
    edits = [parse_retag(f"demo-*=+p{i}") for i in range(MAX_EDITS)]
    tracemalloc.start()
    try:
        (dist,) = apply_edits([parse_filename(WHEEL)], edits)
        top = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert dist.usable and len(dist.tags) == MAX_EDITS + 1 and top < 32 * 2**20, top
    assert dist.origin == f"--retag demo-*=+p{MAX_EDITS - 1} (was {WHEEL})"


def test_too_many_edits_is_one_error() -> None:
    with pytest.raises(EditError, match=f"--retag: {MAX_EDITS + 1} what-if edits, over the limit of {MAX_EDITS}"):
        apply_edits([parse_filename(WHEEL)], [parse_retag("demo-*=+p1")] * (MAX_EDITS + 1))


def test_an_edit_chain_is_checked_at_its_end() -> None:
    """An unusable final name names the last edit; a drop sees the names earlier retags gave."""
    files = [parse_filename(WHEEL), parse_filename("demo-1.0.tar.gz")]
    edited = apply_edits(files, [parse_retag("demo-*.whl=+musllinux_1_2_x86_64"), parse_retag("*musllinux*=win_amd64")])
    assert [f.filename for f in edited] == ["demo-1.0-cp312-cp312-win_amd64.whl", "demo-1.0.tar.gz"]
