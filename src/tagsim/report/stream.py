"""Streaming: filenames or JSON lines in (`tagsim.files.jsonlines`), one record per decision out.

For a whole index: the input is read once, in order; consecutive lines of one project form a group,
and each group is decided for every (platform, Python, installer) at once (`choice.batch`: for each,
what `choice.decide`, the call `explain` makes, answers). Only the current group is held in memory,
so the input may be far bigger than memory (sort or partition it by project first; a project that comes back later is a
new group). A line tagsim cannot use is never dropped: it comes out as an `Unusable` record.

Records, in input order: `Decided` (one decision), `Unusable` (a bad JSON line, a name that is no
distribution file, a file of another project than its line says, a duplicate), `Refused` (a
combination tagsim does not model), and a final `Summary` of counts. `tagsim.render.json` writes
each as one JSON line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..choice.batch import Batch, Column
from ..choice.decision import Decision
from ..choice.flags import Flags
from ..choice.installer import Installer
from ..errors import TagsimError
from ..files.filename import DistFile
from ..files.jsonlines import Line, project_groups
from ..platform.interpreter import Interpreter
from ..platform.profile import Profile


@dataclass(frozen=True, slots=True)
class Decided:
    project: str
    profile: Profile
    interp: Interpreter
    decision: Decision


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


Record = Decided | Refused | Unusable | Summary


def stream_decisions(lines: Iterable[str], profiles: Sequence[Profile], interps: Sequence[Interpreter],
                     installers: Sequence[Installer], *, flags: Flags | None = None,
                     summary: bool = True) -> Iterator[Record]:
    """Records for every project group of `lines` x profile x interpreter x installer, in input order."""
    flags = flags or Flags()
    counts = {"lines": 0, "projects": 0, "files": 0, "decisions": 0, "unusable": 0, "errors": 0}
    batch = Batch(Column(p, i, inst) for p in profiles for i in interps for inst in installers)
    for project, group in project_groups(lines):
        counts["lines"] += len(group)
        if project is None or group[0].dist is None:
            counts["unusable"] += 1
            yield Unusable(group[0], group[0].problem or "unusable")
            continue
        files: list[DistFile] = []
        seen: dict[str, int] = {}
        for line in group:
            dist = line.dist
            assert dist is not None
            if dist.filename in seen:
                counts["unusable"] += 1
                yield Unusable(line, f"duplicate filename (already on line {seen[dist.filename]})")
                continue
            if not dist.usable:
                counts["unusable"] += 1
                yield Unusable(line, dist.problem or "unusable")
            seen[dist.filename] = line.number
            files.append(dist)
        if not any(f.usable for f in files):
            continue
        counts["projects"] += 1
        counts["files"] += len(files)
        for column, result in zip(batch.columns, batch.decide(files, None, flags), strict=True):
            if isinstance(result, TagsimError):
                counts["errors"] += 1
                yield Refused(project, column.profile, column.interp, column.installer, str(result))
                continue
            counts["decisions"] += 1
            yield Decided(project, column.profile, column.interp, result)
    if summary:
        yield Summary(counts)
