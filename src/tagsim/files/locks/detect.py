"""Which lock format a file is, by its name and its content, and `read_lock`, the one entry point.

Names: `uv.lock`, `pylock.toml` and `pylock.<name>.toml` (PEP 751's `pylock\\.([^.]+)\\.toml`, as
packaging `is_valid_pylock_path`), `poetry.lock`, `pdm.lock`. A renamed lock (`locks/linux.lock`,
`ci.toml`) is recognised by its top-level keys: `lock-version` + `packages` (pylock), `version` +
`package` (uv), `[metadata] lock-version` (poetry), `[metadata] lock_version` (pdm).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ...errors import SourceError
from .model import LockFile, LockFormat
from .pdm_lock import read_pdm_lock
from .poetry_lock import read_poetry_lock
from .pylock import read_pylock
from .reading import parse_toml, read_text
from .uv_lock import read_uv_lock

_PYLOCK_NAME = re.compile(r"^pylock\.([^.]+)\.toml$")
_NAMES = {"uv.lock": LockFormat.UV, "pylock.toml": LockFormat.PYLOCK, "poetry.lock": LockFormat.POETRY,
          "pdm.lock": LockFormat.PDM}
#: Text that a lock of each format has near its top or its first package (content sniffing, first 64 KB).
_SNIFF = re.compile(rb"^\s*(lock-version|lock_version|\[\[package\]\]|\[\[packages\]\])", re.MULTILINE)
_READERS: dict[LockFormat, Callable[[dict[str, object], str, str], LockFile]] = {
    LockFormat.UV: read_uv_lock, LockFormat.PYLOCK: read_pylock, LockFormat.POETRY: read_poetry_lock,
    LockFormat.PDM: read_pdm_lock,
}


def format_by_name(path: str) -> LockFormat | None:
    name = Path(path).name
    if name in _NAMES:
        return _NAMES[name]
    return LockFormat.PYLOCK if _PYLOCK_NAME.match(name) else None


def looks_like_lock(path: str) -> bool:
    """A lock by name, or a `.lock`/`.toml` file whose first 64 KB read like one (for `sources.classify`)."""
    if format_by_name(path) is not None:
        return True
    if not path.endswith((".lock", ".toml")):
        return False
    try:
        with open(path, "rb") as handle:
            return _SNIFF.search(handle.read(65536)) is not None
    except OSError:
        return False


def format_by_content(doc: dict[str, object]) -> LockFormat | None:
    meta = doc.get("metadata")
    if "lock-version" in doc and "packages" in doc:
        return LockFormat.PYLOCK
    if "version" in doc and ("package" in doc or "requires-python" in doc):
        return LockFormat.UV
    if isinstance(meta, dict) and "lock-version" in meta:
        return LockFormat.POETRY
    if isinstance(meta, dict) and "lock_version" in meta:
        return LockFormat.PDM
    return None


def read_lock(path: str) -> LockFile:
    """The lock at `path`, whatever its format; a malformed one is one `SourceError` at `file:line`."""
    text = read_text(path)
    doc = parse_toml(text, path)
    fmt = format_by_name(path) or format_by_content(doc)
    if fmt is None:
        raise SourceError("not a lock file tagsim reads (uv.lock, pylock.toml, poetry.lock, pdm.lock)", where=path)
    return _READERS[fmt](doc, text, path)
