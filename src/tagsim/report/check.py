"""`tagsim check`: every (platform, Python) row x installer column of a release, as a CI gate.

Each cell is one `explain` decision, so a cell, its reason and `tagsim explain` never disagree.
The whole matrix decides one `Listing`, so what does not depend on the cell is worked out once.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from packaging.requirements import Requirement

from ..choice.decision import Decision
from ..choice.flags import Flags
from ..choice.installer import Installer
from ..choice.listing import Listing
from ..choice.reasons import Outcome
from ..files.filename import DistFile
from ..platform.interpreter import Interpreter, parse_python
from ..platform.profile import Profile
from ..platform.resolve import resolve_platform
from .explain import explain

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


def run_check(files: Sequence[DistFile], rows: Sequence[Row], installers: Sequence[Installer], *,
              req: Requirement | None = None, flags: Flags | None = None, required: Sequence[Required] = (),
              warnings: Sequence[str] = (), progress: Callable[[int], None] | None = None,
              builds: BuildResolver | None = None) -> CheckResult:
    cells: list[Cell] = []
    listing = Listing.of(files)
    for number, row in enumerate(rows, 1):
        expl = explain(row.profile, row.interp, listing, req=req, installers=installers, flags=flags, builds=builds)
        cells.extend(Cell(row, d) for d in expl.decisions)
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
