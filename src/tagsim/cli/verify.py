"""CLI command `verify`: tagsim's prediction next to what the real pip/uv chooses, offline.

Exit codes (the same three as every command): 0 every installer that could be tested agreed with
tagsim; 1 at least one disagreed, or none could be tested (missing, crashed, timed out, not
emulable, not modelled: the output says which, and never calls it an agreement); 2 bad input.
"""

from __future__ import annotations

import argparse
import shutil
from typing import Any

from ..errors import EXIT_FAILED_REQUIREMENT, TagsimError
from .options import (
    SOURCE_HELP,
    add_format_flags,
    add_json_flags,
    add_output_flag,
    add_source_flags,
    emit,
    format_flags_from,
    json_style,
    load_from_args,
)

EXIT_NOTHING_TESTED = EXIT_FAILED_REQUIREMENT  # "nothing was verified" fails a gate, like a disagreement
#: = `tagsim.verify.process.DEFAULT_TIMEOUT`, written here so `--help` does not load tagsim.verify
#: (tests/report/test_stream.py checks they agree)
DEFAULT_TIMEOUT = 180.0


def _project(files: list[Any]) -> str:
    from ..files.filename import projects_in

    names = projects_in(files, usable_only=True)
    if len(names) != 1:
        raise TagsimError("the sources hold " + (f"several projects ({', '.join(names)})" if names else "no usable file")
                          + "; pass --spec NAME", where="SOURCE")
    return names[0]


def run(args: argparse.Namespace) -> int:
    from ..choice.requirement import parse_spec
    from ..platform.interpreter import parse_python
    from ..platform.resolve import resolve_platform
    from ..render.json import dumps, verification_json
    from ..render.text import verification_text
    from ..verify import AGREE, DISAGREE, Scenario, index_files, verify

    profile = resolve_platform(args.platform)
    if args.run_timeout <= 0:
        raise TagsimError("must be a positive number of seconds", where="--run-timeout")
    files = load_from_args(args, args.sources).files
    spec = args.spec or _project(files)
    parse_spec(spec)
    flags = format_flags_from(args, build_backend=args.build_backend)
    interp = parse_python(args.python)
    python = args.python if interp.patch is None else interp.tag.split("@")[0]
    sc = Scenario(profile.id if args.platform == profile.id else args.platform, python, index_files(files), spec,
                  flags, python_version=interp.full_version if interp.patch is not None else None)
    installers = list(args.installer)
    notes = []
    if not installers:
        installers = ["pip"]
        if shutil.which("uv"):
            installers.append("uv")
        else:
            notes.append("uv: not found on PATH; only pip was asked (pass --installer PATH to ask another)")
    results = verify(sc, installers, timeout=args.run_timeout)
    lines: list[str] = []
    if args.format == "json":
        lines.append(dumps({
            "platform": profile.id, "python": args.python, "spec": spec, "files": [f.filename for f in sc.files],
            "results": [verification_json(r) for r in results], "notes": notes,
            "summary": {s.value: sum(1 for r in results if r.status == s) for s in sorted({r.status for r in results})},
        }, pretty=json_style(args)["pretty"]))
    else:
        lines.append(f"verify {spec} on {profile.id} ({profile.summary()}), {args.python}: {len(sc.files)} files")
        lines += [verification_text(r) for r in results]
        lines += [f"note: {n}" for n in notes]
    tested = any(r.status == AGREE for r in results)
    if not tested and args.format != "json":
        lines.append("nothing was tested: no installer gave an answer that could be compared")
    emit(args, "\n".join(lines))
    if any(r.status == DISAGREE for r in results):
        return 1
    return 0 if tested else EXIT_NOTHING_TESTED


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("platform", help="profile id, inline spec or uv target")
    p.add_argument("sources", nargs="*", metavar="SOURCE", help=SOURCE_HELP)
    p.add_argument("--spec", help="requirement, e.g. 'demo==1.0' (default: the project of the files)")
    p.add_argument("--python", default="cp312", help="interpreter: cp312, cp313t, pp39, cp312@3.12.1 (default cp312; "
                   "without a patch level, the local interpreter's)")
    p.add_argument("--installer", action="append", default=[], metavar="pip|uv|PATH",
                   help="pip (this Python's pip), uv (on PATH) or the path of a pip or uv executable (repeatable; "
                        "default: pip, and uv if on PATH)")
    add_format_flags(p)
    p.add_argument("--build-backend", help="accepted as in explain, so an explain command line runs as is; it "
                   "names what a real build needs and changes no choice (the dummy sdists build offline)")
    add_source_flags(p)
    p.add_argument("--run-timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"per installer run (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--format", choices=["text", "json"], default="text")
    add_json_flags(p)
    add_output_flag(p)
