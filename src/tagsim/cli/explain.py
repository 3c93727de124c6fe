"""`tagsim explain`: which file each installer chooses on a platform, and why."""

from __future__ import annotations

import argparse

from .lock import add_lock_flags
from .options import SOURCE_HELP, add_choice_flags, add_json_flags, add_output_flag, add_source_flags


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("platform", help="profile id, here (this machine), inline spec, uv target, or a saved `pip debug --verbose` output")
    p.add_argument("sources", nargs="*", metavar="SOURCE", help=SOURCE_HELP)
    add_choice_flags(p)
    add_source_flags(p)
    p.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    add_lock_flags(p)
    add_json_flags(p)
    add_output_flag(p)


def run(args: argparse.Namespace) -> int:
    from ..choice.registry import parse_installer
    from ..choice.requirement import parse_spec
    from ..platform.resolve import default_interpreter, resolve_platform
    from ..render.formats import render
    from ..report.explain import explain
    from ..report.plan import unique
    from .lock import lock_sources, run_explain
    from .options import (
        emit,
        flags_from,
        json_style,
        load_from_args,
        output_format,
        pip_debug_defaults,
        print_warnings,
        resolver_from,
        warn_installers,
    )

    if lock_sources(args.sources):
        return run_explain(args)
    profile = resolve_platform(args.platform)
    interp = default_interpreter(args.platform, args.python)
    installers = unique((parse_installer(i) for i in pip_debug_defaults(args.platform, args.installer)), lambda i: i.spec)
    warn_installers(installers)
    req = parse_spec(args.spec) if args.spec else None
    loaded = load_from_args(args, args.sources)
    print_warnings(loaded.warnings)
    builds = resolver_from(args, loaded)
    expl = explain(profile, interp, loaded.files, req=req, installers=installers, flags=flags_from(args),
                   builds=builds)
    print_warnings(builds.warnings)
    emit(args, render(expl, output_format(args), **json_style(args)))
    return 0
