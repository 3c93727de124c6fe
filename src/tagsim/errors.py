"""tagsim's one error hierarchy: every bad input ends here, never in a traceback.

Each error is one line naming where (`--python`, a file, a URL) and what. May import nothing of tagsim.
"""

from __future__ import annotations

#: Exit codes of the CLI (documented in the README).
EXIT_OK = 0
EXIT_FAILED_REQUIREMENT = 1
EXIT_BAD_INPUT = 2


class TagsimError(Exception):
    """A user-facing problem with the input: one line, naming what and where."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(one_line(f"{where}: {message}" if where else message))


def one_line(text: str) -> str:
    """The error contract is one line: control characters from the input (a newline in a path, a key or a
    filename) are shown escaped, as repr() would, instead of breaking the line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def clipped(text: str, limit: int = 80) -> str:
    """An input quoted in an error message, cut past `limit` characters with its length said."""
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}... ({len(text)} characters)"


class ProfileError(TagsimError):
    """A platform profile (file entry or inline spec) is malformed."""


class InterpreterError(TagsimError):
    """A `--python` value is not an interpreter tagsim knows."""


class InstallerError(TagsimError):
    """An installer spec names an unknown installer or an unmodelled version."""


class NotModelledError(TagsimError):
    """The combination exists but tagsim does not model it; it says why instead of guessing."""


class SourceError(TagsimError):
    """A source cannot be read at all (a whole folder or page, not one file in it)."""


class FetchError(TagsimError):
    """An index page could not be fetched or is not an index page."""


class EditError(TagsimError):
    """A what-if edit is malformed or matches nothing."""


def read_json_file(path: str, error: type[TagsimError], what: str) -> object:
    """A JSON file read whole, every failure one line of `error` naming the file."""
    from pathlib import Path

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, ValueError) as exc:  # ValueError: undecodable bytes, or a NUL in the path
        raise error(f"cannot read {what}: {exc.__class__.__name__}", where=path) from None
    return loads_json(text, error, where=path)


def loads_json(text: str, error: type[TagsimError], *, where: str) -> object:
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(f"invalid JSON at line {exc.lineno} column {exc.colno}", where=where) from None
    except (ValueError, RecursionError) as exc:  # an integer over 4300 digits; arrays nested past the stack
        raise error(f"unreadable JSON ({exc.__class__.__name__}: {str(exc).split(':')[0]})", where=where) from None
