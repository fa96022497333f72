"""Run the benchmarks and print their tables: ``python tests/benchmarks/run_benchmarks.py``.

``--quick`` runs every benchmark briefly (what CI does, so they never rot);
speed is reported, never asserted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_merge
from harness import machine, table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few iterations only: checks that they run")
    arguments = parser.parse_args(argv)
    rounds, number = (3, 5) if arguments.quick else (41, 2000)
    print(f"Machine: {machine()}; {rounds} rounds; ratios are medians of per-round ratios to the first row\n")
    print(table("Entity-aware merge against the SDK's plain merge", bench_merge.run(rounds, number)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
