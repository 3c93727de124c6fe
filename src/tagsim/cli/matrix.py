"""Options of the matrix commands (`check`, `history`): rows, what-if edits, and planning from them."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from packaging.requirements import Requirement

    from ..files.filename import DistFile
    from ..report.plan import Plan


class EditAction(argparse.Action):
    """Keeps --retag/--drop/--add in command-line order: edits apply one after another."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        edits = list(getattr(namespace, "edits", None) or [])
        edits.append((option_string, values))
        namespace.edits = edits


def add_matrix_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--platform", action="append", default=[], metavar="ID",
                   help="a row platform: profile id, inline spec or uv target (repeatable; default: every profile)")
    p.add_argument("--matrix", metavar="FILE", help="your own rows: profiles, platforms, pythons, require (README)")


def plan_from_args(args: argparse.Namespace, files: Sequence[DistFile],
                   required: Sequence[str]) -> tuple[Requirement | None, Plan]:
    """The requirement, then the rows, installers and required cells (`report.plan.plan_matrix`)."""
    from ..choice.requirement import parse_spec
    from ..report.plan import load_matrix, plan_matrix
    from .options import warn_installers

    req = parse_spec(args.spec) if getattr(args, "spec", None) else None
    matrix = load_matrix(args.matrix) if args.matrix else None
    plan = plan_matrix(files, req, platforms=args.platform, pythons=args.python, installers=args.installer,
                       matrix=matrix, required=required)
    warn_installers(plan.installers)
    return req, plan
