"""`tagsim explain`: the decisions of several installers for one platform and interpreter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from packaging.requirements import Requirement

from ..choice.decide import decide
from ..choice.decision import Decision
from ..choice.flags import Flags
from ..choice.installer import Installer
from ..choice.registry import default_installers
from ..files.filename import DistFile
from ..platform.interpreter import Interpreter
from ..platform.profile import Profile

if TYPE_CHECKING:
    from .build_chain import BuildResolver


@dataclass(frozen=True)
class Explanation:
    profile: Profile
    interp: Interpreter
    decisions: tuple[Decision, ...]


def explain(profile: Profile, interp: Interpreter, files: Sequence[DistFile], *, req: Requirement | None = None,
            installers: Sequence[Installer] = (), flags: Flags | None = None,
            builds: BuildResolver | None = None) -> Explanation:
    """One decision per installer (default: the newest pip and uv); `files` may be a shared `Listing`.
    With `builds`, an sdist decision gets its needs read from the sdist and its build chain followed."""
    chosen = list(installers) or default_installers()
    decisions = (decide(profile, interp, i, files, req, flags) for i in chosen)
    if builds is not None:
        decisions = (builds.complete(d, profile, interp, flags) for d in decisions)
    return Explanation(profile, interp, tuple(decisions))
