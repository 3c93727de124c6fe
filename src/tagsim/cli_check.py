"""CLI commands `check` (coverage matrix, CI gate, what-if diffs) and `history` (regressions)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from packaging.version import Version

from .cli_choice import SOURCE_HELP, add_choice_flags, add_source_flags, flags_from, load_from_args
from .errors import EXIT_FAILED_REQUIREMENT, EXIT_OK, TagsimError

if TYPE_CHECKING:
    from .check import CheckResult


class _EditAction(argparse.Action):
    """Keeps --retag/--drop/--add in command-line order: edits apply one after another."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        edits = list(getattr(namespace, "edits", None) or [])
        edits.append((option_string, values))
        namespace.edits = edits


def _matrix_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--platform", action="append", default=[], metavar="ID",
                   help="a row platform: profile id, inline spec or uv target (repeatable; default: every profile)")
    p.add_argument("--matrix", metavar="FILE", help="your own rows: profiles, platforms, pythons, require (README)")


def _plan(args: argparse.Namespace, files: Sequence[Any], required_args: Sequence[str]) -> tuple[Any, ...]:
    """Rows, installers and required cells from the flags, the matrix file and the files."""
    from .check import build_rows, default_pythons, load_matrix, parse_required, project_of
    from .installers import parse_installer
    from .interpreters import parse_python
    from .policy import parse_spec
    from .profiles import Profile, bundled_profiles, resolve_platform

    req = parse_spec(args.spec) if getattr(args, "spec", None) else None
    matrix = load_matrix(args.matrix) if args.matrix else None
    known = {**bundled_profiles(), **({p.id: p for p in matrix.profiles} if matrix else {})}
    profiles: list[Profile]
    if args.platform:
        profiles = []
        for spec in args.platform:
            profile = resolve_platform(spec, known)
            if profile.id not in {p.id for p in profiles}:
                profiles.append(profile)
    else:
        profiles = list(matrix.profiles) if matrix else list(bundled_profiles().values())
    required = []
    for text in [*(matrix.required if matrix else ()), *required_args]:
        item, profile = parse_required(text, known)
        required.append(item)
        if profile.id not in {p.id for p in profiles}:
            profiles.append(profile)
    if args.python:
        pythons = [parse_python(p) for p in args.python]
    elif matrix and matrix.pythons:
        pythons = list(matrix.pythons)
    else:
        wanted = [f for f in files if req is None or (f.version is not None and req.specifier.contains(f.version, True))]
        pythons = default_pythons(wanted, project_of(files, req))
    for item in required:
        if item.python and item.python not in {p.tag for p in pythons}:
            pythons.append(parse_python(item.python))
            pythons.sort(key=lambda i: (i.implementation, i.major, i.minor, i.free_threaded))
    installers = [parse_installer(i) for i in args.installer]
    if not installers:
        from .explain import default_installers

        installers = default_installers()
    return req, build_rows(profiles, pythons), installers, required


def cmd_check(args: argparse.Namespace) -> int:
    from .archives import inspect_files
    from .check import run_check
    from .progress import Progress
    from .sources import dedupe
    from .whatif import Add, Drop, apply_edits, parse_retag

    files, warnings = inspect_files(load_from_args(args, args.sources))
    req, rows, installers, required = _plan(args, files, args.require)
    edits = []
    for option, value in getattr(args, "edits", None) or []:
        edits.append(parse_retag(value) if option == "--retag" else Drop(value) if option == "--drop" else Add(value))
    flags = flags_from(args)
    progress = Progress(len(rows) * (2 if edits else 1), "check")
    before = run_check(files, rows, installers, req=req, flags=flags, required=required, warnings=warnings,
                       progress=progress)
    final = before
    if edits:
        after_files = dedupe(apply_edits(files, edits))
        final = run_check(after_files, rows, installers, req=req, flags=flags, required=required, warnings=warnings,
                          progress=lambda n: progress(len(rows) + n))
    progress.close()
    _print_check(args.format, before, final if edits else None, [str(e) for e in edits])
    return EXIT_FAILED_REQUIREMENT if final.required_failing() else EXIT_OK


def _print_check(fmt: str, before: CheckResult, after: CheckResult | None, edits: list[str]) -> None:
    from . import render
    from .check import change_summary, diff_checks
    from .render_matrix import check_markdown, check_text, diff_markdown, diff_text, github_annotations

    result = after if after is not None else before
    changes = diff_checks(before, after) if after is not None else None
    if fmt == "json":
        if after is None or changes is None:
            print(render.to_json(result.to_json()))
        else:
            print(render.to_json({"before": before.to_json(), "after": after.to_json(), "edits": edits,
                                  "changes": [c.to_json() for c in changes], "summary": change_summary(changes)}))
        return
    if fmt == "text":
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        print(diff_text(changes, edits) if changes is not None else check_text(result, colour=colour))
        if changes is not None and result.required:
            print(check_text(result).split("\n\n", 1)[1])
        return
    markdown = diff_markdown(changes, edits) if changes is not None else check_markdown(result)
    if fmt == "github":
        summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_path:
            try:
                with open(summary_path, "a", encoding="utf-8", errors="backslashreplace") as handle:
                    handle.write(markdown + "\n")
            except OSError as exc:
                raise TagsimError(f"cannot append to $GITHUB_STEP_SUMMARY: {exc.strerror}", where=summary_path) from None
        else:
            print(markdown)
        for line in github_annotations(result):
            print(line)
        return
    print(markdown)


def cmd_history(args: argparse.Namespace) -> int:
    from . import render
    from .archives import inspect_files
    from .history import run_history
    from .progress import Progress
    from .render_matrix import history_markdown, history_text

    files, warnings = inspect_files(load_from_args(args, args.sources))
    for line in warnings:
        print(f"tagsim: warning: {line}", file=sys.stderr)
    req, rows, installers, _ = _plan(args, files, [])
    if req is not None:
        files = [f for f in files if f.version is None or req.specifier.contains(f.version, prereleases=True)]
    names = sorted({f.name for f in files if f.name})
    project = args.project or (names[0] if len(names) == 1 else None)
    if project is None:
        raise TagsimError(f"the sources hold several projects ({', '.join(names)}); pass --project NAME"
                          if names else "no usable distribution file in the sources", where="SOURCE")
    from packaging.utils import canonicalize_name

    since = None
    if args.since:
        try:
            since = Version(args.since)
        except ValueError:  # InvalidVersion, or a component over 4300 digits
            raise TagsimError(f"{args.since[:60]!r} is not a version", where="--since") from None
    releases_hint = len({f.version for f in files if f.version})
    progress = Progress(releases_hint, "history")
    history = run_history(files, canonicalize_name(project), rows, installers, flags=flags_from(args), since=since,
                          progress=progress)
    progress.close()
    if args.format == "json":
        print(render.to_json(history.to_json()))
    elif args.format == "markdown":
        print(history_markdown(history))
    else:
        print(history_text(history))
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("check", help="coverage matrix of a release: wheel, sdist or nothing, per platform/installer")
    p.add_argument("sources", nargs="*", metavar="SOURCE", help=SOURCE_HELP)
    _matrix_flags(p)
    p.add_argument("--require", action="append", default=[], metavar="ID[:PYTHON]",
                   help="exit 1 unless every installer gets a wheel there (repeatable)")
    add_choice_flags(p, many_pythons=True)
    add_source_flags(p)
    p.add_argument("--retag", action=_EditAction, metavar="GLOB=[+|-]TAGSET",
                   help="what-if: add (+), remove (-) or replace platform tags of matching wheels")
    p.add_argument("--drop", action=_EditAction, metavar="GLOB", help="what-if: remove matching files")
    p.add_argument("--add", action=_EditAction, metavar="NAME", help="what-if: add a hypothetical file")
    p.add_argument("--format", choices=["text", "json", "markdown", "github"], default="text")
    p.set_defaults(func=cmd_check, edits=[])

    p = sub.add_parser("history", help="coverage of every release of a project, and the regressions")
    p.add_argument("sources", nargs="*", metavar="SOURCE", help=SOURCE_HELP)
    _matrix_flags(p)
    add_choice_flags(p, many_pythons=True)
    add_source_flags(p)
    p.add_argument("--since", metavar="VERSION", help="only releases at or after this version")
    p.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    p.set_defaults(func=cmd_history)
