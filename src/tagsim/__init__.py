"""tagsim: which distribution file does an installer choose on a given platform, and why.

The names below load on first use, so `import tagsim` (and the CLI's start-up) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import TagsimError

if TYPE_CHECKING:
    from .installers import Installer, compatible_tags, parse_installer
    from .interpreters import Interpreter, parse_python
    from .profiles import Profile, bundled_profiles, resolve_platform

_LAZY = {
    "Installer": "installers", "compatible_tags": "installers", "parse_installer": "installers",
    "Interpreter": "interpreters", "parse_python": "interpreters",
    "Profile": "profiles", "bundled_profiles": "profiles", "resolve_platform": "profiles",
}

__all__ = [
    "Installer",
    "Interpreter",
    "Profile",
    "TagsimError",
    "bundled_profiles",
    "compatible_tags",
    "parse_installer",
    "parse_python",
    "resolve_platform",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tagsim' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
