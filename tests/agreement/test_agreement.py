"""This package and the maintained peers, run for real on the same inputs, agree.

Every case of ``cases.py`` runs through this package and through each peer that covers its
platform (the Python peers installed from the package index, the JS peers by node from the
npm lock). Every attribute both report agrees, or is a row of ``differences.py`` with its
reason; the Agreement page (docs/agreement.md) shows the matrix this run produces.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cases import CASES, Case
from matrix import Cell, cells, page_matrix, render, stale_rows
from runners import NODE_MISSING, OURS, Outcome, run_case

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    return {case.name: run_case(case, tmp_path_factory.mktemp("agreement")) for case in CASES}


def _all_cells(outcomes: dict[str, Outcome]) -> list[Cell]:
    return [cell for outcome in outcomes.values() for cell in cells(outcome)]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_this_package_agrees_with_every_peer(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[case.name]
    assert outcome.reported[OURS], "this package detected nothing"
    failures = [cell.failure for cell in cells(outcome) if cell.failure]
    assert not failures, "\n".join(str(failure) for failure in failures)
    # Every peer of the case ran and reported something (a sandbox that silently broke would
    # make every case "agree").
    quiet = [peer for peer in case.peers if peer not in outcome.skipped and not outcome.reported.get(peer)]
    assert sorted(quiet) == sorted(p for p in case.silent if p not in outcome.skipped), "peers that reported nothing"
    if outcome.skipped:
        pytest.skip("; ".join(sorted(set(outcome.skipped.values()))))


def test_the_three_examples_of_the_report_agree(outcomes: dict[str, Outcome]) -> None:
    """Compute Engine host.type, ECS log group ARNs, App Service and Functions display-name regions."""
    found = {
        (cell.case, cell.attribute): cell.status
        for cell in _all_cells(outcomes)
        if cell.peer.startswith("py:") or cell.peer.startswith("js:")
    }
    for key in [
        ("Compute Engine", "host.type"),
        ("ECS on EC2", "aws.log.group.arns"),
        ("ECS on Fargate", "aws.log.group.arns"),
        ("App Service", "cloud.region"),
        ("Functions", "cloud.region"),
    ]:
        assert found[key] == "agrees", key
    assert outcomes["App Service"].reported[OURS]["cloud.region"] == "West Europe"


def test_no_row_of_the_differences_table_is_stale(outcomes: dict[str, Outcome]) -> None:
    ran = {(name, peer) for name, outcome in outcomes.items() for peer in outcome.reported if peer != OURS}
    assert stale_rows(_all_cells(outcomes), ran) == []


def test_the_agreement_page_shows_this_run(outcomes: dict[str, Outcome]) -> None:
    if any(outcome.skipped for outcome in outcomes.values()):
        pytest.skip(NODE_MISSING)
    ordered = [outcomes[case.name] for case in CASES]
    expected = render(ordered, _all_cells(outcomes))
    assert page_matrix() == expected, "docs/agreement.md is stale: run python tests/agreement/drift.py --write"


def test_the_readme_links_the_agreement_page() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "docs/agreement.md" in readme
