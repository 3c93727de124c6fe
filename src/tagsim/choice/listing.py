"""A listing decided for many targets: what does not depend on the target is worked out once.

`check`, `history`, `stream` and lock reports decide one set of files for many (platform, Python,
installer) columns. They wrap the files in a `Listing` and pass it to every `decide`; the
project name, each file's name/version/format verdict and the newest-version windows are then
computed once per listing, not once per cell. A plain sequence of files gets a fresh `Listing`
of its own, so nothing is remembered across calls behind the caller's back.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, overload

from ..files.filename import DistFile

_MEMO_LIMIT = 256  # entries per listing: a few per (requirement, flags, installer family) in use


class Listing(Sequence[DistFile]):
    """The files, in source order (ties depend on it), and the memos of the decisions made on them."""

    __slots__ = ("files", "memo")

    def __init__(self, files: Sequence[DistFile]) -> None:
        self.files: tuple[DistFile, ...] = tuple(files)
        #: (what, ..., id(obj)...) -> (objs, value): the objects are kept, so their ids stay their own.
        self.memo: dict[tuple[Any, ...], tuple[tuple[object, ...], Any]] = {}

    @staticmethod
    def of(files: Sequence[DistFile]) -> Listing:
        return files if isinstance(files, Listing) else Listing(files)

    def remembered(self, key: tuple[Any, ...], *objs: object) -> Any:
        """The value stored for `key` and these very objects (a requirement, flags), or None.

        Objects are matched by identity: a caller deciding a listing for many targets passes the same
        requirement and flags objects each time, and hashing them would cost more than the lookup saves.
        The memo keeps the objects alive, so no other object can take their ids while an entry stands.
        """
        found = self.memo.get((*key, *map(id, objs)))
        return None if found is None else found[1]

    def remember(self, key: tuple[Any, ...], value: Any, *objs: object) -> Any:
        if len(self.memo) >= _MEMO_LIMIT:  # a caller passing new objects on every call must not grow it for ever
            self.memo.clear()
        self.memo[(*key, *map(id, objs))] = (objs, value)
        return value

    def __len__(self) -> int:
        return len(self.files)

    @overload
    def __getitem__(self, index: int) -> DistFile: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[DistFile]: ...

    def __getitem__(self, index: int | slice) -> DistFile | Sequence[DistFile]:
        return self.files[index]

    def __iter__(self) -> Iterator[DistFile]:
        return iter(self.files)
