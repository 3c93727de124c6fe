"""`tagsim stream`: filenames or JSON lines in, one JSON line per decision out (see `tagsim.report.stream`)."""

from __future__ import annotations

import argparse
import io
import sys
from typing import Any

from ..errors import TagsimError
from .options import add_format_flags, add_output_flag, format_flags_from, warn_installers

STREAM_INPUT_HELP = ("a file of filenames or JSON lines ({\"project\", \"filename\", \"requires-python\", \"yanked\"}), "
                     "one per line, grouped by project; '-' or nothing reads stdin")


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", nargs="?", metavar="FILE", help=STREAM_INPUT_HELP)
    p.add_argument("--platform", action="append", default=[], metavar="ID",
                   help="profile id, inline spec or uv target (repeatable; default: every bundled profile)")
    p.add_argument("--python", action="append", default=[], help="cp312, cp313t, pp310... (repeatable; default cp312)")
    p.add_argument("--installer", action="append", default=[], help="pip, uv, pip==X, uv==X (repeatable; "
                   "default: newest pip and uv)")
    add_format_flags(p)
    p.add_argument("--no-summary", action="store_true", help="leave out the final summary record")
    add_output_flag(p)


def run(args: argparse.Namespace) -> int:
    from ..choice.registry import default_installers, parse_installer
    from ..platform.interpreter import parse_python
    from ..platform.profile_file import bundled_profiles
    from ..platform.resolve import resolve_platform
    from ..render.stream_lines import stream_lines
    from ..report.plan import unique

    profiles = unique((resolve_platform(p) for p in args.platform), lambda p: p.id) or list(bundled_profiles().values())
    interps = unique((parse_python(p) for p in args.python), lambda i: i.tag) or [parse_python("cp312")]
    installers = unique((parse_installer(i) for i in args.installer), lambda i: i.spec) or default_installers()
    warn_installers(installers)
    flags = format_flags_from(args)
    # Undecodable bytes stay visible as lone surrogates, so the line is listed as "not UTF-8", never garbled.
    if args.input in (None, "-"):
        handle: Any = sys.stdin
        if isinstance(handle, io.TextIOWrapper):
            handle.reconfigure(encoding="utf-8", errors="surrogateescape")
    else:
        try:
            handle = open(args.input, encoding="utf-8", errors="surrogateescape")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise TagsimError(f"cannot read: {exc.strerror or exc.__class__.__name__}", where=args.input) from None
    from .options import collect_rarely
    from .progress import Ticker

    collect_rarely()  # about 5% of a 1M-name stream

    out: Any = sys.stdout
    if args.output not in (None, "-"):
        try:
            out = open(args.output, "w", encoding="utf-8", errors="backslashreplace")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise TagsimError(f"cannot write: {exc.strerror}", where=args.output) from None
    ticker = Ticker("stream")
    try:
        lines = stream_lines(handle, profiles, interps, installers, flags=flags, summary=not args.no_summary)
        for done, line in enumerate(lines, 1):
            out.write(line + "\n")
            ticker(done)
    finally:
        ticker.close()
        if handle is not sys.stdin:
            handle.close()
        if out is not sys.stdout:
            out.close()
    if out is sys.stdout:
        out.flush()
    return 0
