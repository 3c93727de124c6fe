"""`tagsim history`: the coverage of every release of a project, and its regressions."""

from __future__ import annotations

import argparse

from ..errors import EXIT_OK
from .matrix import add_matrix_flags, plan_from_args
from .options import (
    SOURCE_HELP,
    add_choice_flags,
    add_json_flags,
    add_output_flag,
    add_source_flags,
    emit,
    flags_from,
    json_style,
    load_from_args,
    output_format,
    print_warnings,
    resolver_from,
)


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("sources", nargs="*", metavar="SOURCE", help=SOURCE_HELP)
    add_matrix_flags(p)
    add_choice_flags(p, many_pythons=True)
    add_source_flags(p)
    p.add_argument("--since", metavar="VERSION", help="only releases at or after this version")
    p.add_argument("--format", choices=["text", "json", "markdown", "html"], default="text")
    add_output_flag(p)
    add_json_flags(p)


def run(args: argparse.Namespace) -> int:
    from ..render.formats import render
    from ..report.history import history_project, parse_since, run_history
    from .progress import Progress

    loaded = load_from_args(args, args.sources)
    print_warnings(loaded.warnings)
    files = loaded.files
    req, plan = plan_from_args(args, files, [])
    if req is not None:
        files = [f for f in files if f.version is None or req.specifier.contains(f.version, prereleases=True)]
    project = history_project(files, args.project)
    since = parse_since(args.since)
    progress = Progress(len({f.version for f in files if f.version}), "history")
    builds = resolver_from(args, loaded)
    history = run_history(files, project, plan.rows, plan.installers, flags=flags_from(args), since=since,
                          progress=progress, builds=builds)
    progress.close()
    print_warnings(builds.warnings)
    emit(args, render(history, output_format(args), **json_style(args)))
    return EXIT_OK
