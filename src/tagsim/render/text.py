"""Plain text, for a terminal: what a person reads in ten seconds, with the detail below it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from ..choice.decision import Considered, Decision
from ..choice.reasons import Outcome, Reason
from ..platform.profile import Profile
from ..report.check import Cell, CheckResult, WhatIf
from ..report.explain import Explanation
from ..report.history import History
from ..tags.diff import RankChange
from ..verify.scenario import AGREE, DISAGREE, MISSING, Verification
from .chain import chain_lines, evidence_lines, needs_summary
from .escape import shown
from .table import table

_FOREIGN = ("Linux wheel", "macOS wheel", "Windows wheel", "iOS wheel", "Android wheel", "Emscripten wheel",
            "FreeBSD wheel", "other wheel", "unknown platform")
_COLOURS = {Outcome.WHEEL: "\x1b[32m", Outcome.SDIST: "\x1b[33m", Outcome.NONE: "\x1b[31m"}
_RESET = "\x1b[0m"


_COUNT_ONLY = (Reason.VERSION, Reason.DIFFERENT_PROJECT)


def _is_near(detail: str) -> bool:
    return not detail.startswith(_FOREIGN) and " wheel, platform is " not in detail


def group_rejections(considered: Sequence[Considered]) -> list[tuple[Reason, list[tuple[str, list[str]]]]]:
    """Rejected files by reason, then by detail, the near misses first, so 40 foreign wheels don't bury one."""
    by_reason: dict[Reason, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for c in considered:
        if c.reason is not None and not c.usable:
            by_reason[c.reason][c.detail].append(c.file.filename)
    order = list(Reason)
    out = []
    for reason in sorted(by_reason, key=order.index):
        details = sorted(by_reason[reason].items(), key=lambda kv: (not _is_near(kv[0]), -len(kv[1])))
        out.append((reason, details))
    return out


def decision_text(decision: Decision, *, max_files: int = 3, max_details: int = 4) -> str:
    lines = [f"{decision.installer.spec}: {shown(decision.message)}"]
    build = decision.build
    if decision.outcome is Outcome.SDIST and build and build.backend is None and not build.evidence:
        lines.append("  build: pass --build-backend NAME, or give the sdist file itself, to know its needs")
    elif build and build.backend:
        lines.append(f"  build backend: {shown(build.backend)} ({build.source})")
    if build is not None:
        lines += [f"  {line}" for line in evidence_lines(build)]
    if decision.chain is not None:
        lines += chain_lines(decision.chain, "  ")
    if decision.runner_up is not None:
        r = decision.runner_up
        lines.append(f"  runner-up: {shown(r.file.filename)} ({shown(r.detail)})")
    for hint in decision.hints:
        lines.append(f"  hint: {shown(hint, None)}")
    groups = group_rejections(decision.considered)
    if groups:
        lines.append("  rejected:")
    for reason, details in groups:
        count = sum(len(files) for _, files in details)
        if reason in _COUNT_ONLY:
            # Other versions and other projects are not near misses: a count, not 6,000 names.
            lines.append(f"    {reason.heading}: {count} file{'s' if count != 1 else ''} (JSON lists them)")
            continue
        lines.append(f"    {reason.heading} ({count} file{'s' if count != 1 else ''}):")
        for detail, files in details[:max_details]:
            listed = ", ".join(shown(f) for f in files[:max_files]) + (
                f" +{len(files) - max_files} more" if len(files) > max_files else "")
            lines.append(f"      {shown(detail)}: {listed}")
        if len(details) > max_details:
            rest = sum(len(f) for _, f in details[max_details:])
            lines.append(f"      ... {rest} more file(s) for {len(details) - max_details} other reason(s)")
    return "\n".join(lines)


def explanation_text(expl: Explanation) -> str:
    head = f"{expl.profile.id} ({expl.profile.summary()}), {expl.interp.describe()}"
    needs = needs_summary(expl.decisions)
    return "\n\n".join([head, *(decision_text(d) for d in expl.decisions), *(["\n".join(needs)] if needs else [])])


def _cell_text(result: CheckResult, cell: Cell, colour: bool) -> str:
    text = shown(cell.text())
    if not colour:
        return text
    marker = " [required]" if result.is_required(cell) and cell.outcome is not Outcome.WHEEL else ""
    return f"{_COLOURS[cell.outcome]}{text}{marker}{_RESET}"


def matrix(result: CheckResult, fmt: str, colour: bool) -> str:
    many_pythons = len({r.interp.tag for r in result.rows}) > 1
    headers = ["platform", *(["python"] if many_pythons else []), *(i.spec for i in result.installers)]
    rows = []
    for row in result.rows:
        first = [row.profile.id, *([row.interp.tag] if many_pythons else [])]
        rows.append([*first, *(_cell_text(result, result.cell(row, i), colour) for i in result.installers)])
    return table(rows, headers, fmt)


def counts_line(result: CheckResult) -> str:
    c = result.counts()
    python = "" if len({r.interp.tag for r in result.rows}) > 1 else f" ({result.rows[0].interp.tag})"
    return f"{c['cells']} cells{python}: {c['wheel']} wheel, {c['sdist']} sdist, {c['none']} none"


def failing_lines(result: CheckResult) -> list[str]:
    return [f"{c.describe()}: {shown(c.decision.message)}" for c in result.required_failing()]


def check_text(result: CheckResult, *, colour: bool = False) -> str:
    lines = [matrix(result, "simple", colour), "", counts_line(result)]
    if result.required:
        failing = failing_lines(result)
        lines.append(f"required: {', '.join(map(str, result.required))}: "
                     + (f"{len(failing)} cells fail" if failing else "all get a wheel"))
        lines += [f"  FAIL {line}" for line in failing]
    lines += [f"warning: {shown(w)}" for w in result.warnings]
    if result.unusable:
        lines.append(f"unusable files ({len(result.unusable)}):")
        lines += [f"  {shown(f.filename)}: {shown(f.problem)}" for f in result.unusable]
    return "\n".join(lines)


def whatif_text(whatif: WhatIf) -> str:
    changes, edits = whatif.changes, whatif.edits
    lines = [f"what-if: {shown(' '.join(edits))}"]
    if not changes:
        lines.append("no cell changes")
    for c in changes:
        lines.append(f"{c.before.describe()}: {shown(c.before.text(full_name=True))} -> {shown(c.after.text(full_name=True))}")
    lines.append(whatif.summary())
    if whatif.after.required:
        lines.append(check_text(whatif.after).split("\n\n", 1)[1])
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
                     f"{shown(r.bad_cell)} from {r.first_bad}, {back}")
    return lines


def platforms_text(profiles: Mapping[str, Profile]) -> str:
    rows = [(p.id, p.summary(), p.description) for p in profiles.values()]
    return table(rows, ["id", "facts", "description"])


def tags_text(tags: Sequence[str], limit: int | None) -> str:
    shown = tags if limit is None else tags[:limit]
    body = table(((i, tag) for i, tag in enumerate(shown)), ["rank", "tag"])
    if limit is not None and len(tags) > limit:
        body += f"\n... {len(tags) - limit} more ({len(tags)} tags in all)"
    return body


def tag_diff_text(changes: Sequence[RankChange], name_a: str, name_b: str, limit: int | None) -> str:
    if not changes:
        return f"{name_a} and {name_b} compute the same tags in the same order."
    shown = changes if limit is None else changes[:limit]

    def cell(rank: int | None) -> str:
        return "-" if rank is None else str(rank)

    body = table(((c.tag, cell(c.rank_a), cell(c.rank_b)) for c in shown), ["tag", name_a, name_b])
    if limit is not None and len(changes) > limit:
        body += f"\n... {len(changes) - limit} more differences"
    return body + "\n('-' = not compatible for that installer; ranks count from 0 = best)"


def verification_text(r: Verification) -> str:
    """One real installer's answer beside tagsim's, for `tagsim verify`."""
    who = r.installer if r.installer == r.origin else f"{r.installer} ({shown(r.origin)})"
    if r.status == AGREE:
        head = f"{who}: agree: {shown(r.real or 'no file can be installed')}"
    elif r.status == DISAGREE:
        head = (f"{who}: DISAGREE: tagsim says {shown(r.predicted or 'no file can be installed')}, "
                f"the real installer chose {shown(r.real or 'nothing (no match)')}")
    elif r.status == MISSING:
        head = f"{who}: installer missing (not tested)"
    else:
        head = f"{who}: {r.status} (not tested); tagsim says {shown(r.predicted or 'no file')}"
    return head + (f"\n  {shown(r.detail)}" if r.detail else "")
