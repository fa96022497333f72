"""Run the agreement harness outside pytest, to refresh the Agreement page or to see drift.

    python tests/agreement/drift.py            # pinned peers: print disagreements without a reason
    python tests/agreement/drift.py --write    # pinned peers: rewrite the matrix in docs/agreement.md
    python tests/agreement/drift.py --newest   # the peers' newest releases, installed into a fresh
                                               # virtual environment and npm folder: print every
                                               # cell that differs from the page, and failures

Run it with the Python that has this package and its test extras installed. ``--newest``
reaches the package registries (pip and npm) and changes nothing of the project.
"""

from __future__ import annotations

import argparse
import difflib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from cases import CASES  # noqa: E402 - after the path set-up above
from matrix import PY_DISTRIBUTIONS, cells, page_matrix, render, stale_rows, write_page  # noqa: E402
from runners import NODE_DIR, OURS, Outcome, run_case  # noqa: E402


def _newest_peers(where: Path) -> tuple[str, Path]:
    """A virtual environment and an npm folder with the peers' newest releases."""
    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "--quiet", *PY_DISTRIBUTIONS.values()], check=True)
    node_dir = where / "node"
    node_dir.mkdir()
    shutil.copyfile(NODE_DIR / "run.cjs", node_dir / "run.cjs")
    shutil.copyfile(NODE_DIR / "package.json", node_dir / "package.json")
    packages = ["@opentelemetry/api", "@opentelemetry/resources"] + [
        f"@opentelemetry/resource-detector-{name}"
        for name in ("alibaba-cloud", "aws", "azure", "container", "gcp", "github")
    ]
    subprocess.run(
        ["npm", "install", "--silent", "--no-audit", "--no-fund", *(f"{p}@latest" for p in packages)],
        cwd=node_dir,
        check=True,
    )
    return python, node_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="rewrite the matrix in docs/agreement.md")
    parser.add_argument("--newest", action="store_true", help="run the peers' newest releases")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        python, node_dir = sys.executable, NODE_DIR
        if options.newest:
            python, node_dir = _newest_peers(Path(scratch))
        outcomes: list[Outcome] = []
        for number, case in enumerate(CASES):
            outcomes.append(run_case(case, Path(scratch) / f"case{number}", python=python, node_dir=node_dir))
        all_cells = [cell for outcome in outcomes for cell in cells(outcome)]
        matrix = render(outcomes, all_cells, node_dir)
    failures = [cell.failure for cell in all_cells if cell.failure]
    ran = {(o.case.name, peer) for o in outcomes for peer in o.reported if peer != OURS}
    failures += stale_rows(all_cells, ran)
    for outcome in outcomes:
        for peer, why in outcome.skipped.items():
            print(f"skipped {peer} in {outcome.case.name}: {why}")
    if options.write:
        write_page(matrix)
        print("docs/agreement.md: matrix rewritten")
    elif options.newest:
        page = page_matrix().splitlines()
        drift = list(difflib.unified_diff(page, matrix.splitlines(), "page", "newest", lineterm=""))
        print("\n".join(drift) if drift else "no drift: the newest peers report what the page shows")
    for failure in failures:
        print(f"FAILURE: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
