"""tagsim's own error type: every bad input ends here, never in a traceback."""

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


class ProfileError(TagsimError):
    """A platform profile (file entry or inline spec) is malformed."""


class InterpreterError(TagsimError):
    """A `--python` value is not an interpreter tagsim knows."""


class InstallerError(TagsimError):
    """An installer spec names an unknown installer or an unmodelled version."""


class NotModelledError(TagsimError):
    """The combination exists but tagsim does not model it; it says why instead of guessing."""
