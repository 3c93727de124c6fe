"""`tagsim tags`: the ordered compatible tags an installer computes on a platform, or where two differ."""

from __future__ import annotations

import argparse

from ..errors import TagsimError
from .options import add_json_flags, add_output_flag


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("platform", help="profile id, here (this machine), inline spec (os=linux,arch=aarch64,glibc=2.17) or uv target")
    p.add_argument("--python", help="interpreter: 3.12, cp312, cp313t, pp310 (default cp312; on `here`, the running Python)")
    p.add_argument("--installer", help="pip, uv, pip==20.2.4, uv==0.4.30 (default: newest pip; the pip that printed a pip debug output)")
    p.add_argument("--diff-installer", metavar="SPEC", help="show where this installer orders tags differently")
    p.add_argument("--format", choices=["text", "json"], default="text")
    add_json_flags(p)
    p.add_argument("--limit", type=int, help="show only the N best tags")
    add_output_flag(p)


def run(args: argparse.Namespace) -> int:
    from ..choice.registry import parse_installer
    from ..platform.resolve import default_interpreter, resolve_platform
    from ..render.formats import render
    from ..report.tags import compare_tags, tag_list
    from .options import emit, json_style, output_format, pip_debug_defaults, warn_installers

    profile = resolve_platform(args.platform)
    interp = default_interpreter(args.platform, args.python)
    installer = parse_installer((pip_debug_defaults(args.platform, [args.installer] if args.installer else [])
                                 or ["pip"])[0])
    warn_installers([installer])
    report = tag_list(profile, interp, installer, args.limit)
    if args.limit is not None and args.limit < 0:
        raise TagsimError("--limit must be 0 or more")
    if args.diff_installer:
        other = parse_installer(args.diff_installer)
        warn_installers([other])
        emit(args, render(compare_tags(profile, interp, installer, other, args.limit), output_format(args), **json_style(args)))
    else:
        emit(args, render(report, output_format(args), **json_style(args)))
    return 0
