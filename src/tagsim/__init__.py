"""tagsim: which distribution file does an installer choose on a given platform, and why.

The package reads as the pipeline, one folder per stage:
platform (the machine) -> tags (each installer era's tag list) -> files (what is on offer) ->
choice (which file, and why not the others) -> report (explain, check, history, stream) ->
render (text, markdown, github, json) -> cli. The names below are the public API; they load on
first use, so `import tagsim` (and the CLI's start-up) stays fast.
"""

from __future__ import annotations

from .errors import TagsimError

#: Not `typing.TYPE_CHECKING`: importing typing costs ~30 ms, and `import tagsim` is the CLI's first
#: step (mypy treats any name `TYPE_CHECKING` as true).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .choice.batch import Batch, Column, decide_columns
    from .choice.decide import decide
    from .choice.decision import Considered, Decision
    from .choice.flags import Flags, parse_names
    from .choice.installer import Installer, InstallerName
    from .choice.listing import Listing
    from .choice.reasons import Outcome, Reason
    from .choice.registry import compatible_tags, default_installers, parse_installer, tag_index
    from .choice.requirement import parse_spec
    from .files.fetch_options import FetchOptions
    from .files.filename import DistFile, FileKind, parse_filename
    from .files.locks.detect import read_lock
    from .files.locks.model import LockFile
    from .files.sources import Loaded, load_source, load_sources
    from .platform.interpreter import Interpreter, parse_python
    from .platform.markers import marker_environment
    from .platform.profile import Profile
    from .platform.profile_file import bundled_profiles, load_profiles_file
    from .platform.resolve import resolve_platform
    from .render.formats import Format
    from .render.formats import render as render_report
    from .render.json import decision_json
    from .render.stream_json import stream_json
    from .report.build_chain import BuildResolver
    from .report.check import CheckResult, Row, WhatIf, build_rows, run_check
    from .report.explain import Explanation, explain
    from .report.history import History, run_history
    from .report.lock import LockReport, run_lock
    from .report.lock_plan import plan_lock
    from .report.plan import Plan, plan_matrix
    from .report.stream import stream_decisions

_LAZY = {
    "Batch": "choice.batch", "Column": "choice.batch", "decide_columns": "choice.batch",
    "decide": "choice.decide", "Considered": "choice.decision", "Decision": "choice.decision",
    "Flags": "choice.flags", "parse_names": "choice.flags", "Installer": "choice.installer",
    "InstallerName": "choice.installer", "Listing": "choice.listing", "Outcome": "choice.reasons",
    "Reason": "choice.reasons", "compatible_tags": "choice.registry", "default_installers": "choice.registry",
    "parse_installer": "choice.registry", "tag_index": "choice.registry", "parse_spec": "choice.requirement",
    "DistFile": "files.filename", "FileKind": "files.filename", "parse_filename": "files.filename",
    "FetchOptions": "files.fetch_options", "Loaded": "files.sources", "load_source": "files.sources",
    "load_sources": "files.sources", "Interpreter": "platform.interpreter", "parse_python": "platform.interpreter",
    "Profile": "platform.profile", "bundled_profiles": "platform.profile_file",
    "load_profiles_file": "platform.profile_file", "resolve_platform": "platform.resolve",
    "Format": "render.formats", "render_report": "render.formats:render", "decision_json": "render.json",
    "stream_json": "render.stream_json", "CheckResult": "report.check", "Row": "report.check", "WhatIf": "report.check",
    "BuildResolver": "report.build_chain", "build_rows": "report.check", "run_check": "report.check", "Explanation": "report.explain",
    "explain": "report.explain", "History": "report.history", "run_history": "report.history",
    "Plan": "report.plan", "plan_matrix": "report.plan", "stream_decisions": "report.stream",
    "read_lock": "files.locks.detect", "LockFile": "files.locks.model", "marker_environment": "platform.markers",
    "LockReport": "report.lock", "run_lock": "report.lock", "plan_lock": "report.lock_plan",
}

__all__ = [
    "Batch", "BuildResolver", "CheckResult", "Column", "Considered", "Decision", "DistFile", "Explanation",
    "FetchOptions", "FileKind", "Flags", "Format", "History", "Installer", "InstallerName", "Interpreter", "Listing",
    "Loaded", "LockFile", "LockReport", "Outcome", "Plan", "Profile", "Reason", "Row", "TagsimError", "WhatIf",
    "build_rows", "bundled_profiles", "compatible_tags", "decide", "decide_columns", "decision_json",
    "default_installers", "explain", "load_profiles_file", "load_source", "load_sources", "marker_environment",
    "parse_filename", "parse_installer", "parse_names", "parse_python", "parse_spec", "plan_lock", "plan_matrix",
    "read_lock", "render_report", "resolve_platform", "run_check", "run_history", "run_lock", "stream_decisions",
    "stream_json", "tag_index",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tagsim' has no attribute {name!r}")
    from importlib import import_module

    module, _, attr = module.partition(":")  # "module:attr" when the public name differs from the module's
    value = getattr(import_module(f".{module}", __name__), attr or name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
