"""Running a real server or pool under ``opentelemetry-instrument`` in a simulated pod, OTLP on loopback.

Shared by the process-model tests: the pod's downward-API variables, a WSGI/ASGI app whose every
request emits one span and one log record carrying the worker's own pid (``worker.pid``, set by the
app, not by this package), and a loop that asks the server until enough workers have answered.
"""

from __future__ import annotations

import concurrent.futures
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from conftest import clean_environment
from otlp_receiver import Received

POD_NAME = "checkout-api-7d9c5b8f6d-x2k4p"
POD_UID = "f57400dc-94ce-4806-a52e-d2726f448f15"
INSTANCE_ID = f"shop.{POD_NAME}.api"
POD = {
    "KUBERNETES_SERVICE_HOST": "127.0.0.1",
    "KUBERNETES_SERVICE_PORT": "9",
    "K8S_POD_NAME": POD_NAME,
    "K8S_POD_UID": POD_UID,
    "K8S_NAMESPACE_NAME": "shop",
    "K8S_CONTAINER_NAME": "api",
    "OTEL_SERVICE_NAME": "checkout",
    "OTEL_EXPERIMENTAL_RESOURCE_DETECTORS": "resource_identity",
}

WSGI_APP = """
import logging, os
from opentelemetry import trace

def application(environ, start_response):
    with trace.get_tracer("process-models").start_as_current_span("request") as span:
        span.set_attribute("worker.pid", os.getpid())
        logging.getLogger("process-models").warning("request", extra={"worker.pid": os.getpid()})
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(os.getpid()).encode()]

app = application
"""

ASGI_APP = """
import logging, os
from opentelemetry import trace

async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    with trace.get_tracer("process-models").start_as_current_span("request") as span:
        span.set_attribute("worker.pid", os.getpid())
        logging.getLogger("process-models").warning("request", extra={"worker.pid": os.getpid()})
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": str(os.getpid()).encode()})
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    answered_by: set[int]  # the pids the app reported in its responses
    answers: int  # how many requests were answered
    stderr: str
    returncode: int


def _ask(port: int) -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            return int(response.read())
    except (OSError, ValueError):
        return None


def serve_and_ask(
    command: Sequence[str],
    port: int,
    *,
    env: dict[str, str],
    workers: int,
    cwd: Path,
    stop: signal.Signals = signal.SIGTERM,
    seconds: float = 40.0,
    settle: float = 0.0,
) -> Served:
    """Start ``command``, ask it concurrently until ``workers`` pids answered (or time runs out), stop it
    after ``settle`` seconds without requests."""
    process = subprocess.Popen(
        list(command), env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    answered: set[int] = set()
    answers = 0
    deadline = time.monotonic() + seconds
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            while time.monotonic() < deadline and len(answered) < workers and process.poll() is None:
                pids = [pid for pid in pool.map(_ask, [port] * 16) if pid is not None]
                answers += len(pids)
                answered |= set(pids)
                if len(answered) < workers:
                    time.sleep(0.05)
    finally:
        # A server that recycles workers forks replacements after the last answers; gunicorn installs
        # a worker's signal handlers only after the fork, so a stop signal that lands in between is
        # lost and the master waits out its whole graceful timeout. Servers that recycle settle first.
        time.sleep(settle)
        if process.poll() is None:
            process.send_signal(stop)
        try:
            _, stderr = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
    return Served(answered, answers, stderr, process.returncode)


def pod_environment(receiver: Received, **variables: str) -> dict[str, str]:
    return clean_environment(**POD, **receiver.exporting_here(), **variables)


def instrument_in(bin_dir: Path) -> str | None:
    return shutil.which("opentelemetry-instrument", path=str(bin_dir))


def check_identity(receiver: Received, served: Served, *, workers: int) -> None:
    """Every answer's span and record arrived (none lost when a worker is recycled or the server
    stops), stamped, with one instance id for the pod and each worker's own process.pid."""
    assert served.returncode == 0, served.stderr[-3000:]
    assert len(served.answered_by) >= workers, served.stderr[-3000:]
    spans = [(r, a) for r, a in receiver.spans() if "worker.pid" in a]
    records = [(r, a) for r, a in receiver.log_records() if "worker.pid" in a]
    assert len(spans) == served.answers, "spans were lost"
    assert len(records) == served.answers, "log records were lost"
    for resource, attributes in [*spans, *records]:
        assert resource["service.instance.id"] == INSTANCE_ID
        assert resource["k8s.pod.uid"] == POD_UID
        assert "dash0.resource.id" in attributes
        assert resource["process.pid"] == attributes["worker.pid"], "a worker reported another process's pid"
    assert len({attributes["dash0.resource.id"] for _, attributes in [*spans, *records]}) == 1
    assert {attributes["worker.pid"] for _, attributes in spans} == served.answered_by
    assert "Traceback" not in served.stderr
    no_warnings(receiver)


def no_warnings(receiver: Received) -> None:
    """No warning from this package or the SDK reached the log pipeline (standard logging is bridged)."""
    ours = [scope for scope in receiver.log_scopes() if scope.startswith(("otel_resource_identity", "opentelemetry"))]
    assert ours == []
