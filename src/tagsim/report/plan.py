"""Which rows, Pythons, installers and required cells a `check` or `history` run has.

From the flags, a `--matrix FILE` and the files themselves: the planning the CLI used to do, as a
library call, so a notebook or a test plans a matrix exactly as `tagsim check` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from ..choice.installer import Installer
from ..choice.registry import default_installers, parse_installer
from ..errors import ProfileError, TagsimError, read_json_file
from ..files.filename import DistFile, projects_in
from ..platform.interpreter import Interpreter, parse_python
from ..platform.profile import Profile
from ..platform.profile_file import bundled_profiles, parse_profiles_document
from ..platform.resolve import resolve_platform
from .check import Required, Row, build_rows, default_pythons, parse_required


@dataclass(frozen=True)
class MatrixFile:
    """`--matrix FILE`: a project's own rows. See the README for the schema."""

    profiles: tuple[Profile, ...]
    pythons: tuple[Interpreter, ...] = ()
    required: tuple[str, ...] = ()


_MATRIX_KEYS = {"schema_version", "profiles", "platforms", "pythons", "require"}


def load_matrix(path: str) -> MatrixFile:
    document = read_json_file(path, ProfileError, "matrix file")
    if not isinstance(document, dict):
        raise ProfileError("expected a JSON object", where=path)
    unknown = sorted(set(document) - _MATRIX_KEYS)
    if unknown:
        raise ProfileError(f"unknown key {unknown[0]!r} (expected {', '.join(sorted(_MATRIX_KEYS))})", where=path)
    profiles: list[Profile] = []
    if "profiles" in document:
        profiles += parse_profiles_document({"profiles": document["profiles"]}, source=path).values()
    platforms = document.get("platforms", [])
    if not isinstance(platforms, list) or not all(isinstance(p, str) for p in platforms):
        raise ProfileError("'platforms' must be a list of profile ids or inline specs", where=path)
    own = {p.id: p for p in profiles}
    for spec in platforms:
        profile = resolve_platform(spec, {**bundled_profiles(), **own})
        if profile.id in {p.id for p in profiles}:
            raise ProfileError(f"platform {profile.id!r} is listed twice", where=path)
        profiles.append(profile)
    if not profiles:
        raise ProfileError("the matrix has no 'profiles' and no 'platforms'", where=path)
    pythons = document.get("pythons", [])
    if not isinstance(pythons, list) or not all(isinstance(p, str) for p in pythons):
        raise ProfileError("'pythons' must be a list like [\"cp311\", \"cp312\"]", where=path)
    required = document.get("require", [])
    if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
        raise ProfileError("'require' must be a list like [\"linux-aarch64-glibc2.17:cp312\"]", where=path)
    try:
        interps = tuple(parse_python(p) for p in pythons)
    except TagsimError as exc:
        raise ProfileError(exc.message, where=f"{path} pythons") from None
    return MatrixFile(tuple(profiles), interps, tuple(required))


def project_of(files: Sequence[DistFile], req: Requirement | None) -> str | None:
    if req is not None:
        return canonicalize_name(req.name)
    names = projects_in(files)
    return names[0] if len(names) == 1 else None


_T = TypeVar("_T")


def unique(items: Iterable[_T], key: Callable[[_T], object]) -> list[_T]:
    """The items in order, a repeated one (same key) kept once: a repeated flag must not inflate counts."""
    return list({key(item): item for item in items}.values())


@dataclass(frozen=True)
class Plan:
    """What a matrix run decides: its rows (platform x Python), installer columns and required cells."""

    rows: tuple[Row, ...]
    installers: tuple[Installer, ...]
    required: tuple[Required, ...]


def plan_matrix(files: Sequence[DistFile], req: Requirement | None, *, platforms: Sequence[str] = (),
                pythons: Sequence[str] = (), installers: Sequence[str] = (), matrix: MatrixFile | None = None,
                required: Sequence[str] = ()) -> Plan:
    """Rows from `--platform` (else the matrix file's, else every bundled profile) x the Pythons (`--python`,
    else the matrix file's, else those the newest release's wheels name); a required cell adds its row."""
    known = {**bundled_profiles(), **({p.id: p for p in matrix.profiles} if matrix else {})}
    profiles: list[Profile]
    if platforms:
        profiles = []
        for spec in platforms:
            profile = resolve_platform(spec, known)
            if profile.id not in {p.id for p in profiles}:
                profiles.append(profile)
    else:
        profiles = list(matrix.profiles) if matrix else list(bundled_profiles().values())
    wanted: list[Required] = []
    for text in [*(matrix.required if matrix else ()), *required]:
        item, profile = parse_required(text, known)
        wanted.append(item)
        if profile.id not in {p.id for p in profiles}:
            profiles.append(profile)
    interps: list[Interpreter]
    if pythons:
        interps = unique((parse_python(p) for p in pythons), lambda i: i.tag)
    elif matrix and matrix.pythons:
        interps = unique(matrix.pythons, lambda i: i.tag)
    else:
        chosen = [f for f in files if req is None or (f.version is not None and req.specifier.contains(f.version, True))]
        interps = default_pythons(chosen, project_of(files, req))
    for item in wanted:
        if item.python and item.python not in {p.tag for p in interps}:
            interps.append(parse_python(item.python))
            interps.sort(key=lambda i: (i.implementation, i.major, i.minor, i.free_threaded))
    columns = unique((parse_installer(i) for i in installers), lambda i: i.spec) or default_installers()
    return Plan(build_rows(profiles, interps), tuple(columns), tuple(wanted))
