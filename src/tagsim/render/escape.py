"""What came from the outside, made safe to print: one line, control characters shown escaped, long text cut.

Filenames, yank reasons, Requires-Python, project names, URLs and build backends come from pages,
folders and archives that anyone can write. In text, Markdown and GitHub output each is passed
through `shown`, so no input can add a line of its own (a forged decision, or a `::error::` workflow
command in CI) or flood the output (a yank reason of a million lines). JSON escapes by itself.
"""

from __future__ import annotations

from ..errors import one_line

#: Longest text from the outside shown whole; past it the text is cut, and its length said.
LIMIT = 1000


def shown(text: object, limit: int | None = LIMIT) -> str:
    """`text` on one line (newlines, escapes and other control characters as `\\n`, `\\x1b`...), cut at `limit`."""
    line = one_line(str(text))
    if limit is not None and len(line) > limit:
        return f"{line[:limit]}... ({len(line)} characters)"
    return line
