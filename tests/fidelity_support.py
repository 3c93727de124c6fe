"""Loading recorded real-installer fixtures and the pinned list of known divergences."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tagsim.errors import NotModelledError

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


def assert_matches_recording(key: str, result: dict[str, Any], predict: Callable[[], tuple[str | None, str]]) -> None:
    """tagsim's file for one recorded case equals the real installer's, unless pinned as a divergence.

    `predict` returns (chosen filename or None, a line for the failure message). A pinned case that
    starts to agree fails too, so the list of divergences cannot go stale or grow silently.
    """
    divergence = known_divergences().get(key)
    expected = result["file"] if result["status"] == "chosen" else None
    try:
        ours, why = predict()
    except NotModelledError as exc:
        assert divergence is not None, f"tagsim refuses a scenario the real installer answered: {exc}"
        return
    if divergence is not None:
        assert ours != expected, f"{key} is listed as a known divergence but now agrees: remove it"
        return
    assert ours == expected, f"{key}: the real installer chose {expected}; tagsim says {ours} ({why})"
