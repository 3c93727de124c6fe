"""The build of an sdist decision: what the sdist needs, and the chain of build requirements before it.

In build isolation, pip and uv first install the sdist's `build-system.requires` into a fresh
environment, for the same interpreter and platform, from the same index, with the same format
options; a build requirement with no fitting wheel is itself built, and so on:
- pip 26.3 `build_env/installer.py` `SubprocessBuildEnvironmentInstaller.install`: a `pip install`
  subprocess given `--no-binary`/`--only-binary` (`finder.format_control`), `--prefer-binary`, the
  release control (`--pre`) and the index URLs; no `--platform`, so it is the machine's own tags;
- uv `uv-build-frontend` `SourceBuild::setup` resolves the requirements through the same
  `BuildDispatch`, with the same `BuildOptions` (`--no-binary`, `--no-build`, `--only-binary`).
Both skip it with `--no-build-isolation` (pip `_prepare_build_env`: `build_isolation="off"`), uv for
some projects with `--no-build-isolation-package`. Checked against both: `tools/fidelity/build_deps/`.

`BuildResolver` follows it: each requirement decided by `choice.decide` with the decision's own
installer, profile and interpreter; its page read from the same index (fetched and cached like the
project's); a requirement that builds is followed to `MAX_DEPTH` levels, and a cycle, the `--offline`
cache's edge or a failing index ends that branch, said as a `ChainStop`. Pages and sdists are
fetched once per run, not once per cell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from ..choice.decide import decide
from ..choice.decision import BuildChain, BuildStep, ChainStop, Decision, build_needs, sdist_message
from ..choice.flags import Flags
from ..choice.installer import Installer, InstallerName
from ..choice.listing import Listing
from ..choice.reasons import Outcome
from ..errors import FetchError, TagsimError, one_line
from ..files.build_needs import BuildNeeds
from ..files.fetch_options import FetchOptions
from ..files.filename import DistFile
from ..platform.interpreter import Interpreter
from ..platform.markers import marker_environment
from ..platform.profile import Profile

#: Marker variables a profile does not hold (`platform.markers` leaves them empty): a marker naming one is
#: not evaluated.
UNSET = ("platform_release", "platform_version")
#: Levels of build requirements followed below the sdist the user asked about.
MAX_DEPTH = 3


class Bar(Protocol):
    """A download progress display: told bytes so far and the total, then closed."""

    def __call__(self, done: int, total: int | None) -> None: ...

    def close(self) -> None: ...


def index_root(url: str) -> str:
    """`https://pypi.org/simple/uv/` -> `https://pypi.org/simple/`: where the build requirements' pages are."""
    trimmed = url.split("#", 1)[0].split("?", 1)[0].rstrip("/")
    return trimmed.rsplit("/", 1)[0] + "/"


@dataclass
class BuildResolver:
    """Follows the build of every sdist decision of a run; memoises pages, downloads and chains.

    `index_url` is the index root build requirements are looked up in (None: only `local_files`,
    the run's own sources, as pip's `--find-links`); `fetch_sdists=False` is `--no-fetch-sdist`.
    """

    fetch: FetchOptions = field(default_factory=FetchOptions)
    index_url: str | None = None
    fetch_sdists: bool = True
    local_files: Sequence[DistFile] = ()
    progress: Callable[[str], Bar] | None = None
    warnings: list[str] = field(default_factory=list)
    _needs: dict[str, BuildNeeds | None] = field(default_factory=dict)
    _listings: dict[str, Listing | BuildStep] = field(default_factory=dict)
    _done: dict[tuple[object, ...], Decision] = field(default_factory=dict)

    def needs_of(self, dist: DistFile) -> BuildNeeds | None:
        """The sdist's needs from the file at hand, else from its download (once per file), else None."""
        if dist.build_needs is not None or not self.fetch_sdists or dist.url is None:
            return dist.build_needs
        if dist.filename not in self._needs:
            bar = self.progress(dist.filename) if self.progress else None
            try:
                from ..files.sdist_fetch import fetch_sdist_needs  # the network and archive modules: on a download

                fetched = fetch_sdist_needs(dist, self.fetch, progress=bar)
            finally:
                if bar is not None:
                    bar.close()
            if fetched.warning:
                self.warnings.append(fetched.warning)
            self._needs[dist.filename] = fetched.needs
        return self._needs[dist.filename]

    def plain_build(self, dist: DistFile, flags: Flags | None = None) -> BuildNeeds | None:
        """The sdist's build as `complete` sets it when there is no chain to follow (nothing of the sdist
        read: no backend, evidence or requirements), else None; a matrix cell's words need only this."""
        build = build_needs(dist, flags or Flags(), self.needs_of(dist))
        return build if build.backend is None and not build.evidence and not build.requires else None

    def complete(self, decision: Decision, profile: Profile, interp: Interpreter, flags: Flags | None = None) -> Decision:
        """An sdist decision with its needs read and its build chain followed; any other decision as it is."""
        return self._complete(decision, profile, interp, flags or Flags(), (), 0)

    def _complete(self, decision: Decision, profile: Profile, interp: Interpreter, flags: Flags,
                  path: tuple[str, ...], depth: int) -> Decision:
        dist = decision.chosen
        if decision.outcome is not Outcome.SDIST or dist is None:
            return decision
        key = (profile, interp, decision.installer.spec, dist.filename, flags, depth)
        if key not in self._done:
            build = build_needs(dist, flags, self.needs_of(dist))
            # Nothing read (no file, no download, no --build-backend): no chain to show, the message says so.
            chain = None if build.backend is None and not build.evidence and not build.requires else self._chain(
                build, dist, decision.installer, profile, interp, flags, (*path, str(dist.name or dist.filename)), depth)
            self._done[key] = replace(decision, build=build, chain=chain, message=sdist_message(dist, build, chain))
        return self._done[key]

    def _chain(self, build: BuildNeeds, dist: DistFile, installer: Installer, profile: Profile, interp: Interpreter,
               flags: Flags, path: tuple[str, ...], depth: int) -> BuildChain:
        isolation = _isolation(installer, dist, flags, build)
        steps: tuple[BuildStep, ...] = ()
        if not isolation and depth < MAX_DEPTH:
            build_flags = replace(flags, build_backend=None)
            steps = tuple(self._step(r, installer, profile, interp, build_flags, path, depth + 1) for r in build.requires)
        elif not isolation and build.requires:
            steps = tuple(BuildStep(r, None, ChainStop.DEPTH, f"not followed: over {MAX_DEPTH} levels of build "
                                                               "requirements") for r in build.requires)
        toolchains = list(build.needs)
        unknown = [] if build.certain else [dist.filename]
        for step in steps:
            d = step.decision
            if d is not None and d.chain is not None:
                toolchains.extend(d.chain.toolchains)
                unknown.extend(d.chain.unknown)
            elif d is not None and d.outcome is Outcome.SDIST and d.chosen is not None:
                unknown.append(d.chosen.filename)  # builds, but nothing of it could be read
            elif step.stop not in (None, ChainStop.NOT_FOR_PLATFORM):
                unknown.append(step.requirement)
        return BuildChain(steps, tuple(dict.fromkeys(toolchains)), isolation, tuple(dict.fromkeys(unknown)))

    def _step(self, text: str, installer: Installer, profile: Profile, interp: Interpreter, flags: Flags,
              path: tuple[str, ...], depth: int) -> BuildStep:
        try:
            req = Requirement(text)
        except InvalidRequirement as exc:
            return BuildStep(text, None, ChainStop.BAD_REQUIREMENT, f"does not parse: {one_line(str(exc))}")
        if req.marker is not None:
            if any(name in str(req.marker) for name in UNSET):
                return BuildStep(text, None, ChainStop.NOT_FOR_PLATFORM,
                                 f"not decided: its marker names {'/'.join(UNSET)}, which a profile does not hold")
            if not req.marker.evaluate(marker_environment(profile, interp) | {"extra": ""}):
                return BuildStep(text, None, ChainStop.NOT_FOR_PLATFORM, "not installed here: its marker is false")
        name = canonicalize_name(req.name)
        if name in path:
            return BuildStep(text, None, ChainStop.CYCLE, f"cycle: {' -> '.join((*path, name))}; pip and uv fail here")
        listing = self._listing(name)
        if isinstance(listing, BuildStep):
            return replace(listing, requirement=text)
        decision = decide(profile, interp, installer, listing, req, flags)
        return BuildStep(text, self._complete(decision, profile, interp, flags, path, depth))

    def _listing(self, name: str) -> Listing | BuildStep:
        """The files of a build requirement: the run's own sources if they hold it, else its index page."""
        if name not in self._listings:
            local = [f for f in self.local_files if f.name == name]
            if local:
                self._listings[name] = Listing(local)
            elif self.index_url is None:
                self._listings[name] = BuildStep(name, None, ChainStop.NO_INDEX, "not decided: the source is not an "
                                                 "index URL (pass --index-url URL to follow build requirements)")
            else:
                from ..files.remote import project_url

                self._listings[name] = self._page(name, project_url(self.index_url, name))
        return self._listings[name]

    def _page(self, name: str, url: str) -> Listing | BuildStep:
        from ..files.sources import read_url

        try:
            files, notes = read_url(url, self.fetch)
        except FetchError as exc:
            if self.fetch.offline and "not in the cache" in exc.message:
                return BuildStep(name, None, ChainStop.OFFLINE, f"not decided: {url} is not in the cache (--offline)")
            self.warnings.append(str(exc))
            return BuildStep(name, None, ChainStop.FETCH_FAILED, f"not decided: {exc}")
        except TagsimError as exc:
            self.warnings.append(str(exc))
            return BuildStep(name, None, ChainStop.FETCH_FAILED, f"not decided: {exc}")
        self.warnings.extend(n for n in notes if n not in self.warnings)
        return Listing(files)


def _isolation(installer: Installer, dist: DistFile, flags: Flags, build: BuildNeeds) -> str:
    """Why the build requirements are not installed (build isolation off), or "" when they are."""
    family = installer.name
    if family not in (InstallerName.PIP, InstallerName.UV):
        return ""
    held = f" ({', '.join(build.requires)})" if build.requires else ""
    if flags.no_build_isolation:
        return f"build isolation is off (--no-build-isolation): the environment must already hold the build requirements{held}"
    if family is InstallerName.UV and dist.name is not None and dist.name in flags.no_build_isolation_package:
        return (f"build isolation is off for {dist.name} (--no-build-isolation-package): the environment must "
                f"already hold the build requirements{held}")
    return ""
