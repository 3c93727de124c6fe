"""The command line. Thin: parse arguments, call the library, render, map errors to exit codes.

`COMMANDS` is the registry (like pip's `commands_dict`): a command's module is imported only
when that command runs (or its own `--help` is asked), so `tagsim --help` and a bad flag answer
at once. Each command module has `register(parser)` and `run(args) -> exit code`.
May import: everything below it; nothing imports it.
"""

from __future__ import annotations

import argparse
import errno
import io
import os
import signal
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import Any, NamedTuple, NoReturn

from ..errors import EXIT_BAD_INPUT, TagsimError


class CommandInfo(NamedTuple):
    module: str
    summary: str


COMMANDS: dict[str, CommandInfo] = {
    "platforms": CommandInfo("platforms", "list the platform profiles"),
    "tags": CommandInfo("tags", "the ordered compatible tags an installer computes on a platform"),
    "explain": CommandInfo("explain", "which file each installer chooses on a platform, and why"),
    "verify": CommandInfo("verify", "check tagsim's choice against the real pip/uv on a throwaway offline index"),
    "check": CommandInfo("check", "coverage matrix of a release: wheel, sdist or nothing, per platform/installer"),
    "history": CommandInfo("history", "coverage of every release of a project, and the regressions"),
    "stream": CommandInfo("stream", "JSON lines: the choice for every project of a streamed file list"),
    "completion": CommandInfo("completion", "a bash, zsh or fish completion script for commands and platform ids"),
}


def _columns() -> int:
    """The terminal's width as `shutil.get_terminal_size` gives it ($COLUMNS, else stdout's terminal, else 80)."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Formatter(argparse.HelpFormatter):
    """argparse's own formatter, told the width argparse would work out itself, without importing `shutil`
    (which loads zlib, bz2 and lzma): argparse makes a formatter for every option it registers."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, _columns() - 2 if width is None else width)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 2, like every other bad input."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise TagsimError(message)


def _command_in(argv: Sequence[str]) -> str | None:
    """The command the arguments name: the first word that is not an option."""
    return next((a for a in argv if not a.startswith("-")), None)


class _Version(argparse.Action):
    """`tagsim --version`: the version and the installer versions modelled (read only when asked)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print tagsim's version and the installer versions it models")

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        from importlib.metadata import PackageNotFoundError, version

        from ..choice.registry import FAMILIES

        try:
            installed = version("tagsim")
        except PackageNotFoundError:  # run from a source tree that was never installed
            installed = "(not installed)"

        ranges = ", ".join(f"{f.name} {f.versions[0]} to {f.versions[1]}" for f in FAMILIES.values())
        print(f"tagsim {installed}\nmodels {ranges}")
        parser.exit()


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; only the command `argv` names gets its options (all of them, when `argv` is None)."""
    parser = _Parser(prog="tagsim", description="Which distribution file does an installer choose on a given "
                                                "platform, and why.")
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    wanted = _command_in(argv) if argv is not None else None
    for name, info in COMMANDS.items():
        p = sub.add_parser(name, help=info.summary)
        if argv is None or name == wanted:
            module = import_module(f".{info.module}", __name__)
            module.register(p)
            p.set_defaults(func=module.run)
    return parser


#: Errors of writing the answer (a full disk, a quota, a broken device), said as `stdout: ...`.
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush of what could not be written stays quiet."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    if getattr(signal.getsignal(signal.SIGINT), "__module__", None) == "tagsim.__main__":
        signal.signal(signal.SIGINT, signal.default_int_handler)  # from here on, `except KeyboardInterrupt`
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            # A filename with lone surrogates (an undecodable name in a folder, a JSON "\ud800"), or an
            # ASCII-only terminal, must not turn an answer into an encoding traceback.
            stream.reconfigure(errors="backslashreplace")
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser(args_list).parse_args(args_list)
        code: int = args.func(args)
        sys.stdout.flush()  # here, not at exit: a full disk must be an error line, not a traceback
        return code
    except TagsimError as exc:
        print(f"tagsim: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except OSError as exc:
        if exc.errno not in _OUTPUT_ERRNOS:
            return _internal_error(exc)
        _drop_stdout()
        print(f"tagsim: error: stdout: {exc.strerror}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("tagsim: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        return _internal_error(exc)


def _internal_error(exc: BaseException) -> int:
    print(f"tagsim: internal error: {exc.__class__.__name__}: {exc} (please report this)", file=sys.stderr)
    return EXIT_BAD_INPUT
