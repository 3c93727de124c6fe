"""Host-fact patching used by sitecustomize.py (must stay Python 3.6 compatible).

install(profile) patches global host-detection functions and registers a
meta-path hook that patches pip's tag modules right after they execute.
"""
import atexit
import collections
import json
import os
import platform
import stat
import struct
import sys
import sysconfig
import tempfile
import types

_REAL_SYS = sys

# modules whose tag logic we patch after they are executed
_TAG_MODULES = {
    "pip.pep425tags",                      # pip 8 - 9
    "pip.utils.glibc",                     # pip 9
    "pip._internal.pep425tags",            # pip 10 - 19.3
    "pip._internal.utils.glibc",           # pip 19.x (20+: user agent only)
    "pip._internal.utils.compatibility_tags",
    "pip._vendor.packaging.tags",          # pip >= 20.0
    "pip._vendor.packaging._manylinux",    # pip >= 21.2
    "pip._vendor.packaging._musllinux",    # pip >= 21.2
    "packaging.tags",
    "packaging._manylinux",
    "packaging._musllinux",
}
# `pip debug` prints sys.platform from its own module: with TAGSIM_HOSTFACTS_DEBUG_COMMAND=1 that module
# gets the same proxies, so the printed header matches the profile (record_pip_debug.py).
if os.environ.get("TAGSIM_HOSTFACTS_DEBUG_COMMAND"):
    _TAG_MODULES.add("pip._internal.commands.debug")

PATCHED = []          # names of modules patched, in order (for verification)
FACTS = {}

# ---------------------------------------------------------------- ELF fakes
EM = {"i386": 3, "arm": 40, "x86_64": 62, "aarch64": 183, "ppc64": 21,
      "s390": 22, "riscv": 243, "loongarch": 258}
EF_ARM_HARD = 0x05000400   # EABI5 + EF_ARM_ABI_FLOAT_HARD
EF_ARM_SOFT = 0x05000200   # EABI5 + EF_ARM_ABI_FLOAT_SOFT


def make_elf(bits, little, machine, flags, interp):
    """Minimal ELF executable header + one PT_INTERP program header."""
    e = "<" if little else ">"
    ident = b"\x7fELF" + bytes([2 if bits == 64 else 1, 1 if little else 2, 1, 0]) + bytes(8)
    interp_b = interp.encode() + b"\0"
    if bits == 64:
        ehsize, phentsize = 64, 56
        off = ehsize + phentsize
        hdr = ident + struct.pack(e + "HHIQQQIHHHHHH", 2, machine, 1, 0, ehsize, 0,
                                  flags, ehsize, phentsize, 1, 0, 0, 0)
        ph = struct.pack(e + "IIQQQQQQ", 3, 4, off, off, off, len(interp_b), len(interp_b), 1)
    else:
        ehsize, phentsize = 52, 32
        off = ehsize + phentsize
        hdr = ident + struct.pack(e + "HHIIIIIHHHHHH", 2, machine, 1, 0, ehsize, 0,
                                  flags, ehsize, phentsize, 1, 0, 0, 0)
        ph = struct.pack(e + "IIIIIIII", 3, off, off, off, len(interp_b), len(interp_b), 4, 1)
    assert len(hdr) == ehsize and len(ph) == phentsize
    return hdr + ph + interp_b


def _linux_elf(arch, bits, float_abi):
    """(bits, little_endian, e_machine, e_flags) of the profile's python binary."""
    if arch in ("x86_64", "i686", "i386"):
        return (32, True, EM["i386"], 0) if bits == 32 else (64, True, EM["x86_64"], 0)
    if arch in ("aarch64", "armv8l", "armv8b"):
        if bits == 32:
            return (32, True, EM["arm"], EF_ARM_SOFT if float_abi == "soft" else EF_ARM_HARD)
        return (64, True, EM["aarch64"], 0)
    if arch.startswith("arm"):
        return (32, True, EM["arm"], EF_ARM_SOFT if float_abi == "soft" else EF_ARM_HARD)
    if arch == "ppc64le":
        return (64, True, EM["ppc64"], 2)
    if arch == "ppc64":
        return (64, False, EM["ppc64"], 1)
    if arch == "s390x":
        return (64, False, EM["s390"], 0)
    if arch == "riscv64":
        return (64, True, EM["riscv"], 5)
    if arch == "loongarch64":
        return (64, True, EM["loongarch"], 3)
    raise ValueError("no ELF model for arch %r" % arch)


def _write_atomic(path, data, mode):
    if os.path.exists(path):
        with open(path, "rb") as f:
            if f.read() == data:
                return
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "wb") as f:
        f.write(data)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


# ---------------------------------------------------------------- facts
def _default_bits(p):
    if p.get("python_bits"):
        return int(p["python_bits"])
    if p["os"] == "linux" and (p["arch"] in ("i686", "i386") or (p["arch"].startswith("arm")
                               and p["arch"] not in ("arm64",))):
        return 32
    if p["os"] == "windows" and p["arch"] in ("x86", "win32"):
        return 32
    if p["os"] == "emscripten":
        return 32
    return 64


def compute_facts(p):
    osname, arch = p["os"], p["arch"]
    bits = _default_bits(p)
    xy = "%d%d" % sys.version_info[:2]
    f = {
        "id": p["id"], "bits": bits, "glibc": None, "executable": None,
        "mac_ver": ("", ("", "", ""), ""), "libc_ver": ("", ""),
        "config": {}, "ext_suffixes": None, "multiarch": None,
        "android_api": None, "ios_ver": None, "executable_native_order": None,
    }
    if osname == "linux":
        f.update(system="Linux", machine=arch, platform="linux-" + arch, sys_platform="linux")
        fake_dir = os.path.join(tempfile.gettempdir(), "tagsim-hostfacts-%d" % os.getuid(), p["id"])
        if not os.path.isdir(fake_dir):
            os.makedirs(fake_dir, exist_ok=True)
        ebits, little, machine, flags = _linux_elf(arch, bits, p.get("float_abi"))
        if p.get("libc") == "musl":
            ld_arch = {"i686": "i386", "armv7l": "armhf", "armv6l": "armhf"}.get(arch, arch)
            interp = os.path.join(fake_dir, "ld-musl-%s.so.1" % ld_arch)
            script = ("#!/bin/sh\n"
                      "echo 'musl libc (%s)' >&2\n"
                      "echo 'Version %s' >&2\n"
                      "echo 'Dynamic Program Loader' >&2\n"
                      "echo 'Usage: %s [options] [--] pathname [args]' >&2\n"
                      "exit 1\n") % (ld_arch, p["libc_version"], interp)
            _write_atomic(interp, script.encode(), stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP)
        else:
            interp = "/lib/ld-linux-%s.so.2" % arch
            f["glibc"] = p.get("libc_version")
            f["libc_ver"] = ("glibc", p.get("libc_version") or "")
        exe = os.path.join(fake_dir, "python%d.%d" % sys.version_info[:2])
        _write_atomic(exe, make_elf(ebits, little, machine, flags, interp), 0o755)
        f["executable"] = exe
        f["executable_native_order"] = exe
        if not little:
            # packaging 21.x _musllinux._parse_ld_musl_from_elf unpacks the ELF in the
            # *host's* byte order (on a real big-endian box that is the binary's order).
            # Give that parser a host-order copy so it parses what the real one would.
            exe_n = exe + "-hostorder"
            _write_atomic(exe_n, make_elf(ebits, sys.byteorder == "little", machine, flags, interp),
                          0o755)
            f["executable_native_order"] = exe_n
    elif osname == "macos":
        f.update(system="Darwin", machine=arch, sys_platform="darwin",
                 platform="macosx-%s-%s" % (p["os_version"], arch),
                 mac_ver=(p["os_version"], ("", "", ""), arch))
    elif osname == "windows":
        plat = {"amd64": "win-amd64", "x86": "win32", "win32": "win32", "arm64": "win-arm64"}[arch]
        f.update(system="Windows", machine={"amd64": "AMD64", "x86": "x86", "win32": "x86",
                                             "arm64": "ARM64"}[arch],
                 platform=plat, sys_platform="win32")
        ext = ".cp%s-%s.pyd" % (xy, plat.replace("-", "_"))
        f["ext_suffixes"] = [ext, ".pyd"]
        # Windows sysconfig has no SOABI / Py_DEBUG / WITH_PYMALLOC (<= 3.12)
        f["config"] = {"SOABI": None, "Py_DEBUG": None, "WITH_PYMALLOC": None,
                       "EXT_SUFFIX": ext, "MULTIARCH": None, "Py_ENABLE_SHARED": None}
    elif osname == "ios":
        sdk = p.get("sdk", "iphoneos")
        f.update(system="iOS", machine=arch, sys_platform="ios",
                 platform="ios-%s-%s-%s" % (p["os_version"], arch, sdk),
                 multiarch="%s-%s" % (arch, sdk),
                 ios_ver=("iOS", p["os_version"], "iPhone", sdk.endswith("simulator")))
    elif osname == "android":
        abi = arch
        machine = {"arm64_v8a": "aarch64", "armeabi_v7a": "armv7l", "x86_64": "x86_64",
                   "x86": "i686"}.get(abi, abi)
        f.update(system="Android", machine=machine, sys_platform="android",
                 platform="android-%d-%s" % (int(p["api_level"]), abi),
                 android_api=int(p["api_level"]))
    elif osname == "emscripten":
        f.update(system="Emscripten", machine=arch, sys_platform="emscripten",
                 platform="emscripten-%s-%s" % (p["emscripten_version"], arch))
        if p.get("pyemscripten_version"):
            f["config"] = {"PYEMSCRIPTEN_PLATFORM_VERSION": p["pyemscripten_version"]}
    elif osname == "freebsd":
        f.update(system="FreeBSD", machine=arch, sys_platform="freebsd%s" % p["os_version"].split(".")[0],
                 platform="freebsd-%s-%s" % (p["os_version"], arch))
    else:
        raise ValueError("unknown os %r" % osname)
    return f


# ---------------------------------------------------------------- proxies
class _Proxy(types.ModuleType):
    """Module-local stand-in for a stdlib module, seen by pip's tag modules only.

    Patching e.g. platform.system() globally would also change pip's other code
    paths (truststore picks its macOS/Windows backend by it), so the fakes are
    only visible inside the tag modules.
    """

    def __init__(self, real, **overrides):
        types.ModuleType.__init__(self, real.__name__)
        self.__dict__["_tagsim_real"] = real
        self.__dict__.update(overrides)

    def __getattr__(self, name):
        return getattr(self.__dict__["_tagsim_real"], name)


def _make_sys_proxy(f):
    proxy = _Proxy(_REAL_SYS)
    proxy.platform = f["sys_platform"]
    proxy.maxsize = 2 ** 31 - 1 if f["bits"] == 32 else _REAL_SYS.maxsize
    if f["executable"]:
        proxy.executable = f["executable"]
    impl = dict(vars(_REAL_SYS.implementation))
    if f["multiarch"]:
        impl["_multiarch"] = f["multiarch"]
    proxy.implementation = types.SimpleNamespace(**impl)
    if f["android_api"] is not None:
        api = f["android_api"]
        proxy.getandroidapilevel = lambda: api
    return proxy


def _ext_suffixes(f):
    if f["ext_suffixes"] is not None:
        return list(f["ext_suffixes"])
    from importlib.machinery import EXTENSION_SUFFIXES
    return list(EXTENSION_SUFFIXES)


def _fix_default(fn, argname, value):
    code = getattr(fn, "__code__", None)
    if code is None:
        return
    if fn.__kwdefaults__ and argname in fn.__kwdefaults__:
        kw = dict(fn.__kwdefaults__)
        kw[argname] = value
        fn.__kwdefaults__ = kw
    defs = fn.__defaults__
    names = code.co_varnames[:code.co_argcount]
    if defs and argname in names:
        idx = names.index(argname) - (len(names) - len(defs))
        if idx >= 0:
            d = list(defs)
            d[idx] = value
            fn.__defaults__ = tuple(d)


def _patch_tag_module(name, mod):
    f = FACTS
    is32 = f["bits"] == 32
    for attr, proxy in _PROXIES.items():
        if isinstance(getattr(mod, attr, None), types.ModuleType):
            setattr(mod, attr, proxy)
    if hasattr(mod, "_parse_ld_musl_from_elf") and f.get("executable_native_order") != f["executable"]:
        mod.sys = _Proxy(_SYS_PROXY, executable=f["executable_native_order"])
    if isinstance(getattr(mod, "distutils", None), types.ModuleType):
        dutil = getattr(mod.distutils, "util", None)
        if dutil is not None:
            mod.distutils = _Proxy(mod.distutils, util=_Proxy(
                dutil, get_platform=_PROXIES["sysconfig"].get_platform))
    if hasattr(mod, "EXTENSION_SUFFIXES"):
        mod.EXTENSION_SUFFIXES = _ext_suffixes(f)
    if hasattr(mod, "get_extension_suffixes"):
        mod.get_extension_suffixes = lambda: _ext_suffixes(f)
    if hasattr(mod, "_32_BIT_INTERPRETER"):
        mod._32_BIT_INTERPRETER = is32
    glibc = f["glibc"]

    def _glibc_ctypes():
        return glibc

    for attr, obj in list(vars(mod).items()):
        if isinstance(obj, types.FunctionType) and obj.__module__ == mod.__name__:
            _fix_default(obj, "is_32bit", is32)
            if attr.endswith("glibc_version_string_ctypes"):
                setattr(mod, attr, _glibc_ctypes)
    if hasattr(mod, "glibc_version_string") and not hasattr(mod, "glibc_version_string_confstr"):
        # pip 9 - 19.0 utils.glibc: ctypes-only implementation
        mod.glibc_version_string = _glibc_ctypes
    if name == "pip.pep425tags":   # pip 9 reads abi3 suffixes through imp
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import imp
        exts = _ext_suffixes(f)
        imp.get_suffixes = lambda: ([(s, "rb", imp.C_EXTENSION) for s in exts]
                                    + [(".py", "r", imp.PY_SOURCE), (".pyc", "rb", imp.PY_COMPILED)])
    # tag lists cached at import time (pip 9, pip 19.0) were computed unpatched
    if name in ("pip.pep425tags", "pip._internal.pep425tags"):
        if hasattr(mod, "supported_tags"):
            mod.supported_tags = mod.get_supported()
        if hasattr(mod, "supported_tags_noarch"):
            mod.supported_tags_noarch = mod.get_supported(noarch=True)
    PATCHED.append(name)
    if os.environ.get("TAGSIM_HOSTFACTS_DEBUG"):
        sys.stderr.write("tagsim_hostfacts: patched %s\n" % name)




# ---------------------------------------------------------------- import hook
class _Loader:
    def __init__(self, name, loader, post):
        self._name, self._loader, self._post = name, loader, post

    def create_module(self, spec):
        cm = getattr(self._loader, "create_module", None)
        return cm(spec) if cm else None

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._post(self._name, module)

    def __getattr__(self, attr):
        return getattr(self._loader, attr)


class _Finder:
    def find_spec(self, name, path, target=None):
        if name not in _TAG_MODULES:
            return None
        post = _patch_tag_module
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _Loader(name, spec.loader, post)
                return spec
        return None

    # Python 3.6 compat: importlib may call invalidate_caches on finders
    def invalidate_caches(self):
        pass


# ---------------------------------------------------------------- install
_SYS_PROXY = None
_PROXIES = {}


def install(profile):
    global _SYS_PROXY
    f = compute_facts(profile)
    FACTS.update(f)
    _SYS_PROXY = _make_sys_proxy(f)

    pover = dict(
        system=lambda: f["system"],
        machine=lambda: f["machine"],
        mac_ver=lambda release="", versioninfo=("", "", ""), machine="": f["mac_ver"],
        libc_ver=lambda *a, **k: f["libc_ver"],
    )
    if f["ios_ver"] is not None:
        IOSVersionInfo = collections.namedtuple("IOSVersionInfo", "system release model is_simulator")
        pover["ios_ver"] = lambda *a, **k: IOSVersionInfo(*f["ios_ver"])
    if f["android_api"] is not None:
        AndroidVer = collections.namedtuple(
            "AndroidVer", "release api_level manufacturer model device is_emulator")
        pover["android_ver"] = lambda *a, **k: AndroidVer("7.0", f["android_api"], "", "", "", False)

    plat = f["platform"]
    real_gcv = sysconfig.get_config_var
    overrides = f["config"]

    def get_config_var(name):
        if name in overrides:
            return overrides[name]
        return real_gcv(name)

    real_confstr = getattr(os, "confstr", None)
    glibc = f["glibc"]

    def confstr(name):
        if name == "CS_GNU_LIBC_VERSION" or (
                isinstance(name, int) and name == getattr(os, "confstr_names", {}).get("CS_GNU_LIBC_VERSION")):
            if glibc:
                return "glibc " + glibc
            raise ValueError("unrecognized configuration name")
        return real_confstr(name)

    _PROXIES.update(
        sys=_SYS_PROXY,
        platform=_Proxy(platform, **pover),
        sysconfig=_Proxy(sysconfig, get_platform=lambda: plat, get_config_var=get_config_var),
        os=_Proxy(os, confstr=confstr),
    )

    for modname in list(sys.modules):   # already imported (unlikely at site time)
        if modname in _TAG_MODULES:
            _patch_tag_module(modname, sys.modules[modname])
    sys.meta_path.insert(0, _Finder())

    report = os.environ.get("TAGSIM_HOSTFACTS_REPORT")
    if report:
        def _write_report():
            with open(report, "w") as fh:
                json.dump({"profile": f["id"], "patched": PATCHED,
                           "facts": {k: v for k, v in f.items() if k != "config"}}, fh)
        atexit.register(_write_report)
