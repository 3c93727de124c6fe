"""The interpreter axis (`--python`): CPython, free-threaded CPython, PyPy, GraalPy.

An interpreter decides the first two parts of every tag: the interpreter tag
(`cp312`) and its own ABI tag (`cp312`, `cp313t`, `cp37m`, `pypy310_pp73`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InterpreterError

#: PyPy and GraalPy release that ships each Python minor; the ABI tag embeds it.
#: PyPy 7.3 has served every 3.x since 3.6 (`pypy310_pp73`); GraalPy 24.2 ships 3.11.
_PYPY_VERSION = (7, 3)
_GRAALPY_VERSION = {(3, 10): (24, 0), (3, 11): (24, 2), (3, 12): (25, 0)}

#: `sys.implementation.name` -> the implementation's tag prefix (what `here` and a pip debug output report).
IMPLEMENTATIONS: dict[str, str] = {"cpython": "cp", "pypy": "pp", "graalpy": "graalpy"}
_TAG = re.compile(r"^(?P<impl>cp|pp|graalpy|py)?(?P<major>[23])\.?(?P<minor>\d{1,2})(?P<t>t?)"
                  r"(?:\.(?P<patch>\d{1,3})|@(?P<at>\d\.\d{1,2}\.\d{1,3}))?$")


@dataclass(frozen=True, order=True)
class Interpreter:
    """One Python interpreter, as far as wheel tags can tell interpreters apart."""

    implementation: str  # "cp", "pp" or "graalpy"
    major: int
    minor: int
    free_threaded: bool = False
    #: The patch level, when given (`--python 3.9.18`, `cp39@3.9.18`); None means X.Y.0, as pip's and
    #: uv's `--python-version X.Y` pad it. Only Requires-Python checks read it (pip compares
    #: `sys.version_info[:3]`, uv a real interpreter's full version); tags never do.
    patch: int | None = None
    #: The user-facing spelling: `cp312`, `cp313t`, `pp310`, `cp312@3.12.1` with a patch level. Set once,
    #: as a plain attribute: every cell of a matrix report is keyed and rendered by it (a `cached_property`
    #: takes a lock on every read in Python 3.11).
    tag: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        patch = f"@{self.full_version}" if self.patch is not None else ""
        object.__setattr__(self, "tag", f"{self.interpreter}{'t' if self.free_threaded else ''}{patch}")

    @property
    def interpreter(self) -> str:
        """The PEP 425 interpreter tag: `cp312`, `pp310`, `graalpy311`."""
        return f"{self.implementation}{self.major}{self.minor}"

    @property
    def version(self) -> tuple[int, int]:
        return (self.major, self.minor)

    @property
    def full_version(self) -> str:
        """`3.9.18`, or `3.9.0` when no patch level was given."""
        return f"{self.major}.{self.minor}.{self.patch or 0}"

    @property
    def abi(self) -> str:
        """The interpreter's own ABI tag.

        CPython: packaging `_cpython_abis` (`m` below 3.8, `t` when free-threaded).
        PyPy/GraalPy: packaging `_generic_abi`, which reads `EXT_SUFFIX`
        (`.pypy310-pp73-…` -> `pypy310_pp73`, `.graalpy242-311-native-…` -> `graalpy242_311_native`).
        """
        if self.implementation == "cp":
            pymalloc = "m" if self.version < (3, 8) else ""
            return f"cp{self.major}{self.minor}{'t' if self.free_threaded else ''}{pymalloc}"
        if self.implementation == "pp":
            return f"pypy{self.major}{self.minor}_pp{_PYPY_VERSION[0]}{_PYPY_VERSION[1]}"
        g_major, g_minor = _GRAALPY_VERSION.get(self.version, (24, 2))
        return f"graalpy{g_major}{g_minor}_{self.major}{self.minor}_native"

    @property
    def implementation_name(self) -> str:
        return {"cp": "CPython", "pp": "PyPy", "graalpy": "GraalPy"}[self.implementation]

    def describe(self) -> str:
        """Human form, e.g. `CPython 3.13 (free-threaded)`."""
        extra = " (free-threaded)" if self.free_threaded else ""
        patch = f".{self.patch}" if self.patch is not None else ""
        return f"{self.implementation_name} {self.major}.{self.minor}{patch}{extra}"


def parse_python(text: str) -> Interpreter:
    """Parse `--python`: `3.12`, `312`, `cp312`, `cp313t`, `pp310`, `graalpy311`, with a patch level
    `3.12.1` or `cp312@3.12.1`."""
    raw = text.strip().lower()
    match = _TAG.match(raw)
    if not match:
        raise InterpreterError(
            f"unknown interpreter {text!r}; expected e.g. 3.12, 3.12.1, cp312, cp312@3.12.1, cp313t, pp310, graalpy311",
            where="--python",
        )
    impl = match["impl"] or "cp"
    if impl == "py":
        impl = "cp"
    major, minor = int(match["major"]), int(match["minor"])
    threaded = bool(match["t"])
    patch: int | None = int(match["patch"]) if match["patch"] else None
    if match["at"]:
        at_major, at_minor, at_patch = (int(p) for p in match["at"].split("."))
        if (at_major, at_minor) != (major, minor):
            raise InterpreterError(f"{text!r}: {match['at']} is not a {major}.{minor} release", where="--python")
        patch = at_patch
    if major != 3:
        raise InterpreterError(f"{text!r}: only Python 3 interpreters are modelled", where="--python")
    if threaded and (impl != "cp" or minor < 13):
        raise InterpreterError(
            f"{text!r}: free-threaded builds exist only for CPython 3.13+", where="--python"
        )
    if impl == "pp" and not 6 <= minor <= 11:
        raise InterpreterError(f"{text!r}: PyPy exists for Python 3.6-3.11", where="--python")
    if impl == "graalpy" and minor not in (10, 11, 12):
        raise InterpreterError(f"{text!r}: GraalPy exists for Python 3.10-3.12", where="--python")
    if impl == "cp" and not 0 <= minor <= 15:
        raise InterpreterError(f"{text!r}: no such CPython release", where="--python")
    return Interpreter(impl, major, minor, threaded, patch)
