"""iOS (PEP 730) and Android (PEP 738) platform tags; packaging and uv agree on both."""

from __future__ import annotations

from collections.abc import Iterator


def ios_platforms(version: tuple[int, int], multiarch: str) -> Iterator[str]:
    """packaging 24.2 `ios_platforms` / uv 0.8.16: X.Y down to X.0, then older majors (minors 9..0) to 12."""
    if version[0] < 12:
        return
    for minor in range(version[1], -1, -1):
        yield f"ios_{version[0]}_{minor}_{multiarch}"
    for major in range(version[0] - 1, 11, -1):
        for minor in range(9, -1, -1):
            yield f"ios_{major}_{minor}_{multiarch}"


def android_platforms(api_level: int, abi: str) -> Iterator[str]:
    """packaging 25.0 `android_platforms` / uv 0.8.16: API level down to 16."""
    for level in range(api_level, 15, -1):
        yield f"android_{level}_{abi}"
