"""`tagsim check LOCKFILE`: per target (platform x Python x installer), what each locked package becomes.

Every locked package appears once per modelled target: installed from a wheel, built from source,
failed, or skipped (by its marker, its groups, or the dependency walk). A target the installer
refuses as a whole (outside the lock's environments, an unmet requires-python) fails every
package with that one reason. Targets tagsim does not model for an installer are listed apart.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from packaging.utils import canonicalize_name

from ..choice.decision import Decision
from ..choice.flags import Flags
from ..choice.installer import Installer
from ..choice.lock_choice import (
    STATUS,
    Chosen,
    Column,
    LockStatus,
    PackageAnswers,
    answer_package,
    decide_package,
    failed,
    refusal,
)
from ..choice.lock_select import NO_OPTIONS, LockOptions, Selection, select
from ..choice.reasons import Outcome
from ..choice.registry import compatible_tags
from ..errors import NotModelledError, SourceError
from ..files.filename import DistFile
from ..files.locks.model import LockedPackage, LockFile, LockFormat
from ..platform.interpreter import Interpreter
from ..platform.markers import UV_DIFFERS, marker_environment
from ..platform.profile import Profile
from .build_chain import BuildResolver
from .check import Required, Row
from .explain import Explanation

#: Said once per report: what a lock alone cannot tell about poetry and pdm.
INDEX_NOTE = ("poetry and pdm install what the index serves for the locked hashes; with the lock alone, "
              "tagsim takes the locked files as what the index serves")


@dataclass(frozen=True)
class LockTarget:
    row: Row
    installer: Installer
    #: Why the installer refuses this target as a whole ('' when it installs); every package fails with it.
    error: str = ""
    #: Why tagsim cannot say (a combination it does not model); such a target has no cells.
    not_modelled: str = ""

    @cached_property
    def key(self) -> tuple[str, str, str]:
        return (self.row.profile.id, self.row.interp.tag, self.installer.spec)

    def describe(self) -> str:
        return f"{self.row.profile.id} {self.row.interp.tag} {self.installer.spec}"


class CellAnswer:
    """One cell's answer: the chosen file at once, the `Decision` (its build completed) when first read."""

    __slots__ = ("_decision", "answers", "builds", "column", "flags", "i")

    def __init__(self, answers: PackageAnswers | None, i: int, column: Column, flags: Flags | None,
                 builds: BuildResolver | None, decision: Decision | None = None) -> None:
        self.answers, self.i, self.column, self.flags, self.builds = answers, i, column, flags, builds
        self._decision = decision

    @property
    def chosen(self) -> Chosen:
        if self.answers is None:
            assert self._decision is not None
            d = self._decision
            return (d.outcome, d.chosen, d.rank, d.tag)
        return self.answers.chosen(self.i)

    @property
    def derived(self) -> bool:
        """True when the decision follows from the compact answer alone (not a refusal, a source tree or an
        archive, whose decisions came whole): a wheel's record then needs no decision."""
        return self.answers is not None and self.i not in self.answers.fixed

    def decision(self) -> Decision:
        if self._decision is None:
            assert self.answers is not None
            found = self.answers.decision(self.i)
            if self.builds is not None and found.outcome is Outcome.SDIST:
                found = self.builds.complete(found, self.column.profile, self.column.interp, self.flags)
            self._decision = found
        return self._decision


@dataclass(frozen=True)
class LockCell:
    """One package on one target: its status, its answer (None when skipped), and why it was skipped.

    `decision` is built when first read: a report that needs only the outcome and the file never builds it."""

    target: LockTarget
    package: LockedPackage
    position: int
    status: LockStatus
    answer: CellAnswer | None
    reason: str = ""

    @property
    def decision(self) -> Decision | None:
        return self.answer.decision() if self.answer is not None else None

    @property
    def chosen(self) -> Chosen | None:
        """The outcome, chosen file, rank and tag, without building the decision (None when skipped)."""
        return self.answer.chosen if self.answer is not None else None

    @property
    def message(self) -> str:
        decision = self.decision
        return decision.message if decision is not None else self.reason


@dataclass(frozen=True)
class LockReport:
    lock: LockFile
    targets: tuple[LockTarget, ...]
    cells: tuple[LockCell, ...]
    required: tuple[Required, ...] = ()
    allow_build: frozenset[str] = frozenset()
    notes: tuple[str, ...] = ()
    verbose: bool = False
    by_target: dict[tuple[str, str, str], list[LockCell]] = field(default_factory=dict, compare=False)

    def cells_of(self, target: LockTarget) -> list[LockCell]:
        return self.by_target.get(target.key, [])

    def counts(self, target: LockTarget) -> dict[str, int]:
        counter = Counter(c.status for c in self.cells_of(target))
        return {status.value: counter[status] for status in LockStatus}

    def is_required(self, target: LockTarget) -> bool:
        return any(r.covers(target.row) for r in self.required)

    def blocking(self, target: LockTarget) -> list[LockCell]:
        """The cells that fail a `--require` gate: failures, and builds not in `--allow-build`."""
        return [c for c in self.cells_of(target) if c.status is LockStatus.FAIL or (
            c.status is LockStatus.BUILD and c.package.name not in self.allow_build)]

    def required_failing(self) -> list[LockTarget]:
        return [t for t in self.targets if self.is_required(t) and (t.not_modelled or self.blocking(t))]

    def unusable_files(self) -> list[DistFile]:
        return [f for p in self.lock.packages for f in p.files if not f.usable]


def _target(row: Row, installer: Installer, fmt: LockFormat) -> LockTarget:
    why = refusal(fmt, installer)
    if why:
        return LockTarget(row, installer, error=why)
    try:
        compatible_tags(row.profile, row.interp, installer)
    except NotModelledError as exc:
        return LockTarget(row, installer, not_modelled=exc.message)
    return LockTarget(row, installer)


def run_lock(lock: LockFile, rows: Sequence[Row], installers: Sequence[Installer], *, flags: Flags | None = None,
             options: LockOptions = NO_OPTIONS, required: Sequence[Required] = (),
             allow_build: frozenset[str] = frozenset(), verbose: bool = False,
             progress: Callable[[int], None] | None = None, builds: BuildResolver | None = None) -> LockReport:
    """Every package on every target; per package, one `answer_package` call over all its columns (compact:
    each cell's decision is built when first read).

    With `builds`, a package that builds from a locked sdist gets what its build needs, read from the
    sdist downloaded from the lock's URL (checked against the lock's digest), as `check` does for a page."""
    targets = [_target(row, inst, lock.format) for row in rows for inst in installers]
    selections: dict[tuple[str, str, str], Selection] = {}
    for number, t in enumerate(targets):
        if not t.error and not t.not_modelled:
            selections[t.key] = select(lock, t.row.profile, t.row.interp, t.installer.name, options)
            if selections[t.key].error:  # the installer refuses the whole target
                targets[number] = replace(t, error=selections[t.key].error)
    live = [t for t in targets if not t.not_modelled]
    column_of = {t.key: Column(t.row.profile, t.row.interp, t.installer) for t in live}
    cells: dict[tuple[tuple[str, str, str], int], LockCell] = {}
    for n, pkg in enumerate(lock.packages):
        deciding: list[LockTarget] = []
        for t in live:
            skipped = selections[t.key].skipped.get(n) if not t.error else None
            if t.error:
                refused = CellAnswer(None, 0, column_of[t.key], flags, None, failed(t.installer, t.error))
                cells[(t.key, n)] = LockCell(t, pkg, n, LockStatus.FAIL, refused)
            elif skipped is not None:
                cells[(t.key, n)] = LockCell(t, pkg, n, LockStatus.SKIPPED, None, skipped)
            else:
                deciding.append(t)
        columns = [column_of[t.key] for t in deciding]
        answers = answer_package(lock.format, pkg, columns, flags, position=n, lock_name=os.path.basename(lock.path))
        for i, t in enumerate(deciding):
            answer = CellAnswer(answers, i, columns[i], flags, builds)
            cells[(t.key, n)] = LockCell(t, pkg, n, STATUS[answers.chosen(i)[0]], answer)
        if progress is not None:
            progress(n + 1)
    by_target: dict[tuple[str, str, str], list[LockCell]] = {}
    ordered = []
    for t in live:
        mine = [cells[(t.key, n)] for n in range(len(lock.packages))]
        by_target[t.key] = mine
        ordered.extend(mine)
    notes = list(lock.warnings)
    if any(i.name.value in ("poetry", "pdm") for i in installers):
        notes.append(INDEX_NOTE)
    return LockReport(lock, tuple(targets), tuple(ordered), tuple(required), allow_build, tuple(notes), verbose,
                      by_target)


def explain_locked(lock: LockFile, profile: Profile, interp: Interpreter, name: str,
                   installers: Sequence[Installer], *, flags: Flags | None = None,
                   options: LockOptions = NO_OPTIONS) -> tuple[Explanation, list[str]]:
    """`tagsim explain PLATFORM LOCKFILE --spec NAME`: the lock's rule for each installer, and notes on
    entries the installer would not install there (skipped, refused)."""
    wanted = canonicalize_name(name.split("==")[0].split("[")[0].strip())
    entries = [(n, p) for n, p in enumerate(lock.packages) if p.name == wanted]
    if not entries:
        raise SourceError(f"no package {wanted!r} in the lock", where=lock.path)
    decisions: list[Decision] = []
    notes: list[str] = []
    for inst in installers:
        why = refusal(lock.format, inst)
        selection = Selection(error=why) if why else select(lock, profile, interp, inst.name, options)
        picked = [(n, p) for n, p in entries if n not in selection.skipped] if not selection.error else entries
        for n, p in entries:
            if n in selection.skipped:
                notes.append(f"{inst.spec}: {p.label} is not installed on {profile.id}: {selection.skipped[n]}")
        if selection.error:
            notes.append(f"{inst.spec}: refuses {profile.id}: {selection.error}")
        n, pkg = picked[0] if picked else entries[0]
        column = Column(profile, interp, inst)
        decisions.append(failed(inst, selection.error) if selection.error
                         else decide_package(lock.format, pkg, [column], flags, position=n)[0])
    return Explanation(profile, interp, tuple(decisions)), notes


@dataclass(frozen=True)
class MarkerReport:
    """`tagsim platforms --markers ID`: the PEP 508 environment tagsim evaluates markers with."""

    profile: Profile
    interp: Interpreter
    environment: dict[str, str]
    uv_differs: tuple[str, ...] = ()


def marker_report(profile: Profile, interp: Interpreter) -> MarkerReport:
    env = marker_environment(profile, interp)
    differs = UV_DIFFERS.get((profile.os, profile.arch))
    note = (f"uv --python-platform sets {differs[0]} = {differs[1]!r} for this machine (uv 0.13 "
            f"`TargetTriple::markers`); a real interpreter reports {env[differs[0]]!r}",) if differs else ()
    return MarkerReport(profile, interp, env, note)
