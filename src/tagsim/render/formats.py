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
from .json import Detail


class Format(TextEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    GITHUB = "github"
    HTML = "html"


def _tags_json(report: TagList, detail: Detail) -> Any:
    shown = list(report.tags if report.limit is None else report.tags[: report.limit])
    return {"platform": report.profile.id, "python": report.interp.tag, "installer": report.installer.spec,
            "tags": shown}


def _tags_text(report: TagList) -> str:
    head = (f"{report.installer.spec} on {report.profile.id} ({report.profile.summary()}), "
            f"{report.interp.describe()}: {len(report.tags)} tags")
    return head + "\n" + text.tags_text(report.tags, report.limit)


def _comparison_json(report: TagComparison, detail: Detail) -> Any:
    names = (report.installers[0].spec, report.installers[1].spec)
    return json_format.tag_diff_json(report.profile, report.interp.tag, names, report.changes)


def _comparison_text(report: TagComparison) -> str:
    a, b = report.installers
    return text.tag_diff_text(report.changes, a.spec, b.spec, report.limit)


def _platforms_json(report: PlatformList, detail: Detail) -> Any:
    return {"profiles": [json_format.profile_json(p) for p in report.profiles.values()]}


_RENDERERS: dict[tuple[type, Format], Callable[[Any], str]] = {
    (PlatformList, Format.TEXT): lambda r: text.platforms_text(r.profiles),
    (Host, Format.TEXT): host_text,
    (TagList, Format.TEXT): _tags_text,
    (TagComparison, Format.TEXT): _comparison_text,
    (Explanation, Format.TEXT): text.explanation_text,
    (Explanation, Format.MARKDOWN): markdown.explanation_markdown,
    (CheckResult, Format.TEXT): text.check_text,
    (CheckResult, Format.MARKDOWN): markdown.check_markdown,
    (WhatIf, Format.TEXT): text.whatif_text,
    (WhatIf, Format.MARKDOWN): markdown.whatif_markdown,
    (History, Format.TEXT): text.history_text,
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


#: JSON: the data of each report (`render` writes it compact, or indented with `pretty`); `Detail` is how much
#: of a matrix cell's explanation goes in (`explain` always lists every considered file).
_JSON_DATA: dict[type, Callable[[Any, Detail], Any]] = {
    PlatformList: _platforms_json,
    Host: lambda r, detail: host_json(r),
    TagList: _tags_json,
    TagComparison: _comparison_json,
    Explanation: lambda r, detail: json_format.explanation_json(r),
    CheckResult: json_format.check_json,
    WhatIf: json_format.whatif_json,
    History: lambda r, detail: json_format.history_json(r),
}


def render(report: object, fmt: Format, *, colour: bool = False, pretty: bool = False,
           all_considered: bool = False) -> str:
    """The report in that format. `colour` (text only): ANSI colours for a terminal. JSON only:
    `pretty` indents it; `all_considered` lists every considered file of every `check` cell."""
    if fmt is Format.JSON and type(report) in _JSON_DATA:
        detail = json_format.Detail.ALL if all_considered else json_format.Detail.SUMMARY
        return json_format.dumps(_JSON_DATA[type(report)](report, detail), pretty=pretty)
    if fmt is Format.TEXT and colour and isinstance(report, CheckResult):
        return text.check_text(report, colour=True)
    renderer = _RENDERERS.get((type(report), fmt))
    if renderer is None:
        raise TagsimError(f"{type(report).__name__} has no {fmt} format", where="--format")
    return renderer(report)


def render_github(report: CheckResult | WhatIf) -> GithubOutput:
    """`--format github`: a summary and annotations, which the command writes to their places."""
    return check_github(report)
