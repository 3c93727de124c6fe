"""Where two installers (or two versions) rank the same platform's tags differently."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RankChange:
    tag: str
    rank_a: int | None  # None: the first installer does not accept the tag
    rank_b: int | None


def diff_tag_lists(a: tuple[str, ...], b: tuple[str, ...]) -> list[RankChange]:
    """Tags whose position differs, in order of their best rank in either list.

    Positions are compared relative to the common tags, so one extra tag near
    the top does not make every later tag look moved.
    """
    common = set(a) & set(b)
    rel_a = {tag: i for i, tag in enumerate(t for t in a if t in common)}
    rel_b = {tag: i for i, tag in enumerate(t for t in b if t in common)}
    rank_a = {tag: i for i, tag in enumerate(a)}
    rank_b = {tag: i for i, tag in enumerate(b)}
    changes = [
        RankChange(tag, rank_a.get(tag), rank_b.get(tag))
        for tag in {*a, *b}
        if tag not in common or rel_a[tag] != rel_b[tag]
    ]
    # Ties (a tag at rank r in one list, another at rank r in the other) go by the tag text: a set's order
    # changes from run to run with hash randomisation, and so did this output.
    return sorted(changes, key=lambda c: (min(r for r in (c.rank_a, c.rank_b) if r is not None), c.tag))
