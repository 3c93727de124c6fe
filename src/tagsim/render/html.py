"""HTML: `check`, what-if and `history` reports as one self-contained page each (`--format html`).

Built from the report objects through `report.grid` (the same grid the notebook draws), never from
JSON text; the page and the table are in `html_page` and `html_grid`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..choice.lock_choice import LockStatus
from ..choice.reasons import Outcome
from ..report.check import CheckResult, WhatIf
from ..report.grid import Grid, check_grid, history_grid, lock_grid, missing_tags, whatif_grids
from ..report.history import History
from ..report.lock import LockReport
from .html_grid import grid_table
from .html_page import OUTCOME_STYLE, counts_svg, esc, legend, page, releases_width


def _counts_line(result: CheckResult) -> str:
    c = result.counts()
    return (f'<p class="meta">{c["cells"]} cells: {c["wheel"]} wheel, {c["sdist"]} sdist, {c["none"]} none '
            f"{counts_svg(c)}</p>")


def _axes(result: CheckResult) -> str:
    pythons = ", ".join(dict.fromkeys(r.interp.tag for r in result.rows))
    installers = ", ".join(i.spec for i in result.installers)
    platforms = len({r.profile.id for r in result.rows})
    return f'<p class="meta">{platforms} platforms; Python: {esc(pythons)}; installers: {esc(installers)}</p>'


def _required(result: CheckResult) -> list[str]:
    if not result.required:
        return []
    names = ", ".join(map(str, result.required))
    failing = result.required_failing()
    if not failing:
        return [f'<p class="note">Required ({esc(names)}): every installer gets a wheel.</p>']
    items = "".join(f"<li><code>{esc(c.describe())}</code>: {esc(c.decision.message)}</li>" for c in failing)
    return [f'<p class="note"><strong>Required ({esc(names)}): {len(failing)} cells fail</strong></p><ul>{items}</ul>']


def _fixes(grids: Sequence[Grid]) -> list[str]:
    """What would fix it: the missing wheel tags (from each decision's own hint) and the rows each one fixes."""
    fixes = missing_tags(grids)
    if not fixes:
        return []
    items = []
    for tag, rows in sorted(fixes.items(), key=lambda kv: -len(kv[1])):
        shown_rows = ", ".join(rows[:8]) + (f" and {len(rows) - 8} more" if len(rows) > 8 else "")
        items.append(f"<li>a wheel tagged <code>{esc(tag)}</code> would fit {esc(shown_rows)}</li>")
    return ["<h2>What would fix it</h2>", f'<ul class="fix">{"".join(items)}</ul>']


def _problems(warnings: Sequence[str], result: CheckResult | None, unusable_count: int = 0) -> list[str]:
    out = []
    if warnings:
        out += ["<h2>Warnings</h2>", "<ul>" + "".join(f"<li>{esc(w)}</li>" for w in warnings) + "</ul>"]
    files = result.unusable if result is not None else ()
    if files:
        out += [f"<h2>Unusable files ({len(files)})</h2>",
                "<ul>" + "".join(f"<li><code>{esc(f.filename)}</code>: {esc(f.problem or '')}</li>" for f in files)
                + "</ul>"]
    elif unusable_count:
        out.append(f'<p class="note">{unusable_count} unusable files (see the JSON report)</p>')
    return out


def check_html(result: CheckResult) -> str:
    grid = check_grid(result)
    body = ["<h1>tagsim check</h1>", _axes(result), _counts_line(result), *_required(result), legend(),
            grid_table(grid, caption="Which file each installer gets, per platform (rows) and Python x installer"),
            *_fixes([grid]), *_problems(result.warnings, result)]
    return page("tagsim check", body)


def whatif_html(whatif: WhatIf) -> str:
    before, after = whatif_grids(whatif)
    changes = whatif.changes
    items = "".join(f"<li><code>{esc(c.before.describe())}</code>: {esc(c.before.text(full_name=True))} \u2192 "
                    f"{esc(c.after.text(full_name=True))} ({c.kind})</li>" for c in changes)
    body = ["<h1>tagsim what-if</h1>", f'<p class="meta">Edits: <code>{esc(" ".join(whatif.edits))}</code></p>',
            f"<h2>{esc(whatif.summary())}</h2>",
            f"<ul>{items}</ul>" if changes else '<p class="note">No cell changes.</p>',
            _axes(whatif.after), legend(),
            '<p class="note">Changed cells are framed in blue and marked + (fixed), \u2212 (broken) or ~ (changed).</p>',
            '<div class="side">',
            f"<section><h2>Before</h2>{_counts_line(whatif.before)}{grid_table(before, caption='before the edits')}"
            "</section>",
            f"<section><h2>After</h2>{_counts_line(whatif.after)}{grid_table(after, caption='after the edits')}"
            "</section>",
            "</div>", *_required(whatif.after), *_fixes([after]), *_problems(whatif.after.warnings, whatif.after)]
    return page("tagsim what-if", body)


def releases_svg(history: History, *, height: int = 60) -> str:
    """One stacked column per release (wheel at the bottom, then sdist, then none), oldest to newest."""
    bar, step = releases_width(len(history.releases))
    parts = []
    for n, release in enumerate(history.releases):
        counts = release.result.counts()
        total = counts["cells"] or 1
        y = float(height)
        for outcome in Outcome:
            h = height * counts[outcome.value] / total
            if h:
                y -= h
                parts.append(f'<rect x="{n * step}" y="{y:.1f}" width="{bar}" height="{h:.1f}" '
                             f'fill="{OUTCOME_STYLE[outcome][0]}"><title>{esc(release.version)}: '
                             f"{counts[outcome.value]} {outcome}</title></rect>")
    width = len(history.releases) * step
    return (f'<svg role="img" aria-label="coverage of each release, oldest to newest" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}">{"".join(parts)}</svg>')


def history_html(history: History) -> str:
    grid = history_grid(history)
    releases = history.releases
    regressions = "".join(
        f"<li><code>{esc(r.platform)} {esc(r.python)} {esc(r.installer)}</code>: wheel in {esc(r.last_good)}, "
        f"{esc(r.bad_cell)} from {esc(r.first_bad)}, "
        + (f"recovered in {esc(r.recovered_in)}" if r.recovered_in else "not recovered") + "</li>"
        for r in history.regressions)
    body = [f"<h1>tagsim history: {esc(history.project)}</h1>",
            f'<p class="meta">{len(releases)} releases, {esc(releases[0].version)} to {esc(releases[-1].version)}</p>',
            f'<p class="meta">{releases_svg(history)}</p>',
            f"<h2>Regressions ({len(history.regressions)})</h2>",
            f"<ul>{regressions}</ul>" if regressions else '<p class="note">No regressions.</p>',
            legend(), '<p class="note">Boxed cells (\u2193) are regressions: a wheel an earlier release had, '
            "lost until a later release brings it back.</p>",
            grid_table(grid, caption="Which file each installer gets, per release (columns)"),
            *_problems([], None, len(history.unusable))]
    return page(f"tagsim history: {history.project}", body)


def lock_html(report: LockReport) -> str:
    """A lock file's report: packages (rows, failures and builds first) x targets; skipped cells are n/a."""
    grid = lock_grid(report)
    decided = [c for t in report.targets for c in report.cells_of(t) if c.status is not LockStatus.SKIPPED]
    counts = {o.value: sum(c.decision is not None and c.decision.outcome is o for c in decided) for o in Outcome}
    lock = report.lock
    failing = report.required_failing()
    gate = []
    if report.required:
        items = "".join(f"<li><code>{esc(t.describe())}</code>: {esc(t.not_modelled) or len(report.blocking(t))} "
                        "packages build or fail</li>" for t in failing)
        gate = ([f'<p class="note"><strong>Required: {len(failing)} targets fail the gate</strong></p><ul>{items}</ul>']
                if failing else ['<p class="note">Required: every required target installs from wheels.</p>'])
    notes = [f'<p class="note">{esc(n)}</p>' for n in report.notes]
    body = [f"<h1>tagsim check: {esc(lock.path)}</h1>",
            f'<p class="meta">{esc(lock.format)} (version {esc(lock.version)}), {len(lock.packages)} packages, '
            f"{len(report.targets)} targets; installers: {esc(', '.join(dict.fromkeys(t.installer.spec for t in report.targets)))}</p>",
            f'<p class="meta">{len(decided)} installed or failed package x target cells: {counts["wheel"]} wheel, '
            f'{counts["sdist"]} sdist, {counts["none"]} none {counts_svg(counts)}</p>',
            *gate, *notes, legend(),
            '<p class="note">Grey (n/a): the package is skipped on that target (its marker, group or extra).</p>',
            grid_table(grid, caption="Which file each installer takes for each locked package, per target (columns)"),
            *_fixes([grid]), *_problems([], None, len(report.unusable_files()))]
    return page(f"tagsim check: {lock.path}", body)
