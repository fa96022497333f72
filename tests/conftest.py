"""Shared test fixtures.

The entity flag is process-wide state; every test starts and ends with the SDK's
own ``Resource.merge`` in place, so no test depends on another's order.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from otel_resource_identity import disable_entity_merge

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _sdk_merge_restored() -> Iterator[None]:
    disable_entity_merge()
    yield
    disable_entity_merge()


@pytest.fixture(autouse=True)
def _no_settings_from_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests set what they need; nothing leaks in from the shell running them.
    for key in list(os.environ):
        if key.startswith(("OTEL_", "RESOURCE_IDENTITY_")):
            monkeypatch.delenv(key)


def clean_environment(**variables: str) -> dict[str, str]:
    """The process environment without OpenTelemetry settings, plus ``variables``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "RESOURCE_IDENTITY_"))}
    env.update(variables)
    return env


def run_python(code: str, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter of this environment; fail loudly if it fails."""
    done = subprocess.run(
        [sys.executable, "-c", code], env=dict(env), capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done
