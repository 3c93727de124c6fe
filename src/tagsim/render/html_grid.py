"""Any `report.grid.Grid` as a semantic HTML table: the heatmap every HTML report draws.

Rows are grouped (`<tbody>` per group, a `<th scope="rowgroup">` heading), row labels are
`<th scope="row">` with a one-line description, columns sit under `<th scope="colgroup">` headings.
Each cell is one decision: colour, symbol and word for its outcome, outlines for its marks, and a
`title` (shown by the CSS on hover and keyboard focus, `tabindex="0"`) with the chosen file, tag and
rank, the build needs, the installer's reason and the wheel tag that would fit.
"""

from __future__ import annotations

from ..choice.decision import Decision
from ..choice.reasons import Outcome
from ..report.grid import ColumnGroup, Grid, GridCell, GridRow, Mark
from .escape import shown
from .html_page import CLASS, OUTCOME_STYLE, esc

_MARK_TEXT = {
    Mark.REQUIRED: "required by --require", Mark.FIXED: "what-if: fixed (gets a wheel after the edits)",
    Mark.BROKE: "what-if: broken (had a wheel before the edits)", Mark.CHANGED: "what-if: changed",
    Mark.REGRESSION: "regression: an earlier release had a wheel here",
}
#: A mark's symbol after the outcome word: the outline is not the only signal either.
_MARK_SYMBOL = {Mark.REQUIRED: "*", Mark.FIXED: " +", Mark.BROKE: " \u2212", Mark.CHANGED: " ~", Mark.REGRESSION: " \u2193"}
#: Wider grids (a long history) show symbols only, so a screen holds more of them.
COMPACT_ABOVE = 16
_MARK_CLASS = {Mark.REQUIRED: "rq", Mark.FIXED: "fixed", Mark.BROKE: "broke", Mark.CHANGED: "changed",
               Mark.REGRESSION: "regression"}


def decision_lines(d: Decision) -> list[str]:
    """The chosen file, its tag and rank or its build needs, and the installer's own message (the reason)."""
    lines = []
    if d.chosen is not None:
        lines.append(f"{d.outcome}: {shown(d.chosen.filename)}")
    if d.outcome is Outcome.WHEEL:
        lines.append(f"tag {d.tag}, rank {d.rank}")
    elif d.build is not None:
        backend = f" (backend {shown(d.build.backend)}, from {d.build.source})" if d.build.backend else ""
        lines.append(f"build needs: {shown(d.build.summary())}{backend}")
    lines.append(f"why: {shown(d.message)}")
    return lines


def cell_title(where: str, cell: GridCell) -> str:
    lines = [where]
    if cell.decision is None:
        lines.append(f"not applicable: {shown(cell.note)}" if cell.note else "not applicable: this combination was not decided")
    else:
        lines += decision_lines(cell.decision)
        if cell.fix is not None:
            lines.append(f"would fix it: a wheel tagged {cell.fix}")
    lines += [_MARK_TEXT[m] for m in sorted(cell.marks)]
    return "\n".join(lines)


def cell_html(where: str, cell: GridCell, *, compact: bool = False) -> str:
    """One cell; `compact` (a wide grid) shows the symbol without the word, which the legend and title say."""
    outcome = cell.outcome
    _, _, symbol, word = OUTCOME_STYLE[outcome]
    classes = " ".join(["c", CLASS[outcome], *(_MARK_CLASS[m] for m in sorted(cell.marks))])
    marks = "".join(_MARK_SYMBOL[m] for m in sorted(cell.marks))
    title = esc_multiline(cell_title(where, cell))
    label = symbol if compact else f"{symbol} {word}"
    return f'<td class="{classes}" tabindex="0" data-outcome="{word}" title="{title}">{label}{marks}</td>'


def esc_multiline(text: str) -> str:
    """Each line escaped on its own (and cut, as everywhere), kept as separate lines for the tooltip."""
    return "&#10;".join(esc(line) for line in text.split("\n"))


def _column_labels(groups: tuple[ColumnGroup, ...]) -> list[str]:
    return [f"{g.label} \u00b7 {c}" if len(groups) > 1 or g.label not in ("release",) else c
            for g in groups for c in g.columns]


def _head(grid: Grid, vertical: bool) -> list[str]:
    top = [f'<th scope="col" rowspan="2">{esc(grid.corner)}</th>']
    top += [f'<th scope="colgroup" colspan="{len(g.columns)}">{esc(g.label)}</th>' for g in grid.groups]
    cls = ' class="v"' if vertical else ""
    second = [f'<th scope="col"{cls}>{esc(c)}</th>' for g in grid.groups for c in g.columns]
    return ["<thead>", f"<tr>{''.join(top)}</tr>", f"<tr>{''.join(second)}</tr>", "</thead>"]


def _row(row: GridRow, columns: list[str], compact: bool) -> str:
    head = f'<th scope="row"><span class="id">{esc(row.label)}</span><span class="d">{esc(row.description)}</span></th>'
    cells = "".join(cell_html(f"{row.label} \u00b7 {column}", cell, compact=compact) for column, cell in zip(columns, row.cells, strict=True))
    return f"<tr>{head}{cells}</tr>"


def grid_table(grid: Grid, *, caption: str) -> str:
    """The grid as one `<table>`, in a scrolling box with sticky headers."""
    columns = _column_labels(grid.groups)
    compact = grid.width > COMPACT_ABOVE
    vertical = compact or any(len(c) > 14 for g in grid.groups for c in g.columns)
    out = ['<div class="wrap">', f'<table class="grid{" k" if compact else ""}"><caption>{esc(caption)}</caption>', *_head(grid, vertical)]
    group: str | None = None
    for row in grid.rows:
        if row.group != group:
            if group is not None:
                out.append("</tbody>")
            group = row.group
            size = sum(1 for r in grid.rows if r.group == group)
            out.append(f'<tbody><tr><th scope="rowgroup" colspan="{grid.width + 1}">{esc(group)} ({size})</th></tr>')
        out.append(_row(row, columns, compact))
    if group is not None:
        out.append("</tbody>")
    out += ["</table>", "</div>"]
    return "\n".join(out)
