"""Lock files on the command line: `tagsim check LOCKFILE` and `tagsim explain PLATFORM LOCKFILE --spec NAME`.

Not a command of its own: `check` and `explain` hand a lock SOURCE here (parse, call, render).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ..errors import EXIT_FAILED_REQUIREMENT, EXIT_OK, TagsimError

if TYPE_CHECKING:
    from ..choice.lock_select import LockOptions
    from ..files.locks.model import LockFile
    from ..report.build_chain import BuildResolver


def add_lock_flags(p: argparse.ArgumentParser) -> None:
    """Options that only a lock file SOURCE reads."""
    group = p.add_argument_group("lock files (uv.lock, pylock.toml, poetry.lock, pdm.lock)")
    group.add_argument("--extra", action="append", default=[], metavar="NAMES", help="install these extras")
    group.add_argument("--all-extras", action="store_true", help="install every extra")
    group.add_argument("--group", action="append", default=[], metavar="NAMES",
                       help="install these dependency groups too (uv, pylock, poetry, pdm)")
    group.add_argument("--no-default-groups", action="store_true", help="only the groups named by --group")
    group.add_argument("--allow-build", action="append", default=[], metavar="NAMES",
                       help="packages that may build from source without failing --require")
    group.add_argument("--verbose", dest="all_considered", action="store_true",
                       help="the same as --all-considered (JSON: every considered file of every decision; text: "
                       "the skipped packages of every target)")


def lock_sources(sources: list[str]) -> bool:
    """True when the SOURCE arguments are one lock file; a lock mixed with other sources is an error."""
    from ..files.sources import SourceKind, classify

    kinds = [classify(s) if not s.startswith(("http://", "https://")) else SourceKind.URL for s in sources]
    locks = [s for s, k in zip(sources, kinds, strict=True) if k is SourceKind.LOCK_FILE]
    if not locks:
        return False
    if len(sources) > 1:
        raise TagsimError("a lock file is checked alone: give one lock file and no other SOURCE", where=locks[0])
    return True


def _names(values: list[str]) -> frozenset[str]:
    from packaging.utils import canonicalize_name

    return frozenset(canonicalize_name(n.strip()) for v in values for n in v.split(",") if n.strip())


def options_from(args: argparse.Namespace) -> LockOptions:
    from ..choice.lock_select import LockOptions

    return LockOptions(extras=_names(getattr(args, "extra", [])), all_extras=getattr(args, "all_extras", False),
                       groups=_names(getattr(args, "group", [])),
                       no_default_groups=getattr(args, "no_default_groups", False))


def run_check(args: argparse.Namespace) -> int:
    """`tagsim check LOCKFILE`: per target, the packages that build or cannot install; exit 1 for --require."""
    from ..files.locks.detect import read_lock
    from ..render.formats import Format, render
    from ..render.lock import lock_github
    from ..report.lock import run_lock
    from ..report.lock_plan import plan_lock
    from ..report.plan import load_matrix
    from .options import emit, flags_from, json_style, output_format, print_warnings, warn_installers, write_github
    from .progress import Progress

    if getattr(args, "edits", None):
        raise TagsimError("what-if edits (--retag, --drop, --add) do not apply to a lock file", where=args.edits[0][0])
    if args.spec:
        raise TagsimError("check reports every package of a lock; for one package use "
                          "`tagsim explain PLATFORM LOCKFILE --spec NAME`", where="--spec")
    lock = read_lock(args.sources[0])
    matrix = load_matrix(args.matrix) if args.matrix else None
    pythons = args.python or ([i.tag for i in matrix.pythons] if matrix else [])
    plan = plan_lock(lock, platforms=args.platform, pythons=pythons,
                     installers=args.installer, required=[*(matrix.required if matrix else ()), *args.require],
                     extra_profiles=matrix.profiles if matrix else ())
    warn_installers(plan.installers)
    print_warnings(list(lock.warnings))
    progress = Progress(len(lock.packages), "check")
    builds = lock_resolver(args, lock)
    report = run_lock(lock, plan.rows, plan.installers, flags=flags_from(args), options=options_from(args),
                      required=plan.required, allow_build=_names(args.allow_build), verbose=args.all_considered,
                      progress=progress, builds=builds)
    progress.close()
    print_warnings(builds.warnings)
    fmt = output_format(args)
    if fmt is Format.GITHUB:
        output = lock_github(report)
        write_github(output.summary, output.annotations)
    else:
        emit(args, render(report, fmt, **json_style(args)))
    return EXIT_FAILED_REQUIREMENT if report.required_failing() else EXIT_OK


def lock_resolver(args: argparse.Namespace, lock: LockFile) -> BuildResolver:
    """What follows a locked sdist's build: its download from the lock's URL (unless `--no-fetch-sdist`), and
    build requirements looked up in `--index-url`, else the index the lock's first registry package names."""
    from ..files.fetch_options import FetchOptions
    from ..files.locks.model import PackageSource
    from ..report.build_chain import BuildResolver, index_root
    from .progress import DownloadBar

    registry = next((p.origin for p in lock.packages if p.source is PackageSource.REGISTRY
                     and p.origin.startswith(("http://", "https://"))), None)
    root = args.index_url or (index_root(registry.rstrip("/") + "/x/") if registry else None)
    return BuildResolver(FetchOptions(timeout=args.timeout, offline=args.offline), index_url=root,
                         fetch_sdists=not args.no_fetch_sdist, progress=DownloadBar)


def run_explain(args: argparse.Namespace) -> int:
    """`tagsim explain PLATFORM LOCKFILE --spec NAME`: one package, by the lock's rule for each installer."""
    from ..choice.registry import parse_installer
    from ..files.locks.detect import read_lock
    from ..platform.resolve import default_interpreter, resolve_platform
    from ..render.formats import render
    from ..report.lock import explain_locked
    from ..report.lock_plan import lock_installers
    from ..report.plan import unique
    from .options import emit, flags_from, json_style, output_format, print_warnings, warn_installers

    if not args.spec:
        raise TagsimError("a lock holds many packages: pass --spec NAME", where="--spec")
    lock = read_lock(args.sources[0])
    profile = resolve_platform(args.platform)
    interp = default_interpreter(args.platform, args.python)
    installers = unique((parse_installer(i) for i in (args.installer or lock_installers(lock))), lambda i: i.spec)
    warn_installers(installers)
    print_warnings(list(lock.warnings))
    expl, notes = explain_locked(lock, profile, interp, args.spec, installers, flags=flags_from(args),
                                 options=options_from(args))
    for note in notes:
        print(f"tagsim: note: {note}", file=sys.stderr)
    emit(args, render(expl, output_format(args), **json_style(args)))
    return EXIT_OK


def run_markers(args: argparse.Namespace) -> int:
    """`tagsim platforms --markers ID [--python TAG]` (`here`: this machine and the running Python)."""
    from ..platform.resolve import default_interpreter, resolve_platform
    from ..render.formats import render
    from ..report.lock import marker_report
    from .options import emit, output_format

    profile = resolve_platform(args.markers)
    emit(args, render(marker_report(profile, default_interpreter(args.markers, args.python)), output_format(args)))
    return EXIT_OK
