"""Shared fixtures: the bundled profiles and a few interpreters."""

from __future__ import annotations

import pytest

from tagsim.profiles import Profile, bundled_profiles


@pytest.fixture(scope="session")
def profiles() -> dict[str, Profile]:
    return bundled_profiles()
