"""The build of an sdist decision as text lines: its evidence, its build-requirement chain, its needs line.

Shared by the text and Markdown renderers; the JSON shape is `json.build_json`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..choice.decision import BuildChain, Decision
from ..choice.reasons import Outcome
from ..files.build_needs import PURE_PYTHON, BuildNeeds
from .escape import shown


def evidence_lines(build: BuildNeeds) -> list[str]:
    """One line per need with where it was seen, then what cannot be known without running the build."""
    by_need: dict[str, list[str]] = {}
    for item in build.evidence:
        by_need.setdefault(item.need, []).append(item.why)
    lines = [f"evidence for {shown(need)}: {shown('; '.join(whys))}" for need, whys in by_need.items()
             if need in build.needs]
    lines += [f"unknown: {shown(u)}" for u in build.unknowns]
    return lines


def chain_lines(chain: BuildChain, indent: str) -> list[str]:
    """The build requirements, each with the installer's decision, and their own chains below them."""
    lines = [f"{indent}{shown(chain.isolation)}"] if chain.isolation else []
    if chain.steps:
        lines.append(f"{indent}build requirements (installed first, into an isolated build environment):")
    for step in chain.steps:
        d = step.decision
        what = shown(d.message) if d is not None else shown(step.detail)
        lines.append(f"{indent}  {shown(step.requirement)}: {what}")
        if d is not None and d.outcome is Outcome.SDIST and d.build is not None:
            lines += [f"{indent}    {line}" for line in evidence_lines(d.build)]
        if d is not None and d.chain is not None:
            lines += chain_lines(d.chain, indent + "    ")
    return lines


def needs_text(decision: Decision) -> str | None:
    """What the whole chain needs on the machine, in words: the line a user acts on."""
    build, chain = decision.build, decision.chain
    if decision.outcome is not Outcome.SDIST or build is None or chain is None:
        return None
    needs = [build.described(n) if n in build.needs else n for n in chain.toolchains]
    text = ", ".join(needs) if needs else (PURE_PYTHON if not chain.unknown else "nothing seen")
    if chain.unknown:
        text += f"; not known for: {', '.join(chain.unknown)}"
    return text


def needs_summary(decisions: Sequence[Decision]) -> list[str]:
    """The final plain line(s) of an explanation: one when the installers agree, else one per installer."""
    texts = [(d.installer.spec, t) for d in decisions if (t := needs_text(d)) is not None]
    if not texts:
        return []
    if len({t for _, t in texts}) == 1:
        return [f"needs: {shown(texts[0][1])}"]
    return [f"needs ({spec}): {shown(t)}" for spec, t in texts]
