"""A heatmap as data: rows x columns of decisions, rows grouped (by OS), cells marked.

One model for every picture tagsim draws: the HTML report (`render.html`) and the teaching
notebook's matplotlib heatmap read the same `Grid`, so they cannot disagree. A check is platforms x
(Python x installer); a history is (platform, Python, installer) x releases. A later report (lock
files: packages x targets) only needs its own builder; the renderer takes any `Grid`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..choice.decision import Decision
from ..choice.hints import fitting_tag
from ..choice.lock_choice import LockStatus
from ..choice.reasons import Outcome
from ..platform.profile import Profile
from ..text_enum import TextEnum
from .check import Cell, CheckResult, WhatIf
from .history import History
from .lock import LockCell, LockReport

#: Row group headings, in the order groups appear (the order of `platform.profile.OSES`).
OS_NAMES: Mapping[str, str] = {"linux": "Linux", "macos": "macOS", "windows": "Windows", "ios": "iOS",
                               "android": "Android", "emscripten": "Emscripten", "freebsd": "FreeBSD"}


class Mark(TextEnum):
    """Why a cell is drawn with an outline or a marker, besides its outcome."""

    REQUIRED = "required"  # `--require` covers it
    FIXED = "fixed"  # what-if: gets a wheel after the edits, did not before
    BROKE = "broke"  # what-if: had a wheel, lost it
    CHANGED = "changed"  # what-if: another file, version or build, same kind of outcome
    REGRESSION = "regression"  # history: a wheel an earlier release had, lost until it came back


@dataclass(frozen=True)
class GridCell:
    """One decision, or None where the combination was not decided (not applicable)."""

    decision: Decision | None
    marks: frozenset[Mark] = frozenset()
    note: str = ""  # why there is no decision, when the report knows (a lock's package skipped by its marker)

    @property
    def outcome(self) -> Outcome | None:
        return self.decision.outcome if self.decision is not None else None

    @property
    def fix(self) -> str | None:
        """The wheel tag that would give this cell a wheel (the decision's own "would fit" hint)."""
        d = self.decision
        return fitting_tag(d.hints) if d is not None and d.outcome is not Outcome.WHEEL else None


@dataclass(frozen=True)
class GridRow:
    label: str
    group: str  # the heading of the row group (an OS name)
    description: str  # one line under the label
    cells: tuple[GridCell, ...]


@dataclass(frozen=True)
class ColumnGroup:
    """Columns under one heading: a Python's installers, or all releases."""

    label: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Grid:
    title: str
    corner: str  # the heading over the row labels
    groups: tuple[ColumnGroup, ...]
    rows: tuple[GridRow, ...]

    @property
    def width(self) -> int:
        return sum(len(g.columns) for g in self.groups)

    def decided(self) -> list[GridCell]:
        """Every cell with a decision, row by row."""
        return [c for r in self.rows for c in r.cells if c.decision is not None]


def _group_rows(rows: Iterable[tuple[Profile, GridRow]]) -> tuple[GridRow, ...]:
    """Rows by OS (in `OS_NAMES` order), each group keeping the order it was given."""
    order = list(OS_NAMES)
    keyed = list(rows)
    keyed.sort(key=lambda pr: order.index(pr[0].os) if pr[0].os in OS_NAMES else len(order))
    return tuple(row for _, row in keyed)


def describe(profile: Profile) -> str:
    return profile.description or profile.summary()


def check_grid(result: CheckResult, marks: Mapping[tuple[str, str, str], Mark] | None = None) -> Grid:
    """Platforms x (Python x installer). `marks` (what-if) adds a mark per cell key."""
    profiles = list({row.profile.id: row.profile for row in result.rows}.values())
    pythons = list(dict.fromkeys(row.interp.tag for row in result.rows))
    specs = [i.spec for i in result.installers]
    extra = marks or {}
    rows = []
    for profile in profiles:
        cells = []
        for python in pythons:
            for spec in specs:
                key = (profile.id, python, spec)
                cell = result.by_key.get(key)
                cells.append(_grid_cell(result, cell, extra.get(key)))
        rows.append((profile, GridRow(profile.id, OS_NAMES.get(profile.os, profile.os), describe(profile),
                                      tuple(cells))))
    groups = tuple(ColumnGroup(python, tuple(specs)) for python in pythons)
    return Grid("coverage", "platform", groups, _group_rows(rows))


def _grid_cell(result: CheckResult, cell: Cell | None, mark: Mark | None) -> GridCell:
    if cell is None:
        return GridCell(None)
    found = {Mark.REQUIRED} if result.is_required(cell) else set()
    if mark is not None:
        found.add(mark)
    return GridCell(cell.decision, frozenset(found))


def whatif_grids(whatif: WhatIf) -> tuple[Grid, Grid]:
    """Before and after, with every changed cell marked on both sides by its kind."""
    marks = {change.before.key: Mark(change.kind) for change in whatif.changes}
    return check_grid(whatif.before, marks), check_grid(whatif.after, marks)


def history_grid(history: History) -> Grid:
    """(platform, Python, installer) x releases, oldest first; a regression's cells are marked until recovery."""
    releases = history.releases
    bad: set[tuple[str, str, str, int]] = set()
    position = {r.version: n for n, r in enumerate(releases)}
    for reg in history.regressions:
        end = position[reg.recovered_in] if reg.recovered_in is not None else len(releases)
        bad.update((reg.platform, reg.python, reg.installer, n) for n in range(position[reg.first_bad], end))
    first = releases[0].result
    rows = []
    for row in first.rows:
        for installer in first.installers:
            key = (row.profile.id, row.interp.tag, installer.spec)
            cells = []
            for n, release in enumerate(releases):
                cell = release.result.by_key.get(key)
                marks = frozenset({Mark.REGRESSION}) if (*key, n) in bad else frozenset()
                cells.append(GridCell(cell.decision if cell else None, marks))
            label = " ".join(key) if len(first.installers) > 1 or len(first.rows) > 1 else key[0]
            rows.append((row.profile, GridRow(label, OS_NAMES.get(row.profile.os, row.profile.os),
                                              describe(row.profile), tuple(cells))))
    versions = tuple(f"{r.version}{' (yanked)' if r.yanked else ''}" for r in releases)
    return Grid(f"{history.project} releases", "platform, Python, installer", (ColumnGroup("release", versions),),
                _group_rows(rows))


#: Lock rows, worst first: what a team acts on (failures, then builds) comes before what is fine.
LOCK_GROUPS = (("cannot install on some targets", LockStatus.FAIL), ("builds from source on some targets", LockStatus.BUILD),
               ("a wheel wherever installed", LockStatus.WHEEL), ("skipped on every target", LockStatus.SKIPPED))


def lock_grid(report: LockReport) -> Grid:
    """Locked packages x targets (columns grouped by platform, then Python x installer); rows worst first.
    A package skipped by its marker on a target is "not applicable" there; a target tagsim does not
    model has no cells."""
    targets = report.targets
    cells: dict[tuple[int, tuple[str, str, str]], LockCell] = {
        (c.position, t.key): c for t in targets for c in report.cells_of(t)}
    platforms = list(dict.fromkeys(t.row.profile.id for t in targets))
    columns = {p: [t for t in targets if t.row.profile.id == p] for p in platforms}
    grouped: dict[LockStatus, list[GridRow]] = {status: [] for _, status in LOCK_GROUPS}
    for position, package in enumerate(report.lock.packages):
        row_cells = []
        statuses = set()
        for platform in platforms:
            for target in columns[platform]:
                cell = cells.get((position, target.key))
                if cell is not None:
                    statuses.add(cell.status)
                skipped = cell is None or cell.status is LockStatus.SKIPPED
                note = ("skipped: " + cell.reason if cell is not None else "not decided: " + target.not_modelled
                        ) if skipped else ""
                row_cells.append(GridCell(None if skipped or cell is None else cell.decision,
                                          frozenset({Mark.REQUIRED}) if report.is_required(target) else frozenset(),
                                          note.rstrip(": ")))
        worst = next((status for _, status in LOCK_GROUPS if status in statuses), LockStatus.SKIPPED)
        heading = dict((status, name) for name, status in LOCK_GROUPS)[worst]
        grouped[worst].append(GridRow(package.label, heading, package.source.value, tuple(row_cells)))
    versions = {t.installer.name: {x.installer.spec for x in targets if x.installer.name is t.installer.name} for t in targets}
    short = all(len(specs) == 1 for specs in versions.values())  # "cp312 uv" when each installer has one version
    groups = tuple(ColumnGroup(p, tuple(f"{t.row.interp.tag} {t.installer.name if short else t.installer.spec}"
                                        for t in columns[p])) for p in platforms)
    return Grid(report.lock.path, "package", groups, tuple(r for _, status in LOCK_GROUPS for r in grouped[status]))


def missing_tags(grids: Sequence[Grid]) -> dict[str, list[str]]:
    """What would fix it: each wheel tag that would fit a cell without one, and the rows it would fix."""
    fixes: dict[str, list[str]] = {}
    for grid in grids:
        for row in grid.rows:
            for cell in row.cells:
                tag = cell.fix
                if tag is not None and row.label not in fixes.setdefault(tag, []):
                    fixes[tag].append(row.label)
    return fixes
