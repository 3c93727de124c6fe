"""Text, JSON and Markdown renderings. Pure functions from results to strings."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .profiles import Profile
    from .tagdiff import RankChange


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=False)


def table(rows: Iterable[Sequence[Any]], headers: Sequence[str], fmt: str = "simple") -> str:
    from tabulate import tabulate  # imported when a table is drawn: it pulls in wcwidth and importlib.metadata

    return str(tabulate(list(rows), headers=list(headers), tablefmt=fmt, disable_numparse=True))


def profile_record(profile: Profile) -> dict[str, Any]:
    record: dict[str, Any] = {"id": profile.id, "os": profile.os, "arch": profile.arch}
    for key in ("libc", "python_bits", "float_abi", "api_level", "sdk", "emscripten_version",
                "pyemscripten_version"):
        value = getattr(profile, key)
        if value is not None and not (key == "python_bits" and value == 64) and not (
            key == "float_abi" and value == "hard"
        ):
            record[key] = value
    if profile.libc_version:
        record["libc_version"] = "{}.{}".format(*profile.libc_version)
    if profile.os_version:
        record["os_version"] = "{}.{}".format(*profile.os_version)
    if profile.release:  # FreeBSD: the profile file spells `uname -r` as os_version, so the record reads back
        record["os_version"] = profile.release
    if profile.rosetta:
        record["rosetta"] = True
    record["description"] = profile.description
    return record


def platforms_text(profiles: Mapping[str, Profile]) -> str:
    rows = [(p.id, p.summary(), p.description) for p in profiles.values()]
    return table(rows, ["id", "facts", "description"])


def tags_text(tags: Sequence[str], limit: int | None) -> str:
    shown = tags if limit is None else tags[:limit]
    body = table(((i, tag) for i, tag in enumerate(shown)), ["rank", "tag"])
    if limit is not None and len(tags) > limit:
        body += f"\n... {len(tags) - limit} more ({len(tags)} tags in all)"
    return body


def tag_diff_text(changes: Sequence[RankChange], name_a: str, name_b: str, limit: int | None) -> str:
    if not changes:
        return f"{name_a} and {name_b} compute the same tags in the same order."
    shown = changes if limit is None else changes[:limit]

    def cell(rank: int | None) -> str:
        return "-" if rank is None else str(rank)

    body = table(((c.tag, cell(c.rank_a), cell(c.rank_b)) for c in shown), ["tag", name_a, name_b])
    if limit is not None and len(changes) > limit:
        body += f"\n... {len(changes) - limit} more differences"
    return body + "\n('-' = not compatible for that installer; ranks count from 0 = best)"
