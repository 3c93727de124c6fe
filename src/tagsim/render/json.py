"""JSON: the shape of every report, and the one shape of a decision (`decision_json`).

Compact by default (what a CI job or a pipe reads); `pretty` indents (`--pretty`, or stdout is a
terminal). A decision says why the other files lost at one of three levels (`Detail`): every file
(`considered`: `explain`, `check --all-considered`), in short (`rejected`: counts by reason and the
chosen version's other files, a `check` cell), or not at all (a `stream` line). The shapes are
written down in docs/tagsim-output.schema.json, which the tests check every output against.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from packaging.version import Version

from ..text_enum import TextEnum

if TYPE_CHECKING:  # annotations only: rendering one report imports no other report's module
    from ..choice.decision import BuildStep, Considered, Decision, Rejected
    from ..choice.reasons import Outcome
    from ..files.filename import DistFile
    from ..platform.profile import Profile
    from ..report.check import Cell, Change, CheckResult, WhatIf
    from ..report.explain import Explanation
    from ..report.history import History, Regression, Release
    from ..tags.diff import RankChange
    from ..verify.scenario import Verification  # its module loads the verify machinery


class Detail(TextEnum):
    """How much of a decision's explanation goes into its JSON."""

    ALL = "all"  # `considered`: every file as the installer saw it
    SUMMARY = "summary"  # `rejected`: counts by reason, and the chosen version's other files
    NONE = "none"  # the outcome alone (stream lines)


def dumps(data: Any, *, pretty: bool = False) -> str:
    """Indented only when asked: with `indent`, CPython's json falls back to its pure-Python encoder."""
    if pretty:
        return json.dumps(data, indent=2)
    return json.dumps(data, separators=(",", ":"))


def _text(version: Version) -> str:
    """`str(Version)` rebuilds the string each time; releases repeat across platforms and installers.

    Remembered by the version and its release tuple: `0.9` and `0.9.0` are equal versions (one cache key)
    that print differently, and each must print as its file spells it."""
    return _spelled(version, version.release)


@lru_cache(maxsize=1 << 14)
def _spelled(version: Version, release: tuple[int, ...]) -> str:
    return str(version)


def decision_json(decision: Decision, *, detail: Detail = Detail.ALL, shared: Shared | None = None,
                  keep: bool = True) -> dict[str, Any]:
    """A decision, the same everywhere: `explain`, `check` rows and `stream` lines; `detail` says whether
    the other files come as `considered` (every file), `rejected` (in short) or not at all."""
    chosen, build = decision.chosen, decision.build
    record: dict[str, Any] = {
        "installer": decision.installer.spec, "outcome": decision.outcome,
        "file": chosen.filename if chosen else None,
        "version": _text(chosen.version) if chosen and chosen.version else None,
        "tag": decision.tag, "rank": decision.rank,
        "build": build_json(decision) if build else None,
    }
    if detail is Detail.ALL:
        files = decision.considered if keep else decision.considered_once()
        record["considered"] = [considered_json(c, shared) for c in files]
    elif detail is Detail.SUMMARY:
        record["rejected"] = rejected_json(decision.rejected)
    record["message"] = decision.message
    record["hints"] = list(decision.hints)
    return record


def build_json(decision: Decision) -> dict[str, Any]:
    """An sdist decision's `build`: backend, needs, their evidence, what is unknown, and the chain when
    it was followed (each node: requirement, decision, its own build, or why it stopped)."""
    build = decision.build
    assert build is not None
    record: dict[str, Any] = {
        "backend": build.backend, "needs": list(build.needs), "note": build.note, "requires": list(build.requires),
        "evidence": [{"need": e.need, "evidence": e.why} for e in build.evidence], "unknowns": list(build.unknowns),
        "minimums": {need: floor for need, floor in build.minimums},
    }
    chain = decision.chain
    if chain is not None:
        record.update({"toolchains": list(chain.toolchains), "isolation": chain.isolation or None,
                       "not_known_for": list(chain.unknown), "chain": [step_json(s) for s in chain.steps]})
    return record


def step_json(step: BuildStep) -> dict[str, Any]:
    d = step.decision
    node: dict[str, Any] = {"requirement": step.requirement, "stop": step.stop, "detail": step.detail or None,
                            "decision": None}
    if d is not None:
        node["decision"] = {"installer": d.installer.spec, "outcome": d.outcome,
                            "file": d.chosen.filename if d.chosen else None, "tag": d.tag, "message": d.message,
                            "build": build_json(d) if d.build else None}
    return node


def rejected_json(rejected: Rejected) -> dict[str, Any]:
    return {"counts": {reason.value: count for reason, count in rejected.counts},
            "version": _text(rejected.version) if rejected.version is not None else None,
            "files": [considered_json(c) for c in rejected.files]}


#: `considered` entry id -> its JSON, within one report: the decisions on one listing share the entries of the
#: files the static checks reject (`choice.decide`), so one dict serves them all. Never kept across calls: a
#: caller may change a dict it was given.
Shared = dict[int, dict[str, Any]]


def considered_json(c: Considered, shared: Shared | None = None) -> dict[str, Any]:
    if shared is not None:
        found = shared.get(id(c))  # the report holds every entry while it is rendered: ids stay their own
        if found is not None:
            return found
    record = {"file": c.file.filename, "version": _text(c.file.version) if c.file.version else None,
              "usable": c.usable, "rank": c.rank, "reason": c.reason, "detail": c.detail}
    if shared is not None:
        shared[id(c)] = record
    return record


def explanation_json(expl: Explanation) -> dict[str, Any]:
    """One platform's decisions, every considered file listed (one decision is small)."""
    return {"platform": expl.profile.id, "python": expl.interp.tag, "decisions": [decision_json(d) for d in expl.decisions]}


def cell_json(cell: Cell, detail: Detail = Detail.SUMMARY, shared: Shared | None = None,
              keep: bool = True) -> dict[str, Any]:
    return {"platform": cell.row.profile.id, "python": cell.row.interp.tag,
            **decision_json(cell.decision, detail=detail, shared=shared, keep=keep)}


def failing_json(cell: Cell) -> dict[str, Any]:
    return {"platform": cell.row.profile.id, "python": cell.row.interp.tag, "installer": cell.decision.installer.spec,
            "outcome": cell.outcome, "cell": cell.text(), "reason": cell.decision.message}


def unusable_json(files: Iterable[DistFile]) -> list[dict[str, Any]]:
    return [{"file": f.filename, "reason": f.problem} for f in files]


def check_json(result: CheckResult, detail: Detail = Detail.SUMMARY) -> dict[str, Any]:
    shared: Shared = {}
    return {"rows": [cell_json(c, detail, shared) for c in result.cells], "summary": _check_summary(result)}


def _check_summary(result: CheckResult) -> dict[str, Any]:
    return {
        "required": [str(r) for r in result.required],
        "required_failing": [failing_json(c) for c in result.required_failing()],
        "counts": result.counts(),
        "warnings": list(result.warnings),
        "unusable_files": unusable_json(result.unusable),
    }


def check_json_chunks(result: CheckResult, detail: Detail = Detail.ALL) -> Iterator[str]:
    """`check_json`, compact, as pieces written one cell at a time: with every considered file of every
    cell (`--all-considered`), memory then holds one cell's files, not files x cells (issue 14 item 9:
    20,000 files x 86 cells took 1.5 GB)."""
    yield '{"rows":['
    for n, cell in enumerate(result.cells):
        # No `Shared` memo: it keys entries by id(), and the entries of a cell written here are freed after
        # it, so a later entry could take a freed one's id (and its dict).
        yield ("," if n else "") + dumps(cell_json(cell, detail, None, keep=False))
    yield '],"summary":' + dumps(_check_summary(result)) + "}"


def whatif_json_chunks(whatif: WhatIf, detail: Detail = Detail.ALL) -> Iterator[str]:
    yield '{"before":'
    yield from check_json_chunks(whatif.before, detail)
    yield ',"after":'
    yield from check_json_chunks(whatif.after, detail)
    yield (f',"edits":{dumps(list(whatif.edits))},"changes":{dumps([change_json(c) for c in whatif.changes])},'
           f'"summary":{dumps(whatif.summary())}}}')


def change_json(change: Change) -> dict[str, Any]:
    pid, py, inst = change.before.key
    return {"platform": pid, "python": py, "installer": inst, "kind": change.kind,
            "before": change.before.text(full_name=True), "after": change.after.text(full_name=True)}


def whatif_json(whatif: WhatIf, detail: Detail = Detail.SUMMARY) -> dict[str, Any]:
    return {"before": check_json(whatif.before, detail), "after": check_json(whatif.after, detail), "edits": list(whatif.edits),
            "changes": [change_json(c) for c in whatif.changes], "summary": whatif.summary()}


@lru_cache(maxsize=1 << 16)
def _platform_of(tag: str) -> str:
    """A tag's platform part, a wheel cell's words (`Cell.text`); tags repeat across releases and columns."""
    return tag.split("-", 2)[2]


def release_json(release: Release) -> dict[str, Any]:
    """One release: its `files` once (names, in listing order), then its `cells`, one per column of the
    history's `columns`: `[outcome, cell text, index of the chosen file in files, or null]`."""
    result = release.result
    names = [dist.filename for dist in release.files]
    index_of = {name: n for n, name in enumerate(names)}
    cells: list[list[Outcome | str | int | None]] = []
    for i, (outcome, chosen, _, tag) in enumerate(result.answers.table):
        if chosen is None:
            cells.append([outcome, "none", None])  # a TextEnum is a str: JSON writes its value
        elif tag is not None:
            cells.append([outcome, _platform_of(tag), index_of[chosen.filename]])
        else:
            cells.append([outcome, result.text_of(i, chosen, tag), index_of[chosen.filename]])
    return {"version": _text(release.version), "yanked": release.yanked, "files": names,
            "counts": result.counts(), "cells": cells}


def regression_json(r: Regression) -> dict[str, Any]:
    return {"platform": r.platform, "python": r.python, "installer": r.installer,
            "last_good": str(r.last_good), "first_bad": str(r.first_bad), "first_bad_cell": r.bad_cell,
            "recovered_in": str(r.recovered_in) if r.recovered_in else None}


def history_json(history: History) -> dict[str, Any]:
    """The columns once (platform, python, installer), then each release's cells in that order."""
    first = history.releases[0].result.cells if history.releases else ()
    columns = [{"platform": c.row.profile.id, "python": c.row.interp.tag, "installer": c.installer.spec}
               for c in first]
    return {"project": history.project, "columns": columns, "releases": [release_json(r) for r in history.releases],
            "regressions": [regression_json(r) for r in history.regressions],
            "unusable_files": unusable_json(history.unusable)}


def profile_json(profile: Profile) -> dict[str, Any]:
    record: dict[str, Any] = {"id": profile.id, "os": profile.os, "arch": profile.arch}
    for key in ("libc", "python_bits", "float_abi", "api_level", "sdk", "emscripten_version",
                "pyemscripten_version"):
        value = getattr(profile, key)
        if value is not None and not (key == "python_bits" and value == 64) and not (
            key == "float_abi" and value == "hard"
        ):
            record[key] = value
    if profile.libc_version:
        record["libc_version"] = "{}.{}".format(*profile.libc_version)
    if profile.os_version:
        record["os_version"] = "{}.{}".format(*profile.os_version)
    if profile.release:  # FreeBSD: the profile file spells `uname -r` as os_version, so the record reads back
        record["os_version"] = profile.release
    if profile.rosetta:
        record["rosetta"] = True
    record["description"] = profile.description
    return record


def tag_diff_json(profile: Profile, python: str, names: tuple[str, str], changes: Sequence[RankChange]) -> dict[str, Any]:
    return {"platform": profile.id, "python": python, "installers": list(names),
            "differences": [{"tag": c.tag, names[0]: c.rank_a, names[1]: c.rank_b} for c in changes]}


def verification_json(r: Verification) -> dict[str, Any]:
    return {"installer": r.installer, "origin": r.origin, "status": r.status, "tagsim": r.predicted, "real": r.real,
            "detail": r.detail}
