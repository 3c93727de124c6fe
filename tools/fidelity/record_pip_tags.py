#!/usr/bin/env python3
"""Record the supported-tag lists that real pip versions compute on tagsim's profiles.

    python tools/fidelity/record_pip_tags.py [--versions 26.3 24.0 ...] [--profiles ID ...]

For every pip version a venv is created (once) under
~/.cache/tagsim/installers/pip-<ver>-py<X.Y>/ from PyPI.  Each (pip, python,
profile) is then run offline in a fresh subprocess with
tools/fidelity/pip_hostfacts on PYTHONPATH and TAGSIM_PROFILE set, so the real
pip computes its tags as if it ran on that profile (see PIP_TAGS.md).

  * pip >= 19.2: ``python -m pip --isolated debug --verbose [target flags]``
  * pip <  19.2: ``pep425tags.get_supported()`` called in-process (what pip
    itself uses when no --platform/--python-version is given).

Writes tests/fixtures/pip_tags/pip-<version>.json.
"""
import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOSTFACTS = os.path.join(REPO, "tools", "fidelity", "pip_hostfacts")
PROFILES_FILE = os.path.join(REPO, "data", "platforms.json")
FIXTURES = os.path.join(REPO, "tests", "fixtures", "pip_tags")
CACHE = os.path.expanduser("~/.cache/tagsim/installers")
PYENV = os.path.expanduser("~/.pyenv/versions")


def V(s):
    return tuple(int(x) for x in s.split("."))


# pip version -> native interpreters (first = primary, used for flag runs)
NATIVE = {
    "9.0.3": ["3.7", "3.6"],
    "19.0.3": ["3.7"],
    "19.3.1": ["3.7"],
    "20.2.4": ["3.8"],
    "20.3.4": ["3.8"],
    "21.1.3": ["3.9", "3.10"],
    "21.3.1": ["3.9", "3.10"],
    "24.0": ["3.12", "3.8"],
    "25.3": ["3.12"],
    "26.2.1": ["3.12"],
    "26.3": ["3.12"],
}
ORDER = ["26.3", "26.2.1", "24.0", "21.3.1", "20.3.4", "20.2.4", "19.3.1", "19.0.3",
         "9.0.3", "25.3", "21.1.3"]

# flag-driven targets: python tag -> pip debug flags
FLAG_TARGETS = {
    "cp312": ["--python-version", "3.12", "--implementation", "cp", "--abi", "cp312"],
    "cp313t": ["--python-version", "3.13", "--implementation", "cp", "--abi", "cp313t"],
    "pp310": ["--python-version", "3.10", "--implementation", "pp", "--abi", "pypy310_pp73"],
}

TIMEOUT_VENV = 300
TIMEOUT_RUN = 120


def pyenv_python(xy):
    for d in sorted(os.listdir(PYENV)):
        if d == xy or d.startswith(xy + "."):
            return os.path.join(PYENV, d, "bin", "python")
    raise SystemExit("no pyenv python %s" % xy)


def ensure_venv(pip, xy):
    d = os.path.join(CACHE, "pip-%s-py%s" % (pip, xy))
    py = os.path.join(d, "bin", "python")
    check = [py, "-c", "import pip,sys; sys.exit(pip.__version__ != %r)" % pip]
    if os.path.exists(py) and subprocess.run(check, timeout=60).returncode == 0:
        return py
    subprocess.run(["rm", "-rf", d], check=True, timeout=60)
    subprocess.run([pyenv_python(xy), "-m", "venv", d], check=True, timeout=TIMEOUT_VENV)
    subprocess.run([py, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    "pip==%s" % pip], check=True, timeout=TIMEOUT_VENV)
    subprocess.run(check, check=True, timeout=60)
    return py


def full_python_version(py):
    out = subprocess.run([py, "-c", "import platform; print(platform.python_version())"],
                         stdout=subprocess.PIPE, text=True, timeout=60, check=True)
    return out.stdout.strip()


def clean_env(profile):
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "PYTHONPATH": HOSTFACTS,
        "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_NO_INPUT": "1",
        # no network during recording: any HTTP(S) attempt goes to a dead port
        "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
        "no_proxy": "", "NO_PROXY": "",
    }
    if profile is not None:
        env["TAGSIM_PROFILE"] = json.dumps(profile)
    return env


GET_SUPPORTED = r"""
import json, sys, warnings
warnings.simplefilter("ignore")
try:
    from pip._internal import pep425tags
except ImportError:
    from pip import pep425tags
json.dump(["-".join(t) for t in pep425tags.get_supported()], sys.stdout)
"""

EXPECTED_PATCHED = [
    ((20, 0), ["pip._vendor.packaging.tags"]),
    ((10, 0), ["pip._internal.pep425tags"]),
    ((0,), ["pip.pep425tags"]),
]


def run_pip(py, pip, profile, flags=()):
    """Return the tag list, raising RuntimeError with output on failure."""
    fd, report = tempfile.mkstemp(prefix="tagsim-report-", suffix=".json")
    os.close(fd)
    env = clean_env(profile)
    env["TAGSIM_HOSTFACTS_REPORT"] = report
    try:
        if V(pip) >= (19, 2):
            cmd = [py, "-m", "pip", "--isolated", "debug", "--verbose"] + list(flags)
        else:
            assert not flags
            cmd = [py, "-c", GET_SUPPORTED]
        p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=TIMEOUT_RUN, cwd=tempfile.gettempdir())
        if p.returncode != 0:
            raise RuntimeError("%s failed (%d):\n%s\n%s" % (cmd, p.returncode, p.stdout[-3000:],
                                                            p.stderr[-3000:]))
        if V(pip) >= (19, 2):
            tags = parse_debug(p.stdout)
        else:
            tags = json.loads(p.stdout)
        if profile is not None:
            with open(report) as fh:
                rep = json.load(fh)
            for since, mods in EXPECTED_PATCHED:
                if V(pip) >= since:
                    missing = [m for m in mods if m not in rep["patched"]]
                    if missing:
                        raise RuntimeError("hostfacts patch did not reach %s" % missing)
                    break
        return tags
    finally:
        os.unlink(report)


def parse_debug(out):
    m = re.search(r"^Compatible tags: (\d+)\b.*$", out, re.M)
    if not m:
        raise RuntimeError("no 'Compatible tags' in pip debug output:\n" + out[-2000:])
    n = int(m.group(1))
    tags = []
    for line in out[m.end():].splitlines()[1:]:
        if not line.startswith("  ") or line.strip().startswith("..."):
            break
        tags.append(line.strip())
    if len(tags) != n:
        raise RuntimeError("parsed %d tags, pip says %d" % (len(tags), n))
    return tags


def load_profiles():
    with open(PROFILES_FILE) as fh:
        return json.load(fh)["profiles"]


def skip_reasons(pip):
    """Flag-driven targets that are not recorded for this pip, with the reason."""
    out = {}
    v = V(pip)
    natives = {"cp" + x.replace(".", "") for x in NATIVE[pip]}
    for tag in FLAG_TARGETS:
        if tag in natives:
            continue
        if v < (19, 2):
            out[tag] = ("pip %s has no `pip debug`; its --python-version/--implementation/--abi "
                        "handling (pep425tags) is not the tag list a real %s interpreter would get "
                        "(drops py3N-none-<plat>/older abi3 variants), and no real %s interpreter "
                        "can run this pip" % (pip, tag, tag))
        elif v < (20, 3):
            out[tag] = ("not faithful: pip %s mangles --python-version for 3.10+ (e.g. "
                        "'cp3_12' style tags) and pip < 20.3 pep425tags/packaging-20.4 flag paths "
                        "differ from a native run; no real %s interpreter can run this pip"
                        % (pip, tag))
        elif tag == "cp313t" and v < (24, 1):
            out[tag] = ("pip %s (packaging %s) predates free-threading support (pip 24.1): "
                        "--abi cp313t would be treated as an ordinary ABI and abi3 tags would be "
                        "offered, unlike a real free-threaded interpreter; this pip cannot run "
                        "on 3.13t anyway" % (pip, "<24"))
    return out


def record(pip, profiles, jobs):
    natives = NATIVE[pip]
    pys = {xy: ensure_venv(pip, xy) for xy in natives}
    primary = natives[0]
    full = {xy: full_python_version(pys[xy]) for xy in natives}
    skips = skip_reasons(pip)
    runs = []   # (profile, python_tag, py, flags, description)
    for prof in profiles:
        for xy in natives:
            runs.append((prof, "cp" + xy.replace(".", ""), pys[xy], [],
                         "native CPython %s" % full[xy]))
        for tag, flags in FLAG_TARGETS.items():
            if tag in skips or tag in {"cp" + x.replace(".", "") for x in natives}:
                continue
            runs.append((prof, tag, pys[primary], flags,
                         "CPython %s + pip debug %s" % (full[primary], " ".join(flags))))

    results = {}

    def work(r):
        prof, tag, py, flags, desc = r
        return r, run_pip(py, pip, prof, flags)

    with concurrent.futures.ThreadPoolExecutor(jobs) as ex:
        for r, tags in ex.map(work, runs):
            results[(r[0]["id"], r[1])] = (tags, r[4])

    cases = []
    tag_order = ["cp" + x.replace(".", "") for x in natives]
    tag_order += [t for t in FLAG_TARGETS if t not in tag_order]
    for prof in profiles:
        for tag in tag_order:
            if (prof["id"], tag) in results:
                tags, desc = results[(prof["id"], tag)]
                cases.append({"platform": prof["id"], "python": tag, "run": desc, "tags": tags})
            elif tag in skips:
                cases.append({"platform": prof["id"], "python": tag, "skipped": skips[tag]})
    if V(pip) >= (19, 2):
        method = ("tools/fidelity/pip_hostfacts (TAGSIM_PROFILE) + `python -m pip --isolated "
                  "debug --verbose`, PIP_CONFIG_FILE=/dev/null, offline")
    else:
        method = ("tools/fidelity/pip_hostfacts (TAGSIM_PROFILE) + in-process "
                  "pep425tags.get_supported(), offline")
    doc = {
        "installer": "pip==%s" % pip,
        "recorded_with": {
            "python": full[primary],
            "pythons": [full[x] for x in natives],
            "method": method,
            "date": time.strftime("%Y-%m-%d"),
        },
        "cases": cases,
    }
    os.makedirs(FIXTURES, exist_ok=True)
    path = os.path.join(FIXTURES, "pip-%s.json" % pip)
    with open(path, "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    return path, len(cases)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--versions", nargs="+", default=ORDER)
    ap.add_argument("--profiles", nargs="+", help="only these profile ids (for testing)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--verify", action="store_true",
                    help="run the cross-checks described in PIP_TAGS.md instead of recording")
    args = ap.parse_args(argv)
    if args.verify:
        sys.exit(0 if verify(args.jobs) else 1)
    profiles = load_profiles()
    if args.profiles:
        profiles = [p for p in profiles if p["id"] in args.profiles]
    for pip in args.versions:
        if pip not in NATIVE:
            raise SystemExit("unknown pip version %s (known: %s)" % (pip, ", ".join(ORDER)))
        t0 = time.time()
        path, n = record(pip, profiles, args.jobs)
        print("pip %s: %d cases -> %s (%.0fs)" % (pip, n, os.path.relpath(path, REPO),
                                                   time.time() - t0), flush=True)


# ---------------------------------------------------------------- verification
def _profile(pid):
    return [p for p in load_profiles() if p["id"] == pid][0]


def verify(jobs=2):
    """Cross-checks of the patch and of the flag-driven runs; prints a report."""
    ok = True

    def check(label, a, b):
        nonlocal ok
        same = a == b
        ok &= same
        extra = "" if same else "  DIFF: only-first=%s only-second=%s order-differs=%s" % (
            [t for t in a if t not in b][:5], [t for t in b if t not in a][:5],
            set(a) == set(b))
        print("%-4s %s (%d vs %d)%s" % ("OK" if same else "FAIL", label, len(a), len(b), extra),
              flush=True)
        return same

    host = _profile("linux-x86_64-glibc2.36")   # == this machine
    # 1. patched host profile == unpatched pip on this machine
    for pip in ORDER:
        py = ensure_venv(pip, NATIVE[pip][0])
        check("pip %s: patched %s == unpatched host" % (pip, host["id"]),
              run_pip(py, pip, host), run_pip(py, pip, None))
    # 2. patched native runs == pip's own --platform expansion where that is faithful
    plat_cases = [
        ("26.3", "macos14-arm64", ["--platform", "macosx_14_0_arm64"]),
        ("26.3", "macos10.15-x86_64", ["--platform", "macosx_10_15_x86_64"]),
        ("26.3", "windows-amd64", ["--platform", "win_amd64"]),
        ("26.3", "windows-win32", ["--platform", "win32"]),
        ("26.3", "freebsd14-amd64", ["--platform", "freebsd_14_0_release_amd64"]),
        ("26.3", "ios13-arm64-iphoneos", ["--platform", "ios_13_0_arm64_iphoneos"]),
        ("26.3", "android24-arm64_v8a", ["--platform", "android_24_arm64_v8a"]),
        ("26.3", "linux-aarch64-glibc2.17", ["--platform", "linux_aarch64", "--platform",
                                             "manylinux_2_17_aarch64", "--platform",
                                             "manylinux2014_aarch64"]),
        ("26.3", "linux-x86_64-musl1.2", ["--platform", "linux_x86_64"] + sum(
            [["--platform", "musllinux_1_%d_x86_64" % m] for m in (2, 1, 0)], [])),
        ("26.2.1", "linux-x86_64-musl1.2", sum(
            [["--platform", "musllinux_1_%d_x86_64" % m] for m in (2, 1, 0)], [])
            + ["--platform", "linux_x86_64"]),
        ("24.0", "macos11-arm64", ["--platform", "macosx_11_0_arm64"]),
        ("21.3.1", "macos12-arm64", ["--platform", "macosx_12_0_arm64"]),
        ("20.3.4", "macos10.9-x86_64", ["--platform", "macosx_10_9_x86_64"]),
    ]
    tflags = ["--python-version", None, "--implementation", "cp", "--abi", None]
    for pip, pid, pflags in plat_cases:
        xy = NATIVE[pip][0]
        py = ensure_venv(pip, xy)
        fl = list(tflags)
        fl[1], fl[5] = xy, "cp" + xy.replace(".", "")
        check("pip %s: patched %s == --platform %s" % (pip, pid, " ".join(pflags[1::2])),
              run_pip(py, pip, _profile(pid)), run_pip(py, pip, host, pflags + fl))
    # 3. flag-driven interpreter == native interpreter, all profiles
    flag_cases = [("24.0", "3.8", "3.12"), ("21.3.1", "3.9", "3.10"), ("21.1.3", "3.9", "3.10"),
                  ("20.3.4", "3.9", "3.8")]
    for pip, runner, target in flag_cases:
        py_run = ensure_venv(pip, runner)
        py_nat = ensure_venv(pip, target)
        fl = ["--python-version", target, "--implementation", "cp",
              "--abi", "cp" + target.replace(".", "")]
        bad = []
        for prof in load_profiles():
            a = run_pip(py_run, pip, prof, fl)
            b = run_pip(py_nat, pip, prof)
            if a != b:
                bad.append(prof["id"])
        ok &= not bad
        print("%-4s pip %s: python %s + flags cp%s == native %s on all profiles%s" % (
            "OK" if not bad else "FAIL", pip, runner, target.replace(".", ""), target,
            "" if not bad else " (differs: %s)" % bad), flush=True)
    # 4. the research notes' claims about old flag handling
    py = ensure_venv("20.2.4", "3.8")
    t = run_pip(py, "20.2.4", host, ["--python-version", "3.10", "--implementation", "cp",
                                     "--abi", "cp310"])
    print("INFO pip 20.2.4 --python-version 3.10: first tags %s" % t[:2])
    py = ensure_venv("19.3.1", "3.7")
    a = run_pip(py, "19.3.1", host, ["--python-version", "3.7", "--implementation", "cp",
                                     "--abi", "cp37m"])
    b = run_pip(py, "19.3.1", host)
    print("INFO pip 19.3.1 --python-version 3.7 vs native 3.7: %d vs %d tags; missing %s"
          % (len(a), len(b), [x for x in b if x not in a][:8]))
    print("verification", "passed" if ok else "FAILED")
    return ok


if __name__ == "__main__":
    main()
