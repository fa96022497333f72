"""GcpCloudRunDetector with the metadata server served on loopback (GCE_METADATA_HOST)."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from otel_resource_identity import GcpCloudRunDetector, entities_of

from platforms import Reply, fixture_text, load_env, serve

FLAVOR = {"Metadata-Flavor": "Google"}
METADATA: dict[str, str] = json.loads(fixture_text("gcp/metadata-cloud-run-per-path.json"))["responses"]
INSTANCE = METADATA["instance/id"]


def _routes(headers: dict[str, str] | None = None) -> dict[str, Reply]:
    return {
        f"/computeMetadata/v1/{path}": Reply(METADATA[path], headers=FLAVOR if headers is None else headers)
        for path in ("project/project-id", "instance/id", "instance/region", "instance/zone")
    }


def _detect(environ: dict[str, str], server: Any) -> dict[str, object]:
    environ = environ | {"GCE_METADATA_HOST": server.host}
    return dict(GcpCloudRunDetector(environ=environ, timeout=2).detect().attributes)


def test_a_service() -> None:
    with serve(_routes()) as server:
        attributes = _detect(load_env("gcp/env-cloud-run-service.env"), server)
    assert attributes == {
        "cloud.provider": "gcp",
        "cloud.platform": "gcp_cloud_run",
        "faas.name": "checkout",
        "faas.version": "checkout-00042-xiz",
        "faas.instance": INSTANCE,
        "cloud.account.id": "acme-shop-prod",
        "cloud.region": "us-central1",
        "cloud.availability_zone": "us-central1-1",
        "cloud.resource_id": "//run.googleapis.com/projects/acme-shop-prod/locations/us-central1/services/checkout",
        "service.name": "checkout",
        "service.version": "checkout-00042-xiz",
    }
    assert all(headers.get("Metadata-Flavor") == "Google" for _, headers in server.requests)
    # Never a token or an identity.
    assert not [path for path, _ in server.requests if "token" in path or "identity" in path]


def test_a_job_has_its_execution_and_an_integer_task_index() -> None:
    environ = {
        "CLOUD_RUN_JOB": "nightly-export",
        "CLOUD_RUN_EXECUTION": "nightly-export-x7k2p",
        "CLOUD_RUN_TASK_INDEX": "3",
        "CLOUD_RUN_TASK_ATTEMPT": "0",
        "CLOUD_RUN_TASK_COUNT": "10",
    }
    with serve(_routes()) as server:
        attributes = _detect(environ, server)
    assert attributes["faas.name"] == "nightly-export"
    assert attributes["gcp.cloud_run.job.execution"] == "nightly-export-x7k2p"
    assert attributes["gcp.cloud_run.job.task_index"] == 3
    assert str(attributes["cloud.resource_id"]).endswith("/jobs/nightly-export")


def test_a_worker_pool() -> None:
    environ = {"CLOUD_RUN_WORKER_POOL": "queue-workers", "CLOUD_RUN_REVISION": "queue-workers-00003-abc"}
    with serve(_routes()) as server:
        attributes = _detect(environ, server)
    assert attributes["cloud.platform"] == "gcp_cloud_run"
    assert attributes["faas.version"] == "queue-workers-00003-abc"
    assert str(attributes["cloud.resource_id"]).endswith("/workerPools/queue-workers")


def test_functions_gen2_are_functions_not_services() -> None:
    with serve(_routes()) as server:
        attributes = _detect(load_env("gcp/env-cloud-functions-gen2.env"), server)
    assert attributes["cloud.platform"] == "gcp_cloud_functions"
    assert attributes["faas.name"] == "handle-upload"


def test_a_reply_without_the_flavor_header_is_not_trusted(caplog: pytest.LogCaptureFixture) -> None:
    with serve(_routes(headers={})) as server, caplog.at_level(logging.WARNING):
        attributes = _detect(load_env("gcp/env-cloud-run-service.env"), server)
    assert "faas.instance" not in attributes
    assert attributes["faas.name"] == "checkout"
    [warning] = [r.getMessage() for r in caplog.records]
    assert "Metadata-Flavor" in warning


def test_a_bad_task_index_is_left_out_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with serve(_routes()) as server, caplog.at_level(logging.WARNING):
        attributes = _detect({"CLOUD_RUN_JOB": "j", "CLOUD_RUN_TASK_INDEX": "three"}, server)
    assert "gcp.cloud_run.job.task_index" not in attributes
    assert "CLOUD_RUN_TASK_INDEX" in caplog.text


def test_the_function_is_an_entity() -> None:
    with serve(_routes()) as server:
        environ = load_env("gcp/env-cloud-run-service.env") | {"GCE_METADATA_HOST": server.host}
        resource = GcpCloudRunDetector(environ=environ).detect()
    [faas] = [entity for entity in entities_of(resource) if entity.type == "faas"]
    assert faas.description["faas.instance"] == INSTANCE


@pytest.mark.parametrize("environ", [{}, load_env("gcp/env-gke-pod.env"), {"K_SERVICE": "only-half"}])
def test_elsewhere_it_is_empty_makes_no_call_and_is_silent(
    environ: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    with serve(_routes()) as server, caplog.at_level(logging.DEBUG):
        assert _detect(environ, server) == {}
    assert server.requests == []
    assert caplog.records == []
