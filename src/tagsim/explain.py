"""`tagsim explain`: decisions of several installers for one platform, and their renderings."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from packaging.requirements import Requirement

from .dists import DistFile
from .installers import Installer, newest
from .interpreters import Interpreter
from .policy import Considered, Decision, Flags, decide
from .profiles import Profile

REASON_TITLES = {
    "platform": "wrong platform", "python": "wrong Python", "abi": "wrong ABI", "yanked": "yanked",
    "requires-python": "requires-python", "format": "excluded by a flag", "version": "version not requested",
    "different-project": "another project", "invalid": "unusable filename", "older-version": "older version",
    "lower-priority": "lower priority", "prefer-binary": "lost to --prefer-binary",
}
_FOREIGN = ("Linux wheel", "macOS wheel", "Windows wheel", "iOS wheel", "Android wheel", "Emscripten wheel",
            "FreeBSD wheel", "other wheel", "unknown platform")


@dataclass(frozen=True)
class Explanation:
    profile: Profile
    interp: Interpreter
    decisions: tuple[Decision, ...]

    def to_json(self) -> dict[str, Any]:
        return {"platform": self.profile.id, "python": self.interp.tag,
                "decisions": [d.to_json() for d in self.decisions]}


def default_installers() -> list[Installer]:
    return [newest("pip"), newest("uv")]


def explain(profile: Profile, interp: Interpreter, files: Sequence[DistFile], *, req: Requirement | None = None,
            installers: Sequence[Installer] = (), flags: Flags | None = None) -> Explanation:
    chosen = list(installers) or default_installers()
    flags = flags or Flags()
    decisions = []
    for installer in chosen:
        inst_flags = flags
        if installer.name == "uv" and flags.prefer_binary:
            # uv has no --prefer-binary (astral-sh/uv#1794); it is ignored, and said so.
            inst_flags = replace(flags, prefer_binary=False)
        decisions.append(decide(profile, interp, installer, files, req, inst_flags))
    return Explanation(profile, interp, tuple(decisions))


_COUNT_ONLY = ("version", "different-project")


def _is_near(detail: str) -> bool:
    return not detail.startswith(_FOREIGN) and " wheel, platform is " not in detail


def group_rejections(considered: Sequence[Considered]) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """Rejected files by reason, then by detail, the near misses first, so 40 foreign wheels don't bury one."""
    by_reason: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for c in considered:
        if c.reason is not None and not c.usable:
            by_reason[c.reason][c.detail].append(c.file.filename)
    order = list(REASON_TITLES)
    out = []
    for reason in sorted(by_reason, key=lambda r: order.index(r) if r in order else len(order)):
        details = sorted(by_reason[reason].items(), key=lambda kv: (not _is_near(kv[0]), -len(kv[1])))
        out.append((reason, details))
    return out


def decision_text(decision: Decision, *, max_files: int = 3, max_details: int = 4) -> str:
    lines = [f"{decision.installer.spec}: {decision.message}"]
    if decision.outcome == "sdist" and decision.build and decision.build.backend is None:
        lines.append("  build: pass --build-backend NAME, or give the sdist file itself, to know its needs")
    elif decision.build and decision.build.backend:
        lines.append(f"  build backend: {decision.build.backend} ({decision.build.source})")
    if decision.runner_up is not None:
        r = decision.runner_up
        lines.append(f"  runner-up: {r.file.filename} ({r.detail})")
    for hint in decision.hints:
        lines.append(f"  hint: {hint}")
    groups = group_rejections(decision.considered)
    if groups:
        lines.append("  rejected:")
    for reason, details in groups:
        count = sum(len(files) for _, files in details)
        if reason in _COUNT_ONLY:
            # Other versions and other projects are not near misses: a count, not 6,000 names.
            lines.append(f"    {REASON_TITLES.get(reason, reason)}: {count} file{'s' if count != 1 else ''} (JSON lists them)")
            continue
        lines.append(f"    {REASON_TITLES.get(reason, reason)} ({count} file{'s' if count != 1 else ''}):")
        for detail, files in details[:max_details]:
            shown = ", ".join(files[:max_files]) + (f" +{len(files) - max_files} more" if len(files) > max_files else "")
            lines.append(f"      {detail}: {shown}")
        if len(details) > max_details:
            rest = sum(len(f) for _, f in details[max_details:])
            lines.append(f"      ... {rest} more file(s) for {len(details) - max_details} other reason(s)")
    return "\n".join(lines)


def explanation_text(expl: Explanation) -> str:
    head = f"{expl.profile.id} ({expl.profile.summary()}), {expl.interp.describe()}"
    return "\n\n".join([head, *(decision_text(d) for d in expl.decisions)])


def explanation_markdown(expl: Explanation) -> str:
    lines = [f"### {expl.profile.id}, {expl.interp.describe()}", "", "| installer | outcome | file | why |",
             "|---|---|---|---|"]
    for d in expl.decisions:
        file = f"`{d.chosen.filename}`" if d.chosen else "-"
        lines.append(f"| {d.installer.spec} | {d.outcome} | {file} | {d.message} |")
    for d in expl.decisions:
        counts = Counter(c.reason for c in d.considered if c.reason and not c.usable)
        if counts:
            summary = ", ".join(f"{REASON_TITLES.get(r, r)}: {n}" for r, n in counts.most_common())
            lines.append(f"\n**{d.installer.spec}** rejected: {summary}")
    return "\n".join(lines)
