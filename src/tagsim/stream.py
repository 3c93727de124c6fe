"""Streaming: filenames in (one per line, or JSON lines), one JSON record per decision out.

For a whole index: the input is read once, in order; consecutive lines of one project form a group,
and each group is decided for every (platform, Python, installer) with `policy.decide`, the same
call `explain` and `check` make. Only the current group is held in memory, so the input may be far
bigger than memory (sort or partition it by project first; a project that comes back later is a
new group). A line tagsim cannot use is never dropped: it comes out as an `unusable` record.

Input lines:
- a filename: `uv-0.1.40-py3-none-manylinux_2_28_aarch64.whl` (blank lines and `#` comments skipped);
- a JSON object: `{"project": "uv", "filename": "...", "requires-python": ">=3.8", "yanked": false}`
  (`project` and the index facts are optional; `yanked` is a boolean or the reason string).

Output records (dicts; `tagsim stream` prints each as one JSON line), each with a `kind`:
- `decision`: project, platform, python, installer, outcome (wheel/sdist/none), file, version,
  tag, rank, message;
- `unusable`: line, input, problem (a bad JSON line, a name that is no distribution file, a file
  of another project than its line says, a duplicate);
- `error`: a (project, platform, python, installer) combination tagsim does not model;
- `summary`: counts, last.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import Version

from .dists import DistFile, parse_filename
from .errors import TagsimError
from .installers import Installer
from .interpreters import Interpreter
from .policy import Decision, Flags, decide
from .profiles import Profile
from .sources import SourceError, _yank


@dataclass
class _Line:
    number: int
    text: str
    dist: DistFile | None  # None: the line itself is unusable (see `problem`)
    project: str | None
    problem: str | None = None


def parse_line(number: int, raw: str) -> _Line | None:
    """One input line; None for a blank line or a `#` comment."""
    text = raw.strip()
    if not text or text.startswith("#"):
        return None
    if not text.startswith("{"):
        dist = parse_filename(text, origin=f"line {number}")
        if dist.name is None:
            return _Line(number, text, None, None, dist.problem)
        return _Line(number, text, dist, dist.name)
    try:
        entry = json.loads(text)
    except json.JSONDecodeError as exc:
        return _Line(number, text, None, None, f"invalid JSON at column {exc.colno}")
    if not isinstance(entry, dict):
        return _Line(number, text, None, None, "expected a JSON object")
    filename = entry.get("filename")
    if not isinstance(filename, str) or not filename:
        return _Line(number, text, None, None, "missing 'filename'")
    project = entry.get("project")
    if project is not None and not isinstance(project, str):
        return _Line(number, text, None, None, "'project' must be a string")
    requires_python = entry.get("requires-python")
    if requires_python is not None and not isinstance(requires_python, str):
        return _Line(number, text, None, None, "'requires-python' must be a string or null")
    try:
        yanked, reason = _yank(entry.get("yanked"), f"line {number}")
    except SourceError as exc:
        return _Line(number, text, None, None, exc.message)
    dist = parse_filename(filename, requires_python=requires_python or None, yanked=yanked, yanked_reason=reason,
                          origin=f"line {number}")
    name = canonicalize_name(project) if project else dist.name
    if name is None:
        return _Line(number, text, None, None, dist.problem)
    if project and dist.name is not None and dist.name != name:
        return _Line(number, text, None, name, f"file of project {dist.name!r}, not {name!r}")
    return _Line(number, text, dist, name)


def _groups(lines: Iterable[str]) -> Iterator[tuple[str | None, list[_Line]]]:
    """Consecutive lines of one project; a line with no project (unusable) is a group of its own.

    An unusable line comes out at once and does not end the group around it.
    """
    current: list[_Line] = []
    key: str | None = None
    for number, raw in enumerate(lines, 1):
        line = parse_line(number, raw)
        if line is None:
            continue
        if line.dist is None or line.project is None:
            yield None, [line]
            continue
        if current and line.project != key:
            yield key, current
            current = []
        key = line.project
        current.append(line)
    if current:
        yield key, current


def unusable_record(line: _Line, problem: str) -> dict[str, Any]:
    return {"kind": "unusable", "line": line.number, "input": line.text, "problem": problem}


def decide_stream(lines: Iterable[str], profiles: Sequence[Profile], interps: Sequence[Interpreter],
                  installers: Sequence[Installer], *, flags: Flags | None = None,
                  summary: bool = True) -> Iterator[dict[str, Any]]:
    """Records for every project group of `lines` x profile x interpreter x installer, in input order."""
    flags = flags or Flags()
    counts = {"lines": 0, "projects": 0, "files": 0, "decisions": 0, "unusable": 0, "errors": 0}
    targets = [(p, i, inst, {"kind": "decision", "project": "", "platform": p.id, "python": i.tag,
                             "installer": inst.spec}) for p in profiles for i in interps for inst in installers]
    for project, group in _groups(lines):
        counts["lines"] += len(group)
        if project is None or group[0].dist is None:
            counts["unusable"] += 1
            yield unusable_record(group[0], group[0].problem or "unusable")
            continue
        files: list[DistFile] = []
        seen: dict[str, int] = {}
        for line in group:
            dist = line.dist
            assert dist is not None
            if dist.filename in seen:
                counts["unusable"] += 1
                yield unusable_record(line, f"duplicate filename (already on line {seen[dist.filename]})")
                continue
            if not dist.usable:
                counts["unusable"] += 1
                yield unusable_record(line, dist.problem or "unusable")
            seen[dist.filename] = line.number
            files.append(dist)
        if not any(f.usable for f in files):
            continue
        counts["projects"] += 1
        counts["files"] += len(files)
        yield from _decide_group(project, files, targets, flags, counts)
    if summary:
        yield {"kind": "summary", **counts}


def _decide_group(project: str, files: list[DistFile],
                  targets: Sequence[tuple[Profile, Interpreter, Installer, dict[str, str]]],
                  flags: Flags, counts: dict[str, int]) -> Iterator[dict[str, Any]]:
    for profile, interp, installer, names in targets:
        head = {**names, "project": project}
        try:
            decision = decide(profile, interp, installer, files, None, _for(installer, flags))
        except TagsimError as exc:
            counts["errors"] += 1
            yield {**head, "kind": "error", "error": str(exc)}
            continue
        counts["decisions"] += 1
        yield {**head, **decision_record(decision)}


def decision_record(decision: Decision) -> dict[str, Any]:
    """The outcome of one decision, without the per-file explanations (`tagsim explain` has those)."""
    chosen = decision.chosen
    return {"outcome": decision.outcome, "file": chosen.filename if chosen else None,
            "version": _text(chosen.version) if chosen and chosen.version else None,
            "tag": decision.tag, "rank": decision.rank, "message": decision.message}


@lru_cache(maxsize=1 << 14)
def _text(version: Version) -> str:
    """`str(Version)` rebuilds the string each time; releases repeat across platforms and installers."""
    return str(version)


def _for(installer: Installer, flags: Flags) -> Flags:
    """uv has no --prefer-binary (astral-sh/uv#1794): ignored for it, as in `explain`."""
    return replace(flags, prefer_binary=False) if installer.name == "uv" and flags.prefer_binary else flags
