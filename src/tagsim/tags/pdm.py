"""pdm's wheel compatibility: dep_logic's score, not a packaging tag list.

pdm 2.17+ ranks wheels with dep_logic `EnvSpec.wheel_compatibility` (dep-logic 0.7.2,
`dep_logic/tags/tags.py` `EnvSpec._evaluate_python` / `_evaluate_platform` / `compatibility`, and
`dep_logic/tags/platform.py` `Platform.compatible_tags`), a port of uv's early tag code. A wheel
scores `(python major, python minor, ABI kind, platform score)`: ABI kind is 2 for the
interpreter's own ABI, 1 for abi3, 0 for `none`; the platform score is the position from the end
of `compatible_tags + ["any"]`. The highest score wins, so the Python minor outranks the ABI and the
platform (`py312-none-any` beats `cp310-abi3-manylinux_2_17_x86_64`), and `linux_<arch>` comes
after every manylinux tag but before `any`.

`pdm_tags` lists every tag dep_logic accepts on a profile, best score first, so that tagsim's tag
index can say why a wheel does not fit; `score` gives the score the ranking compares.
"""

from __future__ import annotations

from ..errors import NotModelledError
from ..platform.interpreter import Interpreter
from ..platform.profile import Profile

Triple = tuple[str, str, str]
Score = tuple[int, int, int, int]

# dep_logic `Arch.get_minimum_manylinux_minor`
_MANYLINUX_FLOOR = {"aarch64": 17, "armv7l": 17, "ppc64": 17, "ppc64le": 17, "s390x": 17, "riscv64": 17,
                    "x86_64": 5}


def _mac_formats(arch: str) -> list[str]:
    """dep_logic `Arch.get_mac_binary_formats`."""
    if arch == "arm64":
        return ["arm64", "universal2"]
    return ["x86_64", "intel", "fat64", "fat32", "universal2", "universal"]


def pdm_platforms(profile: Profile) -> list[str]:
    """dep_logic `Platform.compatible_tags` for the platform `Platform.current()` reports, best first."""
    arch = profile.arch
    if profile.python_bits == 32 or (profile.os == "linux" and arch == "i686"):
        # dep_logic `Arch.parse("i686")` is `x86`, so it writes `manylinux_2_5_x86`, `linux_x86`.
        raise NotModelledError("pdm (dep_logic) on 32-bit x86/ARM Linux is not modelled")
    if profile.os == "linux":
        if profile.musl is not None:
            # `linux_<arch>` first, then musllinux_1_1 upwards (ascending): the musl order uv had before #19804.
            return [f"linux_{arch}", *(f"musllinux_1_{m}_{arch}" for m in range(1, profile.musl[1] + 1))]
        assert profile.glibc is not None
        tags: list[str] = []
        floor = _MANYLINUX_FLOOR.get(arch)
        if floor is not None:
            for minor in range(profile.glibc[1], floor - 1, -1):
                tags.append(f"manylinux_2_{minor}_{arch}")
                legacy = {12: "manylinux2010", 17: "manylinux2014", 5: "manylinux1"}.get(minor)
                if legacy:
                    tags.append(f"{legacy}_{arch}")
        return [*tags, f"linux_{arch}"]
    if profile.os == "windows":
        names = {"amd64": "win_amd64", "x86": "win32", "arm64": "win_arm64"}
        if arch not in names:
            raise NotModelledError(f"pdm on Windows {arch} is not modelled")
        return [names[arch]]
    if profile.os == "macos" and arch in ("x86_64", "arm64"):
        assert profile.os_version is not None
        major, minor = profile.os_version
        formats = _mac_formats(arch)
        tags = []
        if major == 10:
            for m in range(minor, 3, -1):
                tags += [f"macosx_10_{m}_{f}" for f in formats]
        else:
            for big in range(major, 10, -1):
                tags += [f"macosx_{big}_0_{f}" for f in formats]
            low = formats if arch == "x86_64" else ["universal2"]
            for m in range(16, 3, -1):
                tags += [f"macosx_10_{m}_{f}" for f in low]
        return tags
    raise NotModelledError(f"pdm on {profile.os} ({profile.id}) is not modelled (Linux, Windows and macOS are)")


def python_score(py: str, abi: str, target_minor: int, *, implementation: str | None = "cp",
                 gil_disabled: bool = False) -> tuple[int, int, int] | None:
    """dep_logic `EnvSpec._evaluate_python` for a target of Python 3.`target_minor` (any patch level).

    `implementation=None` is pdm's lock target (`allow_all_spec`): any implementation, no platform.
    """
    impl, major, minor = py[:2], py[2:3], py[3:]
    if implementation is not None and impl not in (implementation, "py"):
        return None
    abi_impl = abi.split("_", 1)[0].replace("pypy", "pp").replace("pyston", "pt").lower()
    if not major.isdigit() or (minor and not minor.isdigit()):
        return None  # dep_logic: InvalidSpecifier -> None
    major_n, minor_n = int(major), int(minor or 0)
    if abi_impl == "abi3":
        if impl != "cp" or (implementation is not None and gil_disabled):
            return None
        # `>=major.minor` must meet `==3.target.*`
        return (major_n, minor_n, 1) if (major_n, minor_n) <= (3, target_minor) else None
    if abi_impl != "none":
        if not abi_impl.startswith(py.lower()):
            return None
        if implementation is not None and abi_impl.endswith("t") is not gil_disabled:
            return None
    if minor:
        if (major_n, minor_n) != (3, target_minor):
            return None
    elif major_n != 3:
        return None
    return (major_n, minor_n, 0 if abi_impl == "none" else 2)


def _python_pairs(interp: Interpreter) -> list[tuple[str, str]]:
    """Every (python, abi) pair dep_logic accepts for this CPython (abi3 from cp3 to cp3Y)."""
    own = f"cp{interp.major}{interp.minor}"
    pairs = [(own, interp.abi)]
    if not interp.free_threaded:
        pairs += [(f"cp3{m}", "abi3") for m in range(interp.minor, -1, -1)] + [("cp3", "abi3")]
    pairs += [(own, "none"), (f"py3{interp.minor}", "none"), ("py3", "none"), ("cp3", "none")]
    return pairs


def check_interpreter(interp: Interpreter) -> None:
    if interp.implementation != "cp" or interp.major != 3:
        raise NotModelledError(f"pdm is modelled for CPython 3 only, not {interp.describe()}")


def pdm_tags(profile: Profile, interp: Interpreter) -> list[Triple]:
    """All tags dep_logic accepts here, the best score first (ties in a fixed order)."""
    check_interpreter(interp)
    plats = [*pdm_platforms(profile), "any"]
    scored: list[tuple[Score, int, Triple]] = []
    for py, abi in _python_pairs(interp):
        key = python_score(py, abi, interp.minor, gil_disabled=interp.free_threaded)
        if key is None:
            continue
        for index, plat in enumerate(plats):
            scored.append(((*key, len(plats) - index), len(scored), (py, abi, plat)))
    scored.sort(key=lambda item: (tuple(-k for k in item[0]), item[1]))
    return [triple for _, _, triple in scored]


def score(tag: str, profile: Profile, interp: Interpreter) -> Score:
    """The score of one accepted tag (`py-abi-plat`)."""
    py, abi, plat = tag.split("-")
    key = python_score(py, abi, interp.minor, gil_disabled=interp.free_threaded)
    assert key is not None, tag
    plats = [*pdm_platforms(profile), "any"]
    return (*key, len(plats) - plats.index(plat))
