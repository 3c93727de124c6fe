"""`tagsim check`: every (platform, Python) row x installer column of a release, as a CI gate.

Each cell is the decision `tagsim explain` makes there (`choice.batch` decides all the cells of a
listing at once, and equals `choice.decide` cell for cell), so a cell, its reason and `explain`
never disagree.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from packaging.requirements import Requirement
from packaging.version import Version

from ..choice.answers import Answers
from ..choice.batch import Batch, Column
from ..choice.decide import NO_FLAGS
from ..choice.decision import Decision, build_needs
from ..choice.flags import Flags
from ..choice.installer import Installer
from ..choice.reasons import Outcome
from ..choice.registry import default_installers
from ..errors import TagsimError
from ..files.build_needs import BuildNeeds
from ..files.filename import DistFile
from ..platform.interpreter import Interpreter, parse_python
from ..platform.profile import Profile
from ..platform.resolve import resolve_platform

if TYPE_CHECKING:
    from .build_chain import BuildResolver

DEFAULT_PYTHON = "cp312"
_UNREAD = BuildNeeds(None, (), "not read")  # a memo's "not looked up yet" (None means "has a chain")
_CP_TAG = re.compile(r"^cp3(\d+)$")


@dataclass(frozen=True)
class Row:
    profile: Profile
    interp: Interpreter


@dataclass(frozen=True)
class Required:
    """`--require ID[:PYTHON]`: every installer must get a wheel on that platform (and Python)."""

    platform: str
    python: str | None = None

    def covers(self, row: Row) -> bool:
        return row.profile.id == self.platform and (self.python is None or row.interp.tag == self.python)

    def __str__(self) -> str:
        return self.platform + (f":{self.python}" if self.python else "")


def parse_required(text: str, profiles: Mapping[str, Profile]) -> tuple[Required, Profile]:
    platform, _, python = text.partition(":")
    profile = resolve_platform(platform.strip(), profiles)
    interp = parse_python(python.strip()) if python.strip() else None
    return Required(profile.id, interp.tag if interp else None), profile


@dataclass(frozen=True, eq=False)
class Cell:
    """One cell of a check: a row, an installer, and the decision there (built when first read)."""

    row: Row
    result: CheckResult = field(repr=False)
    index: int  # the column of the batch, row by row, each row's installers in order

    @property
    def decision(self) -> Decision:
        return self.result.decision_at(self.index)

    @property
    def installer(self) -> Installer:
        return self.result.installer_at(self.index)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.row.profile.id, self.row.interp.tag, self.installer.spec)

    @property
    def outcome(self) -> Outcome:
        return self.result.outcomes[self.index]

    def text(self, *, full_name: bool = False) -> str:
        """Compact: the winning wheel's platform tag (or filename), `sdist (needs cargo)`, or `none`."""
        return self.result.text_at(self.index, full_name=full_name)

    def describe(self) -> str:
        pid, py, inst = self.key
        return f"{pid} {py} {inst}"


@dataclass(frozen=True, eq=False)
class CheckResult:
    """Every cell of a listing's matrix. The answers are compact (`choice.answers`): a cell's outcome, file
    and words come from them at once, its full decision (with its build chain, given `builds`) when read."""

    rows: tuple[Row, ...]
    installers: tuple[Installer, ...]
    answers: Answers = field(repr=False)
    columns: tuple[Column, ...] = field(repr=False)
    required: tuple[Required, ...] = ()
    warnings: tuple[str, ...] = ()
    unusable: tuple[DistFile, ...] = field(default=())
    flags: Flags | None = None
    builds: BuildResolver | None = field(default=None, repr=False)
    _decisions: dict[int, Decision] = field(default_factory=dict, repr=False, init=False)  # built when read
    _builds: dict[str, BuildNeeds | None] = field(default_factory=dict, repr=False, init=False)  # by sdist filename

    @cached_property
    def cells(self) -> tuple[Cell, ...]:
        per_row = len(self.columns) // len(self.rows) if self.rows else 0
        return tuple(Cell(self.rows[i // per_row], self, i) for i in range(len(self.columns)))

    def decision_at(self, i: int) -> Decision:
        """Column i's decision, as `explain` makes it (an sdist's needs read and its chain followed with `builds`)."""
        decision = self._decisions.get(i)
        if decision is None:
            result = self.answers.result(i)
            if isinstance(result, TagsimError):
                raise result
            if self.builds is not None:
                column = self.columns[i]
                result = self.builds.complete(result, column.profile, column.interp, self.flags)
            decision = self._decisions[i] = result
        return decision

    def installer_at(self, i: int) -> Installer:
        return self.columns[i].installer

    @cached_property
    def outcomes(self) -> tuple[Outcome, ...]:
        """Each column's outcome, in column order."""
        return tuple(chosen[0] for chosen in self.answers.table)

    def text_at(self, i: int, *, full_name: bool = False) -> str:
        """Column i in a matrix cell's words, from the compact answer (an sdist: its build's short words)."""
        _, dist, _, tag = self.answers.chosen(i)
        return self.text_of(i, dist, tag, full_name=full_name)

    def text_of(self, i: int, dist: DistFile | None, tag: str | None, *, full_name: bool = False) -> str:
        """`text_at` given column i's chosen file and tag (`answers.chosen(i)`), for a caller that has them."""
        if dist is None:
            return "none"
        if tag is not None:
            return dist.filename if full_name else tag.split("-", 2)[2]
        build = self._plain_build(dist)
        if build is not None:
            return f"sdist ({build.short()})"
        d = self.decision_at(i)
        assert d.build is not None
        return f"sdist ({d.chain.short(d.build) if d.chain is not None else d.build.short()})"

    def _plain_build(self, dist: DistFile) -> BuildNeeds | None:
        """The sdist's build when it has no chain to follow (nothing of it read), as the decision would hold it."""
        known = self._builds.get(dist.filename, _UNREAD)
        if known is _UNREAD:
            known = self._builds[dist.filename] = (
                build_needs(dist, self.flags or NO_FLAGS) if self.builds is None
                else self.builds.plain_build(dist, self.flags))
        return known

    def follow_builds(self) -> None:
        """Read every sdist cell's needs now (downloads, once per file), and follow the chains of those that
        have one, so that warnings and downloads come while the check runs, not while it is rendered."""
        chains: dict[str, bool] = {}
        for i, (outcome, dist, _, _) in enumerate(self.answers.table):
            if outcome is not Outcome.SDIST or dist is None:
                continue
            if dist.filename not in chains:
                chains[dist.filename] = self._plain_build(dist) is None
            if chains[dist.filename]:
                self.decision_at(i)

    def is_required(self, cell: Cell) -> bool:
        return any(r.covers(cell.row) for r in self.required)

    def required_failing(self) -> list[Cell]:
        return [c for c in self.cells if self.is_required(c) and c.outcome is not Outcome.WHEEL]

    def counts(self) -> dict[str, int]:
        counter = Counter(self.outcomes)
        return {"cells": len(self.columns), **{outcome.value: counter[outcome] for outcome in Outcome}}

    def cell(self, row: Row, installer: Installer) -> Cell:
        return self.by_key[(row.profile.id, row.interp.tag, installer.spec)]

    @cached_property
    def by_key(self) -> dict[tuple[str, str, str], Cell]:
        """Cells by (platform id, python tag, installer spec), built once."""
        return {c.key: c for c in self.cells}


def default_pythons(files: Sequence[DistFile], project: str | None) -> list[Interpreter]:
    """The CPython versions the newest release's wheels name (`cp311-cp311-...`), else cp312.

    abi3 and `py3` wheels serve every version, so they add nothing; one row per platform is enough.
    """
    by_version: dict[Version, list[DistFile]] = {}  # grouped by hash: a Version comparison runs in Python
    for f in files:
        if f.is_wheel and f.version is not None and (project is None or f.name == project):
            by_version.setdefault(f.version, []).append(f)
    if not by_version:
        return [parse_python(DEFAULT_PYTHON)]
    minors = set()
    for dist in by_version[max(by_version)]:
        for tag in dist.tags:
            match = _CP_TAG.match(tag.interpreter)
            if match and tag.abi not in ("abi3", "none") and not tag.abi.endswith("t"):
                minors.add(int(match[1]))
    return [parse_python(f"cp3{m}") for m in sorted(minors)] or [parse_python(DEFAULT_PYTHON)]


def build_rows(profiles: Sequence[Profile], pythons: Sequence[Interpreter]) -> tuple[Row, ...]:
    return tuple(Row(p, i) for p in profiles for i in pythons)


def matrix_batch(rows: Sequence[Row], installers: Sequence[Installer]) -> Batch:
    """The columns of a matrix, row by row, each row's installers in order (default: newest pip and uv)."""
    chosen = list(installers) or default_installers()
    return Batch(Column(row.profile, row.interp, installer) for row in rows for installer in chosen)


def run_check(files: Sequence[DistFile], rows: Sequence[Row], installers: Sequence[Installer], *,
              req: Requirement | None = None, flags: Flags | None = None, required: Sequence[Required] = (),
              warnings: Sequence[str] = (), progress: Callable[[int], None] | None = None,
              builds: BuildResolver | None = None, batch: Batch | None = None) -> CheckResult:
    """Every cell's answer, all columns of the listing at once (`choice.batch`, equal to `decide` cell by cell).

    `batch`: the `matrix_batch` of these rows and installers, kept by a caller that checks many listings.
    With `builds`, an sdist cell gets its needs read from the sdist and its build chain followed (as `explain`).
    """
    batch = batch or matrix_batch(rows, installers)
    answers = batch.answers(files, req, flags)
    error = answers.first_error()
    if error is not None:
        raise error  # the first cell that cannot be decided, as `explain` would raise it
    unusable = tuple(f for f in files if not f.usable)
    result = CheckResult(tuple(rows), tuple(installers), answers, batch.columns, tuple(required), tuple(warnings),
                         unusable, flags, builds)
    if builds is not None:
        result.follow_builds()
    if progress is not None:
        for number in range(1, len(rows) + 1):
            progress(number)
    return result


@dataclass(frozen=True)
class Change:
    before: Cell
    after: Cell

    @property
    def kind(self) -> str:
        was, now = self.before.outcome is Outcome.WHEEL, self.after.outcome is Outcome.WHEEL
        return "fixed" if now and not was else "broke" if was and not now else "changed"



def diff_checks(before: CheckResult, after: CheckResult) -> list[Change]:
    """Cells where the user would get something else: another outcome, version, build or matching tag."""
    changes = []
    for cell in before.cells:
        other = after.by_key.get(cell.key)
        if other is None:
            continue
        if _identity(cell.decision) != _identity(other.decision):
            changes.append(Change(cell, other))
    return changes


def _identity(d: Decision) -> tuple[object, ...]:
    """What the user gets: a retag renames a wheel, but the same wheel via the same tag is no change."""
    if d.chosen is None:
        return (d.outcome,)
    if d.outcome is Outcome.WHEEL:
        return (d.outcome, d.chosen.version, d.chosen.build, d.tag)
    return (d.outcome, d.chosen.filename)


def change_summary(changes: Sequence[Change]) -> str:
    kinds = Counter(c.kind for c in changes)
    other = f", {kinds['changed']} other changes" if kinds["changed"] else ""
    return f"fixes {kinds['fixed']} cells, breaks {kinds['broke']}{other}"


@dataclass(frozen=True)
class WhatIf:
    """A check before and after what-if edits (`--retag`, `--drop`, `--add`), and the cells that changed."""

    before: CheckResult
    after: CheckResult
    edits: tuple[str, ...]

    @cached_property
    def changes(self) -> list[Change]:
        return diff_checks(self.before, self.after)

    def summary(self) -> str:
        return change_summary(self.changes)
