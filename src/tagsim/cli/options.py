"""Options that several commands share: sources, choice flags, formats. The library loads when a command runs."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ..errors import TagsimError

if TYPE_CHECKING:  # the library is imported when a command runs, not when the parser is built
    from collections.abc import Iterable, Sequence

    from ..choice.flags import Flags
    from ..choice.installer import Installer
    from ..files.sources import Loaded
    from ..render.formats import Format
    from ..report.build_chain import BuildResolver


SOURCE_HELP = ("distribution filenames, a folder, a saved PEP 691 .json / PEP 503 .html page, a .txt list, "
               "or an index URL https://.../simple/NAME/")


def add_choice_flags(p: argparse.ArgumentParser, *, many_pythons: bool = False) -> None:
    p.add_argument("--spec", help="requirement, e.g. 'uv==0.1.40' or 'uv<0.2' (default: the project, newest)")
    if many_pythons:
        p.add_argument("--python", action="append", default=[], help="interpreter rows: cp311, cp313t, pp310 "
                       "(repeatable; default: the CPython versions the newest release's wheels name, else cp312)")
    else:
        p.add_argument("--python", help="interpreter: 3.12, cp312, cp313t, pp310 (default cp312; on `here`, the running Python)")
    p.add_argument("--installer", action="append", default=[], help="pip, uv, poetry, pdm, or NAME==X (repeatable)")
    add_format_flags(p)
    p.add_argument("--prefer-binary-for", action="append", default=[], metavar="NAMES",
                   help="pdm resolution.prefer-binary: only for these packages (or :all:)")
    p.add_argument("--build-backend", help="the sdist's build backend, when the sdist file is not at hand")
    p.add_argument("--no-build-isolation", action="store_true",
                   help="pip/uv: build requirements are not installed (the environment must hold them)")
    p.add_argument("--no-build-isolation-package", action="append", default=[], metavar="NAMES",
                   help="uv: no build isolation for these projects")
    p.add_argument("--no-fetch-sdist", action="store_true",
                   help="do not download the sdist a decision builds (its needs stay unknown)")


def add_format_flags(p: argparse.ArgumentParser) -> None:
    """The pip/uv options that decide which files may be chosen: every choosing command takes them."""
    p.add_argument("--prefer-binary", action="store_true", help="pip: an older wheel beats a newer sdist")
    p.add_argument("--only-binary", action="append", default=[], metavar="NAMES", help=":all:, :none: or names")
    p.add_argument("--no-binary", action="append", default=[], metavar="NAMES", help=":all:, :none: or names")
    p.add_argument("--no-build", action="store_true", help="uv: never build sdists (= --only-binary :all:)")
    p.add_argument("--pre", action="store_true", help="allow pre-releases")


def add_source_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index-url", metavar="URL", help="a PEP 503/691 index root, e.g. https://pypi.org/simple "
                   "(with --project)")
    p.add_argument("--project", metavar="NAME", help="the project to read from --index-url")
    p.add_argument("--offline", action="store_true", help="read index URLs only from tagsim's cache")
    p.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS", help="per request (default 15)")


def load_from_args(args: argparse.Namespace, sources: list[str]) -> Loaded:
    """SOURCE arguments plus `--index-url/--project`; files at hand are looked inside, warnings kept."""
    from ..files.sources import SourceKind, classify, load_sources

    if (args.index_url is None) != (args.project is None):
        raise TagsimError("--index-url and --project go together", where="--index-url" if args.index_url else "--project")
    if not 0 < args.timeout <= 86400:  # also refuses nan and inf, which sockets refuse with a traceback
        raise TagsimError("must be a positive number of seconds, at most 86400", where="--timeout")
    urls: list[str] = []
    if args.index_url:
        from ..files.remote import project_url

        urls.append(project_url(args.index_url, args.project))
    if not sources and not urls:
        raise TagsimError("give at least one SOURCE, or --index-url with --project", where="SOURCE")
    if not any(classify(source) is SourceKind.URL for source in [*sources, *urls]):
        return _kept(load_sources(sources))  # no URL: the network stack is never imported
    from ..files.fetch_options import FetchOptions

    return _kept(load_sources([*sources, *urls], FetchOptions(timeout=args.timeout, offline=args.offline)))


def _kept(loaded: Loaded) -> Loaded:
    """The loaded files live until the command ends: `gc.freeze` keeps Python's cycle collector from walking
    them (and the imported modules) again; then `collect_rarely`. Together about 40 ms of a 0.37 s history."""
    import gc

    gc.freeze()
    collect_rarely()
    return loaded


def collect_rarely() -> None:
    """What a command makes while it decides (answers, rounds, decisions, records) is kept until it ends,
    or freed by reference counting as a stream moves on; the collections found next to no cycles. So the
    youngest generation is collected every 50,000 allocations, not every 700 (cycles are still collected).
    A command's choice for its own process: the library leaves the collector alone."""
    import gc

    gc.set_threshold(50_000, 10, 10)


def resolver_from(args: argparse.Namespace, loaded: Loaded) -> BuildResolver:
    """What follows the builds of a run: the sdists to download (unless `--no-fetch-sdist`), the index root
    build requirements are looked up in (`--index-url`, else the first index URL's), a bar per download."""
    from ..files.fetch_options import FetchOptions
    from ..report.build_chain import BuildResolver, index_root
    from .progress import DownloadBar

    urls = [s for s in getattr(args, "sources", []) if s.startswith(("http://", "https://"))]
    root = args.index_url or (index_root(urls[0]) if urls else None)
    return BuildResolver(FetchOptions(timeout=args.timeout, offline=args.offline), index_url=root,
                         fetch_sdists=not args.no_fetch_sdist, local_files=loaded.files, progress=DownloadBar)


def format_flags_from(args: argparse.Namespace, **extra: Any) -> Flags:
    """`Flags` from the options `add_format_flags` declared, plus a command's own (`build_backend=...`)."""
    from ..choice.flags import Flags, parse_names

    return Flags(prefer_binary=args.prefer_binary, only_binary=parse_names(args.only_binary),
                 no_binary=parse_names(args.no_binary), no_build=args.no_build, pre=args.pre, **extra)


def flags_from(args: argparse.Namespace) -> Flags:
    from ..choice.flags import parse_names

    return format_flags_from(args, build_backend=args.build_backend,
                             prefer_binary_for=parse_names(args.prefer_binary_for),
                             no_build_isolation=args.no_build_isolation,
                             no_build_isolation_package=parse_names(args.no_build_isolation_package))


def add_json_flags(p: argparse.ArgumentParser, *, considered: bool = False) -> None:
    """`--pretty` for every command with a JSON format; `--all-considered` where cells summarise their rejections."""
    p.add_argument("--pretty", action="store_true", help="indented JSON (the default when stdout is a terminal; "
                   "else compact)")
    if considered:
        p.add_argument("--all-considered", action="store_true",
                       help="JSON: list every considered file of every cell (default: counts by reason and the "
                       "chosen version's other files; a lock file's records: none)")


def json_style(args: argparse.Namespace) -> dict[str, bool]:
    """The JSON keywords of `render` the flags ask for: indented for `--pretty`, or on a terminal (not `--output`)."""
    import sys

    to_terminal = getattr(args, "output", None) in (None, "-") and sys.stdout.isatty()
    return {"pretty": bool(getattr(args, "pretty", False)) or to_terminal,
            "all_considered": bool(getattr(args, "all_considered", False))}


def output_format(args: argparse.Namespace) -> Format:
    from ..render.formats import Format

    return Format(args.format)


def warn_installers(installers: Iterable[Installer]) -> None:
    """One line per installer newer than its family's newest modelled version (`Installer.note`)."""
    print_warnings(sorted({i.note for i in installers if i.note}))


def print_warnings(warnings: list[str]) -> None:
    import sys

    from ..render.escape import shown

    for line in warnings:
        print(f"tagsim: warning: {shown(line)}", file=sys.stderr)


def add_output_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")


def emit(args: argparse.Namespace, report_text: str) -> None:
    """The rendered report to `--output FILE` (`-` or none: stdout). The report is whole before the file opens."""
    emit_chunks(args, (report_text,))


def emit_chunks(args: argparse.Namespace, chunks: Iterable[str]) -> None:
    """`emit` for a report written in pieces (`render.formats.render_chunks`), never whole in memory."""
    import sys

    path = getattr(args, "output", None)
    if not path or path == "-":
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.write("\n")
        return
    try:
        with open(path, "w", encoding="utf-8", errors="backslashreplace") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.write("\n")
    except OSError as exc:
        raise TagsimError(f"cannot write: {exc.strerror}", where=path) from None


def pip_debug_defaults(platform: str, installers: list[str]) -> list[str]:
    """A saved `pip debug --verbose` as PLATFORM: say what was read, check it, and default to the pip that printed it."""
    from ..platform.pip_debug import load_pip_debug
    from ..platform.resolve import names_pip_debug
    from ..report.tags import pip_debug_mismatch

    if not names_pip_debug(platform):
        return installers
    debug = load_pip_debug(platform)

    notes = [f"{platform}: printed by pip {debug.pip_version} on {debug.interpreter.describe()}: "
             f"{debug.profile.summary()}" + (" (a truncated tag list: run `pip debug --verbose`)" if debug.truncated else "")]
    mismatch = pip_debug_mismatch(debug)
    print_warnings([*notes, *([mismatch] if mismatch else [])])
    return installers or [f"pip=={debug.pip_version}"]


def write_github(summary: str, annotations: Sequence[str]) -> None:
    """`--format github`: the summary to `$GITHUB_STEP_SUMMARY` (else stdout), then the annotations."""
    import os

    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if path:
        _append_summary(path, summary + "\n")
    else:
        print(summary)
    for line in annotations:
        print(line)


def _append_summary(path: str, text: str) -> None:
    """Append to `$GITHUB_STEP_SUMMARY`, a regular file on GitHub; opened without blocking, so a FIFO
    there (with no reader, opening waits for ever) is an error, not a hang. Devices (/dev/null) are fine."""
    import os
    import stat

    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK, 0o644)
    except OSError as exc:
        raise TagsimError(f"cannot append to $GITHUB_STEP_SUMMARY: {exc.strerror}", where=path) from None
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISCHR(mode)):
            raise TagsimError("cannot append to $GITHUB_STEP_SUMMARY: not a regular file (a FIFO or socket)", where=path)
        os.set_blocking(fd, True)
        with os.fdopen(fd, "a", encoding="utf-8", errors="backslashreplace", closefd=False) as handle:
            handle.write(text)
    except OSError as exc:
        raise TagsimError(f"cannot append to $GITHUB_STEP_SUMMARY: {exc.strerror}", where=path) from None
    finally:
        os.close(fd)
