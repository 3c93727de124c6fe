"""The requirement being installed (`--spec`), parsed once, with the pin rule the installers share."""

from __future__ import annotations

from functools import lru_cache

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name

from ..errors import TagsimError

ANY_VERSION = SpecifierSet()


def parse_spec(text: str) -> Requirement:
    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        raise TagsimError(f"invalid requirement {text!r}: {str(exc).splitlines()[0]}", where="--spec") from None
    if req.url:
        raise TagsimError(f"{text!r}: URL requirements are not modelled", where="--spec")
    try:
        for spec in req.specifier:
            spec.contains("0", prereleases=True)  # parses its version now (ValueError past 4300 digits)
    except ValueError:
        raise TagsimError(f"invalid requirement {text[:60]!r}{'...' if len(text) > 60 else ''}: a version is too long",
                          where="--spec") from None
    return req


def is_pinned(req: Requirement | None) -> bool:
    """pip `is_pinned` / uv exact-pin: `===`, or `==` without a wildcard."""
    if req is None:
        return False
    return any(s.operator == "===" or (s.operator == "==" and not s.version.endswith(".*")) for s in req.specifier)


@lru_cache(maxsize=1024)
def canonical(name: str) -> NormalizedName:
    return canonicalize_name(name)
