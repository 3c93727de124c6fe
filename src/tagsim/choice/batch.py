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

from packaging.requirements import Requirement

from ..errors import TagsimError
from ..files.filename import DistFile
from .answers import Answers, Chosen, Found, Result, Round, short
from .columns import Column, Group
from .decide import NO_FLAGS, decide, version_windows
from .flags import Flags
from .installer import Installer
from .listing import Listing
from .verdict import project_of

__all__ = ["Answers", "Batch", "Column", "Result", "decide_columns"]


class Batch:
    """Columns decided together, listing after listing: a matrix's cells, a history's releases,
    a stream's projects, a lock file's packages. Build it once, call `answers` (or `decide`) per listing."""

    def __init__(self, columns: Iterable[Column]) -> None:
        self.columns = tuple(columns)
        groups: dict[Installer, Group] = {}
        for position, column in enumerate(self.columns):
            groups.setdefault(column.installer, Group(column.installer)).add(position, column)
        self._groups = tuple(groups.values())

    def answers(self, files: Sequence[DistFile], req: Requirement | None = None,
                flags: Flags | None = None) -> Answers:
        """Every column's answer on `files`, compact: its chosen file and outcome at once, its `Decision`
        (equal to `decide` for that column) built by the same code when first read."""
        listing = Listing.of(files)
        found: list[Found | None] = [None] * len(self.columns)
        table: list[Chosen | None] = [None] * len(self.columns)
        try:
            project = project_of(listing, req)
        except TagsimError as exc:
            return Answers.of([exc] * len(self.columns))
        for group in self._groups:
            family = group.family
            if not family.walks_files:
                for position, column in zip(group.positions, group.columns, strict=True):
                    result = found[position] = _one(column, listing, req, flags)
                    table[position] = None if isinstance(result, TagsimError) else short(result)
                continue
            for j in group.failing:
                found[group.positions[j]] = group.errors[j]
            pending = group.decidable  # the columns without an error (a list `Round.decide` does not change)
            group_flags = family.drop_flags(flags or NO_FLAGS)
            for window in (*version_windows(listing, project, req), listing):
                if not pending:
                    break
                pending = Round(group, window, listing, project, req, group_flags).decide(pending, found, table)
        assert None not in found
        return Answers(found, table)  # type: ignore[arg-type]

    def decide(self, files: Sequence[DistFile], req: Requirement | None = None,
               flags: Flags | None = None) -> list[Result]:
        """Every column's decision on `files` (equal to `decide` for that column), in column order."""
        answers = self.answers(files, req, flags)
        return [answers.result(i) for i in range(len(answers))]


def decide_columns(files: Sequence[DistFile], columns: Iterable[Column], req: Requirement | None = None,
                   flags: Flags | None = None) -> list[Result]:
    """One listing for every column at once (a fresh `Batch`; keep one to decide many listings)."""
    return Batch(columns).decide(files, req, flags)


def _one(column: Column, listing: Listing, req: Requirement | None, flags: Flags | None) -> Result:
    try:
        return decide(column.profile, column.interp, column.installer, listing, req, flags)
    except TagsimError as exc:
        return exc
