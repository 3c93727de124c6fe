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

from ..choice.batch import Batch, Column
from ..choice.decision import Decision
from ..choice.flags import Flags
from ..choice.installer import Installer
from ..choice.reasons import Outcome
from ..choice.registry import default_installers
from ..errors import TagsimError
from ..files.filename import DistFile
from ..platform.interpreter import Interpreter, parse_python
from ..platform.profile import Profile
from ..platform.resolve import resolve_platform

if TYPE_CHECKING:
    from .build_chain import BuildResolver

DEFAULT_PYTHON = "cp312"
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


@dataclass(frozen=True)
class Cell:
    row: Row
    decision: Decision

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.row.profile.id, self.row.interp.tag, self.decision.installer.spec)

    @property
    def outcome(self) -> Outcome:
        return self.decision.outcome

    def text(self, *, full_name: bool = False) -> str:
        """Compact: the winning wheel's platform tag (or filename), `sdist (needs cargo)`, or `none`."""
        d = self.decision
        if d.outcome is Outcome.WHEEL and d.chosen is not None and d.tag is not None:
            return d.chosen.filename if full_name else d.tag.split("-", 2)[2]
        if d.outcome is Outcome.SDIST and d.build is not None:
            return f"sdist ({d.chain.short(d.build) if d.chain is not None else d.build.short()})"
        return "none"

    def describe(self) -> str:
        pid, py, inst = self.key
        return f"{pid} {py} {inst}"



@dataclass(frozen=True)
class CheckResult:
    rows: tuple[Row, ...]
    installers: tuple[Installer, ...]
    cells: tuple[Cell, ...]
    required: tuple[Required, ...] = ()
    warnings: tuple[str, ...] = ()
    unusable: tuple[DistFile, ...] = field(default=())

    def is_required(self, cell: Cell) -> bool:
        return any(r.covers(cell.row) for r in self.required)

    def required_failing(self) -> list[Cell]:
        return [c for c in self.cells if self.is_required(c) and c.outcome is not Outcome.WHEEL]

    def counts(self) -> dict[str, int]:
        counter = Counter(c.outcome for c in self.cells)
        return {"cells": len(self.cells), **{outcome.value: counter[outcome] for outcome in Outcome}}

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
    wheels = [f for f in files if f.is_wheel and (project is None or f.name == project)]
    if not wheels:
        return [parse_python(DEFAULT_PYTHON)]
    newest = max(f.version for f in wheels if f.version is not None)
    minors = set()
    for dist in wheels:
        if dist.version != newest:
            continue
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
    """Every cell's decision, all columns of the listing at once (`choice.batch`, equal to `decide` cell by cell).

    `batch`: the `matrix_batch` of these rows and installers, kept by a caller that checks many listings.
    With `builds`, an sdist cell gets its needs read from the sdist and its build chain followed (as `explain`).
    """
    batch = batch or matrix_batch(rows, installers)
    results = batch.decide(files, req, flags)
    for result in results:
        if isinstance(result, TagsimError):
            raise result  # the first cell that cannot be decided, as `explain` would raise it
    per_row = len(results) // len(rows) if rows else 0
    cells: list[Cell] = []
    for number, row in enumerate(rows, 1):
        decisions = (d for d in results[(number - 1) * per_row:number * per_row] if isinstance(d, Decision))
        if builds is not None:
            decisions = (builds.complete(d, row.profile, row.interp, flags) for d in decisions)
        cells.extend(Cell(row, d) for d in decisions)
        if progress is not None:
            progress(number)
    unusable = tuple(f for f in files if not f.usable)
    return CheckResult(tuple(rows), tuple(installers), tuple(cells), tuple(required), tuple(warnings), unusable)


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
