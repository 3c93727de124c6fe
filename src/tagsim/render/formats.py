"""The output formats, and `render`: one report in, one string out, dispatched on (report type, format).

A format's module is imported when a report is rendered in it (JSON output never loads the text,
Markdown or HTML renderers), and the tables are keyed by the report's class name, so that rendering one
kind of report imports no other kind's module (a history does not load the lock-file reports)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import import_module
from typing import TYPE_CHECKING, Any

from ..errors import TagsimError
from ..text_enum import TextEnum

if TYPE_CHECKING:
    from ..report.check import CheckResult, WhatIf
    from ..report.tags import PlatformList, TagComparison, TagList
    from .github import GithubOutput
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
    from .text import tags_text

    return head + "\n" + tags_text(report.tags, report.limit)


def _comparison_json(report: TagComparison, detail: Detail) -> Any:
    names = (report.installers[0].spec, report.installers[1].spec)
    return _json().tag_diff_json(report.profile, report.interp.tag, names, report.changes)


def _comparison_text(report: TagComparison) -> str:
    from .text import tag_diff_text

    a, b = report.installers
    return tag_diff_text(report.changes, a.spec, b.spec, report.limit)


def _platforms_json(report: PlatformList, detail: Detail) -> Any:
    return {"profiles": [_json().profile_json(p) for p in report.profiles.values()]}


def _platforms_text(report: PlatformList) -> str:
    from .text import platforms_text

    return platforms_text(report.profiles)


def _lazy(where: str) -> Callable[[Any], str]:
    """`module:function` of this package, imported when first called."""
    module, _, name = where.partition(":")

    def call(report: Any) -> str:
        rendered: str = getattr(import_module(f".{module}", __package__), name)(report)
        return rendered

    return call


_RENDERERS: dict[tuple[str, Format], Callable[[Any], str]] = {
    ("PlatformList", Format.TEXT): _platforms_text,
    ("TagList", Format.TEXT): _tags_text,
    ("TagComparison", Format.TEXT): _comparison_text,
    ("Explanation", Format.TEXT): _lazy("text:explanation_text"),
    ("Explanation", Format.MARKDOWN): _lazy("markdown:explanation_markdown"),
    ("CheckResult", Format.TEXT): _lazy("text:check_text"),
    ("CheckResult", Format.MARKDOWN): _lazy("markdown:check_markdown"),
    ("WhatIf", Format.TEXT): _lazy("text:whatif_text"),
    ("WhatIf", Format.MARKDOWN): _lazy("markdown:whatif_markdown"),
    ("History", Format.TEXT): _lazy("text:history_text"),
    ("History", Format.MARKDOWN): _lazy("markdown:history_markdown"),
    ("CheckResult", Format.HTML): _lazy("html:check_html"),
    ("WhatIf", Format.HTML): _lazy("html:whatif_html"),
    ("History", Format.HTML): _lazy("html:history_html"),
    ("LockReport", Format.HTML): _lazy("html:lock_html"),
    ("LockReport", Format.TEXT): _lazy("lock:lock_text"),
    ("LockReport", Format.MARKDOWN): _lazy("lock:lock_markdown"),
    ("MarkerReport", Format.TEXT): _lazy("lock:markers_text"),
    ("MarkerReport", Format.JSON): _lazy("lock:markers_json_text"),
}


#: JSON: the data of each report (`render` writes it compact, or indented with `pretty`); `Detail` is how much
#: of a matrix cell's explanation goes in (`explain` always lists every considered file).
_JSON_DATA: dict[str, Callable[[Any, Detail], Any]] = {
    "PlatformList": _platforms_json,
    "TagList": _tags_json,
    "TagComparison": _comparison_json,
    "Explanation": lambda r, detail: _json().explanation_json(r),
    "CheckResult": lambda r, detail: _json().check_json(r, detail),
    "WhatIf": lambda r, detail: _json().whatif_json(r, detail),
    "History": lambda r, detail: _json().history_json(r),
    "LockReport": lambda r, detail: import_module(".lock", __package__).lock_json(
        r, detail if detail is _json().Detail.ALL else _json().Detail.NONE),  # a lock record lists no other files by default
}


def _json() -> Any:
    from . import json as json_format

    return json_format


def _add_host() -> None:
    """`platforms --here`: registered when first asked for, since detecting the host imports `platform` and
    `subprocess` (40 ms), which no other report needs."""
    from ..platform.here import Host
    from .host import host_json

    _RENDERERS[(Host.__name__, Format.TEXT)] = _lazy("host:host_text")
    _JSON_DATA[Host.__name__] = lambda report, detail: host_json(report)


def _kind(report: object) -> str:
    """The key of a report in the tables: its class name (tagsim's report classes have distinct names)."""
    return type(report).__name__


def render(report: object, fmt: Format, *, colour: bool = False, pretty: bool = False,
           all_considered: bool = False) -> str:
    """The report in that format. `colour` (text only): ANSI colours for a terminal. JSON only:
    `pretty` indents it; `all_considered` lists every considered file of every `check` cell."""
    kind = _kind(report)
    if kind not in _JSON_DATA and type(report).__module__ == "tagsim.platform.here":
        _add_host()
    if fmt is Format.JSON and kind in _JSON_DATA:
        json_format = _json()
        detail = json_format.Detail.ALL if all_considered else json_format.Detail.SUMMARY
        rendered: str = json_format.dumps(_JSON_DATA[kind](report, detail), pretty=pretty)
        return rendered
    if fmt is Format.TEXT and colour and kind == "CheckResult":
        from .text import check_text

        return check_text(report, colour=True)  # type: ignore[arg-type]
    renderer = _RENDERERS.get((kind, fmt))
    if renderer is None:
        raise TagsimError(f"{kind} has no {fmt} format", where="--format")
    return renderer(report)


def render_chunks(report: object, fmt: Format, *, colour: bool = False, pretty: bool = False,
                  all_considered: bool = False) -> Iterator[str]:
    """`render`, in pieces to write one after another. Compact JSON with every considered file of a
    `check` or what-if is written cell by cell (its size grows with files x cells); everything else is
    one piece."""
    kind = _kind(report)
    if fmt is Format.JSON and all_considered and not pretty and kind in ("CheckResult", "WhatIf"):
        json_format = _json()
        chunks = (json_format.check_json_chunks(report) if kind == "CheckResult"
                  else json_format.whatif_json_chunks(report))
        yield from chunks
        return
    yield render(report, fmt, colour=colour, pretty=pretty, all_considered=all_considered)


def render_github(report: CheckResult | WhatIf) -> GithubOutput:
    """`--format github`: a summary and annotations, which the command writes to their places."""
    from .github import check_github

    return check_github(report)
