"""Is a wheel compatible, and at which priority; if not, why not. One evaluation for both.

Like uv's `Tags::compatibility`: a lookup built once per (platform, interpreter,
installer) answers either a rank (0 = best) or the component that failed,
and the human detail is derived from the typed tags, not from string matching.
The index knows no installer by name: it is given the ordered tags, a label for messages, and
the installer family's hint for an otherwise-fitting tag it lacks (`tagsim.choice.registry`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from packaging.tags import Tag

from ..platform.interpreter import Interpreter
from ..platform.platform_tag import PlatformTag, parse_platform_tag
from ..platform.profile import Profile
from ..text_enum import TextEnum

_PY = re.compile(r"^(cp|pp|py|graalpy|ip|jy|pt)(\d)(\d{0,4})$")  # longer digit runs are no Python (and no int)
_IMPL = {"cp": "CPython", "pp": "PyPy", "graalpy": "GraalPy", "py": "Python", "ip": "IronPython", "jy": "Jython",
         "pt": "Pyston"}


@dataclass(frozen=True)
class Compatible:
    rank: int
    tag: str  # the best matching tag of the wheel


class TagMismatch(TextEnum):
    """Which part of a wheel's tags failed, checked platform first (as uv's `IncompatibleTag` ranks them)."""

    PLATFORM = "platform"
    PYTHON = "python"
    ABI = "abi"


@dataclass(frozen=True)
class Incompatible:
    category: TagMismatch
    detail: str


@dataclass(frozen=True)
class TagIndex:
    """The precomputed tag -> rank lookup for one (platform, interpreter, installer)."""

    profile: Profile
    interp: Interpreter
    label: str  # the installer spec, for messages: `pip==26.3`
    hint: Callable[[PlatformTag], str]  # the installer family's era hint for a fitting tag it lacks
    tags: tuple[str, ...]
    ranks: dict[str, int]
    #: tag set -> its answer. Files of one index share a few thousand tag sets (and parsed files with the
    #: same tag string share one frozenset object), so each set is evaluated once per lookup table.
    _memo: dict[frozenset[Tag], Compatible | Incompatible] = field(default_factory=dict, compare=False, repr=False)

    # The parts of the tags, for saying why a wheel does not fit (worked out when first asked).

    @cached_property
    def _triples(self) -> list[list[str]]:
        return [t.split("-") for t in self.tags]

    @cached_property
    def pythons(self) -> frozenset[str]:
        return frozenset(p for p, _, _ in self._triples)

    @cached_property
    def abis(self) -> frozenset[str]:
        return frozenset(a for _, a, _ in self._triples)

    @cached_property
    def platforms(self) -> frozenset[str]:
        return frozenset(p for _, _, p in self._triples)

    @cached_property
    def pairs(self) -> frozenset[tuple[str, str]]:
        return frozenset((p, a) for p, a, _ in self._triples)

    @cached_property
    def fitting_platform(self) -> str | None:
        """The most portable platform tag that fits here, for "a wheel tagged X would fit" hints."""
        return fitting_platform_of(self.tags)

    @property
    def sdist_rank(self) -> int:
        """pip gives an sdist `-len(supported_tags)`: worse than any compatible wheel."""
        return len(self.tags)

    def rank_of(self, tags: frozenset[Tag]) -> int | None:
        best: int | None = None
        for tag in tags:
            rank = self.ranks.get(str(tag))
            if rank is not None and (best is None or rank < best):
                best = rank
        return best

    def evaluate(self, tags: frozenset[Tag]) -> Compatible | Incompatible:
        result = self._memo.get(tags)
        if result is None:
            best = self.rank_of(tags)
            result = Compatible(best, self.tags[best]) if best is not None else self._why_not(tags)
            if len(self._memo) < _MEMO_LIMIT:
                self._memo[tags] = result
        return result

    # --- why not -------------------------------------------------------------------------

    def _why_not(self, tags: frozenset[Tag]) -> Incompatible:
        ordered = sorted(tags, key=str)
        if not any(t.platform in self.platforms for t in ordered):
            details = dict.fromkeys(self._platform_detail(parse_platform_tag(t.platform)) for t in ordered)
            return Incompatible(TagMismatch.PLATFORM, "; ".join(details))
        fitting = [t for t in ordered if t.platform in self.platforms]
        if not any(t.interpreter in self.pythons for t in fitting):
            details = dict.fromkeys(self._python_detail(t) for t in fitting)
            return Incompatible(TagMismatch.PYTHON, "; ".join(details))
        fitting = [t for t in fitting if t.interpreter in self.pythons]
        details = dict.fromkeys(self._abi_detail(t) for t in fitting)
        return Incompatible(TagMismatch.ABI, "; ".join(details))

    def _python_detail(self, tag: Tag) -> str:
        target = self.interp.describe()
        m = _PY.match(tag.interpreter)
        if not m:
            return f"unknown interpreter tag {tag.interpreter!r}, target is {target}"
        impl, major, minor = _IMPL.get(m[1], m[1]), m[2], m[3]
        version = f"{major}.{minor}" if minor else major
        if m[1] != "py" and m[1] != self.interp.implementation:
            return f"needs {impl} {version}, target is {target}"
        if major != str(self.interp.major):
            return f"needs Python {major}, target is {target}"
        if tag.abi in ("abi3", "abi3t") and minor and int(minor) > self.interp.minor:
            return f"{tag.abi} wheel for {impl} {version}+, target is {target}"
        return f"needs {impl} {version}, target is {target}"

    def _abi_detail(self, tag: Tag) -> str:
        interp = self.interp
        target = interp.describe()
        if tag.abi == "abi3" and interp.free_threaded:
            return f"abi3 wheel, target is free-threaded {interp.tag} (abi3 needs the GIL)"
        if tag.abi == "abi3t" and not interp.free_threaded:
            return f"abi3t (free-threaded stable ABI) wheel, target is {target}"
        if tag.abi == "abi3t":
            return f"abi3t wheel, {self.label} does not accept abi3t"
        if tag.abi.startswith("cp") and interp.free_threaded and not tag.abi.endswith("t"):
            return f"{tag.abi} ABI, target is free-threaded {interp.tag}"
        if tag.abi.startswith("cp") and tag.abi.rstrip("dmu").endswith("t") and not interp.free_threaded:
            return f"{tag.abi} (free-threaded) ABI, target is {target}"
        if (tag.interpreter, tag.abi) in self.pairs:
            return f"{tag} is not in {self.label}'s list for this platform"
        if tag.abi == "none" and tag.interpreter.startswith("cp"):
            return f"{tag.interpreter}-none is accepted only for the running version, target is {target}"
        if tag.abi == "none":
            return f"{tag.interpreter}-none is not accepted by {self.label} for {target}"
        return f"{tag.abi} ABI, target is {target} ({interp.abi})"

    def _platform_detail(self, plat: PlatformTag) -> str:
        profile, spec = self.profile, self.label
        os_name = plat.os_name()
        if plat.family == "other":
            return f"unknown platform tag {plat.text!r}"
        if os_name != profile.os:
            return f"{_OS_NAME.get(os_name, os_name)} wheel ({plat.text}), platform is {_OS_NAME[profile.os]}"
        arch = _effective_arch(profile)
        if plat.family in ("manylinux", "musllinux", "linux") and plat.arch not in _linux_arches(arch):
            extra = " (32-bit userland)" if profile.python_bits == 32 else ""
            return f"{plat.arch} wheel, platform is {arch}{extra}"
        if plat.family in ("manylinux", "musllinux"):
            assert plat.version is not None
            libc = "glibc" if plat.family == "manylinux" else "musl"
            if profile.libc != libc:
                return _WRONG_LIBC[plat.family]
            libc_version = profile.libc_version
            assert libc_version is not None
            if plat.version > libc_version:
                return (f"needs {libc} {plat.version[0]}.{plat.version[1]}, "
                        f"platform has {libc_version[0]}.{libc_version[1]}")
            if plat.arch == "armv7l" and profile.float_abi == "soft":
                return "armv7l wheel needs hard-float (armhf), platform is soft-float"
            return f"{spec} does not accept {plat.text} here{self.hint(plat)}"
        if plat.family == "macos":
            assert plat.version is not None and profile.os_version is not None
            have = f"macOS {profile.os_version[0]}.{profile.os_version[1]}"
            if plat.version > profile.os_version:
                return f"macOS {plat.version[0]}.{plat.version[1]} wheel, platform is {have}"
            if plat.version[0] >= 11 and plat.version[1] != 0:
                return (f"macOS {plat.version[0]}.{plat.version[1]}: installers only generate X.0 tags "
                        "for macOS 11+ (pypa/packaging#578)")
            if plat.arch == "arm64" and profile.arch == "x86_64":
                ros = " under Rosetta 2" if profile.rosetta else ""
                return f"arm64 wheel, platform runs an x86_64 Python{ros} (universal2 would fit)"
            if plat.arch == "x86_64" and profile.arch == "arm64":
                return "x86_64 wheel, platform is arm64 (universal2 would fit)"
            return f"{spec} does not accept {plat.text} on {have}"
        if plat.family == "windows" and plat.arch != profile.arch:
            names = {"x86": "32-bit (win32)", "amd64": "64-bit (amd64)", "arm64": "ARM64"}
            return (f"{names.get(plat.arch or '', plat.arch)} Windows wheel, "
                    f"platform is {names.get(profile.arch, profile.arch)} Python")
        if plat.family == "android" and plat.version and profile.api_level and plat.version[0] > profile.api_level:
            return f"needs Android API {plat.version[0]}, platform has {profile.api_level}"
        if plat.family == "ios" and plat.version and profile.os_version and plat.version > profile.os_version:
            return f"needs iOS {plat.version[0]}.{plat.version[1]}, platform is iOS {profile.os_version[0]}." \
                   f"{profile.os_version[1]}"
        return f"{spec} does not accept {plat.text} on {profile.id}"


_MEMO_LIMIT = 1 << 16  # distinct tag sets remembered per lookup table (memory stays bounded on any input)
_WRONG_LIBC = {"manylinux": "manylinux (glibc) wheel, platform uses musl",
               "musllinux": "musllinux wheel is for musl, platform uses glibc"}
_OS_NAME = {"linux": "Linux", "macos": "macOS", "windows": "Windows", "ios": "iOS", "android": "Android",
            "emscripten": "Emscripten", "freebsd": "FreeBSD", "other": "other"}


def _effective_arch(profile: Profile) -> str:
    if profile.python_bits == 32:
        return {"x86_64": "i686", "aarch64": "armv8l"}[profile.arch]
    return profile.arch


def _linux_arches(arch: str) -> tuple[str, ...]:
    return ("armv8l", "armv7l") if arch == "armv8l" else (arch,)


def build_index(profile: Profile, interp: Interpreter, tags: tuple[str, ...], *, label: str,
                hint: Callable[[PlatformTag], str]) -> TagIndex:
    """The lookup for one ordered tag list (index 0 is the best; a repeated tag keeps its best rank)."""
    count = len(tags)
    return TagIndex(profile=profile, interp=interp, label=label, hint=hint, tags=tags,
                    ranks=dict(zip(reversed(tags), range(count - 1, -1, -1), strict=True)))


def fitting_platform_of(tags: tuple[str, ...]) -> str | None:
    """The most portable platform tag family that still fits, at this machine's own level."""
    plats = [t.split("-", 2)[2] for t in tags]
    seen = list(dict.fromkeys(p for p in plats if p != "any"))
    best = next((p for p in seen if not p.startswith("linux_")), seen[0] if seen else None)
    if best is None:
        return None
    if best.startswith(("manylinux_", "musllinux_", "macosx_", "android_", "ios_")):
        return f"{best} or lower"
    return best
