"""The HTML page around a report: one self-contained file, inline CSS and SVG, nothing fetched, no script.

A Content-Security-Policy forbids every request (`default-src 'none'`) and every script, so the file
reads the same offline, from a CI artifact or a mail attachment; inline styles and `data:` images
are all it may use. The CSS gives CSS-only tooltips on hover and keyboard focus, sticky headers for
large grids, and a print layout for A4 landscape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from ..choice.reasons import Outcome
from .escape import shown

#: Background, text colour, symbol and word of each outcome; `None` is a cell that is not applicable.
#: Colour is never the only signal: the symbol and word say it too, in print and for colour-blind readers.
OUTCOME_STYLE: Mapping[Outcome | None, tuple[str, str, str, str]] = {
    Outcome.WHEEL: ("#1b7837", "#ffffff", "\u2713", "wheel"),
    Outcome.SDIST: ("#f6b042", "#000000", "\u25b2", "sdist"),
    Outcome.NONE: ("#c62828", "#ffffff", "\u2717", "none"),
    None: ("#d9d9d9", "#000000", "\u2013", "n/a"),
}
OUTCOME_MEANING: Mapping[Outcome | None, str] = {
    Outcome.WHEEL: "a wheel is installed", Outcome.SDIST: "the sdist is built from source",
    Outcome.NONE: "nothing can be installed", None: "not applicable (not decided)",
}
CLASS = {Outcome.WHEEL: "w", Outcome.SDIST: "s", Outcome.NONE: "n", None: "x"}

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_CSS = """
:root{font-family:"DejaVu Sans",Arial,sans-serif;font-size:14px;color:#111;background:#fff}
body{margin:1.2em}
h1{font-size:1.4em;margin:0 0 .3em}
h2{font-size:1.15em;margin:1.2em 0 .4em}
p.meta,p.note{margin:.2em 0;color:#333}
.wrap{overflow:auto;max-height:85vh;max-width:100%;display:inline-block;border:1px solid #bbb}
table.grid{border-collapse:separate;border-spacing:1px;font-size:12px}
table.grid thead th{position:sticky;top:0;background:#f3f3f3;z-index:3;font-weight:600;padding:2px 4px}
table.grid thead tr+tr th{top:1.6em}
table.grid th.v{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;height:6.5em}
table.grid tbody th[scope=row]{position:sticky;left:0;background:#fff;z-index:2;text-align:left;
 font-weight:normal;padding:1px 6px 1px 2px;white-space:nowrap}
table.grid th[scope=rowgroup]{text-align:left;background:#e6e6e6;padding:3px 4px;position:sticky;left:0}
th .id{font-family:"DejaVu Sans Mono",monospace}
th .d{display:block;font-size:10px;color:#555;max-width:26em;overflow:hidden;text-overflow:ellipsis}
td.c{position:relative;padding:1px 4px;white-space:nowrap;text-align:center;min-width:3.6em;cursor:default}
.c.w{background:#1b7837;color:#fff}.c.s{background:#f6b042;color:#000}
.c.n{background:#c62828;color:#fff}.c.x{background:#d9d9d9;color:#000}
table.k td.c{min-width:1.4em;padding:1px 2px}
td.rq{outline:3px solid #111;outline-offset:-3px}
td.fixed,td.broke,td.changed{box-shadow:inset 0 0 0 3px #1d4ed8}
td.regression{outline:3px solid #000;outline-offset:-1px;z-index:1}
td.c:focus{outline:3px solid #1d4ed8;outline-offset:0;z-index:5}
td.c:hover::after,td.c:focus::after{content:attr(title);position:absolute;left:50%;top:100%;z-index:10;
 white-space:pre-line;text-align:left;min-width:22em;max-width:40em;padding:6px 8px;background:#fffbe6;
 color:#111;border:1px solid #333;box-shadow:0 2px 6px rgba(0,0,0,.3);font-size:12px}
.legend span{display:inline-block;padding:1px 6px;margin-right:.6em}
.side{display:flex;gap:1.5em;align-items:flex-start;flex-wrap:wrap}
.side>section{flex:1 1 0;min-width:0}
ul.fix{margin:.3em 0;padding-left:1.3em}
code{font-family:"DejaVu Sans Mono",monospace;font-size:.95em}
@page{size:A4 landscape;margin:10mm}
@media print{
 :root{font-size:9px}body{margin:0}
 .wrap{overflow:visible;max-height:none;border:0}
 table.grid thead th,table.grid tbody th[scope=row],table.grid th[scope=rowgroup]{position:static}
 table.grid{font-size:7px}th .d{font-size:6px}
 td.c::after{display:none}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 thead{display:table-header-group}tr{break-inside:avoid}
 .side{display:block}
}
"""


def esc(text: object) -> str:
    """Text from the outside, on one line and cut as in every other format, made safe for HTML."""
    return escape(shown(text), quote=True)


def page(title: str, body: Sequence[str]) -> str:
    """A whole document: the report's title and its body parts."""
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head><body>",
        *body,
        "</body></html>",
        "",
    ])


def legend() -> str:
    """What the colours, symbols and outlines mean."""
    parts = []
    for outcome, (_, _, symbol, word) in OUTCOME_STYLE.items():
        parts.append(f'<span class="c {CLASS[outcome]}">{symbol} {word}</span> {OUTCOME_MEANING[outcome]}')
    return ('<p class="legend">' + "; ".join(parts) + ". A thick outline: a required cell (<code>--require</code>)"
            "; hover or focus (Tab) a cell for its file, tag, rank, build needs and reason.</p>")


def releases_width(count: int, *, most: int = 900) -> tuple[int, int]:
    """Bar width and gap for `count` columns in at most `most` pixels."""
    step = max(2, min(16, most // max(count, 1)))
    return step - (2 if step > 6 else 1 if step > 2 else 0), step


def counts_svg(counts: Mapping[str, int], *, width: int = 420, height: int = 18) -> str:
    """An inline SVG bar: the share of wheel, sdist and none cells, each labelled with its count."""
    total = sum(counts.get(o.value, 0) for o in Outcome) or 1
    x = 0.0
    parts = []
    for outcome in Outcome:
        n = counts.get(outcome.value, 0)
        if not n:
            continue
        w = width * n / total
        fill, ink, symbol, word = OUTCOME_STYLE[outcome]
        parts.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{fill}"><title>{n} {word}'
                     f"</title></rect>")
        if w > 40:
            parts.append(f'<text x="{x + 4:.1f}" y="{height - 5}" fill="{ink}" font-size="11">{symbol} {n}</text>')
        x += w
    label = ", ".join(f"{counts.get(o.value, 0)} {OUTCOME_STYLE[o][3]}" for o in Outcome)
    return (f'<svg role="img" aria-label="{label}" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}">{"".join(parts)}</svg>')
