"""Every server and process model a Python service runs under, run for real in a simulated pod.

Each test starts the real server or pool under ``opentelemetry-instrument`` (as its users do),
with the pod's downward-API variables, exporting OTLP to a receiver on 127.0.0.1. Each request or
task emits one span and one log record that carry the worker's own pid (``worker.pid``, set by the
app). What must hold in every model (``process_models.check_identity``): the pod's one
``service.instance.id`` (the convention's), each worker its own ``process.pid`` and ``process``
entity, every span and record arrived and stamped, no warnings. docs/setup.md, "Servers and process
models", has the table.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import OLD_SDK, ROOT
from otlp_receiver import Received, otlp_receiver
from process_models import (
    ASGI_APP,
    INSTANCE_ID,
    WSGI_APP,
    check_identity,
    free_port,
    instrument_in,
    no_warnings,
    pod_environment,
    serve_and_ask,
)

BIN = Path(sys.executable).parent
WORKERS = 3
# The SDK refreshes a forked worker's resource from 1.44 on: older SDKs report the parent's pid.
pytestmark = [
    pytest.mark.subprocess,
    pytest.mark.timeout(180),
    pytest.mark.skipif(OLD_SDK, reason="the SDK refreshes a forked worker's resource from 1.44 on (see docs/setup.md)"),
]


def _apps(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(WSGI_APP, encoding="utf-8")
    (tmp_path / "asgi.py").write_text(ASGI_APP, encoding="utf-8")
    return tmp_path


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN))
    if found is None:
        pytest.skip(f"{name} is a test extra: pip install -e '.[test]'")
    return found


# -- WSGI and ASGI servers ---------------------------------------------------------------------------

SERVERS = {
    "gunicorn sync": ["gunicorn", "-w", "3", "-b", "127.0.0.1:{port}", "app:app"],
    "gunicorn gthread": ["gunicorn", "-w", "3", "-k", "gthread", "--threads", "2", "-b", "127.0.0.1:{port}", "app:app"],
    "gunicorn --preload": ["gunicorn", "-w", "3", "--preload", "-b", "127.0.0.1:{port}", "app:app"],
    # Workers recycled every 4 requests: what a recycled worker sent before it went must arrive.
    "gunicorn --max-requests": ["gunicorn", "-w", "3", "--max-requests", "4", "-b", "127.0.0.1:{port}", "app:app"],
    "gunicorn with uvicorn workers": [
        "gunicorn",
        "-w",
        "3",
        "-k",
        "uvicorn.workers.UvicornWorker",
        "-b",
        "127.0.0.1:{port}",
        "asgi:app",
    ],
    # Spawned, not forked: each worker a fresh interpreter.
    "uvicorn --workers": ["uvicorn", "asgi:app", "--workers", "3", "--port", "{port}", "--log-level", "warning"],
}


@pytest.mark.parametrize("name", list(SERVERS))
def test_python_servers(name: str, tmp_path: Path) -> None:
    command = SERVERS[name]
    port = free_port()
    arguments = [_tool(command[0]), *(part.format(port=port) for part in command[1:])]
    with otlp_receiver() as receiver:
        served = serve_and_ask(
            [_tool("opentelemetry-instrument"), *arguments],
            port,
            env=pod_environment(receiver),
            workers=WORKERS,
            cwd=_apps(tmp_path),
            stop=signal.SIGINT if name.startswith("uvicorn") else signal.SIGTERM,
            settle=2.0 if "--max-requests" in command else 0.0,
        )
    check_identity(receiver, served, workers=WORKERS)


# -- uWSGI (Debian's uwsgi and uwsgi-plugin-python3) ---------------------------------------------------

# Debian's python3 plugin embeds Debian's Python: .ci/test.py builds this environment with it
# (this package, the SDK, the OTLP exporter, the logging bridge) where uWSGI is installed.
UWSGI_VENV = ROOT / ".venvs" / "uwsgi"
UWSGI_MISSING = (
    "uWSGI tests need Debian's uwsgi and uwsgi-plugin-python3 (apt-get install uwsgi uwsgi-plugin-python3), "
    "then python3 .ci/test.py builds .venvs/uwsgi"
)


def _uwsgi_ready() -> bool:
    plugin = Path("/usr/lib/uwsgi/plugins/python3_plugin.so")
    return shutil.which("uwsgi") is not None and plugin.exists() and (UWSGI_VENV / "bin" / "python").exists()


@pytest.mark.skipif(not _uwsgi_ready(), reason=UWSGI_MISSING)
@pytest.mark.parametrize(
    "options", [[], ["--lazy-apps"], ["--py-call-osafterfork"]], ids=["default", "lazy-apps", "py-call-osafterfork"]
)
def test_uwsgi(options: list[str], tmp_path: Path) -> None:
    """uWSGI forks in C and by default runs no Python fork hook: this package has uWSGI run the SDK's
    fork handling in each worker (post_fork_hook), so every worker reports its own pid anyway."""
    instrument = instrument_in(UWSGI_VENV / "bin")
    assert instrument is not None
    port = free_port()
    command = [
        instrument, "uwsgi", "--plugin", "python3", "--master", "--processes", "3", "--enable-threads",
        "--die-on-term", "--http-socket", f"127.0.0.1:{port}", "--wsgi-file", "app.py",
        "--virtualenv", str(UWSGI_VENV), *options,
    ]  # fmt: skip
    with otlp_receiver() as receiver:
        served = serve_and_ask(command, port, env=pod_environment(receiver), workers=WORKERS, cwd=_apps(tmp_path))
    check_identity(receiver, served, workers=WORKERS)


# -- multiprocessing and os.fork in application code ---------------------------------------------------

POOL_APP = """
import logging, multiprocessing, os, sys
from opentelemetry import trace

def task(n):
    with trace.get_tracer("process-models").start_as_current_span("task") as span:
        span.set_attribute("worker.pid", os.getpid())
        logging.getLogger("process-models").warning("task", extra={"worker.pid": os.getpid()})
    return os.getpid()

if __name__ == "__main__":
    method = sys.argv[1]
    if method == "os.fork":
        children = []
        for _ in range(3):
            child = os.fork()
            if child == 0:
                task(0)
                sys.exit(0)  # a normal exit: the SDK's shutdown flush runs (os._exit would skip it)
            children.append(child)
        for child in children:
            os.waitpid(child, 0)
        print(len(children), " ".join(map(str, children)))
    else:
        pool = multiprocessing.get_context(method).Pool(3)
        pids = pool.map(task, range(12), chunksize=1)
        pool.close()  # docs/setup.md: close() and join(), not terminate(), so workers end normally
        pool.join()
        print(len(pids), " ".join(map(str, sorted(set(pids)))))
"""


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver", "os.fork"])
def test_multiprocessing_and_fork(method: str, tmp_path: Path) -> None:
    script = tmp_path / "pool_app.py"
    script.write_text(POOL_APP, encoding="utf-8")
    with otlp_receiver() as receiver:
        done = subprocess.run(
            [_tool("opentelemetry-instrument"), sys.executable, str(script), method],
            env=pod_environment(receiver),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    count, *pids = done.stdout.split()
    _check_tasks(receiver, int(count), {int(pid) for pid in pids})


def _check_tasks(receiver: Received, count: int, pids: set[int]) -> None:
    spans = [(r, a) for r, a in receiver.spans() if "worker.pid" in a]
    records = [(r, a) for r, a in receiver.log_records() if "worker.pid" in a]
    assert len(spans) == count, "spans were lost when the workers ended"
    assert len(records) == count, "log records were lost when the workers ended"
    for resource, attributes in [*spans, *records]:
        assert resource["service.instance.id"] == INSTANCE_ID
        assert resource["process.pid"] == attributes["worker.pid"]
        assert "dash0.resource.id" in attributes
    assert {attributes["worker.pid"] for _, attributes in spans} == pids
    no_warnings(receiver)


# -- Celery prefork workers, a broker that needs no service (kombu's filesystem transport) -------------

TASKS = """
import logging, os
from celery import Celery
from opentelemetry import trace

DATA = os.environ["CELERY_TEST_DATA"]
app = Celery("tasks", broker="filesystem://")
app.conf.broker_transport_options = {
    "data_folder_in": f"{DATA}/queue", "data_folder_out": f"{DATA}/queue",
}
app.conf.worker_hijack_root_logger = False

@app.task
def work(n):
    with trace.get_tracer("process-models").start_as_current_span("task") as span:
        span.set_attribute("worker.pid", os.getpid())
        logging.getLogger("process-models").warning("task", extra={"worker.pid": os.getpid()})
    return os.getpid()
"""


@pytest.mark.parametrize("recycle", [False, True], ids=["prefork", "prefork, a child per 2 tasks"])
def test_celery_prefork(recycle: bool, tmp_path: Path) -> None:
    celery = _tool("celery")
    pytest.importorskip("celery", reason="celery is a test extra")
    (tmp_path / "tasks.py").write_text(TASKS, encoding="utf-8")
    (tmp_path / "queue").mkdir()
    options = ["--max-tasks-per-child", "2"] if recycle else []
    with otlp_receiver() as receiver:
        env = pod_environment(receiver, CELERY_TEST_DATA=str(tmp_path), PYTHONPATH=str(tmp_path))
        worker = subprocess.Popen(
            [
                _tool("opentelemetry-instrument"),
                celery,
                "-A",
                "tasks",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                "3",
                "--loglevel",
                "warning",
                "-O",
                "fair",
                "--prefetch-multiplier",
                "1",
                *options,
            ],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            # Tasks sent from another process, as a web app sends them (its own SDK off here).
            sent = subprocess.run(
                [sys.executable, "-c", "import tasks\nfor n in range(12): tasks.work.delay(n)"],
                env={**env, "OTEL_SDK_DISABLED": "true"},
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert sent.returncode == 0, sent.stderr[-2000:]
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and len(_task_spans(receiver)) < 12:
                time.sleep(0.1)
            # The pool replaces its recycled children after the last tasks. billiard blocks the stop
            # signal only in a child's main thread while it reports its end, so where the SDK's
            # export threads run in the child, a warm shutdown that lands then can kill a child
            # holding the result queue's lock (with or without this package): let the pool settle.
            time.sleep(2.0 if recycle else 0.0)
        finally:
            stderr = _stop_celery(worker)
    assert worker.returncode in (0, -signal.SIGQUIT), stderr[-3000:]
    pids = {int(str(attributes["worker.pid"])) for attributes in _task_spans(receiver)}
    assert len(pids) >= (3 if recycle else 1)  # recycled: at least six children took part
    _check_tasks(receiver, 12, pids)


def _stop_celery(worker: subprocess.Popen[str]) -> str:
    """A warm shutdown (SIGTERM), as a deployment stops a worker; should it outlast a minute on a busy
    machine, a cold one (SIGQUIT). Every task's telemetry has arrived before either is sent."""
    for stop, seconds in ((signal.SIGTERM, 60.0), (signal.SIGQUIT, 30.0)):
        worker.send_signal(stop)
        try:
            return worker.communicate(timeout=seconds)[1]
        except subprocess.TimeoutExpired:
            continue
    worker.kill()
    return worker.communicate()[1]


def _task_spans(receiver: Received) -> list[dict[str, object]]:
    return [attributes for _, attributes in receiver.spans() if "worker.pid" in attributes]
