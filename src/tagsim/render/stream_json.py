"""`tagsim stream`'s records as JSON: one dict per line, in the decision shape `render.json.decision_json`
gives (Detail.NONE), with the project, platform and Python; a wheel's line from the column's compact answer."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..choice.answers import Answers, Chosen
from ..choice.decision import Decision, wheel_message
from ..choice.flags import Flags
from ..choice.installer import Installer
from ..choice.reasons import Outcome
from ..platform.interpreter import Interpreter
from ..platform.profile import Profile
from ..report.stream import Answered, Decided, Record, Refused, Summary, Unusable, stream_answers
from .json import Detail, _text, decision_json

_WHEEL = Outcome.WHEEL


def stream_record(record: Record) -> dict[str, Any]:
    """One `tagsim stream` line, with a `kind`: decision, unusable, error or summary."""
    if isinstance(record, Decided):
        answers = record.answers
        return decided_json(record.project, record.profile, record.interp, record.installer, answers, record.column,
                             table_of(answers))
    if isinstance(record, Refused):
        return _refused_json(record.project, record.profile, record.interp, record.installer, record.error)
    if isinstance(record, Unusable):
        return {"kind": "unusable", "line": record.line.number, "input": record.line.text, "problem": record.problem}
    assert isinstance(record, Summary)
    return {"kind": "summary", **record.counts}


def stream_json(records: Iterable[Record]) -> Iterator[dict[str, Any]]:
    """The records of `report.stream.stream_decisions` as the dicts `tagsim stream` prints."""
    return (stream_record(r) for r in records)


def answered_json(item: Answered | Unusable | Summary) -> Iterator[dict[str, Any]]:
    """The lines of one item of `report.stream.stream_answers`: what `stream_record` writes for each of
    its records (one per column of a project), without a record object per column."""
    if not isinstance(item, Answered):
        yield stream_record(item)
        return
    answers, project = item.answers, item.project
    table = table_of(answers)
    for i, (profile, interp, installer) in enumerate(item.columns):
        error = answers.error(i) if table is None else None
        if error is not None:
            yield _refused_json(project, profile, interp, installer, str(error))
        else:
            yield decided_json(project, profile, interp, installer, answers, i, table)


def table_of(answers: Answers) -> Sequence[Chosen] | None:
    """Every column's compact answer, or None when a column is an error (each line then reads its decision)."""
    return answers.table if answers.first_error() is None else None


def decided_json(project: str, profile: Profile, interp: Interpreter, installer: Installer, answers: Answers,
                  i: int, table: Sequence[Chosen] | None) -> dict[str, Any]:
    """A decision's line. A wheel's is written from the compact answer: `decision_json` of its decision
    (Detail.NONE) says nothing more than the file, tag and rank, and its message is `wheel_message` of
    them, as `decision_of` writes it. Any other line (an sdist's build needs and hints, why nothing
    installs) is `decision_json` of the column's `Decision`, built here. tests/report/test_stream.py
    holds both to `decide`."""
    if table is not None:
        outcome, dist, rank, tag = table[i]
        if outcome is _WHEEL:
            assert dist is not None
            return {"kind": "decision", "project": project, "platform": profile.id, "python": interp.tag,
                    "installer": installer.spec, "outcome": outcome, "file": dist.filename,
                    "version": _text(dist.version) if dist.version else None, "tag": tag, "rank": rank,
                    "build": None, "message": wheel_message(dist, tag, rank), "hints": []}
    result = answers.result(i)
    assert isinstance(result, Decision)
    return {"kind": "decision", "project": project, "platform": profile.id, "python": interp.tag,
            **decision_json(result, detail=Detail.NONE)}


def _refused_json(project: str, profile: Profile, interp: Interpreter, installer: Installer,
                  error: str) -> dict[str, Any]:
    return {"kind": "error", "project": project, "platform": profile.id, "python": interp.tag,
            "installer": installer.spec, "error": error}


def decide_stream(lines: Iterable[str], profiles: Sequence[Profile], interps: Sequence[Interpreter],
                  installers: Sequence[Installer], *, flags: Flags | None = None,
                  summary: bool = True) -> Iterator[dict[str, Any]]:
    """`tagsim stream` as a library call: the JSON record of every decision of a streamed file list (what
    `stream_json` makes of `stream_decisions`, one project at a time)."""
    for item in stream_answers(lines, profiles, interps, installers, flags=flags, summary=summary):
        yield from answered_json(item)
