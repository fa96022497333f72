"""Hostile metadata endpoints: servers that drip, hang, reset, lie about sizes, redirect, or speak no HTTP.

Every network detector, alone (as the SDK runs it) and under PlatformDetector,
must finish within its deadline, keep what it knew without the network, log
one line, and never raise.
"""

from __future__ import annotations

import json
import logging
import os
import ssl
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import trustme

from hostile import (
    Behaviour,
    answer,
    chunked_reply,
    drip,
    endless,
    hang,
    hang_before_reading,
    http_reply,
    raw_server,
    reset,
)
from otel_resource_identity import AwsEcsDetector, GcpCloudRunDetector, KubernetesDetector, PlatformDetector
from otel_resource_identity.detectors.inputs.deadline import Deadline
from otel_resource_identity.detectors.inputs.http import get_json

from platforms import Reply, fixture_text, make_root, serve

pytestmark = pytest.mark.timeout(30)

ECS_CONTAINER = fixture_text("ecs/jscontrib-metadatav4-response-container-fargate.json").encode()
ECS_TASK = fixture_text("ecs/jscontrib-metadatav4-response-task-fargate.json").encode()
SA = "/var/run/secrets/kubernetes.io/serviceaccount"
MARGIN = 0.35  # scheduling slack on a loaded two-core machine


def _ecs_environ(base: str) -> dict[str, str]:
    return {"ECS_CONTAINER_METADATA_URI_V4": f"{base}/v4/abc", "AWS_EXECUTION_ENV": "AWS_ECS_FARGATE"}


def _cloud_run_environ(host: str) -> dict[str, str]:
    return {"K_SERVICE": "shop", "K_CONFIGURATION": "shop", "K_REVISION": "shop-1", "GCE_METADATA_HOST": host}


BEHAVIOURS: dict[str, Behaviour] = {
    "drips one byte per 100 ms": drip(http_reply(ECS_CONTAINER)),
    "drips its headers": drip(b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 200 + b"\r\n\r\n{}"),
    "hangs after the request": hang,
    "never answers at all": hang_before_reading,
    "resets the connection": reset,
    "speaks no HTTP": answer(b"SSH-2.0-OpenSSH_9.6\r\n" + b"\x00\xff" * 100),
    "sends an endless body": endless,
    "claims a huge Content-Length": answer(b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n{}"),
    "claims a Content-Length of 5000 digits": answer(
        b"HTTP/1.1 200 OK\r\nContent-Length: " + b"9" * 5000 + b"\r\n\r\n"
    ),
    "closes before the whole body": answer(b'HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{"DockerId"'),
    "sends endless headers": answer(b"HTTP/1.1 200 OK\r\n" + b"X-A: b\r\n" * 20000),
    "sends a malformed chunked body": answer(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n"),
    "sends JSON nested 100,000 deep": answer(http_reply(b"[" * 100_000 + b"]" * 100_000)),
    "sends not JSON": answer(http_reply(b"<html>oops</html>")),
    "sends invalid UTF-8": answer(http_reply(b'{"DockerId": "\xff\xfe"}')),
}


@pytest.mark.parametrize("behaviour", list(BEHAVIOURS), ids=list(BEHAVIOURS))
def test_ecs_alone_meets_its_deadline_and_keeps_what_it_knew(
    behaviour: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with raw_server(BEHAVIOURS[behaviour]) as server, caplog.at_level(logging.INFO):
        started = time.monotonic()
        resource = AwsEcsDetector(environ=_ecs_environ(server.base), root=tmp_path, timeout=0.5).detect()
        elapsed = time.monotonic() - started
    assert elapsed < 0.5 + MARGIN, f"{behaviour}: took {elapsed:.2f} s with a 0.5 s timeout"
    assert resource.attributes["cloud.provider"] == "aws"
    assert resource.attributes["cloud.platform"] == "aws_ecs"
    [warning] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert warning.levelno == logging.WARNING
    assert "AWS ECS" in warning.getMessage()


@pytest.mark.parametrize("behaviour", list(BEHAVIOURS), ids=list(BEHAVIOURS))
def test_cloud_run_alone_meets_its_deadline_and_keeps_what_it_knew(
    behaviour: str, caplog: pytest.LogCaptureFixture
) -> None:
    with raw_server(BEHAVIOURS[behaviour]) as server, caplog.at_level(logging.INFO):
        started = time.monotonic()
        resource = GcpCloudRunDetector(environ=_cloud_run_environ(server.host), timeout=0.5).detect()
        elapsed = time.monotonic() - started
    assert elapsed < 0.5 + MARGIN, f"{behaviour}: took {elapsed:.2f} s with a 0.5 s timeout"
    assert resource.attributes["cloud.provider"] == "gcp"
    assert resource.attributes["faas.name"] == "shop"
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1


@pytest.fixture(scope="module")
def certificate_authority() -> trustme.CA:
    return trustme.CA()


def _server_tls(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context


def _kubernetes_root(tmp_path: Path, ca: trustme.CA, token: str = "token") -> Path:
    ca_path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    return make_root(tmp_path / "root", {f"{SA}/ca.crt": ca_path, f"{SA}/token": token, f"{SA}/namespace": "shop"})


def _kubernetes_environ(port: int) -> dict[str, str]:
    return {
        "KUBERNETES_SERVICE_HOST": "127.0.0.1",
        "KUBERNETES_SERVICE_PORT": str(port),
        "K8S_POD_NAME": "checkout-1",
        "RESOURCE_IDENTITY_K8S_API": "true",
    }


@pytest.mark.parametrize("behaviour", ["drips one byte per 100 ms", "hangs after the request", "resets the connection"])
def test_the_kubernetes_api_over_tls_meets_its_deadline(
    behaviour: str, tmp_path: Path, certificate_authority: trustme.CA, caplog: pytest.LogCaptureFixture
) -> None:
    root = _kubernetes_root(tmp_path, certificate_authority)
    with raw_server(BEHAVIOURS[behaviour], tls=_server_tls(certificate_authority)) as server:
        started = time.monotonic()
        resource = KubernetesDetector(environ=_kubernetes_environ(server.port), root=root, timeout=0.5).detect()
        elapsed = time.monotonic() - started
    assert elapsed < 0.5 + MARGIN
    assert resource.attributes["k8s.pod.name"] == "checkout-1"
    assert resource.attributes["k8s.namespace.name"] == "shop"


def test_a_tls_handshake_that_never_comes_meets_the_deadline(tmp_path: Path, certificate_authority: trustme.CA) -> None:
    root = _kubernetes_root(tmp_path, certificate_authority)
    with raw_server(hang_before_reading) as server:  # accepts TCP, never answers the ClientHello
        started = time.monotonic()
        resource = KubernetesDetector(environ=_kubernetes_environ(server.port), root=root, timeout=0.5).detect()
    assert time.monotonic() - started < 0.5 + MARGIN
    assert resource.attributes["k8s.pod.name"] == "checkout-1"


def test_under_platform_detector_a_dripping_endpoint_keeps_the_partial_result(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with raw_server(BEHAVIOURS["drips one byte per 100 ms"]) as server, caplog.at_level(logging.INFO):
        started = time.monotonic()
        detector = PlatformDetector(environ=_ecs_environ(server.base), root=tmp_path, timeout=0.5, cache=False)
        resource = detector.detect()
        elapsed = time.monotonic() - started
    assert elapsed < 0.5 + MARGIN
    assert resource.attributes["cloud.platform"] == "aws_ecs"
    assert {run.name: run.outcome for run in detector.runs}["aws_ecs"] == "detected"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_chunked_replies_are_understood(tmp_path: Path) -> None:
    routes = {b"/v4/abc ": chunked_reply(ECS_CONTAINER), b"/v4/abc/task ": chunked_reply(ECS_TASK, size=100)}

    def by_path(conn: Any, stop: Any) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            request += conn.recv(4096)
        path = next(key for key in sorted(routes, key=len, reverse=True) if b"GET " + key in request)
        conn.sendall(routes[path])

    with raw_server(by_path) as server:
        resource = AwsEcsDetector(environ=_ecs_environ(server.base), root=tmp_path, timeout=2).detect()
    assert resource.attributes["aws.ecs.task.family"] == "curltest"
    assert resource.attributes["container.name"] == "curl"


def test_redirects_are_never_followed(tmp_path: Path) -> None:
    with serve({"/elsewhere": Reply(json.loads(ECS_CONTAINER))}) as target:
        moved = http_reply(b"", "302 Found", {"Location": f"{target.base}/elsewhere"})
        with raw_server(answer(moved)) as server:
            resource = AwsEcsDetector(environ=_ecs_environ(server.base), root=tmp_path, timeout=1).detect()
    assert target.requests == []
    assert "container.name" not in resource.attributes


def test_a_reply_over_the_size_cap_is_refused() -> None:
    body = json.dumps({"x": "a" * 2_000_000}).encode()
    with raw_server(answer(http_reply(body))) as server:
        response = get_json(server.base, deadline=Deadline.after(2))
    assert response.problem == "the reply is larger than 1048576 bytes"


def test_requests_go_to_the_host_named_and_never_through_a_proxy(tmp_path: Path) -> None:
    with (
        serve({"/proxy": Reply({})}) as proxy,
        serve({"/v4/abc": Reply(json.loads(ECS_CONTAINER)), "/v4/abc/task": Reply(json.loads(ECS_TASK))}) as metadata,
    ):
        environ = _ecs_environ(metadata.base) | {"HTTP_PROXY": proxy.base, "http_proxy": proxy.base}
        os.environ["http_proxy"] = proxy.base
        try:
            resource = AwsEcsDetector(environ=environ, root=tmp_path, timeout=2).detect()
        finally:
            del os.environ["http_proxy"]
    assert proxy.requests == []
    assert resource.attributes["container.name"] == "curl"


@pytest.mark.subprocess
def test_the_cli_with_a_dripping_endpoint_finishes_within_the_budget(tmp_path: Path) -> None:
    with raw_server(BEHAVIOURS["drips one byte per 100 ms"]) as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "RESOURCE_IDENTITY_"))}
        env |= _ecs_environ(server.base) | {"RESOURCE_IDENTITY_DETECTION_TIMEOUT": "0.5"}
        env["OTEL_EXPERIMENTAL_RESOURCE_DETECTORS"] = "otel,resource_identity"
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "otel_resource_identity", "detect"],
            env=env,
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert "aws_ecs" in done.stdout
    # Interpreter start-up and imports included; one 0.5 s budget, not one per detector or per read.
    assert elapsed < 3.0, f"took {elapsed:.2f} s"


def _guard_refused(connect: Callable[[], object]) -> list[str]:
    import conftest

    connect()
    tried = list(conftest._off_machine)
    conftest._off_machine.clear()
    return tried


def test_the_suites_network_guard_refuses_link_local_addresses(tmp_path: Path) -> None:
    # The default endpoints, as a detector outside the sandbox would use them.
    environ = {"ECS_CONTAINER_METADATA_URI_V4": "http://169.254.170.2/v4/abc"}
    tried = _guard_refused(lambda: AwsEcsDetector(environ=environ, root=tmp_path, timeout=0.5).detect())
    assert tried == ["socket.connect 169.254.170.2"]
