"""Renderings of `check` matrices, what-if diffs and histories: text, Markdown and GitHub annotations."""

from __future__ import annotations

from collections.abc import Sequence

from .check import Cell, Change, CheckResult, change_summary
from .history import History
from .render import table

_COLOURS = {"wheel": "\x1b[32m", "sdist": "\x1b[33m", "none": "\x1b[31m"}
_RESET = "\x1b[0m"


def _cell_text(result: CheckResult, cell: Cell, colour: bool) -> str:
    text = cell.text()
    if not colour:
        return text
    marker = " [required]" if result.is_required(cell) and cell.outcome != "wheel" else ""
    return f"{_COLOURS[cell.outcome]}{text}{marker}{_RESET}"


def _matrix(result: CheckResult, fmt: str, colour: bool) -> str:
    many_pythons = len({r.interp.tag for r in result.rows}) > 1
    headers = ["platform", *(["python"] if many_pythons else []), *(i.spec for i in result.installers)]
    rows = []
    for row in result.rows:
        first = [row.profile.id, *([row.interp.tag] if many_pythons else [])]
        rows.append([*first, *(_cell_text(result, result.cell(row, i), colour) for i in result.installers)])
    return table(rows, headers, fmt)


def _counts_line(result: CheckResult) -> str:
    c = result.counts()
    python = "" if len({r.interp.tag for r in result.rows}) > 1 else f" ({result.rows[0].interp.tag})"
    return f"{c['cells']} cells{python}: {c['wheel']} wheel, {c['sdist']} sdist, {c['none']} none"


def _failing_lines(result: CheckResult) -> list[str]:
    return [f"{c.describe()}: {c.decision.message}" for c in result.required_failing()]


def check_text(result: CheckResult, *, colour: bool = False) -> str:
    lines = [_matrix(result, "simple", colour), "", _counts_line(result)]
    if result.required:
        failing = _failing_lines(result)
        lines.append(f"required: {', '.join(map(str, result.required))}: "
                     + (f"{len(failing)} cells fail" if failing else "all get a wheel"))
        lines += [f"  FAIL {line}" for line in failing]
    lines += [f"warning: {w}" for w in result.warnings]
    if result.unusable:
        lines.append(f"unusable files ({len(result.unusable)}):")
        lines += [f"  {f.filename}: {f.problem}" for f in result.unusable]
    return "\n".join(lines)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def check_markdown(result: CheckResult) -> str:
    lines = ["### tagsim check", "", _matrix(result, "pipe", False), "", _counts_line(result)]
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
        lines += [f"- `{f.filename}`: {_md_escape(f.problem or '')}" for f in result.unusable]
    return "\n".join(lines)


def _annotation(text: str) -> str:
    """GitHub workflow command data escaping (`%`, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_annotations(result: CheckResult) -> list[str]:
    lines = [f"::error title=tagsim check::{_annotation(c.describe() + ': ' + c.decision.message)}"
             for c in result.required_failing()]
    lines += [f"::warning title=tagsim check::{_annotation(w)}" for w in result.warnings]
    return lines


def _diff_rows(changes: Sequence[Change]) -> list[list[str]]:
    return [[c.before.row.profile.id, c.before.row.interp.tag, c.before.decision.installer.spec,
             c.before.text(full_name=True), c.after.text(full_name=True), c.kind] for c in changes]


def diff_text(changes: Sequence[Change], edits: Sequence[str]) -> str:
    lines = [f"what-if: {' '.join(edits)}"]
    if not changes:
        lines.append("no cell changes")
    for c in changes:
        lines.append(f"{c.before.describe()}: {c.before.text(full_name=True)} -> {c.after.text(full_name=True)}")
    lines.append(change_summary(changes))
    return "\n".join(lines)


def diff_markdown(changes: Sequence[Change], edits: Sequence[str]) -> str:
    lines = ["### tagsim what-if", "", f"Edits: `{' '.join(edits)}`", ""]
    if changes:
        lines.append(table(_diff_rows(changes), ["platform", "python", "installer", "before", "after", "change"],
                           "pipe"))
    else:
        lines.append("No cell changes.")
    lines += ["", change_summary(changes)]
    return "\n".join(lines)


def history_text(history: History) -> str:
    releases = history.releases
    headers = ["version", "files", "wheel", "sdist", "none", "note"]
    rows = []
    for rel in releases:
        c = rel.result.counts()
        rows.append([str(rel.version), str(len(rel.files)), str(c["wheel"]), str(c["sdist"]), str(c["none"]),
                     "yanked" if rel.yanked else ""])
    lines = [f"{history.project}: {len(releases)} releases, {releases[0].version} to {releases[-1].version}",
             table(rows, headers), ""]
    lines += history_regression_lines(history) or ["no regressions"]
    return "\n".join(lines)


def history_regression_lines(history: History) -> list[str]:
    lines = []
    if history.regressions:
        lines.append(f"regressions ({len(history.regressions)}):")
    for r in history.regressions:
        back = f"recovered in {r.recovered_in}" if r.recovered_in else "not recovered"
        lines.append(f"  {r.platform} {r.python} {r.installer}: wheel in {r.last_good}, "
                     f"{r.bad_cell} from {r.first_bad}, {back}")
    return lines


def history_markdown(history: History) -> str:
    rows = []
    for rel in history.releases:
        c = rel.result.counts()
        rows.append([str(rel.version), str(c["wheel"]), str(c["sdist"]), str(c["none"]), "yanked" if rel.yanked else ""])
    lines = [f"### tagsim history: {history.project}", "",
             table(rows, ["version", "wheel", "sdist", "none", "note"], "pipe"), ""]
    if history.regressions:
        lines.append(table([[r.platform, r.python, r.installer, str(r.last_good), str(r.first_bad), r.bad_cell,
                             str(r.recovered_in or "not yet")] for r in history.regressions],
                           ["platform", "python", "installer", "last good", "first bad", "then", "recovered in"],
                           "pipe"))
    else:
        lines.append("No regressions.")
    return "\n".join(lines)
