"""Record real `pip debug --verbose` outputs in host-patched mode, for tagsim's pip debug reader.

    python tools/fidelity/record_pip_debug.py            # every (pip, profile) below
    python tools/fidelity/record_pip_debug.py --check    # re-run and compare with the saved files

Each output is the whole text a user would send (`pip debug --verbose > box.txt`), printed by a real
pip whose host facts are patched to the profile (tools/fidelity/pip_hostfacts, as record_pip_tags.py
does; TAGSIM_HOSTFACTS_DEBUG_COMMAND=1 also patches the debug command's own `sys`, so the printed
`sys.platform` is the profile's). Saved to tests/fixtures/pip_debug/<profile>--pip-<version>.txt,
with the machine-specific paths replaced by `<venv>` so the files do not depend on this machine.
The venvs are those of record_pip_tags.py (~/.cache/tagsim/installers/pip-<ver>-py<X.Y>).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from record_pip_tags import clean_env, ensure_venv, load_profiles  # noqa: E402

FIXTURES = HERE.parent.parent / "tests" / "fixtures" / "pip_debug"
#: pip version -> the interpreter it runs on (old pips on the Pythons of their time).
PIPS = {"20.3.4": "3.8", "21.3.1": "3.9", "24.0": "3.12", "26.3": "3.12"}
PROFILES = ["linux-aarch64-glibc2.17", "linux-x86_64-musl1.1", "macos11-arm64", "windows-amd64"]


def record(pip: str, profile: dict) -> str:
    py = ensure_venv(pip, PIPS[pip])
    env = {**clean_env(profile), "TAGSIM_HOSTFACTS_DEBUG_COMMAND": "1"}
    out = subprocess.run([py, "-m", "pip", "--isolated", "debug", "--verbose"], env=env, capture_output=True,
                         text=True, timeout=120, cwd=tempfile.gettempdir(), check=True).stdout
    venv = str(Path(py).parent.parent)
    return out.replace(venv, "<venv>")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the saved outputs instead of writing")
    args = parser.parse_args()
    profiles = {p["id"]: p for p in load_profiles()}
    FIXTURES.mkdir(parents=True, exist_ok=True)
    bad = 0
    for pip in PIPS:
        for pid in PROFILES:
            text = record(pip, profiles[pid])
            path = FIXTURES / f"{pid}--pip-{pip}.txt"
            if args.check:
                same = path.exists() and path.read_text(encoding="utf-8") == text
                bad += not same
                print(f"{path.name}: {'same' if same else 'DIFFERENT'}")
            else:
                path.write_text(text, encoding="utf-8")
                print(f"{path.name}: {text.count(chr(10))} lines")
    (FIXTURES / "recorded.json").write_text(json.dumps(
        {"pips": PIPS, "profiles": PROFILES, "host": os.uname().machine, "tool": "tools/fidelity/record_pip_debug.py"},
        indent=2) + "\n", encoding="utf-8")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
