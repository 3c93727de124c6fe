"""The command line. Thin: parse arguments, call the library, render, map errors to exit codes."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from .errors import EXIT_BAD_INPUT, TagsimError

# Commands import the library when they run, so `tagsim --help` and a bad flag answer at once.


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 2, like every other bad input."""

    def error(self, message: str) -> NoReturn:
        raise TagsimError(message)



def cmd_platforms(args: argparse.Namespace) -> int:
    from . import render
    from .profiles import bundled_profiles, load_profiles_file

    profiles = load_profiles_file(args.matrix) if args.matrix else bundled_profiles()
    if args.format == "json":
        print(render.to_json({"profiles": [render.profile_record(p) for p in profiles.values()]}))
    else:
        print(render.platforms_text(profiles))
    return 0


def cmd_tags(args: argparse.Namespace) -> int:
    from . import render
    from .installers import compatible_tags, parse_installer
    from .interpreters import parse_python
    from .profiles import resolve_platform
    from .tagdiff import diff_tag_lists

    profile = resolve_platform(args.platform)
    interp = parse_python(args.python)
    installer = parse_installer(args.installer)
    tags = compatible_tags(profile, interp, installer)
    if args.limit is not None and args.limit < 0:
        raise TagsimError("--limit must be 0 or more")
    if args.diff_installer:
        other = parse_installer(args.diff_installer)
        other_tags = compatible_tags(profile, interp, other)
        changes = diff_tag_lists(tags, other_tags)
        if args.format == "json":
            print(render.to_json({
                "platform": profile.id, "python": interp.tag, "installers": [installer.spec, other.spec],
                "differences": [{"tag": c.tag, installer.spec: c.rank_a, other.spec: c.rank_b} for c in changes],
            }))
        else:
            print(render.tag_diff_text(changes, installer.spec, other.spec, args.limit))
        return 0
    if args.format == "json":
        shown = list(tags if args.limit is None else tags[: args.limit])
        print(render.to_json({"platform": profile.id, "python": interp.tag, "installer": installer.spec,
                              "tags": shown}))
    else:
        print(f"{installer.spec} on {profile.id} ({profile.summary()}), {interp.describe()}: {len(tags)} tags")
        print(render.tags_text(tags, args.limit))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tagsim", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("platforms", help="list the platform profiles")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--matrix", help="a profile file of your own, same schema as data/platforms.json")
    p.set_defaults(func=cmd_platforms)

    p = sub.add_parser("tags", help="the ordered compatible tags an installer computes on a platform")
    p.add_argument("platform", help="profile id, inline spec (os=linux,arch=aarch64,glibc=2.17) or uv target")
    p.add_argument("--python", default="cp312", help="interpreter: 3.12, cp312, cp313t, pp310 (default cp312)")
    p.add_argument("--installer", default="pip", help="pip, uv, pip==20.2.4, uv==0.4.30 (default: newest pip)")
    p.add_argument("--diff-installer", metavar="SPEC", help="show where this installer orders tags differently")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--limit", type=int, help="show only the N best tags")
    p.set_defaults(func=cmd_tags)

    from . import cli_check, cli_choice, cli_stream, cli_verify

    cli_choice.register(sub)
    cli_verify.register(sub)
    cli_check.register(sub)
    cli_stream.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            # A filename with lone surrogates (an undecodable name in a folder, a JSON "\ud800"), or an
            # ASCII-only terminal, must not turn an answer into an encoding traceback.
            stream.reconfigure(errors="backslashreplace")
    try:
        args = build_parser().parse_args(argv)
        func: Callable[[argparse.Namespace], int] = args.func
        return func(args)
    except TagsimError as exc:
        print(f"tagsim: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("tagsim: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        print(f"tagsim: internal error: {exc.__class__.__name__}: {exc} (please report this)", file=sys.stderr)
        return EXIT_BAD_INPUT
