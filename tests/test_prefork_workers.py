"""gunicorn with 3 workers in a simulated pod, under ``opentelemetry-instrument``, OTLP on loopback.

The decision under test (docs/detectors.md, "Pre-fork servers"): every worker of
the container reports the convention's ``service.instance.id``
(``<namespace>.<pod>.<container>``, as the Collector's ``k8sattributes`` and the
Operator compute it for the pod's other telemetry) and its own ``process.pid``,
so Dash0 sees one pod and one service instance while the workers' metric
streams stay apart.

The pod: downward-API variables, the pod's labels and annotations as a
downward-API volume, and, where this machine lets the test mount a private
``/run`` (a mount namespace), the API server over TLS on 127.0.0.1 with the
service account's CA and token where a pod has them.
"""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme

from conftest import OLD_SDK, clean_environment
from otlp_receiver import Received, attributes_of, otlp_receiver
from platforms import FIXTURES, Reply, fixture_text, serve

POD_NAME = "checkout-api-7d9c5b8f6d-x2k4p"
POD_UID = "f57400dc-94ce-4806-a52e-d2726f448f15"
INSTANCE_ID = f"shop.{POD_NAME}.api"
WORKERS = 3

APP = """
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
"""

# Each worker, once booted, emits one span, one log record and one metric point.
CONFIG = """
workers = 3
bind = "127.0.0.1:0"
loglevel = "warning"

def post_worker_init(worker):
    import logging
    from opentelemetry import metrics, trace
    with trace.get_tracer("prefork-test").start_as_current_span("worker booted"):
        logging.getLogger("prefork-test").warning("worker booted")
    metrics.get_meter("prefork-test").create_counter("workers.booted").add(1)
"""

MOUNT_SERVICE_ACCOUNT = """
set -e
mount -t tmpfs tmpfs /run
mkdir -p /run/secrets/kubernetes.io/serviceaccount
cp "$SERVICE_ACCOUNT_FILES"/* /run/secrets/kubernetes.io/serviceaccount/
exec "$@"
"""


def _can_mount_privately() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    done = subprocess.run(
        [unshare, "-m", "sh", "-c", "mount -t tmpfs tmpfs /run"], capture_output=True, timeout=30, check=False
    )
    return done.returncode == 0


@pytest.fixture
def api_server() -> Iterator[tuple[Any, trustme.CA]]:
    ca = trustme.CA()
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(tls)
    routes = {
        f"/api/v1/namespaces/shop/pods/{POD_NAME}": Reply(
            json.loads(fixture_text("kubernetes/api-pod-deployment-owned.json"))
        ),
        "/apis/apps/v1/namespaces/shop/replicasets/checkout-api-7d9c5b8f6d": Reply(
            json.loads(fixture_text("kubernetes/api-replicaset.json"))
        ),
    }
    with serve(routes, tls=tls) as server:
        yield server, ca


def _wait_for(received: Received, process: subprocess.Popen[str], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        pids = {resource.get("process.pid") for resource, _ in received.spans()}
        metric_pids = {
            attributes_of(rm.resource.attributes).get("process.pid")
            for request in received.metrics
            for rm in request.resource_metrics
        }
        if len(pids) >= WORKERS and len(metric_pids) >= WORKERS and len(received.log_records()) >= WORKERS:
            return
        time.sleep(0.1)


@pytest.mark.subprocess
@pytest.mark.skipif(OLD_SDK, reason="the SDK refreshes a forked worker's resource from 1.44 on (see docs)")
@pytest.mark.timeout(120)
def test_three_workers_share_the_instance_id_and_keep_their_pids(tmp_path: Path, api_server: Any) -> None:
    server, ca = api_server
    bin_dir = Path(sys.executable).parent
    instrument = shutil.which("opentelemetry-instrument", path=str(bin_dir))
    gunicorn = shutil.which("gunicorn", path=str(bin_dir))
    assert instrument is not None
    assert gunicorn is not None
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "gunicorn.conf.py").write_text(CONFIG, encoding="utf-8")
    podinfo = tmp_path / "podinfo"
    podinfo.mkdir()
    for name in ("labels", "annotations"):
        shutil.copy(FIXTURES / "kubernetes" / "podinfo" / name, podinfo / name)
    accounts = tmp_path / "serviceaccount"
    accounts.mkdir()
    ca.cert_pem.write_to_path(str(accounts / "ca.crt"))
    (accounts / "token").write_text("token-for-the-test", encoding="utf-8")
    (accounts / "namespace").write_text("shop", encoding="utf-8")

    with_api = _can_mount_privately()
    command = [instrument, gunicorn, "-c", str(tmp_path / "gunicorn.conf.py"), "--chdir", str(tmp_path), "app:app"]
    if with_api:
        command = ["unshare", "-m", "sh", "-c", MOUNT_SERVICE_ACCOUNT, "mount-service-account", *command]
    with otlp_receiver() as receiver:
        env = clean_environment(
            KUBERNETES_SERVICE_HOST="127.0.0.1",
            KUBERNETES_SERVICE_PORT=str(server.port),
            RESOURCE_IDENTITY_K8S_API="true" if with_api else "false",
            RESOURCE_IDENTITY_K8S_PODINFO=str(podinfo),
            RESOURCE_IDENTITY_K8S_LABELS="true",
            SERVICE_ACCOUNT_FILES=str(accounts),
            K8S_POD_NAME=POD_NAME,
            K8S_POD_UID=POD_UID,
            K8S_NAMESPACE_NAME="shop",
            K8S_CONTAINER_NAME="api",
            K8S_NODE_NAME="ip-10-0-12-34.eu-west-1.compute.internal",
            OTEL_EXPERIMENTAL_RESOURCE_DETECTORS="resource_identity",
            **receiver.exporting_here() | {"OTEL_METRICS_EXPORTER": "otlp", "OTEL_METRIC_EXPORT_INTERVAL": "200"},
        )
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            _wait_for(receiver, process)
        finally:
            process.terminate()
            _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    if with_api:  # the pod object was read once, in the parent: the workers reuse its detection
        assert [path for path, _ in server.requests].count(f"/api/v1/namespaces/shop/pods/{POD_NAME}") == 1

    span_resources = [resource for resource, _ in receiver.spans()]
    metric_resources = [
        attributes_of(rm.resource.attributes) for request in receiver.metrics for rm in request.resource_metrics
    ]
    log_resources = [resource for resource, _ in receiver.log_records()]
    for resources in (span_resources, metric_resources, log_resources):
        assert resources
        for resource in resources:
            assert resource["service.instance.id"] == INSTANCE_ID  # the convention, as the Collector says
            assert resource["service.name"] == "checkout"  # the pod's annotation
            assert resource["service.namespace"] == "shop"
            assert resource["service.version"] == "1.42.0"
            assert resource["k8s.pod.uid"] == POD_UID
            assert resource["k8s.deployment.name"] == "checkout-api"
    # One writer per metric stream: every worker has its own process.pid.
    assert len({resource["process.pid"] for resource in span_resources}) == WORKERS
    assert len({resource["process.pid"] for resource in metric_resources}) == WORKERS
    # Every span and every record on the wire (standard logging bridged by
    # opentelemetry-instrumentation-logging, the current way) carries the pod's one predicted identity.
    records = receiver.log_records()
    unstamped = [attributes for _, attributes in [*records, *receiver.spans()] if "dash0.resource.id" not in attributes]
    assert unstamped == []
    ids = {attributes["dash0.resource.id"] for _, attributes in [*records, *receiver.spans()]}
    assert len(ids) == 1
