"""`tagsim verify`: ask the real pip or uv which file it picks, and compare with tagsim.

One scenario = a file set + a platform profile + an interpreter + flags + a requirement.
For each installer executable:

1. `verify.dummy_index.build_index` writes tiny valid wheels and sdists with those filenames into a
   throwaway PEP 503 index (`file://…/simple`, so `data-requires-python` and `data-yanked`
   reach the installer; a `--find-links` directory listing carries neither, and uv ignores
   yanked on find-links).
2. An emulation *plan* says how the installer is asked about the profile, or why it cannot be
   asked faithfully:
   - pip: native when the profile is this machine and pip runs on the scenario's interpreter;
     otherwise `--platform` repeated in the order that pip itself computes for the profile,
     plus `--python-version`, `--implementation` and `--abi`. Every flagged plan is checked:
     the tag list pip computes with those flags (at its own Python) must rank the scenario's
     tag kinds exactly like the list pip computes natively, re-platformed to the profile.
   - uv: `--python-platform` for a target that exists in that uv version (read from its own
     `--help`), with a real interpreter of the scenario's version as `--python`.
3. The installer runs offline (`--isolated`, empty `PIP_CONFIG_FILE`, `UV_NO_CONFIG`, fresh
   caches, no `PIP_*`/`UV_*` variables), with a timeout, in a temporary directory that is
   removed afterwards. The file it saved (pip download) or the marker the installed dummy
   carries (uv) is its answer.
4. The answer is compared with `choice.decide` for the same installer version.

A missing installer, a crash or a timeout is reported as such, never as an agreement or a
disagreement; nor is a scenario that the installer cannot emulate (`not-emulable`, with why).

Modules: `scenario` (what is asked, statuses), `process`, `machine` (installers and Pythons here),
`plan` (emulation plans), `pip`, `uv` (asking each), `comparison`, `dummy_index`.
May import: `tagsim.choice`, `tagsim.files`, `tagsim.tags`, `tagsim.platform`, `tagsim.errors`.
"""

from importlib import import_module
from typing import Any

_LAZY = {
    "AGREE": "scenario",
    "Answer": "scenario",
    "CHOSEN": "scenario",
    "CRASHED": "scenario",
    "Completed": "process",
    "DEFAULT_TIMEOUT": "process",
    "DISAGREE": "scenario",
    "ERROR": "scenario",
    "Emulator": "comparison",
    "InstallerExe": "machine",
    "InstallerProblem": "machine",
    "MISSING": "scenario",
    "NOT_EMULABLE": "scenario",
    "NOT_MODELLED": "scenario",
    "NO_MATCH": "scenario",
    "Pythons": "machine",
    "RealAnswer": "scenario",
    "STATUSES": "scenario",
    "Scenario": "scenario",
    "Status": "scenario",
    "TIMEOUT": "scenario",
    "Verification": "scenario",
    "ask": "comparison",
    "clean_env": "process",
    "compare": "comparison",
    "detect_installer": "machine",
    "emulator_for": "comparison",
    "host_profile": "machine",
    "index_files": "scenario",
    "predict": "comparison",
    "run_command": "process",
    "verify": "comparison",
}

__all__ = [
    "AGREE", "CHOSEN", "CRASHED", "DEFAULT_TIMEOUT", "DISAGREE", "ERROR", "MISSING", "NOT_EMULABLE", "NOT_MODELLED",
    "NO_MATCH", "STATUSES", "TIMEOUT", "Answer", "Completed", "Emulator", "InstallerExe", "InstallerProblem",
    "Pythons", "RealAnswer", "Scenario", "Status", "Verification", "ask", "clean_env", "compare", "detect_installer",
    "emulator_for", "host_profile", "index_files", "predict", "run_command", "verify",
]


def __getattr__(name: str) -> Any:
    """Names load on first use: renderers import `verify.scenario` without the HTTP server and subprocesses."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tagsim.verify' has no attribute {name!r}")
    return getattr(import_module(f".{module}", __name__), name)
