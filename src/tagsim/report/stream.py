"""Streaming: filenames or JSON lines in (`tagsim.files.jsonlines`), one record per decision out.

For a whole index: the input is read once, in order; consecutive lines of one project form a group,
and each group is decided for every (platform, Python, installer) at once (`choice.batch`: for each,
what `choice.decide`, the call `explain` makes, answers). Only the current group is held in memory,
so the input may be far bigger than memory (sort or partition it by project first; a project that comes back later is a
new group). A line tagsim cannot use is never dropped: it comes out as an `Unusable` record.

Records, in input order: `Decided` (one decision), `Unusable` (a bad JSON line, a name that is no
distribution file, a file of another project than its line says, a duplicate), `Refused` (a
combination tagsim does not model), and a final `Summary` of counts. `tagsim.render.json` writes
each as one JSON line. `stream_answers` gives the same one project at a time (an `Answered` for all
its columns): a million-name stream makes about a million decisions, and most lines need only a
column's compact answer (`choice.answers`), not a `Decision` and a record object each.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..choice.batch import Answers, Batch, Column
from ..choice.decision import Decision
from ..choice.flags import Flags
from ..choice.installer import Installer
from ..files.filename import DistFile
from ..files.jsonlines import Line, project_groups
from ..platform.interpreter import Interpreter
from ..platform.profile import Profile


@dataclass(frozen=True, slots=True)
class Decided:
    """One column's decision on a project's files: column `column` of `answers` (its `Decision` is built
    when first read; `tagsim stream` writes most lines from the compact answer alone)."""

    project: str
    profile: Profile
    interp: Interpreter
    installer: Installer
    answers: Answers
    column: int

    @property
    def decision(self) -> Decision:
        result = self.answers.result(self.column)
        assert isinstance(result, Decision)
        return result


@dataclass(frozen=True, slots=True)
class Refused:
    project: str
    profile: Profile
    interp: Interpreter
    installer: Installer
    error: str


@dataclass(frozen=True, slots=True)
class Unusable:
    line: Line
    problem: str


@dataclass(frozen=True)
class Summary:
    counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class Answered:
    """One project's files decided for every column of the batch at once (`answers`, in `columns` order)."""

    project: str
    columns: tuple[Column, ...]
    answers: Answers

    def records(self) -> Iterator[Decided | Refused]:
        """One record per column: its decision, or the error of a combination not modelled."""
        answers, project = self.answers, self.project
        for i, column in enumerate(self.columns):
            error = answers.error(i)
            if error is not None:
                yield Refused(project, column.profile, column.interp, column.installer, str(error))
            else:
                yield Decided(project, column.profile, column.interp, column.installer, answers, i)


Record = Decided | Refused | Unusable | Summary


def stream_decisions(lines: Iterable[str], profiles: Sequence[Profile], interps: Sequence[Interpreter],
                     installers: Sequence[Installer], *, flags: Flags | None = None,
                     summary: bool = True) -> Iterator[Record]:
    """Records for every project group of `lines` x profile x interpreter x installer, in input order."""
    for item in stream_answers(lines, profiles, interps, installers, flags=flags, summary=summary):
        if isinstance(item, Answered):
            yield from item.records()
        else:
            yield item


def stream_answers(lines: Iterable[str], profiles: Sequence[Profile], interps: Sequence[Interpreter],
                   installers: Sequence[Installer], *, flags: Flags | None = None,
                   summary: bool = True) -> Iterator[Answered | Unusable | Summary]:
    """`stream_decisions` one project at a time: each project's columns come as one `Answered` (what
    `tagsim stream` writes from), with no record object per decision."""
    flags = flags or Flags()
    counts = {"lines": 0, "projects": 0, "files": 0, "decisions": 0, "unusable": 0, "errors": 0}
    batch = Batch(Column(p, i, inst) for p in profiles for i in interps for inst in installers)
    columns = batch.columns
    for project, group in project_groups(lines):
        counts["lines"] += len(group)
        if project is None or group[0].dist is None:
            counts["unusable"] += 1
            yield Unusable(group[0], group[0].problem or "unusable")
            continue
        files: list[DistFile] = []
        seen: dict[str, int] = {}
        usable = 0
        for line in group:
            dist = line.dist
            assert dist is not None
            if dist.filename in seen:
                counts["unusable"] += 1
                yield Unusable(line, f"duplicate filename (already on line {seen[dist.filename]})")
                continue
            if dist.usable:
                usable += 1
            else:
                counts["unusable"] += 1
                yield Unusable(line, dist.problem or "unusable")
            seen[dist.filename] = line.number
            files.append(dist)
        if not usable:
            continue
        counts["projects"] += 1
        counts["files"] += len(files)
        answers = batch.answers(files, None, flags)
        errors = 0 if answers.first_error() is None else sum(answers.error(i) is not None for i in range(len(columns)))
        counts["errors"] += errors
        counts["decisions"] += len(columns) - errors
        yield Answered(project, columns, answers)
    if summary:
        yield Summary(counts)
