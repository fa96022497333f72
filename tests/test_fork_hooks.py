"""The hooks behind the process-model tests, in this process: what they install, and where not.

The real servers (tests/test_process_models.py, tests/test_snapstart.py) show the hooks working;
these show that outside their server nothing is installed, that an existing uWSGI post-fork hook
still runs after this package's, and that a flush with real providers exports what they hold.
"""

from __future__ import annotations

import builtins
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from hostile import hang, raw_server
from otel_resource_identity import _snapstart, _uwsgi, _workers
from otel_resource_identity.entities.outside import why_outside

from conftest import clean_environment
from otlp_receiver import otlp_receiver


def test_outside_uwsgi_the_import_function_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UWSGI_ORIGINAL_PROC_NAME", raising=False)
    before = builtins.__import__
    _uwsgi.install()
    assert builtins.__import__ is before
    # A python that a uWSGI worker starts inherits the variable but has a command line: still nothing.
    monkeypatch.setenv("UWSGI_ORIGINAL_PROC_NAME", "uwsgi")
    _uwsgi.install()
    assert builtins.__import__ is before


def test_an_existing_post_fork_hook_still_runs_after_ours() -> None:
    embedded = ModuleType("uwsgi")
    called: list[str] = []
    embedded.opt = {}  # type: ignore[attr-defined]
    embedded.post_fork_hook = lambda: called.append("theirs")  # type: ignore[attr-defined]
    _uwsgi._arm(embedded, os.getpid())
    embedded.post_fork_hook()
    assert called == ["theirs"]


def test_with_python_fork_hooks_on_nothing_is_added() -> None:
    embedded = ModuleType("uwsgi")
    embedded.opt = {"py-call-osafterfork": True}  # type: ignore[attr-defined]
    _uwsgi._arm(embedded, os.getpid())
    assert not hasattr(embedded, "post_fork_hook")


def test_snapstart_hooks_only_on_snapstart(monkeypatch: pytest.MonkeyPatch) -> None:
    restore = pytest.importorskip("snapshot_restore_py")
    monkeypatch.setenv("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")
    before = len(restore.get_after_restore())
    _snapstart.install()
    assert len(restore.get_after_restore()) == before
    _snapstart.after_restore()  # with no SDK providers in this process: nothing to do, nothing raised


def _flush_in_a_worker(tmp_path: Path, endpoint: str, exporter: str, delay_millis: int, wait: float) -> str:
    """A process whose global tracer provider holds one span in a batch processor (``exporter``'s
    arguments, ``delay_millis`` between exports): after ``wait`` seconds it calls flush() and ends
    with os._exit, as a multiprocessing worker does. What it printed: flush()'s duration."""
    script = tmp_path / "worker.py"
    script.write_text(
        "import os, time\n"
        "from opentelemetry import trace\n"
        "from opentelemetry.sdk.trace import TracerProvider\n"
        "from opentelemetry.sdk.trace.export import BatchSpanProcessor\n"
        "from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter\n"
        "from otel_resource_identity._workers import flush\n"
        "provider = TracerProvider()\n"
        f"processor = BatchSpanProcessor(OTLPSpanExporter({exporter}), schedule_delay_millis={delay_millis})\n"
        "provider.add_span_processor(processor)\n"
        "trace.set_tracer_provider(provider)\n"
        "trace.get_tracer('t').start_span('held').end()\n"
        f"time.sleep({wait})\n"
        "started = time.monotonic()\n"
        "flush()\n"
        "print(time.monotonic() - started, flush=True)\n"
        "os._exit(0)\n",
        encoding="utf-8",
    )
    env = clean_environment(OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=endpoint)
    done = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.subprocess
def test_flush_exports_what_the_providers_hold(tmp_path: Path) -> None:
    """A batch processor that would export only in an hour: after flush(), the receiver has the span,
    although the process then ends with os._exit, as a multiprocessing worker does."""
    with otlp_receiver() as receiver:
        _flush_in_a_worker(tmp_path, f"{receiver.endpoint}/v1/traces", "", 3_600_000, 0)
    assert len(receiver.spans()) == 1
    assert _workers.FLUSH_SECONDS <= 5  # a worker's end is never held up for long


def test_an_attribute_no_row_names_gets_the_general_reason() -> None:
    assert why_outside("custom.attribute") == "no entity type of the conventions or of this package holds it"
    assert why_outside("k8s.pod.name").startswith("the conventions identify Kubernetes objects by uid")


@pytest.mark.subprocess
def test_a_stuck_export_never_holds_up_a_worker_s_end(tmp_path: Path) -> None:
    """The batch thread is in an export the collector never answers (or, after an unlucky fork, in
    an import whose lock nobody will release): the SDK's force_flush then waits for it whatever its
    timeout says. The worker's flush still returns within its budget, so the worker ends."""
    with raw_server(hang) as collector:
        # The batch thread exports 10 ms after the span ends: a second later it is in that export.
        printed = _flush_in_a_worker(tmp_path, f"{collector.base}/v1/traces", "timeout=60", 10, 1.0)
        assert collector.connections >= 1  # the export was under way
    assert float(printed) < _workers.FLUSH_SECONDS + 1.5
