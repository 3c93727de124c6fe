"""`tagsim check`: the coverage matrix of a release, a CI gate (`--require`), and what-if diffs."""

from __future__ import annotations

import argparse
import os
import sys

from ..errors import EXIT_FAILED_REQUIREMENT, EXIT_OK, TagsimError
from .lock import add_lock_flags
from .matrix import EditAction, add_matrix_flags, plan_from_args
from .options import (
    SOURCE_HELP,
    add_choice_flags,
    add_json_flags,
    add_output_flag,
    add_source_flags,
    emit_chunks,
    flags_from,
    json_style,
    load_from_args,
    output_format,
    print_warnings,
    resolver_from,
    write_github,
)


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("sources", nargs="*", metavar="SOURCE", help=SOURCE_HELP)
    add_matrix_flags(p)
    p.add_argument("--require", action="append", default=[], metavar="ID[:PYTHON]",
                   help="exit 1 unless every installer gets a wheel there (repeatable)")
    add_choice_flags(p, many_pythons=True)
    add_source_flags(p)
    p.add_argument("--retag", action=EditAction, metavar="GLOB=[+|-]TAGSET",
                   help="what-if: add (+), remove (-) or replace platform tags of matching wheels")
    p.add_argument("--drop", action=EditAction, metavar="GLOB", help="what-if: remove matching files")
    p.add_argument("--add", action=EditAction, metavar="NAME", help="what-if: add a hypothetical file")
    p.add_argument("--format", choices=["text", "json", "markdown", "github", "html"], default="text")
    add_output_flag(p)
    add_lock_flags(p)
    add_json_flags(p, considered=True)
    p.set_defaults(edits=[])


def run(args: argparse.Namespace) -> int:
    from ..files.edits import Add, Drop, Edit, apply_edits, parse_retag
    from ..files.sources import dedupe
    from ..render.formats import Format, render_chunks, render_github
    from ..report.check import CheckResult, WhatIf, run_check
    from .lock import lock_sources
    from .lock import run_check as run_lock_check
    from .progress import Progress

    if lock_sources(args.sources):
        return run_lock_check(args)
    loaded = load_from_args(args, args.sources)
    files = loaded.files
    req, plan = plan_from_args(args, files, args.require)
    rows = plan.rows
    edits: list[Edit] = []
    for option, value in getattr(args, "edits", None) or []:
        edits.append(parse_retag(value) if option == "--retag" else Drop(value) if option == "--drop" else Add(value))
    flags = flags_from(args)
    progress = Progress(len(rows) * (2 if edits else 1), "check")
    builds = resolver_from(args, loaded)
    before = run_check(files, rows, plan.installers, req=req, flags=flags, required=plan.required,
                       warnings=loaded.warnings, progress=progress, builds=builds)
    report: CheckResult | WhatIf = before
    if edits:
        after_files = dedupe(apply_edits(files, edits))
        if req is None and not any(f.usable for f in after_files):
            raise TagsimError("the edits leave no usable file (pass --spec NAME to check a release without files)",
                              where="--drop")
        after = run_check(after_files, rows, plan.installers, req=req, flags=flags, required=plan.required,
                          warnings=loaded.warnings, progress=lambda n: progress(len(rows) + n), builds=builds)
        report = WhatIf(before, after, tuple(str(e) for e in edits))
    progress.close()
    print_warnings(builds.warnings)
    fmt = output_format(args)
    if fmt is Format.GITHUB:
        github = render_github(report)
        write_github(github.summary, github.annotations)
    else:
        colour = fmt is Format.TEXT and not args.output and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        emit_chunks(args, render_chunks(report, fmt, colour=colour, **json_style(args)))
    final = report.after if isinstance(report, WhatIf) else report
    return EXIT_FAILED_REQUIREMENT if final.required_failing() else EXIT_OK
