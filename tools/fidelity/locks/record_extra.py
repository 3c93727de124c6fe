"""The second set of lock recordings (issue 15's fidelity list), run by record_locks.py's `main`.

Steps (each one `--only` choice of record_locks.py):

- `uvflags`: `uv sync --frozen` and `uv pip install -r pylock.nowheelonly.toml` with `--no-build`,
  `--no-binary`, and per-package `--no-binary-package abi3pkg --no-build-package newglibc`.
- `piphost`: pip 26.3 (CPython 3.10 and 3.12 venvs) `install --dry-run --report -r pylock.toml` on the
  uv-exported pylocks, for the profiles of TRIPLES, in the host-patched mode (pip refuses --platform with a
  pylock): tools/fidelity/pip_hostfacts patches the tag modules and tools/fidelity/locks/pip_markers the
  marker environment. The host profile is also asked unpatched; both answers are recorded (they must agree).
- `piplock`: pylocks written by `pip lock` (pip 26.3, this host): registry packages plus two `archive`
  entries (a wheel and an sdist by URL), one `vcs` entry (a local git repository), one `directory` entry;
  installed by pip (host-patched, as above) and by `uv pip install -r ... --python-platform` over TRIPLES.
- `refusal`: a uv project with `requires-python = ">=3.11"` and `environments = ["sys_platform == 'darwin'"]`,
  its uv.lock and exported pylock, asked where the Python or the platform is outside them: uv sync, uv pip
  install, pip 26.3 on 3.10 and 3.12.
- `pipflags`: pip 26.3 with `--no-binary NAME` / `--only-binary NAME` and a pylock, host-patched on three
  profiles.
- `pdmtargets`: pdm 2.29.4 locks with `--platform` targets (one including this host, one without it) and
  a `static_urls` lock, each `pdm sync`ed on this host.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import record_locks as base
from record_tools import interpreter, tool_env, tool_venv

CHOICES = Path.home() / ".cache" / "tagsim" / "installers" / "choices"
PIP_VENVS = {"cp310": CHOICES / "pip-26.3-py3.10", "cp312": CHOICES / "pip-26.3-py3.12"}
HOSTFACTS = base.REPO / "tools" / "fidelity" / "pip_hostfacts"
PIP_MARKERS = Path(__file__).resolve().parent / "pip_markers"
PLATFORMS = base.REPO / "data" / "platforms.json"

#: Files only the `pip lock` project uses (direct URLs: pip writes them as `archive` entries).
ARCHIVES = ["archwheel-1.0-py3-none-manylinux_2_17_x86_64.whl", "archsdist-1.0.tar.gz"]
PIP_LOCK_REQS = ["abi3pkg", "sdistonly", "buildtag", "newglibc", "wheelonly", "forked==1.0",
                 *(f"{n.split('-')[0]} @ {base.INDEX.replace('/simple/', '/files/')}{n}" for n in ARCHIVES)]
PROJECTS = sorted({*base.PROJECTS, "archwheel", "archsdist", "gitpkg"})

#: uv flag variants: (options as the test reads them, `uv sync` flags, `uv pip install` flags, triples or None).
UV_FLAG_VARIANTS: list[tuple[dict, list[str], list[str], tuple[str, ...] | None]] = [
    ({"no_build": True}, ["--no-build"], ["--no-build"], None),
    ({"no_binary": [":all:"]}, ["--no-binary"], ["--no-binary", ":all:"],
     ("x86_64-manylinux_2_17", "aarch64-apple-darwin")),
    ({"no_binary": ["abi3pkg"], "only_binary": ["newglibc"], "no_install": ["wheelonly"]},
     ["--no-binary-package", "abi3pkg", "--no-build-package", "newglibc", "--no-install-package", "wheelonly"],
     ["--no-binary", "abi3pkg", "--only-binary", "newglibc"], None),
]


def profile_json(profile_id: str) -> str:
    profiles = json.loads(PLATFORMS.read_text())["profiles"]
    return json.dumps(next(p for p in profiles if p["id"] == profile_id))


def markers_in(site: Path) -> dict[str, str]:
    out = {}
    for project in PROJECTS:
        found = base.read_marker(site, project)
        if found is not None:
            out[project] = found
    return out


def pip_error(output: str) -> tuple[str, str]:
    """pip's first `ERROR:` line, and the indented line after it (a `HashErrors` group names its requirement there)."""
    lines = output.splitlines()
    for n, line in enumerate(lines):
        if line.startswith("ERROR:"):
            detail = lines[n + 1].strip() if n + 1 < len(lines) and lines[n + 1].startswith("    ") else ""
            return re.sub(r"\s+", " ", line.strip()), detail
    return (lines[-1].strip() if lines else ""), ""


def ask_pip(proj: Path, lock: str, python: str, profile: str | None, work: Path, flags: tuple[str, ...] = (),
            options: dict | None = None) -> dict:
    """pip 26.3 `install --dry-run --report -r LOCK [FLAGS]`; with `profile`, in the host-patched mode."""
    venv = PIP_VENVS[python]
    env = tool_env(work, {"PIP_CONFIG_FILE": os.devnull, "PYTHONNOUSERSITE": "1"})
    report, facts = work / "pip-report.json", work / "hostfacts.json"
    report.unlink(missing_ok=True)
    facts.unlink(missing_ok=True)
    if profile is not None:
        env.update({"PYTHONPATH": f"{PIP_MARKERS}{os.pathsep}{HOSTFACTS}", "TAGSIM_PROFILE": profile_json(profile),
                    "TAGSIM_HOSTFACTS_REPORT": str(facts)})
    code, out = base.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--isolated", "--no-cache-dir",
                          "--dry-run", "--report", str(report), "-r", lock, *flags], env, proj)
    entry: dict = {"installer": "pip==26.3", "platform": profile or base.HOST, "python": python,
                   "options": options or {},
                   "mode": "host-patched" if profile is not None else "host"}
    if profile is not None:
        patched = json.loads(facts.read_text())["patched"] if facts.exists() else []
        assert {"pip._vendor.packaging.tags", "pip._vendor.packaging.markers"} <= set(patched), (patched, out)
    if code == 0 and report.exists():
        data = json.loads(report.read_text())
        # A file names itself by its URL; a checkout or source tree (no `archive_info`) as the marker files do.
        files = {item["metadata"]["name"]: item["download_info"]["url"].rsplit("/", 1)[-1]
                 if "archive_info" in item["download_info"] else f"{item['metadata']['name']} (source tree)"
                 for item in data["install"]}
        entry.update({"status": "installed", "files": files})
    else:
        error, detail = pip_error(out)
        entry.update({"status": "error", "error": error, "detail": re.sub(r"/tmp/tagsim-locks-[^/ ]+", "/TMP", detail)})
    return entry


def uv_error(output: str) -> str:
    """uv's error line; for "Failed to determine installation plan" (uv-installer `plan.rs`), its cause line."""
    first = base.first_error(output)
    if first == "error: Failed to determine installation plan":
        cause = next((line.strip() for line in output.splitlines() if line.strip().startswith(("cause:", "Caused by:"))), "")
        return re.sub(r"^(cause|Caused by): ", "", cause) or first
    return first


def ask_uv_pylock(proj: Path, lock: str, triple: str, python: str, flags: list[str], work: Path) -> dict:
    profile, extra = {**base.TRIPLES, **base.REFUSED}[triple]
    fresh = work / f"uv-pylock-{triple}-{python}"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    code, out = base.run([base.uv_exe(), "pip", "install", "-r", lock, "--python-platform", triple,
                          "--python", str(interpreter(python)), "--target", str(fresh / "target"), *flags],
                         base.uv_env(fresh, extra), proj)
    entry = {"installer": f"uv=={base.UV_VERSION}", "triple": triple, "platform": profile, "python": python}
    entry.update({"status": "installed", "files": markers_in(fresh / "target")} if code == 0
                 else {"status": "error", "error": uv_error(out)})
    shutil.rmtree(fresh, ignore_errors=True)
    return entry


def ask_uv_sync(proj: Path, triple: str, python: str, flags: list[str], work: Path) -> dict:
    profile, extra = {**base.TRIPLES, **base.REFUSED}[triple]
    fresh = work / f"uv-sync-{triple}-{python}"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    env = base.uv_env(fresh, {**extra, "UV_PROJECT_ENVIRONMENT": str(fresh / "venv")})
    code, out = base.run([base.uv_exe(), "sync", "--frozen", "--python-platform", triple,
                          "--python", str(interpreter(python)), *flags], env, proj)
    entry = {"installer": f"uv=={base.UV_VERSION}", "triple": triple, "platform": profile, "python": python}
    entry.update({"status": "installed", "files": markers_in(base.site_of(fresh / "venv"))} if code == 0
                 else {"status": "error", "error": base.first_error(out)})
    shutil.rmtree(fresh, ignore_errors=True)
    return entry


def record_uv_flags(proj: Path, work: Path, answers: list[dict]) -> None:
    for options, sync_flags, pip_flags, only in UV_FLAG_VARIANTS:
        for triple in base.TRIPLES:
            if only is not None and triple not in only:
                continue
            answers.append({"step": "uvflags", "lock": "uv/uv.lock", "options": options,
                            **ask_uv_sync(proj, triple, "cp312", sync_flags, work)})
            pylock_options = {k: v for k, v in options.items() if k != "no_install"}
            answers.append({"step": "uvflags", "lock": "uv/pylock.nowheelonly.toml", "options": pylock_options,
                            **ask_uv_pylock(proj, "pylock.nowheelonly.toml", triple, "cp312", pip_flags, work)})


def record_pip_host(proj: Path, work: Path, answers: list[dict]) -> None:
    for lock in ("pylock.pip.toml", "pylock.pipnw.toml"):
        for python in base.PYTHONS:
            answers.append({"step": "piphost", "lock": f"uv/{lock}", **ask_pip(proj, lock, python, None, work)})
            for profile in [base.HOST, *(p for p, _ in base.TRIPLES.values())]:
                answers.append({"step": "piphost", "lock": f"uv/{lock}", **ask_pip(proj, lock, python, profile, work)})


#: pip format options with a pylock: (options as the test reads them, pip's flags). Only named packages: with
#: `--no-binary :all:` pip would also build the build backend from source, which the dummy index does not hold.
PIP_FLAG_VARIANTS: list[tuple[dict, tuple[str, ...]]] = [
    ({"no_binary": ["abi3pkg"]}, ("--no-binary", "abi3pkg")),
    ({"no_binary": ["abi3pkg", "wheelonly"]}, ("--no-binary", "abi3pkg,wheelonly")),
    ({"only_binary": ["abi3pkg"]}, ("--only-binary", "abi3pkg")),
]


def record_pip_flags(proj: Path, work: Path, answers: list[dict]) -> None:
    """`pipflags`: pip 26.3 with `--no-binary`/`--only-binary` and the uv-exported pylock, host-patched on
    three profiles (pip 26.3 `utils/pylock.py` turns them into `Pylock.select`'s `prefer_sdist_predicate`)."""
    for options, flags in PIP_FLAG_VARIANTS:
        for profile in (base.HOST, "linux-aarch64-glibc2.17", "macos14-arm64"):
            answers.append({"step": "pipflags", "lock": "uv/pylock.pip.toml",
                            **ask_pip(proj, "pylock.pip.toml", "cp312", profile, work, flags, options)})


def _git_repo(where: Path) -> Path:
    """A local git repository holding one buildable package (`gitpkg`), with fixed dates (a stable commit id)."""
    repo = where / "gitpkg"
    repo.mkdir(parents=True)
    (repo / "pyproject.toml").write_text(
        '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n\n'
        '[project]\nname = "gitpkg"\nversion = "0.1"\n')
    (repo / "backend.py").write_text(base._LOCAL_BACKEND.replace("localpkg", "gitpkg"))
    env = {**os.environ, "GIT_AUTHOR_DATE": "2020-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2020-01-01T00:00:00Z",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    for argv in (["git", "init", "-q", "-b", "main"], ["git", "add", "."], ["git", "commit", "-qm", "gitpkg"]):
        subprocess.run(argv, cwd=repo, env=env, check=True)
    return repo


#: The pylocks `pip lock` writes here: registry packages and archives; a vcs entry and a directory entry, each
#: alone and beside a registry package (pip installs a pylock in hash-checking mode only when some selected
#: entry carries hashes: pip 26.3 `cli/req_command.py`, `has_hash_options`).
PIP_LOCKS = {"pylock.toml": PIP_LOCK_REQS, "pylock.archive.toml": PIP_LOCK_REQS[-len(ARCHIVES):],
             "pylock.vcs.toml": ["gitpkg @ git+{git}"],
             "pylock.dir.toml": ["./localpkg"], "pylock.vcshashed.toml": ["gitpkg @ git+{git}", "forked==1.0"],
             "pylock.dirhashed.toml": ["./localpkg", "forked==1.0"]}


def record_pip_lock(work: Path, answers: list[dict]) -> None:
    proj = work / "piplock-proj"
    base.write_project(proj, "uv")  # for ./localpkg only: pip lock reads the requirements files below
    git = _git_repo(work)
    out_dir = base.OUT / "pip"
    out_dir.mkdir(parents=True, exist_ok=True)
    env = tool_env(work, {"PIP_CONFIG_FILE": os.devnull})
    for name, reqs in PIP_LOCKS.items():
        (proj / "req.txt").write_text("\n".join(r.format(git=git.as_uri()) for r in reqs) + "\n")
        code, out = base.run([str(PIP_VENVS["cp312"] / "bin" / "pip"), "lock", "--isolated", "--no-cache-dir",
                              "--index-url", base.INDEX, "-r", "req.txt", "-o", name], env, proj)
        assert code == 0, out
        shutil.copy(proj / name, out_dir / name)
    for name in PIP_LOCKS:
        every = name in ("pylock.toml", "pylock.archive.toml")  # the others: on this host and two uv triples
        profiles = [base.HOST, *(p for p, _ in base.TRIPLES.values())] if every else [base.HOST]
        for profile in profiles:
            answers.append({"step": "piplock", "lock": f"pip/{name}", **ask_pip(proj, name, "cp312", profile, work)})
        answers.append({"step": "piplock", "lock": f"pip/{name}", **ask_pip(proj, name, "cp312", None, work)})
        for triple in base.TRIPLES if every else ("x86_64-manylinux_2_17", "aarch64-apple-darwin"):
            for python in base.PYTHONS if every else ("cp312",):
                answers.append({"step": "piplock", "lock": f"pip/{name}", "options": {},
                                **ask_uv_pylock(proj, name, triple, python, [], work)})


def record_refusals(work: Path, answers: list[dict]) -> None:
    proj = work / "narrow-proj"
    proj.mkdir()
    (proj / "pyproject.toml").write_text(
        '[project]\nname = "narrow"\nversion = "0.1"\nrequires-python = ">=3.11"\ndependencies = ["abi3pkg"]\n\n'
        '[tool.uv]\npackage = false\nenvironments = ["sys_platform == \'darwin\'"]\n\n'
        f'[[tool.uv.index]]\nurl = "{base.INDEX}"\ndefault = true\n')
    code, out = base.run([base.uv_exe(), "lock", "--python", str(interpreter("cp312"))], base.uv_env(work), proj)
    assert code == 0, out
    code, out = base.run([base.uv_exe(), "export", "--frozen", "--format", "pylock.toml", "-o", "pylock.toml"],
                         base.uv_env(work), proj)
    assert code == 0, out
    (base.OUT / "narrow").mkdir(parents=True, exist_ok=True)
    for name in ("uv.lock", "pylock.toml"):
        shutil.copy(proj / name, base.OUT / "narrow" / name)
    for triple, python in (("aarch64-apple-darwin", "cp310"), ("x86_64-manylinux_2_17", "cp312"),
                           ("aarch64-apple-darwin", "cp312")):
        answers.append({"step": "refusal", "lock": "narrow/uv.lock", "options": {},
                        **ask_uv_sync(proj, triple, python, [], work)})
        answers.append({"step": "refusal", "lock": "narrow/pylock.toml", "options": {},
                        **ask_uv_pylock(proj, "pylock.toml", triple, python, [], work)})
    for python in base.PYTHONS:
        answers.append({"step": "refusal", "lock": "narrow/pylock.toml", **ask_pip(proj, "pylock.toml", python, None, work)})
    answers.append({"step": "refusal", "lock": "narrow/pylock.toml",
                    **ask_pip(proj, "pylock.toml", "cp312", "macos14-arm64", work)})


#: pdm locks beyond the plain one: (fixture folder, `pdm lock` runs, what the test reads as options).
PDM_LOCKS: dict[str, list[list[str]]] = {
    "pdm-static": [["-S", "static_urls"]],
    "pdm-targets": [["--platform", "manylinux_2_17_x86_64", "--python", "==3.12.*"],
                    ["--append", "--platform", "windows_amd64", "--python", "==3.12.*"]],
    "pdm-foreign": [["--platform", "windows_amd64", "--python", "==3.12.*"],
                    ["--append", "--platform", "macos_arm64", "--python", "==3.12.*"]],
}


def record_pdm_targets(work: Path, answers: list[dict]) -> None:
    name, version = base.PDM.split("==")
    venv = tool_venv(name, version)
    if venv is None:
        answers.append({"step": "pdmtargets", "lock": "pdm-static/pdm.lock", "installer": base.PDM,
                        "platform": base.HOST, "python": "cp312", "status": "missing",
                        "note": f"{base.PDM} could not be installed here"})
        return
    pdm = str(venv / "bin" / "pdm")
    for folder, runs in PDM_LOCKS.items():
        proj = work / f"{folder}-proj"
        base.write_project(proj, "pdm")
        env = tool_env(work, {"PDM_IGNORE_SAVED_PYTHON": "1"})
        code, out = base.run([pdm, "use", "-f", str(interpreter("cp312"))], env, proj)
        assert code == 0, out
        for flags in runs:
            code, out = base.run([pdm, "lock", "-G", ":all:", *flags], env, proj)
            assert code == 0, (folder, flags, out)
        code, out = base.run([pdm, "sync", "-G", ":all:"], env, proj)
        (base.OUT / folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(proj / "pdm.lock", base.OUT / folder / "pdm.lock")
        entry = {"step": "pdmtargets", "lock": f"{folder}/pdm.lock", "installer": base.PDM, "platform": base.HOST,
                 "python": "cp312", "options": {"all_extras": True, "groups": ["dev"]},
                 "lock_flags": [" ".join(f) for f in runs]}
        if code == 0:
            entry.update({"status": "installed", "files": markers_in(base.site_of(proj / ".venv"))})
        else:
            entry.update({"status": "error", "error": base.first_error(out), "output": out[-1500:]})
        answers.append(entry)
