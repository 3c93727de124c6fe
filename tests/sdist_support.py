"""Building small sdists in memory for tests, and the recorded real ones (tests/fixtures/sdists/)."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sdists"
RECORDED: dict[str, Any] = json.loads((FIXTURES / "sdists.json").read_text())
REAL_DIR = Path.home() / ".cache" / "tagsim" / "sdists"
FETCH_HINT = "run `python tools/fidelity/sdists/record_sdists.py` once (network) to fetch the real sdists"


def tar_gz(members: dict[str, bytes | str]) -> bytes:
    """A tar.gz of regular files, in order."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, body in members.items():
            data = body.encode() if isinstance(body, str) else body
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def rebuilt(record: dict[str, Any]) -> bytes:
    """A recorded real sdist rebuilt: every member name, empty, but the build files with their real text."""
    texts = record["texts"]
    return tar_gz({name: texts.get(name, b"") for name in record["members"] if not name.endswith("/")})


def recorded(filename: str) -> dict[str, Any]:
    return next(r for r in RECORDED["sdists"] if r["filename"] == filename)
