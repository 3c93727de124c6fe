"""A decision: what an installer installs, the message, and every other file with why it lost.

The same pass decides and explains: the family's ranking leaves a verdict on every file, and the
decision turns those into `Considered` entries (chosen first, then the installer's preference
order, then the rejected files), its message, the build needs and the hints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from packaging.requirements import Requirement

from ..files.build_needs import UNKNOWN, BuildNeeds, needs_for_backend
from ..files.filename import DistFile
from ..tags.index import TagIndex
from .flags import Flags
from .hints import decision_hints
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


class LazyConsidered:
    """A decision's `considered`, worked out when first read (`_compute`) and then kept.

    A decision rendered only as its outcome (`check`, `history`, `stream`: 100,000s of them) then
    holds one small object and no per-file state, which also keeps Python's cycle collector from
    walking it (a closure would add a function and a cell per captured name to every decision).
    """

    __slots__ = ("_value",)

    def __init__(self) -> None:
        self._value: tuple[Considered, ...] | None = None

    def get(self) -> tuple[Considered, ...]:
        if self._value is None:
            self._value = self._compute()
        return self._value

    def _compute(self) -> tuple[Considered, ...]:
        raise NotImplementedError


class Explained(LazyConsidered):
    """The considered files of a pick that already says why each loser lost (poetry, pdm)."""

    __slots__ = ("chosen", "order", "verdicts")

    def __init__(self, chosen: Verdict | None, order: list[Verdict], verdicts: list[Verdict]) -> None:
        super().__init__()
        self.chosen, self.order, self.verdicts = chosen, order, verdicts

    def _compute(self) -> tuple[Considered, ...]:
        return ordered_considered(self.chosen, self.order, self.verdicts)


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
    hints: tuple[str, ...] = field(default=())

    @property
    def considered(self) -> tuple[Considered, ...]:
        """Every file as the installer saw it (built when first read)."""
        return self._considered.get()

    @property
    def runner_up(self) -> Considered | None:
        usable = [c for c in self.considered if c.usable and c.reason is not None]
        return usable[0] if usable else None


def make_decision(installer: Installer, chosen: Verdict | None, considered: LazyConsidered, index: TagIndex,
                  verdicts: list[Verdict], flags: Flags, none_message: str) -> Decision:
    """The outcome, its message, build needs and hints, for every installer family alike."""
    if chosen is None:
        return Decision(installer, Outcome.NONE, None, None, None, considered, None, none_message,
                        tuple(decision_hints(index, verdicts, None)))
    dist = chosen.file
    if dist.is_wheel:
        message = f"installs {dist.filename} (tag {chosen.tag}, rank {chosen.rank})"
        return Decision(installer, Outcome.WHEEL, dist, chosen.tag, chosen.rank, considered, None, message)
    build = build_needs(dist, flags)
    if build.backend is None or not build.known:
        message = f"builds {dist.filename} from source; {build.note or UNKNOWN}"
    else:
        message = f"builds {dist.filename} from source: needs {build.summary()}"
    return Decision(installer, Outcome.SDIST, dist, None, None, considered, build, message,
                    tuple(decision_hints(index, verdicts, dist)))


def build_needs(dist: DistFile, flags: Flags) -> BuildNeeds:
    """What the sdist says of itself (read when it was loaded), else `--build-backend`, else unknown."""
    found = dist.build_needs
    if found is not None and (found.backend is not None or not flags.build_backend):
        return found
    if flags.build_backend:
        return needs_for_backend(flags.build_backend, source="--build-backend")
    return BuildNeeds(None, (), "unknown")


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


def ordered_considered(chosen: Verdict | None, order: list[Verdict], verdicts: list[Verdict]) -> tuple[Considered, ...]:
    """Chosen first, then the usable files in the installer's preference order, then the rejected ones."""
    seen = {id(ev) for ev in order}
    rest = [ev for ev in verdicts if id(ev) not in seen]
    out = []
    for ev in [*order, *rest]:
        usable = ev is chosen or (ev.reason is not None and ev.reason.usable)
        detail = ev.detail or ("chosen" if ev is chosen else "")
        out.append(Considered(ev.file, usable, ev.rank if usable else None, None if ev is chosen else ev.reason,
                              detail))
    return tuple(out)


def none_message(project: str, req: Requirement | None, verdicts: list[Verdict]) -> str:
    wanted = str(req) if req is not None else project
    reasons = sorted({ev.reason.value for ev in verdicts if ev.reason and ev.file.name == project})
    return f"no file can be installed for {wanted} (rejected for: {', '.join(reasons) or 'no files'})"
