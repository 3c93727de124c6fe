"""Which file of one locked package each installer installs, over every (platform, Python, installer) column.

`decide_package` is one call per package over all columns (the shape a batched core can replace):
the package's files are one `Listing`, decided by the installer family's own ranking (`decide`)
pinned to the locked version, except where a lock changes the rule:

- uv (uv.lock: `lock/mod.rs` `Package::to_dist`; pylock: `lock/export/pylock_toml.rs`
  `PylockToml::to_resolution`): the best wheel by (tag priority, build tag) (`find_best_wheel`, the same
  key as uv's index ranking), else the sdist; git/directory/editable sources always build. Nothing
  left: `NeitherSourceDistNorWheel`, `NoBuild`, `NoBinary`, `NoBinaryNoBuild` or `IncompatibleWheelOnly`.
- pip 26.1+ (`pip install -r pylock.toml`, `utils/pylock.py` -> packaging 26.4 `Pylock.select`): vcs,
  directory (refused in hash-checking mode), then `archive` (tag-checked by pip's resolver), then the wheel of lowest rank in pip's tag list
  (`create_compatible_tags_selector`: ties keep file order, build tags are ignored), else the sdist.
  pip older than 26.1 cannot install a pylock.
- poetry (`installation/chooser.py` `Chooser.choose_for`) and pdm (`models/candidates.py`
  `_find_best_match_link`): their families' picks over the locked files, which stand for what the
  index serves for the locked hashes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from ..errors import TagsimError
from ..files.build_needs import BuildNeeds
from ..files.filename import DistFile
from ..files.locks.model import LockedPackage, LockFormat, PackageSource
from ..platform.interpreter import Interpreter
from ..platform.profile import Profile
from ..tags.index import Compatible, TagIndex
from ..text_enum import TextEnum
from .answers import Answers
from .batch import Batch
from .batch import Column as BatchColumn
from .decision import Decision, Explained, explain_losers, make_decision
from .flags import DistFormat, Flags
from .hints import decision_hints
from .installer import Installer, InstallerName
from .listing import Listing
from .lock_words import pip_format_refusal, pip_no_hash, pip_prefers_sdist, uv_no_build, uv_words
from .reasons import Outcome, Reason
from .registry import family_of, tag_index
from .verdict import first_pass, static_checks

#: pip's first release that installs from a pylock (`pip install -r pylock.toml`, experimental).
PIP_PYLOCK = Version("26.1")
#: Which installers read which lock format (uv.lock: uv; pylock: pip 26.1+, uv, pdm; poetry.lock: poetry; pdm.lock: pdm).
READERS: dict[LockFormat, tuple[InstallerName, ...]] = {
    LockFormat.UV: (InstallerName.UV,),
    LockFormat.PYLOCK: (InstallerName.PIP, InstallerName.UV, InstallerName.PDM),
    LockFormat.POETRY: (InstallerName.POETRY,),
    LockFormat.PDM: (InstallerName.PDM,),
}
#: One object: a listing's memos match flags by identity (`Listing.remembered`).
_NO_FLAGS = Flags()
_PIP_TIE = "pip (pylock) takes the first listed of equally ranked wheels; build tags are ignored"


class LockStatus(TextEnum):
    """What happens to one locked package on one target: installed from a wheel, built, failed, or skipped."""

    WHEEL = "wheel"
    BUILD = "build"
    FAIL = "fail"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Column:
    profile: Profile
    interp: Interpreter
    installer: Installer

    @cached_property
    def index(self) -> TagIndex:
        """Its tag index, kept on the column: a lock report asks it once per package."""
        return tag_index(self.profile, self.interp, self.installer)


def refusal(fmt: LockFormat, installer: Installer) -> str:
    """Why this installer cannot install from this lock format at all ('' when it can)."""
    if installer.name not in READERS[fmt]:
        if fmt is LockFormat.PYLOCK and installer.name is InstallerName.POETRY:
            return "poetry cannot install from a pylock.toml (poetry#10356; poetry-plugin-export only writes one)"
        return f"{installer.name} does not install from a {fmt} (it is read by {', '.join(READERS[fmt])})"
    if fmt is LockFormat.PYLOCK and installer.name is InstallerName.PIP and installer.version < PIP_PYLOCK:
        return f"pip {installer.version} cannot install from a pylock.toml (`pip install -r pylock.toml` needs pip 26.1+)"
    return ""


#: A decision's outcome as a lock status.
STATUS = {Outcome.WHEEL: LockStatus.WHEEL, Outcome.SDIST: LockStatus.BUILD, Outcome.NONE: LockStatus.FAIL}


def status_of(decision: Decision) -> LockStatus:
    return STATUS[decision.outcome]


def failed(installer: Installer, message: str) -> Decision:
    """A decision that installs nothing, for a reason outside the files (a refused target, an unusable entry)."""
    return Decision(installer, Outcome.NONE, None, None, None, Explained(None, [], []), None, message)


def _source_build(installer: Installer, pkg: LockedPackage) -> Decision:
    build = BuildNeeds(None, (), "source tree", note="a source tree: the lock does not say its build backend")
    return Decision(installer, Outcome.SDIST, None, None, None, Explained(None, [], []), build,
                    f"builds {pkg.label} from its {pkg.source} source {pkg.origin}".rstrip())


def _requirement(pkg: LockedPackage) -> Requirement | None:
    try:
        return Requirement(f"{pkg.name}=={pkg.version}" if pkg.version is not None else pkg.name)
    except InvalidRequirement:
        return None


def decide_package(fmt: LockFormat, pkg: LockedPackage, columns: Sequence[Column], flags: Flags | None = None,
                   *, position: int = 0) -> list[Decision]:
    """The decision for `pkg` in every column, in column order (`answer_package`, every decision built)."""
    answers = answer_package(fmt, pkg, columns, flags, position=position)
    return [answers.decision(i) for i in range(len(columns))]


class PackageAnswers:
    """One package's answer in every column: the chosen file at once (`chosen`), each `Decision` built
    when first read (`decision`), by the code that decides it (`decide` for the batched columns, pip's
    pylock rule for pip). A lock report reads the decision only where its output needs more."""

    __slots__ = ("_answers", "_chosen", "_decisions", "_inputs", "fixed", "pkg")

    def __init__(self, pkg: LockedPackage, chosen: list[Chosen], decisions: list[Decision | None],
                 answers: Answers | None, inputs: _Inputs) -> None:
        self.pkg, self._chosen, self._decisions, self._answers, self._inputs = pkg, chosen, decisions, answers, inputs
        #: Columns whose decision came whole (a refusal, a source tree, an archive): no hint or message to derive.
        self.fixed = frozenset(i for i, d in enumerate(decisions) if d is not None)

    def __len__(self) -> int:
        return len(self._chosen)

    def chosen(self, i: int) -> Chosen:
        """Column i's outcome, chosen file (None: nothing installs), rank and tag, as its decision has them."""
        return self._chosen[i]

    def hints(self, i: int) -> tuple[str, ...] | None:
        """Column i's hints without its decision, from the wheels its tags reject (as the decision's own
        hints read them); None where only the decision can say (a decision that came whole, poetry, pdm,
        files of another version than the locked one)."""
        outcome, dist, _, _ = self._chosen[i]
        if i in self.fixed:
            return None
        if outcome is Outcome.WHEEL:
            return ()
        wheels = self._inputs.standing_wheels(i)
        if wheels is None:
            return None
        index = self._inputs.pip_columns[i].index
        rejected = [w for w in wheels if not isinstance(index.evaluate(w.tags), Compatible)]
        return tuple(decision_hints(index, rejected, dist if outcome is Outcome.SDIST else None))

    def decision(self, i: int) -> Decision:
        found = self._decisions[i]
        if found is None:
            found = self._decisions[i] = self._make(i)
        return found

    def _make(self, i: int) -> Decision:
        if i in self._inputs.columns:
            return self._inputs.decision(i)
        assert self._answers is not None
        found = self._answers.result(self._inputs.batched[i])
        if isinstance(found, TagsimError):
            raise found
        return _with_installer_message(found, self.pkg, self._inputs.installers[i], self._inputs.flags, self._inputs.fmt)


#: A column's answer in short: its outcome, chosen file, rank and tag, as its `Decision` has them.
Chosen = tuple[Outcome, DistFile | None, int | None, str | None]


def _short(decision: Decision) -> Chosen:
    return (decision.outcome, decision.chosen, decision.rank, decision.tag)


class _Inputs:
    """What a package's lazy decisions are built from: its columns, listing, requirement and flags, and
    which columns pip's pylock rule decides (`columns`) and which the batch (`batched`, in batch order)."""

    __slots__ = ("_standing", "batched", "columns", "flags", "fmt", "installers", "listing", "lock_name",
                 "pip_columns", "pkg", "position", "req")

    def __init__(self, fmt: LockFormat, pkg: LockedPackage, columns: Sequence[Column], listing: Listing,
                 req: Requirement | None, flags: Flags, position: int, lock_name: str) -> None:
        self.fmt, self.pkg, self.listing, self.req, self.flags, self.position = fmt, pkg, listing, req, flags, position
        self.lock_name = lock_name
        self.pip_columns = columns
        self.installers = [c.installer for c in columns]
        self.columns: set[int] = set()  # the columns pip's pylock rule decides
        self.batched: dict[int, int] = {}  # column -> its place in the batch
        self._standing: dict[tuple[bool, Installer], tuple[DistFile, ...] | None] = {}

    def decision(self, i: int) -> Decision:
        return _pip_pylock(self.pip_columns[i], self.pkg, self.listing, self.req, self.position, self.flags,
                           self.lock_name)

    def standing_wheels(self, i: int) -> tuple[DistFile, ...] | None:
        """The wheels the static checks leave standing for column i's installer: the ones its decision's
        hints look at (None: a family that explains as it picks, or files of more than one version)."""
        installer = self.installers[i]
        key = (i in self.columns, installer)
        if key not in self._standing:
            self._standing[key] = self._standing_wheels(i, installer)
        return self._standing[key]

    def _standing_wheels(self, i: int, installer: Installer) -> tuple[DistFile, ...] | None:
        if any(f.usable and f.version != self.pkg.version for f in self.pkg.files):
            return None
        family = family_of(installer)
        if i in self.columns:
            flags, name_wins = _NO_FLAGS, True
        elif family.walks_files:
            flags, name_wins = family.drop_flags(self.flags), family.name_wins(installer.era)
        else:
            return None
        statics, _ = static_checks(self.listing, canonicalize_name(self.pkg.name), self.req, flags, name_wins)
        return tuple(dist for dist, reason, _ in statics if reason is None and dist.is_wheel)


def answer_package(fmt: LockFormat, pkg: LockedPackage, columns: Sequence[Column], flags: Flags | None = None,
                   *, position: int = 0, lock_name: str = "pylock.toml") -> PackageAnswers:
    """Every column's answer for `pkg`, compact. Columns an installer decides from the locked files (the
    usual case) go through the batched core (`choice.batch`, equal to `decide`); pip's pylock rule is
    answered for all its columns in one pass (`_pip_chosen`, equal to `_pip_pylock`)."""
    listing = Listing(pkg.files)
    req = _requirement(pkg)
    given = flags or _NO_FLAGS
    state = _Inputs(fmt, pkg, columns, listing, req, given, position, lock_name)
    chosen: list[Chosen | None] = [None] * len(columns)
    decisions: list[Decision | None] = [None] * len(columns)
    pip: list[int] = []
    builds, pylock, problem = pkg.source.builds, fmt is LockFormat.PYLOCK, pkg.problem
    pip_name = InstallerName.PIP
    for n, col in enumerate(columns):
        fixed: Decision | None = None
        by_pip = pylock and col.installer.name is pip_name
        if problem is not None:
            fixed = failed(col.installer, f"unusable lock entry: {problem}")
        elif builds and by_pip and pkg.in_hashed_lock:
            fixed = failed(col.installer, pip_no_hash(pkg))
        elif builds and col.installer.name is InstallerName.UV and uv_no_build(pkg, given):
            # uv `Package::to_dist` / `PylockToml::to_resolution`: a source tree builds only where building is
            # allowed (recorded, uv 0.13.9 `--no-build`: an editable path refused as `NoBuild`)
            fixed = failed(col.installer, uv_words(pkg, fmt, "it is marked as `--no-build` but has no binary "
                                                             "distribution"))
        elif builds:
            fixed = _source_build(col.installer, pkg)
        elif by_pip:
            pip.append(n)
        else:
            state.batched[n] = len(state.batched)
        if fixed is not None:
            decisions[n], chosen[n] = fixed, _short(fixed)
    state.columns.update(pip)
    if pip:
        for n, found in zip(pip, _pip_chosen(pkg, listing, req, [columns[n] for n in pip], given), strict=True):
            if found is None:  # an archive, or a pre-release to filter: the rule itself, at once
                decisions[n] = state.decision(n)
                chosen[n] = _short(decisions[n])  # type: ignore[arg-type]
            else:
                chosen[n] = found
    answers = None
    if state.batched:
        batch = _batch(tuple(BatchColumn(columns[n].profile, columns[n].interp, columns[n].installer)
                             for n in state.batched))
        answers = batch.answers(listing, req, flags)
        error = answers.first_error()
        if error is not None:
            raise error
        for k, n in enumerate(state.batched):
            outcome, dist, rank, tag = answers.chosen(k)
            chosen[n] = (outcome, dist, rank if outcome is Outcome.WHEEL else None, tag)
    return PackageAnswers(pkg, [c for c in chosen if c is not None], decisions, answers, state)


def _pip_chosen(pkg: LockedPackage, listing: Listing, req: Requirement | None, columns: Sequence[Column],
                flags: Flags) -> list[Chosen | None]:
    """pip's pylock choice in each column, without a decision: `_pip_pylock`'s rule (lowest rank among the
    wheels the tags admit, ties in file order, else the first sdist). None where the rule itself must run
    (a pylock `archive`, a pre-release the specifier may filter); tests/choice/test_lock_choice.py holds it
    to `_pip_pylock`."""
    statics, maybe_pre = static_checks(listing, pkg.name, req, _NO_FLAGS, True)
    if maybe_pre or (pkg.source is PackageSource.URL and statics and statics[0][0].usable):
        return [None] * len(columns)
    standing = [dist for dist, reason, _ in statics if reason is None]
    wheels = [dist for dist in standing if dist.is_wheel]
    sdist = next((dist for dist in standing if not dist.is_wheel), None)
    if sdist is not None and pip_prefers_sdist(pkg.name, flags):
        return [(Outcome.SDIST, sdist, None, None)] * len(columns)
    if flags.allowed_formats(pkg.name) != {DistFormat.BINARY, DistFormat.SOURCE}:
        return [None] * len(columns)  # a chosen file of a refused format: the rule's own failure, at once
    out: list[Chosen | None] = []
    for col in columns:
        index = col.index
        best: Compatible | None = None
        best_dist = None
        for dist in wheels:
            result = index.evaluate(dist.tags)
            if isinstance(result, Compatible) and (best is None or result.rank < best.rank):
                best, best_dist = result, dist
        if best is not None:
            out.append((Outcome.WHEEL, best_dist, best.rank, best.tag))
        elif sdist is not None:
            out.append((Outcome.SDIST, sdist, None, None))
        else:
            out.append((Outcome.NONE, None, None, None))
    return out


@lru_cache(maxsize=64)
def _batch(columns: tuple[BatchColumn, ...]) -> Batch:
    """One `Batch` per set of columns: a lock's packages mostly share their targets, so its tag lookups
    are kept from package to package."""
    return Batch(columns)


def _with_installer_message(decision: Decision, pkg: LockedPackage, installer: Installer, flags: Flags,
                            fmt: LockFormat) -> Decision:
    """The installer's own words when nothing installs (uv `LockErrorKind`, poetry `Chooser`)."""
    if decision.outcome is not Outcome.NONE or not pkg.files:
        return decision
    if installer.name is InstallerName.UV:
        no_binary = ":all:" in flags.no_binary or pkg.name in flags.no_binary
        no_build = uv_no_build(pkg, flags)
        if fmt is LockFormat.PYLOCK and pkg.source is PackageSource.URL and all(f.is_wheel for f in pkg.files):
            # a pylock `archive` wheel is a direct URL: uv 0.13.9 `uv-installer/src/plan.rs` (`Planner::build`)
            # checks its tags ("Failed to determine installation plan", cause; recorded: tests/fixtures/locks/pip)
            message = f"A URL ({pkg.origin}) dependency is incompatible with the current platform"
            return Decision(decision.installer, decision.outcome, None, None, None, decision._considered, None,
                            message, decision._hints)
        wheel_source = pkg.source in (PackageSource.PATH, PackageSource.URL) and all(f.is_wheel for f in pkg.files)
        why = ("it is marked as both `--no-binary` and `--no-build`" if no_binary and no_build else
               "it is marked as `--no-binary` but has no source distribution" if no_binary else
               "it is marked as `--no-build` but has no binary distribution" if no_build else
               "the binary distribution is incompatible with the current platform" if wheel_source else
               "it doesn't have a source distribution or wheel for the current platform")
        message = uv_words(pkg, fmt, why)
    elif installer.name is InstallerName.POETRY:
        message = f"Unable to find installation candidates for {pkg.name} ({pkg.version})"
    else:  # pdm `_find_best_match_link`: no locked link of that version is compatible (tagsim's wording)
        message = f"no locked file of {pkg.label} installs here (pdm finds no compatible link among the locked files)"
    return Decision(decision.installer, decision.outcome, None, None, None, decision._considered, None, message,
                    decision._hints)


def _pip_pylock(col: Column, pkg: LockedPackage, listing: Listing, req: Requirement | None, position: int,
                given: Flags = _NO_FLAGS, lock_name: str = "pylock.toml") -> Decision:
    """pip 26.1+: packaging `Pylock.select` over the locked files, with pip's own tag list."""
    index = tag_index(col.profile, col.interp, col.installer)
    flags = _NO_FLAGS  # pip's format options reach `Pylock.select` only as its sdist preference (below)
    verdicts = first_pass(listing, pkg.name, req, flags, index, True)
    if pkg.source is PackageSource.URL and verdicts and verdicts[0].file.usable:
        archive = verdicts[0].file  # `archive`: selected as locked (`Pylock.select` checks no tags), but
        if archive.is_wheel:  # pip's resolver does (recorded with pip 26.3: tests/fixtures/locks/pip)
            if not isinstance(index.evaluate(archive.tags), Compatible):
                # pip 26.3 `resolution/resolvelib/factory.py` `Factory._fail_if_link_is_unsupported_wheel`
                return failed(col.installer, f"{archive.filename} is not a supported wheel on this platform.")
            return Decision(col.installer, Outcome.WHEEL, archive, None, None, Explained(None, [], []), None,
                            f"installs {archive.filename} (a pylock `archive`: a direct URL, locked as is)")
        chosen_archive = verdicts[0]
        chosen_archive.reason, chosen_archive.detail = None, ""
        return make_decision(col.installer, chosen_archive, Explained(chosen_archive, [chosen_archive], verdicts),
                             index, verdicts, flags, "")
    wheels = [ev for ev in verdicts if ev.ok and ev.file.is_wheel]
    sdists = [ev for ev in verdicts if ev.ok and not ev.file.is_wheel]
    if sdists and pip_prefers_sdist(pkg.name, given):
        for ev in wheels:
            ev.reason, ev.detail = Reason.FORMAT, "--no-binary: pip's pylock selection takes the sdist before any wheel"
        return make_decision(col.installer, sdists[0], Explained(sdists[0], sdists, verdicts), index, verdicts, flags,
                             "")
    ranked = sorted(wheels, key=lambda ev: ev.rank if ev.rank is not None else 0)  # stable: file order breaks ties
    chosen = ranked[0] if ranked else (sdists[0] if sdists else None)
    refused = pip_format_refusal(pkg.name, chosen.file, given, lock_name) if chosen is not None else ""
    if refused:
        return failed(col.installer, refused)
    order = [*ranked, *sdists]
    explain_losers(chosen, order, flags, _PIP_TIE, builds_compared=False)
    message = "" if chosen is not None else (
        f"No wheel found matching the provided tags for package {pkg.name!r} at packages[{position}], "
        "and no sdist available as a fallback")
    return make_decision(col.installer, chosen, Explained(chosen, order, verdicts), index, verdicts, flags, message)
