"""`tagsim stream`'s output as text: one compact JSON line per record, what the command prints.

Each line is `JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode` of the dict
`render.stream_json.decide_stream` yields for that record, byte for byte (tests/report/test_stream.py holds
every line to `decide` and to that encoding). A million-name stream writes about a million lines, and
encoding a dict of 13 keys costs 4-6 µs, more than deciding the line. So a decision's line is put together from pieces:
what stays the same for a column (platform, Python, installer) and for a project is encoded once,
and each value with the encoder's own string escaping (`json.encoder.encode_basestring`, what that
encoder calls for every string). A wheel's line needs only the column's compact answer; an sdist's
takes its build needs (encoded once per distinct value), message and hints from the code its
`Decision` takes them from (`choice.answers.Answers.sdist`), without building the Decision (a third
of a stream's lines are sdists). Every other line (nothing installs, an error, an unusable line, the
summary) is its dict, encoded. The pieces follow `render.json.decision_json`'s key order; the test fails if either changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from json.encoder import encode_basestring

from ..choice.decision import Decision, wheel_message
from ..choice.flags import Flags
from ..choice.installer import Installer
from ..choice.reasons import Outcome
from ..files.build_needs import BuildNeeds
from ..platform.interpreter import Interpreter
from ..platform.profile import Profile
from ..report.stream import Answered, stream_answers
from .json import _text, build_json
from .stream_json import answered_json, decided_json, stream_record, table_of

#: The encoding `tagsim stream` prints each record with.
encode_record = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

_WHEEL = Outcome.WHEEL


def stream_lines(lines: Iterable[str], profiles: Sequence[Profile], interps: Sequence[Interpreter],
                 installers: Sequence[Installer], *, flags: Flags | None = None,
                 summary: bool = True) -> Iterator[str]:
    """The JSON line (without its newline) of every record `render.stream_json.decide_stream` yields, in order."""
    columns: list[str] | None = None
    builds: dict[BuildNeeds, str] = {}  # an sdist's `build`, encoded once per distinct value
    # the same by object first (sdists that say nothing of themselves share one value; hashing it runs in Python)
    builds_seen: dict[int, tuple[BuildNeeds, str]] = {}
    for item in stream_answers(lines, profiles, interps, installers, flags=flags, summary=summary):
        if not isinstance(item, Answered):
            yield encode_record(stream_record(item))
            continue
        answers = item.answers
        table = table_of(answers)
        if table is None:  # some column is an error: each line from its dict
            yield from map(encode_record, answered_json(item))
            continue
        if columns is None:
            columns = [f',"platform":{encode_basestring(profile.id)},"python":{encode_basestring(interp.tag)},'
                       f'"installer":{encode_basestring(installer.spec)},"outcome":'
                       for profile, interp, installer in item.columns]
        head = '{"kind":"decision","project":' + encode_basestring(item.project)
        files: dict[int, str] = {}  # a chosen file's `"file":...,"version":...`, once per project
        for i, (outcome, dist, rank, tag) in enumerate(table):
            if dist is None:  # nothing installs: its message says why, from the decision
                profile, interp, installer = item.columns[i]
                yield encode_record(decided_json(item.project, profile, interp, installer, answers, i, table))
                continue
            known = files.get(id(dist))
            if known is None:
                version = encode_basestring(_text(dist.version)) if dist.version else "null"
                known = files[id(dist)] = f'"file":{encode_basestring(dist.filename)},"version":{version},'
            if outcome is _WHEEL:
                assert tag is not None
                message = encode_basestring(wheel_message(dist, tag, rank))
                yield (f'{head}{columns[i]}"wheel",{known}"tag":{encode_basestring(tag)},"rank":{rank},"build":null,'
                       f'"message":{message},"hints":[]}}')
                continue
            # an sdist: the build needs, message and hints its decision holds, from the code that decision takes
            # them from (`Answers.sdist`), without building it
            needs, message, hint_texts = answers.sdist(i)
            seen = builds_seen.get(id(needs))
            if seen is None or seen[0] is not needs:
                build = builds.get(needs)
                if build is None:  # a value not met yet: encoded from the column's decision, as `decided_json` does
                    decision = answers.result(i)
                    assert isinstance(decision, Decision) and decision.build == needs and decision.chain is None
                    if len(builds) >= _BUILDS_KEPT:
                        builds.clear()
                        builds_seen.clear()
                    build = builds[needs] = encode_record(build_json(decision))
                seen = builds_seen[id(needs)] = (needs, build)
            hints = ",".join(map(encode_basestring, hint_texts))
            yield (f'{head}{columns[i]}"sdist",{known}"tag":null,"rank":null,"build":{seen[1]},'
                   f'"message":{encode_basestring(message)},"hints":[{hints}]}}')


_BUILDS_KEPT = 1024
