"""Markdown: for pull requests, issues and the GitHub step summary."""

from __future__ import annotations

from collections import Counter

from ..report.check import Change, CheckResult, WhatIf
from ..report.explain import Explanation
from ..report.history import History
from .chain import chain_lines, evidence_lines, needs_summary
from .escape import shown
from .table import table
from .text import counts_line, matrix


def explanation_markdown(expl: Explanation) -> str:
    lines = [f"### {expl.profile.id}, {expl.interp.describe()}", "", "| installer | outcome | file | why |",
             "|---|---|---|---|"]
    for d in expl.decisions:
        file = f"`{shown(d.chosen.filename)}`" if d.chosen else "-"
        lines.append(f"| {d.installer.spec} | {d.outcome} | {file} | {_md_escape(d.message)} |")
    for d in expl.decisions:
        counts = Counter(c.reason for c in d.considered if c.reason and not c.usable)
        if counts:
            summary = ", ".join(f"{r.heading}: {n}" for r, n in counts.most_common())
            lines.append(f"\n**{d.installer.spec}** rejected: {summary}")
    for d in expl.decisions:
        if d.chain is not None:
            built = [*(evidence_lines(d.build) if d.build else []), *chain_lines(d.chain, "")]
            lines += ["", f"**{d.installer.spec}** build:", "", "```", *built, "```"] if built else []
    needs = needs_summary(expl.decisions)
    if needs:
        lines += ["", *(f"**{_md_escape(line)}**" for line in needs)]
    return "\n".join(lines)


def _md_escape(text: str) -> str:
    return shown(text).replace("|", "\\|")


def check_markdown(result: CheckResult) -> str:
    lines = ["### tagsim check", "", matrix(result, "pipe", False), "", counts_line(result)]
    failing = result.required_failing()
    if result.required:
        lines.append("")
        if failing:
            lines.append(f"**{len(failing)} required cells fail:**")
            lines += [f"- `{c.describe()}`: {_md_escape(c.decision.message)}" for c in failing]
        else:
            lines.append(f"All required cells ({', '.join(map(str, result.required))}) get a wheel.")
    if result.warnings:
        lines += ["", "Warnings:"] + [f"- {_md_escape(w)}" for w in result.warnings]
    if result.unusable:
        lines += ["", f"Unusable files ({len(result.unusable)}):"]
        lines += [f"- `{shown(f.filename)}`: {_md_escape(f.problem or '')}" for f in result.unusable]
    return "\n".join(lines)


def _diff_rows(changes: list[Change]) -> list[list[str]]:
    return [[c.before.row.profile.id, c.before.row.interp.tag, c.before.decision.installer.spec,
             shown(c.before.text(full_name=True)), shown(c.after.text(full_name=True)), c.kind] for c in changes]


def whatif_markdown(whatif: WhatIf) -> str:
    changes, edits = whatif.changes, whatif.edits
    lines = ["### tagsim what-if", "", f"Edits: `{shown(' '.join(edits))}`", ""]
    if changes:
        lines.append(table(_diff_rows(changes), ["platform", "python", "installer", "before", "after", "change"],
                           "pipe"))
    else:
        lines.append("No cell changes.")
    lines += ["", whatif.summary()]
    return "\n".join(lines)


def history_markdown(history: History) -> str:
    rows = []
    for rel in history.releases:
        c = rel.result.counts()
        rows.append([str(rel.version), str(c["wheel"]), str(c["sdist"]), str(c["none"]), "yanked" if rel.yanked else ""])
    lines = [f"### tagsim history: {history.project}", "",
             table(rows, ["version", "wheel", "sdist", "none", "note"], "pipe"), ""]
    if history.regressions:
        lines.append(table([[r.platform, r.python, r.installer, str(r.last_good), str(r.first_bad), shown(r.bad_cell),
                             str(r.recovered_in or "not yet")] for r in history.regressions],
                           ["platform", "python", "installer", "last good", "first bad", "then", "recovered in"],
                           "pipe"))
    else:
        lines.append("No regressions.")
    return "\n".join(lines)
