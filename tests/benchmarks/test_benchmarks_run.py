"""CI runs every benchmark once, briefly, so none can rot. Nothing about speed is asserted."""

from __future__ import annotations

import pytest

from otel_resource_identity import entity_merge_enabled

import run_benchmarks


def test_the_benchmarks_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_benchmarks.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "SDK plain merge" in out
    assert "flag on, 7 entities + 3 user attributes" in out
    assert not entity_merge_enabled()
