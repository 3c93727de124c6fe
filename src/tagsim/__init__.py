"""tagsim: which distribution file does an installer choose on a given platform, and why."""

from __future__ import annotations

from .errors import TagsimError
from .installers import Installer, compatible_tags, parse_installer
from .interpreters import Interpreter, parse_python
from .profiles import Profile, bundled_profiles, resolve_platform

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
