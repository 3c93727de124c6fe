"""`tagsim platforms`: the platform profiles."""

from __future__ import annotations

import argparse


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--matrix", help="a profile file of your own, same schema as data/platforms.json")


def run(args: argparse.Namespace) -> int:
    from ..platform.profile_file import bundled_profiles, load_profiles_file
    from ..render.formats import render
    from ..report.tags import PlatformList
    from .options import output_format

    profiles = load_profiles_file(args.matrix) if args.matrix else bundled_profiles()
    print(render(PlatformList(profiles), output_format(args)))
    return 0


