"""`TextEnum`: an enum whose members are their text, in f-strings, `str()` and JSON alike.

tagsim supports Python 3.10, which has no `enum.StrEnum`; a plain `(str, Enum)` formats as
`Reason.YANKED` on some versions, and outcomes and reasons are printed and written to JSON.
May import nothing of tagsim.
"""

from __future__ import annotations

from enum import Enum


class TextEnum(str, Enum):
    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)
