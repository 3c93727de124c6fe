"""Shared pieces of the fuzz campaigns (tests/fuzz/test_fuzz_*.py): budgets, counters, the outcome rule.

Budgets: `TAGSIM_FUZZ` unset (or `ci`) runs a modest number of examples per campaign, so the
whole fuzz part of the suite stays well under a minute; `TAGSIM_FUZZ=large` runs the on-demand
campaign (over 100k inputs in total), with no deadline. `TAGSIM_FUZZ_REPORT=FILE` writes how many
inputs each campaign ran, and the peak memory measured on the largest hostile inputs, as JSON
when the session ends (docs/robustness.md records a large run).
"""

from __future__ import annotations

import atexit
import json
import os
import resource
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings

from tagsim.errors import TagsimError

LEVEL = os.environ.get("TAGSIM_FUZZ", "ci").strip().lower() or "ci"
if LEVEL not in ("ci", "large"):
    raise RuntimeError(f"TAGSIM_FUZZ must be 'ci' or 'large', got {LEVEL!r}")
LARGE = LEVEL == "large"

#: Inputs each campaign actually ran (every example body counts itself).
COUNTS: Counter[str] = Counter()
#: Peak memory figures (bytes) measured by the hostile-input tests.
PEAKS: dict[str, int] = {}

F = TypeVar("F", bound=Callable[..., Any])


def budget(ci: int, large: int) -> int:
    return large if LARGE else ci


def fuzz(ci: int, large: int, **extra: Any) -> Callable[[F], F]:
    """Hypothesis settings for one campaign: `ci` examples by default, `large` with TAGSIM_FUZZ=large."""
    return settings(max_examples=budget(ci, large), deadline=None, derandomize=not LARGE,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
                    database=None, **extra)


def count(campaign: str, n: int = 1) -> None:
    COUNTS[campaign] += n


def peak(label: str, value: int) -> None:
    PEAKS[label] = max(PEAKS.get(label, 0), value)


def result_or_tagsim_error(fn: Callable[[], Any]) -> tuple[Any, TagsimError | None]:
    """The only outcomes allowed: a result, or tagsim's own error with a one-line message."""
    try:
        return fn(), None
    except TagsimError as exc:
        text = str(exc)
        assert text and "\n" not in text, f"error message is empty or not one line: {text!r}"
        assert "Traceback" not in text
        return None, exc


def _report() -> None:
    path = os.environ.get("TAGSIM_FUZZ_REPORT")
    if not path or not COUNTS:
        return
    maxrss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    record = {"level": LEVEL, "campaigns": dict(sorted(COUNTS.items())), "total": sum(COUNTS.values()),
              "peaks_bytes": PEAKS, "process_maxrss_bytes": maxrss_kib * 1024}
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(record, handle, indent=2)
        handle.write("\n")


atexit.register(_report)
