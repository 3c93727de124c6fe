"""`tagsim check`: every (platform, Python) row x installer column of a release, as a CI gate.

Each cell is one `explain` decision, so a cell, its reason and `tagsim explain` never disagree.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .dists import DistFile
from .errors import ProfileError, TagsimError, read_json_file
from .explain import explain
from .installers import Installer
from .interpreters import Interpreter, parse_python
from .policy import Decision, Flags
from .profiles import Profile, bundled_profiles, parse_profiles_document, resolve_platform

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
    def outcome(self) -> str:
        return self.decision.outcome

    def text(self, *, full_name: bool = False) -> str:
        """Compact: the winning wheel's platform tag (or filename), `sdist (needs cargo)`, or `none`."""
        d = self.decision
        if d.outcome == "wheel" and d.chosen is not None and d.tag is not None:
            return d.chosen.filename if full_name else d.tag.split("-", 2)[2]
        if d.outcome == "sdist" and d.build is not None:
            return f"sdist ({d.build.short()})"
        return "none"

    def describe(self) -> str:
        pid, py, inst = self.key
        return f"{pid} {py} {inst}"

    def to_json(self) -> dict[str, Any]:
        return {"platform": self.row.profile.id, "python": self.row.interp.tag, **self.decision.to_json()}


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
        return [c for c in self.cells if self.is_required(c) and c.outcome != "wheel"]

    def counts(self) -> dict[str, int]:
        counter = Counter(c.outcome for c in self.cells)
        return {"cells": len(self.cells), "wheel": counter["wheel"], "sdist": counter["sdist"], "none": counter["none"]}

    def cell(self, row: Row, installer: Installer) -> Cell:
        return self.by_key[(row.profile.id, row.interp.tag, installer.spec)]

    @cached_property
    def by_key(self) -> dict[tuple[str, str, str], Cell]:
        """Cells by (platform id, python tag, installer spec), built once."""
        return {c.key: c for c in self.cells}

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": [c.to_json() for c in self.cells],
            "summary": {
                "required": [str(r) for r in self.required],
                "required_failing": [failing_record(c) for c in self.required_failing()],
                "counts": self.counts(),
                "warnings": list(self.warnings),
                "unusable_files": [{"file": f.filename, "reason": f.problem} for f in self.unusable],
            },
        }


def failing_record(cell: Cell) -> dict[str, Any]:
    return {"platform": cell.row.profile.id, "python": cell.row.interp.tag, "installer": cell.decision.installer.spec,
            "outcome": cell.outcome, "cell": cell.text(), "reason": cell.decision.message}


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
              warnings: Sequence[str] = (), progress: Callable[[int], None] | None = None) -> CheckResult:
    cells: list[Cell] = []
    for number, row in enumerate(rows, 1):
        expl = explain(row.profile, row.interp, files, req=req, installers=installers, flags=flags)
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
        was, now = self.before.outcome == "wheel", self.after.outcome == "wheel"
        return "fixed" if now and not was else "broke" if was and not now else "changed"

    def to_json(self) -> dict[str, Any]:
        pid, py, inst = self.before.key
        return {"platform": pid, "python": py, "installer": inst, "kind": self.kind,
                "before": self.before.text(full_name=True), "after": self.after.text(full_name=True)}


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


def _identity(d: Decision) -> tuple[Any, ...]:
    """What the user gets: a retag renames a wheel, but the same wheel via the same tag is no change."""
    if d.chosen is None:
        return (d.outcome,)
    if d.outcome == "wheel":
        return (d.outcome, d.chosen.version, d.chosen.build, d.tag)
    return (d.outcome, d.chosen.filename)


def change_summary(changes: Sequence[Change]) -> str:
    kinds = Counter(c.kind for c in changes)
    other = f", {kinds['changed']} other changes" if kinds["changed"] else ""
    return f"fixes {kinds['fixed']} cells, breaks {kinds['broke']}{other}"


@dataclass(frozen=True)
class MatrixFile:
    """`--matrix FILE`: a project's own rows. See the README for the schema."""

    profiles: tuple[Profile, ...]
    pythons: tuple[Interpreter, ...] = ()
    required: tuple[str, ...] = ()


_MATRIX_KEYS = {"schema_version", "profiles", "platforms", "pythons", "require"}


def load_matrix(path: str) -> MatrixFile:
    document = read_json_file(path, ProfileError, "matrix file")
    if not isinstance(document, dict):
        raise ProfileError("expected a JSON object", where=path)
    unknown = sorted(set(document) - _MATRIX_KEYS)
    if unknown:
        raise ProfileError(f"unknown key {unknown[0]!r} (expected {', '.join(sorted(_MATRIX_KEYS))})", where=path)
    profiles: list[Profile] = []
    if "profiles" in document:
        profiles += parse_profiles_document({"profiles": document["profiles"]}, source=path).values()
    platforms = document.get("platforms", [])
    if not isinstance(platforms, list) or not all(isinstance(p, str) for p in platforms):
        raise ProfileError("'platforms' must be a list of profile ids or inline specs", where=path)
    own = {p.id: p for p in profiles}
    for spec in platforms:
        profile = resolve_platform(spec, {**bundled_profiles(), **own})
        if profile.id in {p.id for p in profiles}:
            raise ProfileError(f"platform {profile.id!r} is listed twice", where=path)
        profiles.append(profile)
    if not profiles:
        raise ProfileError("the matrix has no 'profiles' and no 'platforms'", where=path)
    pythons = document.get("pythons", [])
    if not isinstance(pythons, list) or not all(isinstance(p, str) for p in pythons):
        raise ProfileError("'pythons' must be a list like [\"cp311\", \"cp312\"]", where=path)
    required = document.get("require", [])
    if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
        raise ProfileError("'require' must be a list like [\"linux-aarch64-glibc2.17:cp312\"]", where=path)
    try:
        interps = tuple(parse_python(p) for p in pythons)
    except TagsimError as exc:
        raise ProfileError(exc.message, where=f"{path} pythons") from None
    return MatrixFile(tuple(profiles), interps, tuple(required))


def project_of(files: Sequence[DistFile], req: Requirement | None) -> str | None:
    if req is not None:
        return canonicalize_name(req.name)
    names = {f.name for f in files if f.name}
    return next(iter(names)) if len(names) == 1 else None
