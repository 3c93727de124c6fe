"""The columns of a batch, grouped by installer: each group's tag indexes, and each tag set's slot in
every column of the group, looked up once for every listing the batch decides (`choice.batch`)."""

from __future__ import annotations

from typing import NamedTuple, TypeVar

from packaging.tags import Tag

from ..errors import TagsimError
from ..platform.interpreter import Interpreter
from ..platform.profile import Profile
from ..tags.index import TagIndex
from .family import Family
from .flags import Flags
from .installer import Installer
from .reasons import Outcome, Reason
from .registry import family_of, tag_index


class Column(NamedTuple):
    """One column of a matrix: a platform, an interpreter and an installer."""

    profile: Profile
    interp: Interpreter
    installer: Installer


#: A file in one column: its rank + 1 when the column's tags admit it (an sdist: the sdist rank + 1), else 0.
#: Ints, so a column's admitted files are `itertools.compress` of its slots, without a Python loop.
Slot = int
#: What a family's pick said on some admitted files: the index of the chosen one among them (None: none),
#: the pick's message, and the reasons it left on the others. Shared by every column, and every listing,
#: that hands the pick the same facts (`answers.Round`).
Picked = tuple[int | None, str, tuple[Reason, ...]]

#: A round's answer for its pending columns: (column, chosen standing file, pick, its rank, outcome and tag)
#: for each decided there, and the columns left to the next window.
Decided = tuple[tuple[tuple[int, int | None, Picked, int | None, Outcome, str | None], ...], tuple[int, ...]]

_VECTOR_LIMIT = 1 << 14  # tag sets remembered per installer (memory stays bounded on a whole index)
_PICK_LIMIT = 1 << 14  # picks remembered per installer across listings
_ROUND_LIMIT = 1 << 12  # rounds remembered per installer across listings


K = TypeVar("K")
V = TypeVar("V")


class Bounded(dict[K, V]):
    """A memo that forgets everything once it holds `limit` entries: memory stays bounded on any input."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def keep(self, key: K, value: V) -> V:
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


class Group:
    """The columns of one installer: their tag indexes and, per tag set, the slot of each column."""

    __slots__ = ("columns", "decidable", "decidable_key", "errors", "failing", "family", "flag_numbers", "indexes",
                 "installer", "picks", "positions", "rounds", "sdists", "vectors")

    def __init__(self, installer: Installer) -> None:
        self.installer = installer
        self.family: Family = family_of(installer)
        self.positions: list[int] = []
        self.columns: list[Column] = []
        self.indexes: list[TagIndex | None] = []
        self.errors: list[TagsimError | None] = []
        self.vectors: Bounded[frozenset[Tag], tuple[Slot, ...]] = Bounded(_VECTOR_LIMIT)
        self.sdists: tuple[Slot, ...] = ()
        self.picks: Bounded[tuple[object, ...], Picked] = Bounded(_PICK_LIMIT)
        self.flag_numbers: dict[Flags, int] = {}
        self.rounds: Bounded[tuple[object, ...], Decided] = Bounded(_ROUND_LIMIT)
        self.decidable: list[int] = []  # the columns whose tag index was built (in column order), and as a key
        self.decidable_key: tuple[int, ...] = ()
        self.failing: list[int] = []  # the columns whose tag index failed: every listing gets that error

    def add(self, position: int, column: Column) -> None:
        self.positions.append(position)
        self.columns.append(column)
        try:
            index: TagIndex | None = tag_index(column.profile, column.interp, column.installer)
            error = None
        except TagsimError as exc:  # decided where asked: every listing gets this error for the column
            index, error = None, exc
        (self.failing if error is not None else self.decidable).append(len(self.indexes))
        self.decidable_key = tuple(self.decidable)
        self.indexes.append(index)
        self.errors.append(error)
        self.sdists = (*self.sdists, index.sdist_rank + 1 if index is not None else 0)

    def vector(self, tags: frozenset[Tag]) -> tuple[Slot, ...]:
        found = self.vectors.get(tags)
        if found is None:
            found = self.vectors.keep(tags, tuple(_slot(index, tags) for index in self.indexes))
        return found

    def flag_number(self, flags: Flags) -> int:
        """A small number per distinct flag set, for the pick memo's keys (hashing `Flags` once per listing)."""
        return self.flag_numbers.setdefault(flags, len(self.flag_numbers))


def _slot(index: TagIndex | None, tags: frozenset[Tag]) -> Slot:
    if index is None:
        return 0
    best = index.rank_of(tags)  # the rank alone: why a set does not fit is worked out only when explained
    return best + 1 if best is not None else 0
