"""What `tagsim verify` asks (a `Scenario`), what the real installer answered, and how the two compare."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..choice.flags import Flags, parse_names
from ..errors import TagsimError
from ..files.filename import DistFile, parse_filename
from ..platform.interpreter import Interpreter, parse_python
from ..text_enum import TextEnum


@dataclass(frozen=True)
class IndexFile:
    """One file to publish: what the index says about it, not its content."""

    filename: str
    requires_python: str | None = None
    yanked: bool | str = False


class Status(TextEnum):
    """A verification's result: tested (agree, disagree) or why it was not."""

    AGREE = "agree"
    DISAGREE = "disagree"
    NOT_EMULABLE = "not-emulable"
    NOT_MODELLED = "not-modelled"
    MISSING = "installer-missing"
    CRASHED = "installer-crashed"
    TIMEOUT = "timeout"


class Answer(TextEnum):
    """What the real installer did (the fixture schema of tests/fixtures/choices)."""

    CHOSEN = "chosen"
    NO_MATCH = "no-match"
    ERROR = "error"  # a crash
    TIMEOUT = "timeout"
    NOT_EMULABLE = "not-emulable"


AGREE, DISAGREE = Status.AGREE, Status.DISAGREE
NOT_EMULABLE, NOT_MODELLED = Status.NOT_EMULABLE, Status.NOT_MODELLED
MISSING, CRASHED, TIMEOUT = Status.MISSING, Status.CRASHED, Status.TIMEOUT
STATUSES = tuple(Status)
CHOSEN, NO_MATCH, ERROR = Answer.CHOSEN, Answer.NO_MATCH, Answer.ERROR


@dataclass(frozen=True)
class Scenario:
    """What to ask: files + platform + interpreter + flags + requirement."""

    platform: str
    python: str
    files: tuple[IndexFile, ...]
    spec: str
    flags: Flags = field(default_factory=Flags)
    id: str = "verify"
    #: The patch level asked about (`3.12.1`), or None for X.Y.0; `verify` fills in the local
    #: interpreter's, so that tagsim is asked about the Python the real installer runs with.
    python_version: str | None = None

    def interpreter(self) -> Interpreter:
        return parse_python(f"{self.python}@{self.python_version}" if self.python_version else self.python)

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Scenario:
        """A `tests/scenarios/choices.json` entry."""
        f = raw.get("flags", {})
        flags = Flags(prefer_binary=f.get("prefer_binary", False), only_binary=parse_names(f.get("only_binary", [])),
                      no_binary=parse_names(f.get("no_binary", [])), no_build=f.get("no_build", False),
                      pre=f.get("pre", False))
        files = tuple(IndexFile(x["filename"], x.get("requires_python"), x.get("yanked", False)) for x in raw["files"])
        return cls(raw["platform"], raw["python"], files, raw["spec"], flags, raw["id"], raw.get("python_version"))

    @property
    def project(self) -> str:
        return re.split(r"[<>=!~ ;\[]", self.spec, maxsplit=1)[0]

    def dist_files(self) -> list[DistFile]:
        return [parse_filename(f.filename, requires_python=f.requires_python, yanked=f.yanked is not False,
                               yanked_reason=f.yanked if isinstance(f.yanked, str) else None) for f in self.files]


def index_files(files: Iterable[DistFile]) -> tuple[IndexFile, ...]:
    """Loaded sources (`sources.load_sources`) as files of the dummy index."""
    out = []
    for f in files:
        if not f.usable:
            raise TagsimError(f"{f.filename}: {f.problem}; the dummy index can only carry valid files", where="SOURCE")
        yanked: bool | str = (f.yanked_reason or True) if f.yanked else False
        out.append(IndexFile(f.filename, f.requires_python, yanked))
    return tuple(out)


@dataclass(frozen=True)
class RealAnswer:
    """What the real installer did: chosen (file), no-match, error (a crash), timeout or not-emulable."""

    status: Answer
    file: str | None = None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "file": self.file, "note": self.note}


@dataclass(frozen=True)
class Verification:
    """tagsim's prediction and the real installer's answer, side by side."""

    installer: str  # "pip==24.0", or what was asked for when it could not be started
    origin: str
    status: Status
    predicted: str | None = None
    real: str | None = None
    detail: str = ""

    @property
    def tested(self) -> bool:
        return self.status in (AGREE, DISAGREE)
