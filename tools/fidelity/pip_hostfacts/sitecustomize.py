"""Make a real pip believe it runs on a tagsim platform profile.

Activated by putting this folder on PYTHONPATH and setting TAGSIM_PROFILE to
one profile object from data/platforms.json (JSON).  Without TAGSIM_PROFILE
this module does nothing.

What is faked (see tools/fidelity/PIP_TAGS.md):

* globally: platform.system/machine/mac_ver/libc_ver/ios_ver/android_ver,
  sysconfig.get_platform, distutils.util.get_platform (on import),
  sysconfig.get_config_var (Windows has no SOABI/Py_DEBUG/WITH_PYMALLOC,
  Emscripten gets PYEMSCRIPTEN_PLATFORM_VERSION), os.confstr
  ("CS_GNU_LIBC_VERSION").
* inside pip's tag modules only (pip.pep425tags, pip._internal.pep425tags,
  pip[._internal].utils.glibc, pip._vendor.packaging.tags/_manylinux/
  _musllinux): the module's ``sys`` is replaced by a proxy with the profile's
  sys.platform, sys.maxsize (32-bit userland), sys.executable (a fake ELF
  header file with the profile's class/machine/float-ABI flags and PT_INTERP,
  so the ELF checks _is_linux_armhf/_is_linux_i686/_have_compatible_abi and
  the musl loader probe run unmodified), sys.implementation._multiarch (iOS)
  and sys.getandroidapilevel; EXTENSION_SUFFIXES / get_extension_suffixes /
  imp.get_suffixes return the profile's extension suffixes; the ctypes glibc
  fallback returns the profile's glibc; _32_BIT_INTERPRETER and the
  ``is_32bit=`` default arguments follow the profile.

The patch is applied lazily by a meta-path hook right after each of those
modules executes, so it hits pip's *vendored* packaging.  Module-level tag
caches computed during import (pip 9 / 19.0 ``supported_tags``) are
recomputed after patching.
"""
import json
import os
import sys

_RAW = os.environ.get("TAGSIM_PROFILE")
if _RAW:
    try:
        from tagsim_hostfacts import install as _install
    except ImportError:  # folder not importable as top-level (should not happen)
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from tagsim_hostfacts import install as _install
    _install(json.loads(_RAW))
