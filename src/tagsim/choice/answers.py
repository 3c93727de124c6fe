"""One listing decided for every column of a batch, compact: each column's chosen file at once, its
`Decision` built when first read, by the code that would have built it then (`Round.decision`).

A `Round` is one installer group's pass over one window of a listing (the newest versions, or the
whole listing): the static checks, the files they leave standing and each column's slots over them
are shared by the group's columns. A column hands its family's `pick` the files its slots admit.
Columns that admit the same files in the same rank order, for the same interpreter, get one pick.
And a pick is remembered across listings under the facts it reads (`_window`): a history's releases,
a stream's projects and a lock's packages mostly repeat a handful of shapes.

What pip's and uv's picks read of a file (tests/choice/test_batch.py holds them to `decide`): whether
it is a wheel, yanked, its build tag and Requires-Python, and the order of its version and filename
among the others; of the decision: the interpreter, the flags and whether the requirement pins a
version. Listings with a pre-release (the requirement's specifier filters them) or files from a
folder (pip and uv order those by more of the name) are not shared.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain, compress, count
from operator import not_
from typing import NamedTuple, cast

from packaging.requirements import Requirement
from packaging.tags import Tag
from packaging.version import Version

from ..errors import TagsimError
from ..files.build_needs import BuildNeeds
from ..files.filename import DistFile
from ..tags.index import Incompatible, TagIndex
from .columns import Decided, Group, Picked, Slot
from .decide import Rejections, settled
from .decision import Decision, decision_of, none_message, sdist_outcome
from .family import Context
from .flags import Flags
from .hints import NO_HINTS, LazyHints
from .listing import Listing
from .reasons import Outcome, Reason
from .requirement import is_pinned
from .verdict import AS_REASON, Verdict, drop_prereleases, static_checks

#: A column's answer: its decision, or the error `decide` raises there (a combination not modelled).
Result = Decision | TagsimError
#: A column decided in a round: the round, the column's place in its group, the chosen standing file, the pick.
Pending = tuple["Round", int, int | None, Picked]
Found = Pending | Decision | TagsimError
#: A column's answer in short: its outcome, the chosen file (None: nothing installs), its rank and its tag.
Chosen = tuple[Outcome, DistFile | None, int | None, str | None]

_UNSHARED = count(1)  # a key part no other listing's pick can have


class Round:
    """One group's pass over a window of a listing."""

    __slots__ = ("_of_version", "_per_column", "_version_slots", "final", "flags", "group", "head", "listing", "maybe_pre", "project",
                 "req", "shared", "standing", "statics")

    def __init__(self, group: Group, files: Listing, listing: Listing, project: str, req: Requirement | None,
                 flags: Flags) -> None:
        self.group, self.listing, self.project, self.req, self.flags = group, listing, project, req, flags
        self.final = files is listing
        shared = _window(files, project, req, flags, group.family.name_wins(group.installer.era))
        self.shared = shared
        self.statics, self.maybe_pre, self.standing = shared.statics, shared.maybe_pre, shared.standing
        #: What the picks read of the decision: the flags (numbered per group) and whether the requirement pins
        #: a version; or, when the window is not shared with other listings, a number of its own.
        self.head: object = (group.flag_number(flags), shared.pinned) if shared.serial == 0 else shared.serial
        self._per_column: list[tuple[Slot, ...]] | None = None
        self._of_version: dict[Version, list[int]] | None = None
        self._version_slots: dict[int, tuple[tuple[frozenset[Tag], ...], list[tuple[Slot, ...]]]] = {}

    @property
    def per_column(self) -> list[tuple[Slot, ...]]:
        """Each column's slots over the standing files (made when a column is picked or explained here)."""
        if self._per_column is None:
            group = self.group
            vectors = [group.vector(dist.tags) if dist.is_wheel else group.sdists for dist in self.standing]
            self._per_column = list(zip(*vectors, strict=True)) if vectors else [()] * len(group.columns)
        return self._per_column

    def decide(self, pending: list[int], found: list[Found | None], table: list[Chosen | None]) -> list[int]:
        """Each pending column's pick here; return the columns whose choice does not settle the listing.

        A round with the same facts and the same tag sets as one decided before (a history's releases
        mostly repeat their predecessor's wheels) gets that round's picks, column for column."""
        shared = self.shared
        group = self.group
        pending_key = group.decidable_key if pending is group.decidable else tuple(pending)
        shape = None if shared.serial else (self.final, pending_key, self.head, shared.facts, shared.tag_sets)
        known = self.group.rounds.get(shape) if shape is not None else None
        if known is None:
            known = self._decide(pending)
            if shape is not None:
                self.group.rounds.keep(shape, known)
        assigned, left = known
        positions, standing = self.group.positions, self.standing
        for j, position, picked, rank, outcome, tag in assigned:
            at = positions[j]
            found[at] = (self, j, position, picked)
            table[at] = _NOTHING if position is None else (outcome, standing[position], rank, tag)
        return list(left)

    def _decide(self, pending: list[int]) -> Decided:
        assigned: list[tuple[int, int | None, Picked, int | None, Outcome, str | None]] = []
        left: list[int] = []
        memo: dict[tuple[object, ...], tuple[int | None, Picked, bool]] = {}
        columns, final = self.group.columns, self.final
        per_column = self.per_column
        positions_of = range(len(self.standing))
        for j in pending:
            slots = per_column[j]
            admitted = tuple(compress(positions_of, slots))
            if len(admitted) < 2:
                key: tuple[object, ...] = (id(columns[j].interp), admitted)
            elif len(admitted) == 2:  # the usual wheel and sdist: which ranks better, or a tie
                first, second = slots[admitted[0]], slots[admitted[1]]
                key = (id(columns[j].interp), admitted, (first > second) - (first < second))
            else:
                ranks = [slots[k] for k in admitted]
                key = (id(columns[j].interp), admitted, tuple(map(sorted(set(ranks)).index, ranks)))
            hit = memo.get(key)
            if hit is None:
                hit = memo[key] = self._pick(j, slots, admitted)
            position, picked, settles = hit
            if not final and not settles:
                left.append(j)
                continue
            if position is None:
                assigned.append((j, None, picked, None, Outcome.NONE, None))
            elif self.standing[position].is_wheel:
                index = self.group.indexes[j]
                assert index is not None
                rank = slots[position] - 1
                assigned.append((j, position, picked, rank, Outcome.WHEEL, index.tags[rank]))
            else:
                assigned.append((j, position, picked, None, Outcome.SDIST, None))  # an sdist has no rank, as its Decision
        return tuple(assigned), tuple(left)

    def _pick(self, j: int, slots: tuple[Slot, ...], admitted: tuple[int, ...]) -> tuple[int | None, Picked, bool]:
        group, standing = self.group, self.standing
        column, index = group.columns[j], group.indexes[j]
        assert index is not None
        ranks = [slots[k] for k in admitted]
        order = tuple(map(sorted(set(ranks)).index, ranks))
        facts = self.shared.facts
        key = (id(column.interp), self.head, order, *(facts[k] for k in admitted))
        picked = group.picks.get(key)
        if picked is None:
            verdicts = [_verdict(standing[k], slots[k], index) for k in admitted]
            if self.maybe_pre:
                drop_prereleases(verdicts, self.req, self.flags)
            pick = group.family.pick(verdicts, Context(column.profile, column.interp, group.installer, self.project,
                                                       self.req, self.flags, index))
            chosen = next((n for n, ev in enumerate(verdicts) if ev is pick.chosen), None)
            picked = (chosen, pick.message, tuple(ev.reason for ev in verdicts if ev.reason is not None))
            group.picks.keep(key, picked)
        position = admitted[picked[0]] if picked[0] is not None else None
        return position, picked, position is not None and settled(standing[position], self.flags)

    def of_version(self, version: Version) -> tuple[tuple[frozenset[Tag], ...], list[tuple[Slot, ...]]]:
        """The standing files of `version`: their tag sets, and each column's slots over them. All an sdist's
        hints read (`decision_hints` keeps the wheels of the sdist's version); worked out once per version."""
        if self._of_version is None:
            self._of_version = {}
            for k, dist in enumerate(self.standing):
                if dist.version is not None:
                    self._of_version.setdefault(dist.version, []).append(k)
        # by object (the standing files keep it alive): hashing a Version runs in Python
        found = self._version_slots.get(id(version))
        if found is None:
            group, standing = self.group, self.standing
            files = [standing[k] for k in self._of_version.get(version, ())]
            vectors = [group.vector(dist.tags) if dist.is_wheel else group.sdists for dist in files]
            found = self._version_slots[id(version)] = (
                tuple(dist.tags for dist in files),
                list(zip(*vectors, strict=True)) if vectors else [()] * len(group.columns))
        return found

    def decision(self, j: int, position: int | None, picked: Picked) -> Decision:
        """The column's decision from its pick: what `decide` returns there."""
        group, standing, slots = self.group, self.standing, self.per_column[j]
        column, index, installer = group.columns[j], group.indexes[j], group.installer
        assert index is not None
        hints: LazyHints
        if position is None:
            reasons: Iterable[Reason] = chain(
                (reason for dist, reason, _ in self.statics if reason is not None and dist.name == self.project),
                (_tag_reason(index, dist) for dist, slot in zip(standing, slots, strict=True) if not slot),
                picked[2])
            message = picked[1] or none_message(self.project, self.req, reasons)
            chosen, hints = None, _SlotHints(index, None, tuple(dist.tags for dist in standing), slots)
        else:
            dist = standing[position]
            rank = slots[position] - 1
            if dist.is_wheel:
                chosen, hints = Verdict(dist, rank, index.tags[rank]), NO_HINTS
            else:
                chosen, hints = Verdict(dist, rank, None), self.sdist_hints(j, position)
            message = ""
        considered = Rejections(column.profile, column.interp, installer, self.listing, self.req, self.flags)
        return decision_of(installer, chosen, considered, hints, self.flags, message)

    def sdist_hints(self, j: int, position: int) -> LazyHints:
        """The hints of column `j`'s decision when it chose the sdist at `position` (`decision` gives them to
        its Decision; `sdist_parts` to a stream line)."""
        dist = self.standing[position]
        index = self.group.indexes[j]
        assert index is not None and not dist.is_wheel and dist.version is not None
        tag_sets, slots = self.of_version(dist.version)
        return _SlotHints(index, dist, tag_sets, slots[j])

    def sdist_parts(self, j: int, position: int) -> tuple[BuildNeeds, str, tuple[str, ...]]:
        """Column `j`'s chosen sdist: the build needs, message and hints its `decision` would hold, from the
        same calls (`sdist_outcome` is what `decision_of` calls), without building the Decision."""
        build, message = sdist_outcome(self.standing[position], self.flags)
        return build, message, self.sdist_hints(j, position).get()


class _Window(NamedTuple):
    """What every group's round over one window of a listing shares (`_window`)."""

    statics: list[tuple[DistFile, Reason | None, str]]
    maybe_pre: bool
    standing: list[DistFile]  # the files the static checks let through, in listing order
    facts: tuple[tuple[object, ...], ...]  # what a pick reads of each standing file
    tag_sets: tuple[object, ...]  # each standing wheel's tag set (None: an sdist)
    pinned: bool
    serial: int  # 0: shared with other listings; else a number no other window has


def _window(files: Listing, project: str, req: Requirement | None, flags: Flags, name_wins: bool) -> _Window:
    """The window's static checks and the facts its picks read, once per window (not once per installer)."""
    key = ("window", project, name_wins)
    known = files.remembered(key, req, flags)
    if known is not None:
        return cast(_Window, known)
    statics, maybe_pre = static_checks(files, project, req, flags, name_wins)
    standing = [dist for dist, reason, _ in statics if reason is None]
    versions = sorted({d.version for d in standing if d.version is not None})
    version_order = {v: n for n, v in enumerate(versions)}
    names = {d.filename: n for n, d in enumerate(sorted(standing, key=lambda d: d.filename))}
    facts = tuple((d.is_wheel, d.yanked, d.build, d.requires_python,
                   version_order.get(d.version) if d.version is not None else None, names[d.filename])
                  for d in standing)
    shared = not maybe_pre and not any(d.in_folder for d in standing)
    window = _Window(statics, maybe_pre, standing, facts, tuple(d.tags if d.is_wheel else None for d in standing),
                     is_pinned(req), 0 if shared else next(_UNSHARED))
    return cast(_Window, files.remember(key, window, req, flags))


class Answers:
    """Every column's answer on one listing, in column order: `table` at once, `result` when read."""

    __slots__ = ("_checked", "_decisions", "_found", "_table")

    def __init__(self, found: list[Found], table: list[Chosen | None]) -> None:
        self._found, self._table = found, table
        self._checked = False  # no column's answer is an error (`table` looked once)
        self._decisions: dict[int, Decision] = {}

    @staticmethod
    def of(results: list[Result]) -> Answers:
        """Answers made of finished decisions (or errors)."""
        return Answers(list(results), [None if isinstance(r, TagsimError) else short(r) for r in results])

    def __len__(self) -> int:
        return len(self._found)

    def result(self, i: int) -> Result:
        """The column's decision (built when first asked, then kept), or its error."""
        found = self._found[i]
        if not isinstance(found, tuple):
            return found
        decision = self._decisions.get(i)
        if decision is None:
            decision = self._decisions[i] = found[0].decision(found[1], found[2], found[3])
        return decision

    def sdist(self, i: int) -> tuple[BuildNeeds, str, tuple[str, ...]]:
        """An sdist column's build needs, message and hints, equal to its `result`'s; built without the
        Decision (`Round.sdist_parts`) unless that was already built."""
        found = self._found[i]
        decision = found if isinstance(found, Decision) else self._decisions.get(i)
        if decision is None:
            assert isinstance(found, tuple) and found[2] is not None
            return found[0].sdist_parts(found[1], found[2])
        assert decision.build is not None, "not an sdist"
        return decision.build, decision.message, decision.hints

    def error(self, i: int) -> TagsimError | None:
        found = self._found[i]
        return found if isinstance(found, TagsimError) else None

    def first_error(self) -> TagsimError | None:
        if None not in self._table:  # a row is None only where the answer is an error (`chosen`): one C-level scan
            return None
        return next((f for f in self._found if isinstance(f, TagsimError)), None)

    def chosen(self, i: int) -> Chosen:
        """The column's outcome, chosen file (None: nothing installs), its rank and tag; its error is raised."""
        row = self._table[i]
        if row is None:
            found = self._found[i]
            assert isinstance(found, TagsimError)
            raise found
        return row

    @property
    def table(self) -> list[Chosen]:
        """`chosen` of every column, in column order; the first column's error (`first_error`) is raised."""
        if not self._checked:
            error = self.first_error()
            if error is not None:
                raise error
            self._checked = True
        return self._table  # type: ignore[return-value]


def short(decision: Decision) -> Chosen:
    """A finished decision's row of `Answers.table`."""
    return (decision.outcome, decision.chosen, decision.rank, decision.tag)


_NOTHING: Chosen = (Outcome.NONE, None, None, None)


def _verdict(dist: DistFile, slot: Slot, index: TagIndex) -> Verdict:
    """The first pass's verdict on an admitted file in this column (an sdist has no tag)."""
    rank = slot - 1
    return Verdict(dist, rank, index.tags[rank] if dist.is_wheel else None)


def _tag_reason(index: TagIndex, dist: DistFile) -> Reason:
    result = index.evaluate(dist.tags)
    assert isinstance(result, Incompatible)
    return AS_REASON[result.category]


class _SlotHints(LazyHints):
    """Hints from the standing wheels a column's tags rejected (the same wheels `decide`'s pass rejects):
    of the files given (an sdist's: those of its version, `Round.of_version`), the ones its slots say 0."""

    __slots__ = ("slots", "tag_sets")

    def __init__(self, index: TagIndex, sdist: DistFile | None, tag_sets: tuple[frozenset[Tag], ...],
                 slots: tuple[Slot, ...]) -> None:
        # LazyHints.__init__'s fields set here: one call less for each of a stream's sdist lines
        self.index, self.sdist, self._value = index, sdist, None
        self.tag_sets, self.slots = tag_sets, slots

    def _tag_sets(self) -> tuple[frozenset[Tag], ...]:
        return tuple(compress(self.tag_sets, map(not_, self.slots)))
