"""What an installer family is to tagsim: one object holding everything that differs between installers.

`registry.FAMILIES` has one per installer (pip, uv, poetry, pdm). Choosing dispatches through it,
so no code elsewhere asks "is this pip?".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from packaging.requirements import Requirement
from packaging.version import Version

from ..platform.interpreter import Interpreter
from ..platform.platform_tag import PlatformTag
from ..platform.profile import Profile
from ..tags.index import TagIndex
from .flags import Flags
from .installer import Era, Installer, InstallerName
from .verdict import Verdict

Triple = tuple[str, str, str]


class Context(NamedTuple):
    """Everything one decision is about, for a family's `pick` (a NamedTuple: one is made per decision)."""

    profile: Profile
    interp: Interpreter
    installer: Installer
    project: str
    req: Requirement | None
    flags: Flags
    tag_index: TagIndex


class Pick(NamedTuple):
    """A family's answer: the chosen file (None: nothing installs), and the usable files in preference order.

    `explained`: the family already said why each usable file lost (poetry, pdm); otherwise the
    shared pip/uv wording is added when the explanation is read, with `tie_rule` for a tie. `message`
    replaces the default "no file can be installed" line when nothing is chosen.
    """

    chosen: Verdict | None
    order: list[Verdict]
    explained: bool = False
    message: str = ""
    #: How this installer broke a tie between equally ranked files, said under the losers of one.
    tie_rule: str = "build tag or listing order decided"
    #: Whether a build tag breaks a tie of the tag priority (uv before 0.2.3 ignores build tags).
    builds_compared: bool = True


@dataclass(frozen=True)
class Family:
    """One installer family: its versions and eras, its tags, its options and how it picks a file."""

    name: InstallerName
    versions: tuple[str, str]  # the modelled range; the newest is the default version
    era: Callable[[Version], Era]
    tags: Callable[[Profile, Interpreter, Era], list[Triple]]
    tag_hint: Callable[[PlatformTag, Era], str]  # why a fitting tag is missing from this era's list
    pick: Callable[[list[Verdict], Context], Pick]
    #: pip and uv take the best file of the newest usable version, so a decision made on the newest
    #: versions alone can stand for the whole listing (`decide`); poetry and pdm resolve first.
    #: Such a family is batched (`choice.batch`): its pick must read only the usable verdicts, in listing
    #: order, compare their ranks only with each other, and read neither `ctx.profile` nor `ctx.tag_index`.
    walks_files: bool = True
    #: A named --only-binary/--no-binary beats `:all:` in the other option (pip's `FormatControl`).
    name_wins: Callable[[Era], bool] = field(default=lambda era: True)
    #: The options this installer does not have, dropped before it decides (said in the docs).
    drop_flags: Callable[[Flags], Flags] = field(default=lambda flags: flags)
