"""GitHub Actions: the Markdown report for the step summary, and `::error` / `::warning` annotations."""

from __future__ import annotations

from dataclasses import dataclass

from ..report.check import CheckResult, WhatIf
from .markdown import check_markdown, whatif_markdown


@dataclass(frozen=True)
class GithubOutput:
    """What `--format github` writes: `summary` to `$GITHUB_STEP_SUMMARY` (else stdout), then the annotations."""

    summary: str
    annotations: tuple[str, ...]


def check_github(report: CheckResult | WhatIf) -> GithubOutput:
    if isinstance(report, WhatIf):
        return GithubOutput(whatif_markdown(report), tuple(github_annotations(report.after)))
    return GithubOutput(check_markdown(report), tuple(github_annotations(report)))


def _annotation(text: str) -> str:
    """GitHub workflow command data escaping (`%`, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_annotations(result: CheckResult) -> list[str]:
    lines = [f"::error title=tagsim check::{_annotation(c.describe() + ': ' + c.decision.message)}"
             for c in result.required_failing()]
    lines += [f"::warning title=tagsim check::{_annotation(w)}" for w in result.warnings]
    return lines
