"""`tagsim explain`: the decisions of several installers for one platform and interpreter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from packaging.requirements import Requirement

from ..choice.decide import decide
from ..choice.decision import Decision
from ..choice.flags import Flags
from ..choice.installer import Installer
from ..choice.registry import default_installers
from ..files.filename import DistFile
from ..platform.interpreter import Interpreter
from ..platform.profile import Profile


@dataclass(frozen=True)
class Explanation:
    profile: Profile
    interp: Interpreter
    decisions: tuple[Decision, ...]


def explain(profile: Profile, interp: Interpreter, files: Sequence[DistFile], *, req: Requirement | None = None,
            installers: Sequence[Installer] = (), flags: Flags | None = None) -> Explanation:
    """One decision per installer (default: the newest pip and uv); `files` may be a shared `Listing`."""
    chosen = list(installers) or default_installers()
    return Explanation(profile, interp, tuple(decide(profile, interp, i, files, req, flags) for i in chosen))
