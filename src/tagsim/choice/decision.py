"""A decision: what an installer installs, the message, and every other file with why it lost.

The same pass decides and explains: the family's ranking leaves a verdict on every file, and the
decision turns those into `Considered` entries (chosen first, then the installer's preference
order, then the rejected files), its message, the build needs and the hints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from packaging.requirements import Requirement
from packaging.version import Version

from ..files.build_needs import SHORT_NEEDS, UNKNOWN, BuildNeeds, needs_for_backend
from ..files.filename import DistFile
from ..tags.index import TagIndex
from ..text_enum import TextEnum
from .flags import Flags
from .hints import NO_HINTS, LazyHints, TagRejected
from .installer import Installer
from .reasons import Outcome, Reason
from .verdict import Verdict


@dataclass(frozen=True)
class Considered:
    """One file as the installer saw it. `reason` is None for the chosen file."""

    file: DistFile
    usable: bool
    rank: int | None
    reason: Reason | None
    detail: str


@dataclass(frozen=True)
class Rejected:
    """Why the other files lost, in short: what a matrix cell says without listing every file.

    `counts`: every file but the chosen one, by reason. `version`: the chosen file's version, else the
    newest version the requirement let through (None when there is none); `files`: the other files of
    that version, as `considered` lists them (the runner-up first).
    """

    counts: tuple[tuple[Reason, int], ...]
    version: Version | None
    files: tuple[Considered, ...]


#: Reasons that say nothing of the file's own release (it was never a candidate of the project's versions).
NOT_A_CANDIDATE = frozenset({Reason.VERSION, Reason.DIFFERENT_PROJECT, Reason.INVALID})


def summarize(pairs: Sequence[tuple[DistFile, Reason | None]], entry: Callable[[int], Considered]) -> Rejected:
    """`Rejected` from (file, reason) in `considered` order (reason None: the chosen file); `entry(i)` is
    the i-th `Considered`, built only for the files listed."""
    counts = Counter(reason for _, reason in pairs if reason is not None)
    chosen = next((dist.version for dist, reason in pairs if reason is None), None)
    version = chosen or max((dist.version for dist, reason in pairs
                             if dist.version is not None and reason not in NOT_A_CANDIDATE), default=None)
    files = tuple(entry(i) for i, (dist, reason) in enumerate(pairs)
                  if reason is not None and version is not None and dist.version == version
                  and reason not in (Reason.DIFFERENT_PROJECT, Reason.INVALID))
    return Rejected(tuple((reason, counts[reason]) for reason in Reason if reason in counts), version, files)


class LazyConsidered:
    """A decision's `considered`, worked out when first read (`_compute`) and then kept.

    A decision rendered only as its outcome (`check`, `history`, `stream`: 100,000s of them) then
    holds one small object and no per-file state, which also keeps Python's cycle collector from
    walking it (a closure would add a function and a cell per captured name to every decision).
    `summary` says the same in short, from the same pass, without a `Considered` per file.
    """

    __slots__ = ("_value",)

    def __init__(self) -> None:
        self._value: tuple[Considered, ...] | None = None

    def get(self) -> tuple[Considered, ...]:
        if self._value is None:
            self._value = self._compute()
        return self._value

    def once(self) -> tuple[Considered, ...]:
        """The list without keeping it: a report written cell by cell then holds one cell's files at a time."""
        return self._value if self._value is not None else self._compute()

    def _compute(self) -> tuple[Considered, ...]:
        chosen, ordered = self.walk()
        return tuple(considered_entry(ev, chosen) for ev in ordered)

    def summary(self) -> Rejected:
        if self._value is not None:
            known = self._value
            return summarize([(c.file, c.reason) for c in known], known.__getitem__)
        chosen, ordered = self.walk()
        return summarize([(ev.file, None if ev is chosen else ev.reason) for ev in ordered],
                         lambda i: considered_entry(ordered[i], chosen))

    def walk(self) -> tuple[Verdict | None, list[Verdict]]:
        """The chosen verdict, and every file's verdict in `considered` order with its final reason: the
        definition of `considered` (a subclass may build the same faster, and is tested against this)."""
        raise NotImplementedError


class Explained(LazyConsidered):
    """The considered files of a pick that already says why each loser lost (poetry, pdm)."""

    __slots__ = ("chosen", "order", "verdicts")

    def __init__(self, chosen: Verdict | None, order: list[Verdict], verdicts: list[Verdict]) -> None:
        super().__init__()
        self.chosen, self.order, self.verdicts = chosen, order, verdicts

    def walk(self) -> tuple[Verdict | None, list[Verdict]]:
        return self.chosen, ordered_verdicts(self.order, self.verdicts)


@dataclass(frozen=True, slots=True)
class Decision:
    installer: Installer
    outcome: Outcome
    chosen: DistFile | None
    tag: str | None
    rank: int | None
    _considered: LazyConsidered = field(compare=False, repr=False)
    build: BuildNeeds | None
    message: str
    _hints: LazyHints = field(default=NO_HINTS, compare=False, repr=False)
    #: The build-dependency chain of an sdist decision, once `report.build_chain` has followed it.
    chain: BuildChain | None = field(default=None, compare=False)

    @property
    def hints(self) -> tuple[str, ...]:
        """uv-style hints under an sdist or no-file decision (worked out when first read)."""
        return self._hints.get()

    @property
    def considered(self) -> tuple[Considered, ...]:
        """Every file as the installer saw it (built when first read)."""
        return self._considered.get()

    def considered_once(self) -> tuple[Considered, ...]:
        """`considered`, not kept on the decision (for a streamed report of many large cells)."""
        return self._considered.once()

    @property
    def rejected(self) -> Rejected:
        """The rejections in short (counts by reason, the chosen version's other files), from the same pass."""
        return self._considered.summary()

    @property
    def runner_up(self) -> Considered | None:
        usable = [c for c in self.considered if c.usable and c.reason is not None]
        return usable[0] if usable else None


def make_decision(installer: Installer, chosen: Verdict | None, considered: LazyConsidered, index: TagIndex,
                  verdicts: list[Verdict], flags: Flags, none_message: str) -> Decision:
    """The outcome, its message, build needs and hints, for every installer family alike."""
    sdist = chosen.file if chosen is not None and not chosen.file.is_wheel else None
    hints = NO_HINTS if chosen is not None and sdist is None else TagRejected(index, verdicts, sdist)
    return decision_of(installer, chosen, considered, hints, flags, none_message)


def decision_of(installer: Installer, chosen: Verdict | None, considered: LazyConsidered, hints: LazyHints,
                flags: Flags, none_message: str) -> Decision:
    """The decision for a chosen file (None: nothing installs), its message and build needs; `hints` read lazily."""
    if chosen is None:
        return Decision(installer, Outcome.NONE, None, None, None, considered, None, none_message, hints)
    dist = chosen.file
    if dist.is_wheel:
        message = wheel_message(dist, chosen.tag, chosen.rank)
        return Decision(installer, Outcome.WHEEL, dist, chosen.tag, chosen.rank, considered, None, message)
    build, message = sdist_outcome(dist, flags)
    return Decision(installer, Outcome.SDIST, dist, None, None, considered, build, message, hints)


def sdist_outcome(dist: DistFile, flags: Flags) -> tuple[BuildNeeds, str]:
    """A chosen sdist's build needs and message: what `decision_of` puts in its decision, and what
    `tagsim stream` writes without the decision (`choice.answers.Answers.sdist`)."""
    build = build_needs(dist, flags)
    return build, sdist_message(dist, build)


def wheel_message(dist: DistFile, tag: str | None, rank: int | None) -> str:
    """A wheel decision's message (lock reports and `tagsim stream` write it from the compact answers, without
    the decision)."""
    return f"installs {dist.filename} (tag {tag}, rank {rank})"


def sdist_message(dist: DistFile, build: BuildNeeds, chain: BuildChain | None = None) -> str:
    """`builds X from source: needs ...`: the whole chain's needs when it was followed, else the sdist's own."""
    if chain is not None and chain.toolchains:
        return f"builds {dist.filename} from source: needs {', '.join(chain.toolchains)}"
    if not build.needs and (build.backend is None or not build.known) and not build.evidence:
        return f"builds {dist.filename} from source; {build.note or UNKNOWN}"
    return f"builds {dist.filename} from source: needs {build.summary()}"


def build_needs(dist: DistFile, flags: Flags, found: BuildNeeds | None = None) -> BuildNeeds:
    """What the sdist says of itself (read when it was loaded, or `found` from its download), else
    `--build-backend`, else unknown."""
    found = found or dist.build_needs
    if found is not None and (found.backend is not None or found.evidence or not flags.build_backend):
        return found
    if flags.build_backend:
        return needs_for_backend(flags.build_backend, source="--build-backend")
    return found or _UNKNOWN_BUILD


_UNKNOWN_BUILD = BuildNeeds(None, (), "unknown")  # one frozen value for every sdist that says nothing of itself


class ChainStop(TextEnum):
    """Why a build requirement was not followed further."""

    DEPTH = "depth"  # past `MAX_DEPTH` levels
    CYCLE = "cycle"  # it is already being built further up the chain
    OFFLINE = "offline"  # its page is not in the cache and --offline is on
    NO_INDEX = "no-index"  # the source is not an index page: nowhere to look it up
    FETCH_FAILED = "fetch-failed"  # its page or sdist could not be fetched
    BAD_REQUIREMENT = "bad-requirement"  # the requirement string does not parse
    NOT_FOR_PLATFORM = "marker"  # its environment marker is false here: not installed


@dataclass(frozen=True)
class BuildStep:
    """One build requirement: the installer's decision for it, and its own chain when it builds too."""

    requirement: str
    decision: Decision | None  # its own `chain` holds the next level when it builds
    stop: ChainStop | None = None
    detail: str = ""  # why it stopped, in words


@dataclass(frozen=True)
class BuildChain:
    """What the build environment gets, step by step, and every toolchain the whole chain needs."""

    steps: tuple[BuildStep, ...]
    toolchains: tuple[str, ...]
    isolation: str = ""  # when build isolation is off: what that means for this build
    unknown: tuple[str, ...] = ()  # nodes whose needs are not all known (so the toolchain list may be short)

    def short(self, build: BuildNeeds) -> str:
        """A matrix cell's words: the whole chain's toolchains (`needs cargo, cc`), else the sdist's own."""
        if not self.toolchains:
            return build.short()
        words = ", ".join(SHORT_NEEDS.get(n, n) for n in self.toolchains)
        return f"needs {words}" + (", maybe more" if self.unknown else "")


def explain_losers(chosen: Verdict | None, order: list[Verdict], flags: Flags,
                   tie_rule: str = "build tag or listing order decided", builds_compared: bool = True) -> None:
    """pip and uv: why each usable file that was not chosen lost to the chosen one."""
    if chosen is None:
        return
    for ev in order:
        if ev is chosen or not ev.ok:
            continue
        assert ev.file.version is not None and chosen.file.version is not None
        if ev.file.version < chosen.file.version:
            ev.reason, ev.detail = Reason.OLDER_VERSION, f"{ev.file.version} is older than the chosen {chosen.file.version}"
        elif ev.file.version > chosen.file.version:
            ev.reason = Reason.PREFER_BINARY if flags.prefer_binary else Reason.YANKED
            ev.detail = ("--prefer-binary: a wheel of an older version beats this newer sdist"
                         if flags.prefer_binary else "yanked files rank below every other file")
        elif not ev.file.is_wheel and chosen.file.is_wheel:
            ev.reason, ev.detail = Reason.LOWER_PRIORITY, "an sdist ranks below any compatible wheel of the same version"
        else:
            ev.reason = Reason.LOWER_PRIORITY
            if ev.rank == chosen.rank and (ev.file.build == chosen.file.build or not builds_compared):
                ev.detail = f"same rank {ev.rank} as the chosen file; a tie: {tie_rule}"
            elif ev.rank == chosen.rank:
                ev.detail = f"same rank {ev.rank} as the chosen file; build tag or listing order decided"
            else:
                ev.detail = f"rank {ev.rank} vs the chosen file's rank {chosen.rank}"


def ordered_verdicts(order: list[Verdict], verdicts: list[Verdict]) -> list[Verdict]:
    """Chosen first, then the usable files in the installer's preference order, then the rejected ones."""
    seen = {id(ev) for ev in order}
    return [*order, *(ev for ev in verdicts if id(ev) not in seen)]


def considered_entry(ev: Verdict, chosen: Verdict | None) -> Considered:
    usable = ev is chosen or (ev.reason is not None and ev.reason.usable)
    detail = ev.detail or ("chosen" if ev is chosen else "")
    return Considered(ev.file, usable, ev.rank if usable else None, None if ev is chosen else ev.reason, detail)


def none_message(project: str, req: Requirement | None, reasons: Iterable[Reason]) -> str:
    """"No file can be installed", with the reasons the project's files were rejected for."""
    wanted = str(req) if req is not None else project
    found = sorted({reason.value for reason in reasons})
    return f"no file can be installed for {wanted} (rejected for: {', '.join(found) or 'no files'})"


def verdict_reasons(project: str, verdicts: Iterable[Verdict]) -> Iterator[Reason]:
    """The reasons the project's files were rejected for, as `none_message` lists them."""
    return (ev.reason for ev in verdicts if ev.reason and ev.file.name == project)
