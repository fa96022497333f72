"""A small side-by-side timer: every figure is a ratio measured in one run.

Shared machines are noisy, so absolute times mean little across runs. Cases are
timed interleaved, round after round, and each is reported as the median time
per call with its spread (the interquartile range over rounds), and as the
median of its per-round ratio to the baseline case.
"""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class CaseResult:
    name: str
    median_seconds: float
    spread_seconds: float
    ratio: float


def quartile_spread(values: list[float]) -> float:
    if len(values) < 4:
        return max(values) - min(values)
    quartiles = statistics.quantiles(values, n=4)
    return quartiles[2] - quartiles[0]


def compare(cases: Mapping[str, Callable[[], object]], *, baseline: str, rounds: int, number: int) -> list[CaseResult]:
    """Time each case ``number`` calls per round for ``rounds`` rounds, interleaved."""
    per_call: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, case in cases.items():
            started = time.perf_counter()
            for _ in range(number):
                case()
            per_call[name].append((time.perf_counter() - started) / number)
    base = per_call[baseline]
    return [
        CaseResult(
            name,
            statistics.median(times),
            quartile_spread(times),
            statistics.median(t / b for t, b in zip(times, base, strict=True)),
        )
        for name, times in per_call.items()
    ]


def machine() -> str:
    return (
        f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()} ({platform.system()})"
    )


def table(title: str, results: list[CaseResult]) -> str:
    width = max(len(result.name) for result in results)
    lines = [title, f"  {'case':<{width}}  {'median':>10}  {'spread':>10}  {'ratio':>6}"]
    for result in results:
        lines.append(
            f"  {result.name:<{width}}  {result.median_seconds * 1e6:8.2f}µs  "
            f"{result.spread_seconds * 1e6:8.2f}µs  {result.ratio:6.2f}"
        )
    return "\n".join(lines)
