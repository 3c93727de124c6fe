"""`tagsim platforms`: the platform profiles."""

from __future__ import annotations

import argparse

from .options import add_json_flags, add_output_flag, emit


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["text", "json"], default="text")
    add_json_flags(p)
    p.add_argument("--matrix", help="a profile file of your own, same schema as data/platforms.json")
    p.add_argument("--here", action="store_true", help="this machine's profile and interpreter, and how each was found")
    add_output_flag(p)
    p.add_argument("--markers", metavar="ID", help="show the PEP 508 marker environment of a platform")
    p.add_argument("--python", help="with --markers: the interpreter (default cp312; on `here`, the running Python)")


def run(args: argparse.Namespace) -> int:
    from ..platform.profile_file import bundled_profiles, load_profiles_file
    from ..render.formats import render
    from ..report.tags import PlatformList
    from .options import json_style, output_format

    if args.here:
        from ..platform.here import detect_host

        emit(args, render(detect_host(), output_format(args), **json_style(args)))
        return 0
    if args.markers:
        from .lock import run_markers

        return run_markers(args)
    profiles = load_profiles_file(args.matrix) if args.matrix else bundled_profiles()
    emit(args, render(PlatformList(profiles), output_format(args), **json_style(args)))
    return 0


