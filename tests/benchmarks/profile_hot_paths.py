"""Profile the hot paths with pyinstrument: ``python tests/benchmarks/profile_hot_paths.py``.

The paths that run per resource or per span: ``predict`` (a resource no rule
matches, so every rule is tried), the span and log record processors, the
entity-aware merge, and one off-platform ``PlatformDetector`` detection. Prints
one call tree per path; use it before and after a change that should be faster.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pyinstrument import Profiler

from otel_resource_identity import (
    PlatformDetector,
    ResourceIdentityLogRecordProcessor,
    ResourceIdentitySpanProcessor,
    predict,
)

import bench_merge
import bench_predict
import bench_processors


def _paths() -> dict[str, Callable[[], object]]:
    merge_cases = bench_merge.cases()
    span_case = bench_processors._span_case(ResourceIdentitySpanProcessor())
    log_case = bench_processors._log_case(ResourceIdentityLogRecordProcessor())
    return {
        "predict (identity: every rule tried)": lambda: predict(bench_predict.IDENTITY),
        "span start and end with the span processor": span_case,
        "log record emit with the log record processor": log_case,
        "entity-aware merge, 7 entities + 3 user attributes": merge_cases["flag on, 7 entities + 3 user attributes"],
        "PlatformDetector off every platform": lambda: PlatformDetector(cache=False).detect(),
    }


def main(iterations: int = 20000) -> int:
    for name, path in _paths().items():
        count = iterations if "PlatformDetector" not in name else max(1, iterations // 100)
        profiler = Profiler(interval=0.0001)
        profiler.start()
        for _ in range(count):
            path()
        profiler.stop()
        print(f"\n===== {name} ({count} calls)")
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000))
