"""tools/fidelity/pip_hostfacts, plus the PEP 508 marker environment, for pip installing from a pylock.

pip 26.1+ evaluates a pylock's markers in its own process (`Pylock.select` -> vendored
`packaging.markers.Marker.evaluate` -> `default_environment()`), so faking the tags alone is not enough
(emulating-installers.md, "Lock files"). Put this folder first and tools/fidelity/pip_hostfacts second on
PYTHONPATH and set TAGSIM_PROFILE (one profile of data/platforms.json): pip_hostfacts patches the tag
modules, and this module makes pip's vendored `default_environment()` report the same machine:
`sys_platform`, `platform_machine`, `platform_system` from pip_hostfacts' own facts, `os_name` from the
platform. Python's own values (`python_full_version`, `implementation_name`...) stay the real
interpreter's. Without TAGSIM_PROFILE this module does nothing.
"""
import json
import os
import sys

_RAW = os.environ.get("TAGSIM_PROFILE")
_MARKERS = "pip._vendor.packaging.markers"

if _RAW:
    import tagsim_hostfacts as _hostfacts

    _hostfacts.install(json.loads(_RAW))

    def _patch_markers(name, mod):
        facts = _hostfacts.FACTS
        real = mod.default_environment

        def default_environment():
            env = real()
            env.update(sys_platform=facts["sys_platform"], platform_machine=facts["machine"],
                       platform_system=facts["system"],
                       os_name="nt" if facts["sys_platform"] == "win32" else "posix")
            return env

        mod.default_environment = default_environment
        _hostfacts.PATCHED.append(name)

    class _MarkerFinder:
        def find_spec(self, name, path, target=None):
            if name != _MARKERS:
                return None
            for finder in sys.meta_path:
                if finder is self or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(name, path, target)
                if spec is not None:
                    spec.loader = _hostfacts._Loader(name, spec.loader, _patch_markers)
                    return spec
            return None

        def invalidate_caches(self):
            pass

    sys.meta_path.insert(0, _MarkerFinder())
