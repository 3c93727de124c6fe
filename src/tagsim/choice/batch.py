"""Many columns at once: one listing decided for every (platform, Python, installer) column.

`check`, `history`, `stream` and lock-file reports decide the same files for many columns. Deciding
them one `decide` at a time repeats what does not depend on the column, or depends on it only
through a wheel's tag set. A `Batch` looks each distinct tag set up once for all the columns of an
installer (a column vector, kept across every listing the batch decides); each column then hands
its family's own `pick` the few files its tags admit. Everything else is `decide`'s own code: the
static checks, the pre-release filter, the pick, the newest-version windows and when they settle,
the decision and its message; the explanation (`considered`) and the hints are `decide`'s too,
worked out when first read. `decide` is the oracle: tests/choice/test_batch.py requires equal
decisions, cell for cell, on every recorded scenario and on generated listings.

Why handing `pick` only the admitted files changes nothing for pip and uv: their picks read, mark
and rank only the files the first pass left usable (`ev.ok`), in listing order, and that order is
kept. poetry and pdm are not batched (their picks resolve over files the tags rejected, and
explain as they go): their columns are decided by `decide`, one by one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import chain, compress
from typing import NamedTuple

from packaging.requirements import Requirement
from packaging.tags import Tag

from ..errors import TagsimError
from ..files.filename import DistFile
from ..platform.interpreter import Interpreter
from ..platform.profile import Profile
from ..tags.index import Compatible, Incompatible, TagIndex
from .decide import NO_FLAGS, Rejections, decide, settled, version_windows
from .decision import Decision, decision_of, none_message
from .family import Context, Family
from .flags import Flags
from .hints import NO_HINTS, LazyHints
from .installer import Installer
from .listing import Listing
from .reasons import Reason
from .registry import family_of, tag_index
from .verdict import AS_REASON, Verdict, drop_prereleases, project_of, static_checks


class Column(NamedTuple):
    """One column of a matrix: a platform, an interpreter and an installer."""

    profile: Profile
    interp: Interpreter
    installer: Installer


#: A file in one column: its rank + 1 when the column's tags admit it (an sdist: the sdist rank + 1), else 0.
#: Ints, so a column's admitted files are `itertools.compress` of its slots, without a Python loop.
Slot = int
#: A column's answer: its decision, or the error `decide` raises there (a combination not modelled).
Result = Decision | TagsimError

_VECTOR_LIMIT = 1 << 14  # tag sets remembered per installer (memory stays bounded on a whole index)


class _Group:
    """The columns of one installer: their tag indexes and, per tag set, the slot of each column."""

    __slots__ = ("columns", "errors", "family", "indexes", "installer", "positions", "sdists", "vectors")

    def __init__(self, installer: Installer) -> None:
        self.installer, self.family = installer, family_of(installer)
        self.positions: list[int] = []
        self.columns: list[Column] = []
        self.indexes: list[TagIndex | None] = []
        self.errors: list[TagsimError | None] = []
        self.vectors: dict[frozenset[Tag], tuple[Slot, ...]] = {}
        self.sdists: tuple[Slot, ...] = ()

    def add(self, position: int, column: Column) -> None:
        self.positions.append(position)
        self.columns.append(column)
        try:
            index: TagIndex | None = tag_index(column.profile, column.interp, column.installer)
            error = None
        except TagsimError as exc:  # decided where asked: every listing gets this error for the column
            index, error = None, exc
        self.indexes.append(index)
        self.errors.append(error)
        self.sdists = (*self.sdists, index.sdist_rank + 1 if index is not None else 0)

    def vector(self, tags: frozenset[Tag]) -> tuple[Slot, ...]:
        found = self.vectors.get(tags)
        if found is None:
            if len(self.vectors) >= _VECTOR_LIMIT:
                self.vectors.clear()
            found = self.vectors[tags] = tuple(_slot(index, tags) for index in self.indexes)
        return found


def _slot(index: TagIndex | None, tags: frozenset[Tag]) -> Slot:
    if index is None:
        return 0
    result = index.evaluate(tags)
    return result.rank + 1 if isinstance(result, Compatible) else 0


class Batch:
    """Columns decided together, listing after listing: a matrix's cells, a history's releases,
    a stream's projects, a lock file's packages. Build it once, call `decide` per listing."""

    def __init__(self, columns: Iterable[Column]) -> None:
        self.columns = tuple(columns)
        groups: dict[Installer, _Group] = {}
        for position, column in enumerate(self.columns):
            groups.setdefault(column.installer, _Group(column.installer)).add(position, column)
        self._groups = tuple(groups.values())

    def decide(self, files: Sequence[DistFile], req: Requirement | None = None,
               flags: Flags | None = None) -> list[Result]:
        """Every column's decision on `files` (equal to `decide` for that column), in column order."""
        listing = Listing.of(files)
        results: list[Result | None] = [None] * len(self.columns)
        try:
            project = project_of(listing, req)
        except TagsimError as exc:
            return [exc] * len(self.columns)
        for group in self._groups:
            family = group.family
            if not family.walks_files:
                for position, column in zip(group.positions, group.columns, strict=True):
                    results[position] = _one(column, listing, req, flags)
                continue
            pending = []
            for j, error in enumerate(group.errors):
                if error is None:
                    pending.append(j)
                else:
                    results[group.positions[j]] = error
            group_flags = family.drop_flags(flags or NO_FLAGS)
            for window in (*version_windows(listing, project, req), listing):
                if not pending:
                    break
                pending = _decide_on(group, family, window, listing, project, req, group_flags, pending, results)
        return [r for r in results if r is not None]


def decide_columns(files: Sequence[DistFile], columns: Iterable[Column], req: Requirement | None = None,
                   flags: Flags | None = None) -> list[Result]:
    """One listing for every column at once (a fresh `Batch`; keep one to decide many listings)."""
    return Batch(columns).decide(files, req, flags)


def _one(column: Column, listing: Listing, req: Requirement | None, flags: Flags | None) -> Result:
    try:
        return decide(column.profile, column.interp, column.installer, listing, req, flags)
    except TagsimError as exc:
        return exc


def _decide_on(group: _Group, family: Family, files: Listing, listing: Listing, project: str,
               req: Requirement | None, flags: Flags, pending: list[int], results: list[Result | None]) -> list[int]:
    """Decide the pending columns on `files` (a newest-version window, or the whole listing); return the
    columns whose choice there does not settle the whole listing (`decide.settled`).

    Columns that admit the same files, ranked in the same order, for the same interpreter get the same
    pick (pip's and uv's picks compare ranks only with each other, and read neither the profile nor the
    tag index): it is made once, for the first of them, and reused.
    """
    final = files is listing
    installer = group.installer
    statics, maybe_pre = static_checks(files, project, req, flags, family.name_wins(installer.era))
    standing = [dist for dist, reason, _ in statics if reason is None]
    positions = range(len(standing))
    vectors = [group.vector(dist.tags) if dist.is_wheel else group.sdists for dist in standing]
    per_column: list[tuple[Slot, ...]] = list(zip(*vectors, strict=True)) if vectors else [()] * len(group.columns)
    picks: dict[tuple[object, ...], tuple[int | None, str, tuple[Reason, ...]]] = {}
    left = []
    columns, indexes, out = group.columns, group.indexes, group.positions
    for j in pending:
        column, slots, index = columns[j], per_column[j], indexes[j]
        assert index is not None
        admitted = tuple(compress(positions, slots))
        if len(admitted) < 2:
            key: tuple[object, ...] = (id(column.interp), admitted)
        elif len(admitted) == 2:  # the usual wheel and sdist: which ranks better, or a tie
            first, second = slots[admitted[0]], slots[admitted[1]]
            key = (id(column.interp), admitted, (first > second) - (first < second))
        else:
            ranks = [slots[k] for k in admitted]
            key = (id(column.interp), admitted, tuple(map(sorted(set(ranks)).index, ranks)))
        known = picks.get(key)
        if known is None:
            verdicts = [_verdict(standing[k], slots[k], index) for k in admitted]
            if maybe_pre:
                drop_prereleases(verdicts, req, flags)
            pick = family.pick(verdicts, Context(column.profile, column.interp, installer, project, req, flags, index))
            position = next((k for k, ev in zip(admitted, verdicts, strict=True) if ev is pick.chosen), None)
            known = picks[key] = (position, pick.message, tuple(ev.reason for ev in verdicts if ev.reason is not None))
        position = known[0]
        hints: LazyHints
        if position is None:
            if not final:
                left.append(j)
                continue
            message = known[1] or none_message(project, req, chain(
                (reason for dist, reason, _ in statics if reason is not None and dist.name == project),
                (_tag_reason(index, dist) for dist, slot in zip(standing, slots, strict=True) if not slot),
                known[2]))
            chosen, hints = None, _SlotHints(index, standing, slots, None)
        else:
            dist = standing[position]
            rank = slots[position] - 1
            if dist.is_wheel:
                chosen, hints = Verdict(dist, rank, index.tags[rank]), NO_HINTS
            else:
                chosen, hints = Verdict(dist, rank, None), _SlotHints(index, standing, slots, dist)
            if not final and not settled(dist, flags):
                left.append(j)
                continue
            message = ""
        considered = Rejections(column.profile, column.interp, installer, listing, req, flags)
        results[out[j]] = decision_of(installer, chosen, considered, hints, flags, message)
    return left


def _verdict(dist: DistFile, slot: Slot, index: TagIndex) -> Verdict:
    """The first pass's verdict on an admitted file in this column (an sdist has no tag)."""
    rank = slot - 1
    return Verdict(dist, rank, index.tags[rank] if dist.is_wheel else None)


def _tag_reason(index: TagIndex, dist: DistFile) -> Reason:
    result = index.evaluate(dist.tags)
    assert isinstance(result, Incompatible)
    return AS_REASON[result.category]


class _SlotHints(LazyHints):
    """Hints from the standing wheels a column's tags rejected (the same wheels `decide`'s pass rejects)."""

    __slots__ = ("slots", "standing")

    def __init__(self, index: TagIndex, standing: list[DistFile], slots: tuple[Slot, ...],
                 sdist: DistFile | None) -> None:
        super().__init__(index, sdist)
        self.standing, self.slots = standing, slots

    def _wheels(self) -> Iterable[DistFile]:
        return (dist for dist, slot in zip(self.standing, self.slots, strict=True) if not slot)


