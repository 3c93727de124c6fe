"""A lock report in every format: text, Markdown, GitHub (summary + annotations) and JSON.

Text and Markdown give a counts table (one row per target), then per target the packages that
build (sdist, build needs) and those that cannot install (reason, the wheel tag that would fit),
and the skipped ones grouped by reason. JSON has one record per (package, platform, python,
installer) in the decision shape of `json.decision_json` (written by `formats.render`, compact unless
`--pretty`, as every JSON is).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from ..choice.decision import wheel_message
from ..choice.lock_choice import LockStatus
from ..choice.reasons import Outcome
from ..files.filename import DistFile
from ..report.lock import LockCell, LockReport, LockTarget, MarkerReport
from .escape import shown
from .github import GithubOutput
from .json import Detail, build_json, decision_json, dumps
from .json import _text as version_text  # the memoised spelling of a version, as decision_json writes it
from .table import table

_HEADERS = ["platform", "python", "installer", "wheels", "builds", "fails", "skipped"]


def _header(report: LockReport) -> str:
    lock = report.lock
    live = [t for t in report.targets if not t.not_modelled]
    return (f"{shown(lock.path)} ({lock.format} version {shown(lock.version)}, {len(lock.packages)} packages) "
            f"on {len(live)} target{'' if len(live) == 1 else 's'}")


def _rows(report: LockReport) -> list[list[str]]:
    rows = []
    for t in report.targets:
        if t.not_modelled:
            continue
        counts = report.counts(t)
        mark = " (required)" if report.is_required(t) else ""
        rows.append([t.row.profile.id + mark, t.row.interp.tag, t.installer.spec,
                     *(str(counts[s.value]) for s in LockStatus)])
    return rows


def _build_line(cell: LockCell, allowed: frozenset[str]) -> str:
    d = cell.decision
    assert d is not None
    what = d.chosen.filename if d.chosen is not None else f"{cell.package.source} source {cell.package.origin}"
    needs = d.build.summary() if d.build is not None else "unknown"
    mark = " [allowed]" if cell.package.name in allowed else ""
    return f"{shown(cell.package.label)}: {shown(what)} (needs: {shown(needs)}){mark}"


def _fail_line(cell: LockCell) -> str:
    d = cell.decision
    assert d is not None
    fits = [h for h in d.hints if h.startswith("a wheel tagged")]
    return f"{shown(cell.package.label)}: {shown(d.message)}" + (f" ({shown(fits[0])})" if fits else "")


def _skipped_lines(cells: list[LockCell]) -> list[str]:
    by_reason: dict[str, list[str]] = defaultdict(list)
    for c in cells:
        by_reason[c.reason].append(c.package.label)
    return [f"{shown(reason)}: {', '.join(shown(n, 200) for n in names)}" for reason, names in by_reason.items()]


def _details(report: LockReport, target: LockTarget) -> tuple[list[str], list[str], list[str], str]:
    cells = report.cells_of(target)
    builds = [_build_line(c, report.allow_build) for c in cells if c.status is LockStatus.BUILD]
    fails = [c for c in cells if c.status is LockStatus.FAIL]
    error = target.error
    fail_lines = [] if error else [_fail_line(c) for c in fails]
    skipped = _skipped_lines([c for c in cells if c.status is LockStatus.SKIPPED])
    return builds, fail_lines, skipped, error


def lock_text(report: LockReport) -> str:
    lines = [_header(report)]
    lines += [f"note: {shown(n)}" for n in report.notes]
    lines += ["", table(_rows(report), _HEADERS)]
    for t in report.targets:
        if t.not_modelled:
            continue
        builds, fails, skipped, error = _details(report, t)
        if not (builds or fails or error or (report.verbose and skipped)):
            continue
        lines += ["", f"{t.describe()}:"]
        if error:
            lines.append(f"  refused: {shown(error)}")
        if builds:
            lines.append(f"  builds from source ({len(builds)}):")
            lines += [f"    {b}" for b in builds]
        if fails:
            lines.append(f"  cannot install ({len(fails)}):")
            lines += [f"    {f}" for f in fails]
        if skipped:
            lines.append("  skipped:")
            lines += [f"    {s}" for s in skipped]
    lines += _tail(report)
    return "\n".join(lines)


def _tail(report: LockReport) -> list[str]:
    lines = []
    untested = [t for t in report.targets if t.not_modelled]
    if untested:
        lines += ["", f"not modelled ({len(untested)} targets):"]
        lines += [f"  {t.describe()}: {shown(t.not_modelled)}" for t in untested]
    bad = report.unusable_files()
    if bad:
        lines += ["", f"unusable files ({len(bad)}):"] + [f"  {shown(f.filename)}: {shown(f.problem)}" for f in bad]
    if report.required:
        failing = report.required_failing()
        lines += ["", f"required: {', '.join(str(r) for r in report.required)}: "
                      + (f"{len(failing)} target(s) build or fail" if failing else "every package gets a wheel")]
    return lines


def _md(text: str) -> str:
    return shown(text).replace("|", "\\|")


def lock_markdown(report: LockReport) -> str:
    lines = [f"### {_md(_header(report))}", ""]
    lines += [f"> {_md(n)}" for n in report.notes]
    lines += ["", table(_rows(report), _HEADERS, fmt="github")]
    for t in report.targets:
        if t.not_modelled:
            continue
        builds, fails, skipped, error = _details(report, t)
        if not (builds or fails or error):
            continue
        lines += ["", f"<details><summary><b>{_md(t.describe())}</b>: {len(builds)} build, "
                      f"{len(fails) if not error else 'all'} fail</summary>", ""]
        if error:
            lines.append(f"- refused: {_md(error)}")
        lines += [f"- builds: {_md(b)}" for b in builds]
        lines += [f"- cannot install: {_md(f)}" for f in fails]
        lines += [f"- skipped: {_md(s)}" for s in skipped]
        lines += ["", "</details>"]
    lines += [_md(line) if line else "" for line in _tail(report)]
    return "\n".join(lines)


def _annotation(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def lock_github(report: LockReport) -> GithubOutput:
    notes = [f"::error title=tagsim check::{_annotation(shown(t.describe() + ': ' + _blocking_summary(report, t)))}"
             for t in report.required_failing()]
    notes += [f"::warning title=tagsim check::{_annotation(shown(n))}" for n in report.lock.warnings]
    return GithubOutput(lock_markdown(report), tuple(notes))


def _blocking_summary(report: LockReport, target: LockTarget) -> str:
    if target.not_modelled:
        return f"not modelled: {target.not_modelled}"
    cells = report.blocking(target)
    kinds = Counter(c.status for c in cells)
    names = ", ".join(c.package.label for c in cells[:10]) + (", ..." if len(cells) > 10 else "")
    return f"{kinds[LockStatus.BUILD]} build from source, {kinds[LockStatus.FAIL]} cannot install: {names}"


#: Within one report: (package position, installer, outcome, chosen file) -> the `build` and `message` every
#: such cell shares (an sdist whose build has no chain to follow, or a failure's words); None: each its own.
Shared = dict[tuple[int, str, Outcome, str | None], tuple[dict[str, Any] | None, str] | None]


def cell_json(cell: LockCell, *, detail: Detail = Detail.NONE, shared: Shared | None = None) -> dict[str, Any]:
    """One (package, platform, python, installer) record, in the decision shape of `decision_json`: the
    other files not at all (`Detail.NONE`, the default) or each with its reason (`Detail.ALL`,
    `--all-considered`). Without `Detail.ALL`, a record is written from the compact answer where that says
    all (`derived_json`); tests/render/test_lock_json.py holds every such record to the decision's."""
    pkg, t = cell.package, cell.target
    head: dict[str, Any] = {"project": pkg.name, "locked_version": version_text(pkg.version) if pkg.version else None,
                            "extras": list(pkg.extras), "source": pkg.source, "platform": t.row.profile.id,
                            "python": t.row.interp.tag, "status": cell.status}
    answer = cell.answer
    if answer is None:
        return {**head, "installer": t.installer.spec, "outcome": "skipped", "file": None, "version": None,
                "tag": None, "rank": None, "build": None, "message": cell.reason, "hints": []}
    if detail is Detail.NONE and shared is not None:
        record = derived_json(cell, shared)
        if record is not None:
            return {**head, **record}
    return {**head, **decision_json(answer.decision(), detail=detail)}


def derived_json(cell: LockCell, shared: Shared) -> dict[str, Any] | None:
    """`decision_json` at `Detail.NONE` without the cell's decision, or None where only it can say: a wheel
    from its file, rank and tag; a build or failure from its hints (`PackageAnswers.hints`) and the build
    and message the package's other cells of that installer share (the first such cell's decision)."""
    answer = cell.answer
    assert answer is not None
    if answer.answers is None or not answer.derived:
        return None
    spec = cell.target.installer.spec
    outcome, dist, rank, tag = answer.chosen
    if outcome is Outcome.WHEEL:
        assert dist is not None
        return wheel_json(spec, dist, rank, tag)
    hints = answer.answers.hints(answer.i)
    if hints is None:
        return None
    key = (cell.position, spec, outcome, dist.filename if dist is not None else None)
    if key not in shared:
        decision = answer.decision()
        # A failure's words are the package's, not the column's, when it has files (`lock_choice._with_installer_message`).
        shares = decision.chain is None and (decision.build is not None if outcome is Outcome.SDIST else bool(cell.package.files))
        shared[key] = (build_json(decision) if decision.build is not None else None, decision.message) if shares else None
    found = shared[key]
    if found is None:
        return None
    build, message = found
    return {"installer": spec, "outcome": outcome, "file": dist.filename if dist is not None else None,
            "version": version_text(dist.version) if dist is not None and dist.version is not None else None,
            "tag": tag, "rank": rank, "build": build, "message": message, "hints": list(hints)}


def wheel_json(installer: str, dist: DistFile, rank: int | None, tag: str | None) -> dict[str, Any]:
    """`decision_json` of a wheel decision at `Detail.NONE`, from its chosen file, rank and tag
    (tests/render/test_lock_json.py holds every record to the decision's)."""
    return {"installer": installer, "outcome": Outcome.WHEEL, "file": dist.filename,
            "version": version_text(dist.version) if dist.version is not None else None, "tag": tag, "rank": rank,
            "build": None, "message": wheel_message(dist, tag, rank), "hints": []}


def lock_json(report: LockReport, detail: Detail = Detail.NONE) -> dict[str, Any]:
    """The whole report: the lock, its targets with their counts, every record, and the summary."""
    lock = report.lock
    shared: Shared = {}
    return {
        "lock": {"path": lock.path, "format": lock.format, "version": lock.version, "packages": len(lock.packages),
                 "requires_python": str(lock.requires_python) if lock.requires_python else None,
                 "environments": [str(m) for m in lock.environments]},
        "targets": [{"platform": t.row.profile.id, "python": t.row.interp.tag, "installer": t.installer.spec,
                     "error": t.error or None, "not_modelled": t.not_modelled or None,
                     "required": report.is_required(t), "counts": report.counts(t)} for t in report.targets],
        "decisions": [cell_json(c, detail=detail, shared=shared) for c in report.cells],
        "summary": {"required": [str(r) for r in report.required],
                    "required_failing": [t.describe() for t in report.required_failing()],
                    "allow_build": sorted(report.allow_build), "notes": list(report.notes),
                    "unusable_files": [{"file": f.filename, "reason": f.problem} for f in report.unusable_files()]},
    }


def markers_text(report: MarkerReport) -> str:
    lines = [f"{report.profile.id} ({report.profile.summary()}), {report.interp.describe()}: PEP 508 marker environment"]
    width = max(len(k) for k in report.environment)
    lines += [f"  {key:<{width}}  {value!r}" for key, value in report.environment.items()]
    lines += [f"note: {n}" for n in report.uv_differs]
    return "\n".join(lines)


def markers_json_text(report: MarkerReport) -> str:
    return dumps({"platform": report.profile.id, "python": report.interp.tag, "markers": report.environment,
                  "notes": list(report.uv_differs)}, pretty=True)
