"""Run the benchmarks and print their tables: ``python tests/benchmarks/run_benchmarks.py``.

``--quick`` runs every benchmark briefly (what CI does, so they never rot);
speed is reported, never asserted. The peers are compared when the ``bench``
extra is installed (``pip install -e '.[test,bench]'``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_startup

import bench_detection
import bench_merge
import bench_predict
import bench_processors
from harness import machine, table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few iterations only: checks that they run")
    arguments = parser.parse_args(argv)
    quick = arguments.quick
    rounds, number = (3, 5) if quick else (41, 2000)
    print(f"Machine: {machine()}")
    print("Every ratio is the median of per-round ratios to the baseline row, measured in this run.\n")
    print(table("Entity-aware merge against the SDK's plain merge", bench_merge.run(rounds, number)))
    print()
    print(
        table(
            "predict() on a 20-attribute resource against a SHA-256 of its sorted JSON",
            bench_predict.run(rounds, number),
        )
    )
    for title, results in bench_processors.run(rounds, number):
        print()
        print(table(f"Stamping: {title}, against the minimal processor", results))
    if not bench_detection.peers_installed():
        print("\nThe peers are not installed (the 'bench' extra); detection comparisons skipped.")
        return 0
    print("\nDetection, first in a fresh process (median and spread over rounds; ratio ours / peers)")
    print(f"  {'scenario':<62} {'ours':>16} {'peers':>16} {'ratio':>6}  warnings ours/peers")
    for sides in bench_detection.detection(3 if quick else 15):
        ours = f"{sides.ours[0] * 1000:.2f}±{sides.ours[1] * 1000:.2f} ms"
        peers = f"{sides.peers[0] * 1000:.2f}±{sides.peers[1] * 1000:.2f} ms"
        print(f"  {sides.title:<62} {ours:>16} {peers:>16} {sides.ratio:6.2f}  {sides.warnings[0]}/{sides.warnings[1]}")
    print("\nDetection when the ECS endpoint hangs: seconds until start-up continues")
    for name, seconds in bench_detection.hung_endpoint(quick).items():
        print(f"  {name:<40} {seconds:8.2f} s")
    startup_rounds = 3 if quick else 15
    print("\nStart-up, whole processes (median of fresh interpreters; ours / baseline)")
    for pair in (*bench_startup.instrumented_app(startup_rounds), *bench_startup.whole_process(startup_rounds)):
        print(
            f"  {pair.title:<62} {pair.ours * 1000 if pair.ours < 10 else pair.ours:10.2f} "
            f"{pair.baseline * 1000 if pair.baseline < 10 else pair.baseline:10.2f} {pair.ratio:6.2f}  {pair.extra}"
        )
    signals = bench_startup.new_platform_signals(startup_rounds)
    print(f"  {signals.title:<62} {signals.ours * 1000:10.2f} {signals.baseline * 1000:10.2f} {signals.ratio:6.2f}")
    first = bench_startup.first_detection(startup_rounds)
    print(f"  {'first PlatformDetector().detect() off-platform, imports included':<62} {first * 1000:10.2f} ms")
    print("\nImport time over opentelemetry.sdk.trace (median of fresh interpreters)")
    for name, seconds in bench_detection.import_time(3 if quick else 15).items():
        print(f"  {name:<40} {seconds * 1000:8.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
