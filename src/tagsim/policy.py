"""Which file each installer chooses, and why every other file lost. One pass gives both.

pip: pip `index/package_finder.py` (`LinkEvaluator.evaluate_link`, `CandidateEvaluator._sort_key`)
and `resolution/resolvelib/factory.py` (yanked handling); the sort key changes by era (see `eras.py`).
uv: `uv-resolver` `candidate_selector.rs` (highest version first, first usable version wins) and
`uv-distribution-types` `prioritized_distribution.rs` (best wheel by (priority, build tag), then sdist).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.tags import Tag
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

from .build import UNKNOWN, BuildNeeds, needs_for_backend, needs_from_sdist
from .compat import Compatible, TagIndex, tag_index
from .dists import DistFile
from .eras import PipEra, UvEra
from .errors import TagsimError
from .installers import Installer
from .interpreters import Interpreter
from .platform_tags import parse_platform_tag
from .profiles import Profile


@dataclass(frozen=True)
class Flags:
    """Installer options that change the choice. Names in the sets are canonical, or `:all:`."""

    prefer_binary: bool = False
    only_binary: frozenset[str] = frozenset()
    no_binary: frozenset[str] = frozenset()
    no_build: bool = False
    pre: bool = False
    build_backend: str | None = None
    # pdm `resolution.prefer-binary` (unearth `PackageFinder(prefer_binary=...)`): per package, or `:all:`.
    prefer_binary_for: frozenset[str] = frozenset()

    def allowed_formats(self, project: str, *, name_wins: bool = True) -> set[str]:
        """pip `FormatControl.get_allowed_formats`: an explicit name beats `:all:`.

        `name_wins=False` (uv before 0.2.12): `--only-binary` and `--no-binary` apply independently.
        """
        formats = {"binary", "source"}
        if not name_wins:
            if project in self.only_binary or ":all:" in self.only_binary or self.no_build:
                formats.discard("source")
            if project in self.no_binary or ":all:" in self.no_binary:
                formats.discard("binary")
            return formats
        if project in self.only_binary:
            formats.discard("source")
        elif project in self.no_binary:
            formats.discard("binary")
        elif ":all:" in self.only_binary:
            formats.discard("source")
        elif ":all:" in self.no_binary:
            formats.discard("binary")
        if self.no_build:
            formats.discard("source")
        return formats


def parse_names(values: Sequence[str]) -> frozenset[str]:
    """`--only-binary a,b --only-binary :all:` -> canonical names; `:none:` clears what came before."""
    names: set[str] = set()
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if part == ":none:":
                names.clear()
            elif part == ":all:":
                names.add(part)
            elif part:
                names.add(canonicalize_name(part))
    return frozenset(names)


def parse_spec(text: str) -> Requirement:
    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        raise TagsimError(f"invalid requirement {text!r}: {str(exc).splitlines()[0]}", where="--spec") from None
    if req.url:
        raise TagsimError(f"{text!r}: URL requirements are not modelled", where="--spec")
    try:
        for spec in req.specifier:
            spec.contains("0", prereleases=True)  # parses its version now (ValueError past 4300 digits)
    except ValueError:
        raise TagsimError(f"invalid requirement {text[:60]!r}{'...' if len(text) > 60 else ''}: a version is too long",
                          where="--spec") from None
    return req


@dataclass(frozen=True)
class Considered:
    """One file as the installer saw it. `reason` is None for the chosen file."""

    file: DistFile
    usable: bool
    rank: int | None
    reason: str | None
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file.filename, "version": str(self.file.version) if self.file.version else None,
                "usable": self.usable, "rank": self.rank, "reason": self.reason, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Decision:
    installer: Installer
    outcome: str  # "wheel", "sdist" or "none"
    chosen: DistFile | None
    tag: str | None
    rank: int | None
    #: Every file as the installer saw it, or the function that works that out: built only when a
    #: caller asks (`considered`), so a decision that is only rendered as its outcome stays cheap.
    _considered: tuple[Considered, ...] | Callable[[], tuple[Considered, ...]] = field(compare=False, repr=False)
    build: BuildNeeds | None
    message: str
    hints: tuple[str, ...] = field(default=())

    @property
    def considered(self) -> tuple[Considered, ...]:
        source = self._considered
        if callable(source):
            source = source()
            object.__setattr__(self, "_considered", source)
        return source

    @property
    def runner_up(self) -> Considered | None:
        usable = [c for c in self.considered if c.usable and c.reason is not None]
        return usable[0] if usable else None

    def to_json(self) -> dict[str, Any]:
        return {
            "installer": self.installer.spec, "outcome": self.outcome,
            "file": self.chosen.filename if self.chosen else None,
            "version": str(self.chosen.version) if self.chosen and self.chosen.version else None,
            "tag": self.tag, "rank": self.rank,
            "build": {"backend": self.build.backend, "needs": list(self.build.needs), "note": self.build.note}
            if self.build else None,
            "considered": [c.to_json() for c in self.considered],
            "message": self.message, "hints": list(self.hints),
        }


@dataclass(slots=True)
class _Eval:
    """Mutable scratch state of one file during one decision."""

    file: DistFile
    rank: int | None = None
    tag: str | None = None
    reason: str | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.reason is None


#: id(listing) -> (listing, its length, its one project), for the last few listings decided.
_project_memo: dict[int, tuple[Sequence[DistFile], int, NormalizedName]] = {}


def _project(files: Sequence[DistFile], req: Requirement | None) -> NormalizedName:
    if req is not None:
        return _canonical(req.name)
    known = _project_memo.get(id(files))
    if known is not None and known[0] is files and known[1] == len(files):
        return known[2]
    names = sorted({f.name for f in files if f.name})
    if len(names) == 1:
        if len(_project_memo) >= 8:
            _project_memo.clear()
        _project_memo[id(files)] = (files, len(files), names[0])
        return names[0]
    if not names:
        raise TagsimError("no usable distribution file in the sources", where="SOURCE")
    raise TagsimError(f"the sources hold several projects ({', '.join(names)}); pass --spec NAME", where="SOURCE")


@lru_cache(maxsize=1024)
def _canonical(name: str) -> NormalizedName:
    return canonicalize_name(name)


def _requires_python_ok(dist: DistFile, interp: Interpreter, *, lower_bounds_only: bool = False) -> tuple[bool, str]:
    """pip `_check_link_requires_python`: the target version is X.Y.0, as with `--python-version`.

    uv ignores upper bounds (`<`, `<=`, `!=`): recorded with uv 0.4.30 and 0.13.8, scenarios `rp-*`.
    """
    if not dist.requires_python:
        return True, ""
    return _requires_python_check(dist.requires_python, interp.major, interp.minor, lower_bounds_only)


@lru_cache(maxsize=16384)
def _requires_python_check(requires_python: str, major: int, minor: int, lower_bounds_only: bool) -> tuple[bool, str]:
    """Indexes repeat a few Requires-Python strings across many files: parse and test each once."""
    try:
        spec = SpecifierSet(requires_python)
    except InvalidSpecifier:
        # pip ignores an invalid data-requires-python (logs it) and keeps the link.
        return True, ""
    if lower_bounds_only:
        spec = SpecifierSet(",".join(str(s) for s in spec if s.operator not in ("<", "<=", "!=")))
    version = f"{major}.{minor}.0"
    try:
        fits = spec.contains(version, prereleases=True)
    except ValueError:  # a version of over 4300 digits: as unusable as an invalid specifier, ignored the same way
        return True, ""
    if fits:
        return True, ""
    return False, f"requires-python {requires_python}, target is Python {major}.{minor}"


def _first_pass(files: Sequence[DistFile], project: str, req: Requirement | None, flags: Flags,
                index: TagIndex, installer: Installer) -> list[_Eval]:
    """Checks every installer makes: name, requested version, format flags, tags."""
    name_wins = not isinstance(installer.era, UvEra) or installer.era.binary_name_wins
    statics, maybe_pre = _static_checks(files, project, req, flags, name_wins)
    known, evaluate, sdist_rank = index._memo.get, index.evaluate, index.sdist_rank
    evals = []
    for dist, reason, detail in statics:
        if reason is not None:
            ev = _Eval(dist, None, None, reason, detail)
        elif dist.kind == "wheel":
            result = known(dist.tags) or evaluate(dist.tags)
            ev = (_Eval(dist, result.rank, result.tag) if isinstance(result, Compatible)
                  else _Eval(dist, None, None, result.category, result.detail))
        else:
            ev = _Eval(dist, sdist_rank)
        evals.append(ev)
    if not maybe_pre:
        return evals  # every candidate already passed `contains(..., prereleases=True)`: nothing to filter
    specifier = req.specifier if req is not None else _ANY_VERSION
    # Pre-releases: `SpecifierSet.filter` semantics over the otherwise usable files (allowed when
    # the requirement names one, with --pre, or when no final release fits).
    candidates = [ev.file.version for ev in evals if ev.ok and ev.file.version is not None]
    allowed = set(specifier.filter(candidates, prereleases=True if flags.pre else None))
    for ev in evals:
        if ev.ok and ev.file.version is not None and ev.file.version not in allowed:
            ev.reason = "version"
            ev.detail = f"pre-release {ev.file.version} (allowed only if no final release fits, or with --pre)"
    return evals


_ANY_VERSION = SpecifierSet()
#: id(listing) -> (listing, length, project, req, flags, checks): `check`, `history` and `stream` decide one
#: listing for many (platform, Python, installer) targets; the checks that do not depend on the target run once.
_static_memo: dict[int, tuple[Any, ...]] = {}


def _static_checks(files: Sequence[DistFile], project: str, req: Requirement | None,
                   flags: Flags, name_wins: bool = True) -> tuple[list[tuple[DistFile, str | None, str]], bool]:
    """Per file: the name, version and format verdict (None: decided by its tags, or usable sdist),
    and whether any file left standing is a pre-release."""
    known = _static_memo.get(id(files))
    if (known is not None and known[0] is files and known[1] == len(files) and known[2] == project
            and known[3] is req and known[4] == (flags, name_wins)):
        return known[5]  # type: ignore[no-any-return]
    formats = flags.allowed_formats(project, name_wins=name_wins)
    specifier = req.specifier if req is not None else _ANY_VERSION
    excluded = ""
    wanted: dict[Version, bool] = {}  # version -> in the specifier (files of one release share it)
    checks: list[tuple[DistFile, str | None, str]] = []
    maybe_pre = False
    for dist in files:
        if not dist.usable:
            checks.append((dist, "invalid", dist.problem or "unusable"))
        elif dist.name != project:
            checks.append((dist, "different-project", f"file of project {dist.name!r}, not {project!r}"))
        elif dist.version is not None and not _memo_contains(wanted, specifier, dist.version):
            excluded = excluded or f"excluded by the requirement {req}"
            checks.append((dist, "version", excluded))
        elif dist.is_wheel and "binary" not in formats:
            checks.append((dist, "format", "wheels excluded by --no-binary"))
        elif not dist.is_wheel and "source" not in formats:
            flag = "--no-build" if flags.no_build else "--only-binary"
            checks.append((dist, "format", f"sdists excluded by {flag}"))
        else:
            checks.append((dist, None, ""))
            maybe_pre = maybe_pre or (dist.version is not None and dist.version.is_prerelease)
    if len(_static_memo) >= 8:
        _static_memo.clear()
    _static_memo[id(files)] = (files, len(files), project, req, (flags, name_wins), (checks, maybe_pre))
    return checks, maybe_pre


def _memo_contains(memo: dict[Version, bool], specifier: SpecifierSet, version: Version) -> bool:
    found = memo.get(version)
    if found is None:
        found = memo[version] = specifier.contains(version, prereleases=True)
    return found


def _pinned(req: Requirement | None) -> bool:
    """pip `is_pinned` / uv exact-pin: `===`, or `==` without a wildcard."""
    if req is None:
        return False
    return any(s.operator == "===" or (s.operator == "==" and not s.version.endswith(".*")) for s in req.specifier)


def _pip_key(era: PipEra, ev: _Eval, prefer_binary: bool) -> tuple[Any, ...]:
    """pip `CandidateEvaluator._sort_key` of that era, term by term; larger is better."""
    dist = ev.file
    assert dist.version is not None and ev.rank is not None
    terms = (
        0,  # hash: no `--require-hashes` modelled, every file counts the same
        -1 if dist.yanked else 0,  # yank
        int(prefer_binary and dist.is_wheel),  # binary
        dist.version,
        -ev.rank,  # priority
        dist.build,
    )
    return _sort_terms(era.sort_key)(terms)


_TERMS = ("hash", "yank", "binary", "version", "priority", "build")


@lru_cache(maxsize=64)
def _sort_terms(sort_key: str) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """The era's terms, most significant first, picked out of `_pip_key`'s fixed tuple."""
    positions = [_TERMS.index(name) for name in sort_key.split(",")]
    return lambda terms: tuple([terms[i] for i in positions])


def decide_pip(evals: list[_Eval], installer: Installer, interp: Interpreter, req: Requirement | None,
               flags: Flags) -> tuple[_Eval | None, list[_Eval]]:
    era = installer.era
    assert isinstance(era, PipEra)
    for ev in evals:
        if ev.reason is None and ev.file.requires_python:
            ok, why = _requires_python_ok(ev.file, interp)
            if not ok:
                ev.reason, ev.detail = "requires-python", why
    applicable = [ev for ev in evals if ev.reason is None]
    new_resolver = era.yank_rule.startswith("skip")
    if new_resolver and applicable:
        # pip `factory.iter_index_candidate_infos` (PEP 592): yanked files are skipped unless every
        # applicable file is yanked (and, from pip 22.0, the requirement pins a version).
        keep_yanked = all(ev.file.yanked for ev in applicable) and (
            era.yank_rule == "skip-unless-all" or _pinned(req))
        for ev in applicable:
            if ev.file.yanked and not keep_yanked:
                ev.reason, ev.detail = "yanked", f"yanked{': ' + ev.file.yanked_reason if ev.file.yanked_reason else ''}"
        applicable = [ev for ev in applicable if ev.reason is None]
    if not applicable:
        return None, []
    keys = {id(ev): _pip_key(era, ev, flags.prefer_binary) for ev in applicable}
    keyed = sorted(applicable, key=lambda ev: keys[id(ev)])
    # Ties: the new resolver walks the stably sorted list reversed (last listed first); the legacy
    # resolver takes `max()` (first listed).
    if new_resolver:
        ordered = list(reversed(keyed))
    else:
        best_key = keys[id(keyed[-1])]
        firsts = [ev for ev in applicable if keys[id(ev)] == best_key]
        ordered = [firsts[0], *[ev for ev in reversed(keyed) if ev is not firsts[0]]]
    return ordered[0], ordered


def decide_uv(evals: list[_Eval], installer: Installer, interp: Interpreter, req: Requirement | None,
              flags: Flags) -> tuple[_Eval | None, list[_Eval]]:
    era = installer.era
    assert isinstance(era, UvEra)
    pinned = _pinned(req)
    for ev in evals:
        if ev.ok and ev.file.yanked and not pinned:
            ev.reason, ev.detail = "yanked", f"yanked{': ' + ev.file.yanked_reason if ev.file.yanked_reason else ''}"
        elif ev.ok and not era.requires_python_chosen_only:
            # uv < 0.2.19: every file is checked, upper bounds included, like pip (recorded with 0.1.20-0.2.18).
            ok, why = _requires_python_ok(ev.file, interp)
            if not ok:
                ev.reason, ev.detail = "requires-python", why
    by_version: dict[Version, list[_Eval]] = {}
    for ev in evals:
        if ev.ok and ev.file.version is not None:
            by_version.setdefault(ev.file.version, []).append(ev)
    order: list[_Eval] = []
    chosen: _Eval | None = None
    for version in sorted(by_version, reverse=True):
        group = by_version[version]
        wheels = [ev for ev in group if ev.file.is_wheel]
        sdists = [ev for ev in group if not ev.file.is_wheel]
        # Best wheel: max of (priority, build tag) (`WheelCompatibility::is_more_compatible`). Exact ties
        # went to the filename that sorts first with uv 0.4.30 and 0.13.8 (tests/fixtures/choices).
        by_name = sorted(wheels, key=lambda ev: ev.file.filename)
        if era.build_tag:
            best_wheels = sorted(by_name, key=lambda ev: (-(ev.rank or 0), ev.file.build), reverse=True)
        else:  # uv < 0.2.3: the build tag is ignored, ties keep filename order
            best_wheels = sorted(by_name, key=lambda ev: -(ev.rank or 0), reverse=True)
        sdists = sorted(sdists, key=lambda ev: ev.file.filename)
        pick = best_wheels[0] if best_wheels else (sdists[0] if sdists else None)
        ranked = [*best_wheels, *sdists]
        if pick is None:
            continue
        ok, why = _requires_python_ok(pick.file, interp, lower_bounds_only=era.requires_python_lower_only)
        if chosen is None and not ok:
            pick.reason, pick.detail = "requires-python", why + " (uv checks the chosen file)"
            for ev in ranked:
                if ev is not pick:
                    ev.reason, ev.detail = "version", f"version {version} unavailable: its chosen file {why}"
            continue
        order += ranked
        if chosen is None:
            chosen = pick
    return chosen, order


def decide(profile: Profile, interp: Interpreter, installer: Installer, files: Sequence[DistFile],
           req: Requirement | None = None, flags: Flags | None = None) -> Decision:
    """The file `installer` installs for `req` on `profile` with `interp`, with every rejection.

    pip and uv take the best file of the newest usable version, so the same decision is first made on
    the files of the newest versions alone; when that choice provably stands for the whole listing
    (`_settled`), it is the answer and the rejections of the other files are worked out, by the same
    decision over all files, only if `considered` is read.
    """
    flags = flags or Flags()
    if installer.name in ("pip", "uv"):
        for window in _version_windows(files, _project(files, req), req):
            decision = _decide_files(profile, interp, installer, window, req, flags)
            if _settled(decision, flags):
                # The decision is new and not shared yet: point its rejections at the whole listing.
                object.__setattr__(decision, "_considered", _Rejections(profile, interp, installer, files, req, flags))
                return decision
    return _decide_files(profile, interp, installer, files, req, flags)


#: id(listing) -> its version windows, for the last few listings: `check` and `stream` decide one listing for many platforms.
_windows_memo: dict[int, tuple[Any, ...]] = {}
_WINDOWS = (1, 4)  # newest versions tried before the whole listing


def _version_windows(files: Sequence[DistFile], project: str, req: Requirement | None) -> Sequence[list[DistFile]]:
    """The files of the newest 1 and 4 versions the requirement allows, in listing order (ties depend on it)."""
    known = _windows_memo.get(id(files))  # one tuple, read at once: safe when threads decide too
    if known is not None and known[0] is files and known[1] == project and known[2] is req and known[4] == len(files):
        return known[3]  # type: ignore[no-any-return]
    specifier = req.specifier if req is not None else SpecifierSet()
    wanted: dict[Version, bool] = {}
    for dist in files:
        if dist.usable and dist.name == project and dist.version is not None:
            _memo_contains(wanted, specifier, dist.version)
    versions = sorted((v for v, ok in wanted.items() if ok), reverse=True)
    windows: list[list[DistFile]] = []
    for count in _WINDOWS:
        if count >= len(versions):
            break
        cutoff = versions[count - 1]
        windows.append([d for d in files if d.usable and d.name == project and d.version is not None
                        and d.version >= cutoff])
    if len(_windows_memo) >= 8:
        _windows_memo.clear()
    _windows_memo[id(files)] = (files, project, req, windows, len(files))
    return windows


def _settled(decision: Decision, flags: Flags) -> bool:
    """The choice made on the newest versions is the choice over all files.

    Every file left out is of an older version. It cannot win when the chosen file is a final
    release (a final release in the window keeps pre-releases out everywhere), is not yanked
    (pip ranks yanked files last or skips them), and is a wheel or --prefer-binary is off (an older
    wheel beats a newer sdist only with it). uv takes the newest version whose best file passes
    Requires-Python, a per-version test, so the same conditions hold for it.
    """
    chosen = decision.chosen
    if chosen is None or chosen.version is None or chosen.yanked:
        return False
    if chosen.version.is_prerelease and not flags.pre:
        return False
    return not (flags.prefer_binary and not chosen.is_wheel)


class _Rejections:
    """A decision's `considered`, worked out when first read by deciding again from the same inputs.

    A decision rendered only as its outcome (`check`, `history`, `stream`: 100,000s of them) then
    holds no per-file state, which also keeps Python's cycle collector from walking it. The inputs
    are the caller's: a listing changed after `decide` returns would change the rejections too.
    """

    __slots__ = ("files", "flags", "installer", "interp", "profile", "req")

    def __init__(self, profile: Profile, interp: Interpreter, installer: Installer, files: Sequence[DistFile],
                 req: Requirement | None, flags: Flags) -> None:
        self.profile, self.interp, self.installer, self.files, self.req, self.flags = (
            profile, interp, installer, files, req, flags)

    def __call__(self) -> tuple[Considered, ...]:
        installer, flags = self.installer, self.flags
        _, _, evals, chosen, order = _run(self.profile, self.interp, installer, self.files, self.req, flags)
        _explain_losers(chosen, order, installer, flags)
        return _ordered_considered(chosen, order, evals)


def _run(profile: Profile, interp: Interpreter, installer: Installer, files: Sequence[DistFile],
         req: Requirement | None, flags: Flags) -> tuple[str, TagIndex, list[_Eval], _Eval | None, list[_Eval]]:
    """pip's or uv's walk over the files: every file's verdict, the chosen one, the preference order."""
    project = _project(files, req)
    index = tag_index(profile, interp, installer)
    evals = _first_pass(files, project, req, flags, index, installer)
    decide_fn = decide_pip if installer.name == "pip" else decide_uv
    chosen, order = decide_fn(evals, installer, interp, req, flags)
    return project, index, evals, chosen, order


def _decide_files(profile: Profile, interp: Interpreter, installer: Installer, files: Sequence[DistFile],
                  req: Requirement | None, flags: Flags) -> Decision:
    if installer.name in ("poetry", "pdm"):
        from .policy_tools import decide_tool  # resolve first, then pick a file: see that module

        tool_project = _project(files, req)
        tool_index = tag_index(profile, interp, installer)
        tool_evals = _first_pass(files, tool_project, req, flags, tool_index, installer)
        return decide_tool(profile, interp, installer, tool_evals, tool_project, req, flags, tool_index)
    project, index, evals, chosen, _ = _run(profile, interp, installer, files, req, flags)
    considered = _Rejections(profile, interp, installer, files, req, flags)
    none_message = _none_message(project, req, evals) if chosen is None else ""
    return make_decision(installer, chosen, considered, index, evals, flags, none_message)


def make_decision(installer: Installer, chosen: _Eval | None, considered: Any, index: TagIndex,
                  evals: list[_Eval], flags: Flags, none_message: str) -> Decision:
    """The outcome, its message, build needs and hints, for every installer's policy alike."""
    if chosen is None:
        return Decision(installer, "none", None, None, None, considered, None, none_message,
                        tuple(_hints(index, evals, None)))
    dist = chosen.file
    if dist.is_wheel:
        message = f"installs {dist.filename} (tag {chosen.tag}, rank {chosen.rank})"
        return Decision(installer, "wheel", dist, chosen.tag, chosen.rank, considered, None, message)
    build = _build_needs(dist, flags)
    if build.backend is None:
        message = f"builds {dist.filename} from source; {build.note or UNKNOWN}"
    else:
        message = f"builds {dist.filename} from source: needs {build.summary()}"
    return Decision(installer, "sdist", dist, None, None, considered, build, message,
                    tuple(_hints(index, evals, dist)))


def _build_needs(dist: DistFile, flags: Flags) -> BuildNeeds:
    if dist.present and dist.path:
        found = needs_from_sdist(dist.path)
        if found.backend is not None or not flags.build_backend:
            return found
    if flags.build_backend:
        return needs_for_backend(flags.build_backend, source="--build-backend")
    return BuildNeeds(None, (), "unknown")


def _explain_losers(chosen: _Eval | None, order: list[_Eval], installer: Installer, flags: Flags) -> None:
    if chosen is None:
        return
    for ev in order:
        if ev is chosen or not ev.ok:
            continue
        assert ev.file.version is not None and chosen.file.version is not None
        if ev.file.version < chosen.file.version:
            ev.reason, ev.detail = "older-version", f"{ev.file.version} is older than the chosen {chosen.file.version}"
        elif ev.file.version > chosen.file.version:
            ev.reason = "prefer-binary" if flags.prefer_binary else "yanked"
            ev.detail = ("--prefer-binary: a wheel of an older version beats this newer sdist"
                         if flags.prefer_binary else "yanked files rank below every other file")
        elif not ev.file.is_wheel and chosen.file.is_wheel:
            ev.reason, ev.detail = "lower-priority", "an sdist ranks below any compatible wheel of the same version"
        else:
            ev.reason = "lower-priority"
            if ev.rank == chosen.rank:
                ev.detail = f"same rank {ev.rank} as the chosen file; build tag or listing order decided"
            else:
                ev.detail = f"rank {ev.rank} vs the chosen file's rank {chosen.rank}"


def _ordered_considered(chosen: _Eval | None, order: list[_Eval], evals: list[_Eval]) -> tuple[Considered, ...]:
    """Chosen first, then the usable files in the installer's preference order, then the rejected ones."""
    seen = {id(ev) for ev in order}
    rest = [ev for ev in evals if id(ev) not in seen]
    out = []
    for ev in [*order, *rest]:
        usable = ev is chosen or ev.reason in ("older-version", "lower-priority", "prefer-binary")
        detail = ev.detail or ("chosen" if ev is chosen else "")
        out.append(Considered(ev.file, usable, ev.rank if usable else None, None if ev is chosen else ev.reason,
                              detail))
    return tuple(out)


def _none_message(project: str, req: Requirement | None, evals: list[_Eval]) -> str:
    wanted = str(req) if req is not None else project
    reasons = sorted({ev.reason for ev in evals if ev.reason and ev.file.name == project})
    return f"no file can be installed for {wanted} (rejected for: {', '.join(reasons) or 'no files'})"


_TAG_REASONS = frozenset({"platform", "python", "abi"})


def _hints(index: TagIndex, evals: list[_Eval], sdist: DistFile | None) -> list[str]:
    """uv-style hints: where wheels exist, and which tag would have fit this platform."""
    version = sdist.version if sdist else None
    wheels = [ev for ev in evals if ev.reason in _TAG_REASONS and ev.file.is_wheel
              and (version is None or ev.file.version == version)]
    hints = []
    if wheels:
        plats = _without_legacy_twins(frozenset(p for ev in wheels for p in _platforms_of(ev.file.tags)))
        own = [p for p in plats if _os_of(p) == index.profile.os]
        where = f" (v{version})" if version else ""
        if own:
            others = len(plats) - len(own)
            more = f" (and {others} for other systems)" if others else ""
            hints.append(f"{index.profile.os} wheels are available{where} only for: {', '.join(own)}{more}")
        else:
            hints.append(f"wheels are available{where} for the following platforms: {', '.join(plats)}")
    wanted = _fitting_platform(index)
    if wanted:
        hints.append(f"a wheel tagged {wanted} would fit this platform")
    return hints


@lru_cache(maxsize=4096)
def _without_legacy_twins(plats: frozenset[str]) -> tuple[str, ...]:
    """`manylinux2014_x86_64` says nothing more than its PEP 600 twin `manylinux_2_17_x86_64`: list one."""
    out = []
    for plat in plats:
        tag = parse_platform_tag(plat)
        if tag.legacy_name and tag.version and f"manylinux_{tag.version[0]}_{tag.version[1]}_{tag.arch}" in plats:
            continue
        out.append(plat)
    return tuple(sorted(out))


@lru_cache(maxsize=4096)
def _platforms_of(tags: frozenset[Tag]) -> frozenset[str]:
    return frozenset(t.platform for t in tags)


@lru_cache(maxsize=4096)
def _os_of(platform: str) -> str:
    return parse_platform_tag(platform).os_name()


def _fitting_platform(index: TagIndex) -> str | None:
    found = _fitting_memo.get(id(index.tags))
    if found is None or found[0] is not index.tags:
        if len(_fitting_memo) > 4096:
            _fitting_memo.clear()
        found = _fitting_memo[id(index.tags)] = (index.tags, _fitting_platform_of(index.tags))
    return found[1]


_fitting_memo: dict[int, tuple[tuple[str, ...], str | None]] = {}  # id(tag list) -> (tag list, answer)


def _fitting_platform_of(tags: tuple[str, ...]) -> str | None:
    """The most portable platform tag family that still fits, at this machine's own level."""
    plats = [t.split("-", 2)[2] for t in tags]
    seen = list(dict.fromkeys(p for p in plats if p != "any"))
    best = next((p for p in seen if not p.startswith("linux_")), seen[0] if seen else None)
    if best is None:
        return None
    if best.startswith(("manylinux_", "musllinux_", "macosx_", "android_", "ios_")):
        return f"{best} or lower"
    return best
