"""Every example runs, and prints what the README says it does."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT, clean_environment


@pytest.mark.subprocess
def test_entities_in_code() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "entities_in_code.py")],
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(":", 1) for line in done.stdout.splitlines())
    assert "'host.name': 'web-1'" in lines["SDK plain merge"]
    expected = "{'service.name': 'shop', 'host.id': 'my-host', 'deployment.environment.name': 'prod'}"
    assert lines["entity-aware merge"].strip() == expected
    assert lines["entities"].strip() == "['service']"
    assert lines["provider resource"].strip() == expected
