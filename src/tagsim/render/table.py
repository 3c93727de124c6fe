"""Tables through tabulate, loaded only when a table is drawn."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def table(rows: Iterable[Sequence[Any]], headers: Sequence[str], fmt: str = "simple") -> str:
    from tabulate import tabulate  # imported when a table is drawn: it pulls in wcwidth and importlib.metadata

    return str(tabulate(list(rows), headers=list(headers), tablefmt=fmt, disable_numparse=True))
