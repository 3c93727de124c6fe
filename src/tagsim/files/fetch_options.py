"""How to fetch (timeout, retries, offline, cache folder): options a run builds whether or not it fetches.

Apart from `remote`, so that making them imports nothing of the network stack: `remote` (http.client,
ssl, urllib) loads only when something is fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 15.0
    retries: int = 2
    offline: bool = False
    cache_dir: Path | None = None
    backoff: float = 0.5

    def cache_root(self) -> Path | None:
        """Where pages are cached; None when there is no sensible place (`cache.default_root` says why)."""
        from . import cache  # hashlib: only when the cache is used

        return self.cache_dir if self.cache_dir is not None else cache.default_root()[0]
