"""CI runs every benchmark once, briefly, so none can rot. Nothing about speed is asserted."""

from __future__ import annotations

import importlib.util

import pytest

from otel_resource_identity import entity_merge_enabled

import run_benchmarks


def test_the_benchmarks_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_benchmarks.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "SDK plain merge" in out
    assert "predict: identity (no rule matches)" in out
    assert "ResourceIdentitySpanProcessor" in out
    assert not entity_merge_enabled()


@pytest.mark.skipif(importlib.util.find_spec("pyinstrument") is None, reason="pyinstrument comes with the bench extra")
def test_the_profiles_run(capsys: pytest.CaptureFixture[str]) -> None:
    import profile_hot_paths

    assert profile_hot_paths.main(200) == 0
    out = capsys.readouterr().out
    assert "===== predict" in out
    assert "===== PlatformDetector off every platform" in out
