"""The output formats, and `render`: one report in, one string out, dispatched on (report type, format)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import TagsimError
from ..platform.here import Host
from ..report.check import CheckResult, WhatIf
from ..report.explain import Explanation
from ..report.history import History
from ..report.lock import LockReport, MarkerReport
from ..report.tags import PlatformList, TagComparison, TagList
from ..text_enum import TextEnum
from . import html, markdown, text
from . import json as json_format
from . import lock as lock_format
from .github import GithubOutput, check_github
from .host import host_json, host_text


class Format(TextEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    GITHUB = "github"
    HTML = "html"


def _tags_json(report: TagList) -> str:
    shown = list(report.tags if report.limit is None else report.tags[: report.limit])
    return json_format.dumps({"platform": report.profile.id, "python": report.interp.tag,
                              "installer": report.installer.spec, "tags": shown})


def _tags_text(report: TagList) -> str:
    head = (f"{report.installer.spec} on {report.profile.id} ({report.profile.summary()}), "
            f"{report.interp.describe()}: {len(report.tags)} tags")
    return head + "\n" + text.tags_text(report.tags, report.limit)


def _comparison_json(report: TagComparison) -> str:
    names = (report.installers[0].spec, report.installers[1].spec)
    return json_format.dumps(json_format.tag_diff_json(report.profile, report.interp.tag, names, report.changes))


def _comparison_text(report: TagComparison) -> str:
    a, b = report.installers
    return text.tag_diff_text(report.changes, a.spec, b.spec, report.limit)


def _platforms_json(report: PlatformList) -> str:
    return json_format.dumps({"profiles": [json_format.profile_json(p) for p in report.profiles.values()]})


_RENDERERS: dict[tuple[type, Format], Callable[[Any], str]] = {
    (PlatformList, Format.TEXT): lambda r: text.platforms_text(r.profiles),
    (PlatformList, Format.JSON): _platforms_json,
    (Host, Format.TEXT): host_text,
    (Host, Format.JSON): lambda r: json_format.dumps(host_json(r)),
    (TagList, Format.TEXT): _tags_text,
    (TagList, Format.JSON): _tags_json,
    (TagComparison, Format.TEXT): _comparison_text,
    (TagComparison, Format.JSON): _comparison_json,
    (Explanation, Format.TEXT): text.explanation_text,
    (Explanation, Format.JSON): lambda r: json_format.dumps(json_format.explanation_json(r)),
    (Explanation, Format.MARKDOWN): markdown.explanation_markdown,
    (CheckResult, Format.TEXT): text.check_text,
    (CheckResult, Format.JSON): lambda r: json_format.dumps(json_format.check_json(r)),
    (CheckResult, Format.MARKDOWN): markdown.check_markdown,
    (WhatIf, Format.TEXT): text.whatif_text,
    (WhatIf, Format.JSON): lambda r: json_format.dumps(json_format.whatif_json(r)),
    (WhatIf, Format.MARKDOWN): markdown.whatif_markdown,
    (History, Format.TEXT): text.history_text,
    (History, Format.JSON): lambda r: json_format.dumps(json_format.history_json(r)),
    (History, Format.MARKDOWN): markdown.history_markdown,
    (CheckResult, Format.HTML): html.check_html,
    (WhatIf, Format.HTML): html.whatif_html,
    (History, Format.HTML): html.history_html,
    (LockReport, Format.HTML): html.lock_html,
    (LockReport, Format.TEXT): lock_format.lock_text,
    (LockReport, Format.JSON): lock_format.lock_json_text,
    (LockReport, Format.MARKDOWN): lock_format.lock_markdown,
    (MarkerReport, Format.TEXT): lock_format.markers_text,
    (MarkerReport, Format.JSON): lock_format.markers_json_text,
}


def render(report: object, fmt: Format, *, colour: bool = False) -> str:
    """The report in that format. `colour` (text only): ANSI colours for a terminal."""
    if fmt is Format.TEXT and colour and isinstance(report, CheckResult):
        return text.check_text(report, colour=True)
    renderer = _RENDERERS.get((type(report), fmt))
    if renderer is None:
        raise TagsimError(f"{type(report).__name__} has no {fmt} format", where="--format")
    return renderer(report)


def render_github(report: CheckResult | WhatIf) -> GithubOutput:
    """`--format github`: a summary and annotations, which the command writes to their places."""
    return check_github(report)
