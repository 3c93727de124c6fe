"""Loading recorded real-installer fixtures and the pinned list of known divergences."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
FIXTURES = ROOT / "fixtures"


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def fixture_files(kind: str) -> list[Path]:
    return sorted((FIXTURES / kind).glob("*.json"))


def known_divergences() -> dict[str, str]:
    """`{"<kind>/<installer>/<case id>": "reason"}`: pinned, so the set cannot grow silently."""
    path = ROOT / "known_divergences.json"
    return {k: v for k, v in load_json(path).items() if not k.startswith("_")} if path.exists() else {}
