"""A lock report in every format: text, Markdown, GitHub (summary + annotations) and JSON.

Text and Markdown give a counts table (one row per target), then per target the packages that
build (sdist, build needs) and those that cannot install (reason, the wheel tag that would fit),
and the skipped ones grouped by reason. JSON has one record per (package, platform, python,
installer) in the decision shape of `json.decision_json`.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

from ..choice.lock_choice import LockStatus
from ..report.lock import LockCell, LockReport, LockTarget, MarkerReport
from .escape import shown
from .github import GithubOutput
from .json import Detail, decision_json, dumps
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


def cell_json(cell: LockCell, *, verbose: bool = False) -> dict[str, Any]:
    """One (package, platform, python, installer) record, in the decision shape of `decision_json`."""
    pkg, t = cell.package, cell.target
    head: dict[str, Any] = {"project": pkg.name, "locked_version": str(pkg.version) if pkg.version else None,
                            "extras": list(pkg.extras), "source": pkg.source, "platform": t.row.profile.id,
                            "python": t.row.interp.tag, "status": cell.status}
    if cell.decision is None:
        return {**head, "installer": t.installer.spec, "outcome": "skipped", "file": None, "version": None,
                "tag": None, "rank": None, "build": None, "message": cell.reason, "hints": []}
    record = decision_json(cell.decision, detail=Detail.ALL if verbose else Detail.NONE)
    if not verbose:  # the summary: how many locked files were not taken (`--verbose`: each, with its reason)
        record["rejected"] = len(pkg.files) - (cell.decision.chosen is not None)
    return {**head, **record}


def lock_json(report: LockReport) -> dict[str, Any]:
    lock = report.lock
    return {
        "lock": {"path": lock.path, "format": lock.format, "version": lock.version, "packages": len(lock.packages),
                 "requires_python": str(lock.requires_python) if lock.requires_python else None,
                 "environments": [str(m) for m in lock.environments]},
        "targets": [{"platform": t.row.profile.id, "python": t.row.interp.tag, "installer": t.installer.spec,
                     "error": t.error or None, "not_modelled": t.not_modelled or None,
                     "required": report.is_required(t), "counts": report.counts(t)} for t in report.targets],
        "decisions": [cell_json(c, verbose=report.verbose) for c in report.cells],
        "summary": {"required": [str(r) for r in report.required],
                    "required_failing": [t.describe() for t in report.required_failing()],
                    "allow_build": sorted(report.allow_build), "notes": list(report.notes),
                    "unusable_files": [{"file": f.filename, "reason": f.problem} for f in report.unusable_files()]},
    }


def lock_json_text(report: LockReport) -> str:
    """The report indented, except each decision on one line: 86,000 decisions indented are 53 MB, and
    `json` encodes indented output in pure Python (10 s here), compact output in C."""
    data = lock_json(report)
    decisions = data.pop("decisions")
    head = dumps(data, pretty=True)  # its indented shape; the decisions one per line below
    lines = ",\n".join("    " + json.dumps(d, separators=(", ", ": ")) for d in decisions)
    return head[:-2] + ',\n  "decisions": [\n' + lines + "\n  ]\n}"


def markers_text(report: MarkerReport) -> str:
    lines = [f"{report.profile.id} ({report.profile.summary()}), {report.interp.describe()}: PEP 508 marker environment"]
    width = max(len(k) for k in report.environment)
    lines += [f"  {key:<{width}}  {value!r}" for key, value in report.environment.items()]
    lines += [f"note: {n}" for n in report.uv_differs]
    return "\n".join(lines)


def markers_json_text(report: MarkerReport) -> str:
    return dumps({"platform": report.profile.id, "python": report.interp.tag, "markers": report.environment,
                  "notes": list(report.uv_differs)}, pretty=True)
