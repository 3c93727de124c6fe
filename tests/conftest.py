"""Shared fixtures: the bundled profiles and a few interpreters."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Tests live in one folder per pipeline stage (tests/tags, tests/choice, ...); the shared helpers
# (fidelity_support, fuzz_support, index_server) stay here, importable from every folder.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tagsim.platform.profile import Profile
from tagsim.platform.profile_file import bundled_profiles

# No per-example deadline: the first example pays for cold caches (tag lists, imports), which on
# a loaded 2-core CI machine took 389 ms once and failed a 200 ms deadline. Speed lives in benchmarks/.
settings.register_profile("tagsim", deadline=None)
settings.load_profile("tagsim")


@pytest.fixture(scope="session")
def profiles() -> dict[str, Profile]:
    return bundled_profiles()
