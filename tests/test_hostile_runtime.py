"""Hostile runtime conditions: resources holding values the SDK accepts but OTLP does not, many
short-lived providers, and forks while another thread holds a lock."""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
import time
import weakref

import pytest
from opentelemetry._logs import LogRecord
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

from exporters import CopyingLogExporter, CopyingSpanExporter
from otel_resource_identity import (
    ResourceIdentityLogRecordProcessor,
    ResourceIdentitySpanProcessor,
    configure,
    disable_entity_merge,
    enable_entity_merge,
    predict,
)

pytestmark = pytest.mark.timeout(60)

ODD = Resource({"service.name": "shop", "k8s.pod.uid": "u-1", "k8s.pod.name": "p", "none": None, "map": {"a": 1}})
PLAIN = {"service.name": "shop", "k8s.pod.uid": "u-1", "k8s.pod.name": "p"}


def test_spans_are_stamped_on_a_resource_with_none_and_mapping_values(caplog: pytest.LogCaptureFixture) -> None:
    provider = TracerProvider(resource=ODD)
    provider.add_span_processor(ResourceIdentitySpanProcessor())
    exporter = CopyingSpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            provider.get_tracer("t").start_span("s").end()
    assert [span["dash0.resource.id"] for span in exporter.exported] == [predict(PLAIN).id] * 3
    assert caplog.records == []


def test_log_records_are_stamped_on_a_resource_with_none_and_mapping_values() -> None:
    provider = LoggerProvider(resource=ODD)
    provider.add_log_record_processor(ResourceIdentityLogRecordProcessor())
    exporter = CopyingLogExporter()
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    provider.get_logger("t").emit(LogRecord(body="hello"))
    [record] = exporter.exported
    assert record["dash0.resource.type"] == "k8s.pod"


def test_configure_stamps_such_a_resource() -> None:
    exporter = CopyingSpanExporter()
    tracer_provider = TracerProvider(resource=ODD)
    configuration = configure(
        tracer_provider=tracer_provider, resource=ODD, stamp=["spans", "resource"], set_global=False
    )
    assert configuration.resource.attributes["dash0.resource.id"] == predict(PLAIN).id
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer_provider.get_tracer("t").start_span("s").end()
    assert exporter.exported[0]["dash0.resource.name"] == "p"


def test_the_processors_keep_no_resource_alive() -> None:
    processor = ResourceIdentitySpanProcessor()
    refs = []
    for index in range(300):
        resource = Resource({"service.name": "s", "service.instance.id": str(index)})
        provider = TracerProvider(resource=resource)
        provider.add_span_processor(processor)
        provider.get_tracer("t").start_span("s").end()
        refs.append(weakref.ref(resource))
        provider.shutdown()
        del provider, resource
    gc.collect()
    alive = [ref for ref in refs if ref() is not None]
    assert alive == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_fork_while_another_thread_holds_the_flag_lock_never_deadlocks_the_child() -> None:
    # Loaded first: a fork during another thread's *import* leaves that module's
    # import lock held in the child, which is CPython's affair, not this package's.
    enable_entity_merge()
    disable_entity_merge()
    stop = threading.Event()

    def toggle() -> None:
        while not stop.is_set():
            enable_entity_merge()
            disable_entity_merge()

    thread = threading.Thread(target=toggle, daemon=True)
    thread.start()
    children = []
    try:
        for _ in range(20):
            pid = os.fork()  # noqa: PTH - a real fork is the point
            if pid == 0:  # the child: must be able to take the lock at once
                try:
                    enable_entity_merge()
                    disable_entity_merge()
                finally:
                    os._exit(0)
            children.append(pid)
    finally:
        stop.set()
        thread.join(5)
    deadline_hit = []
    give_up = time.monotonic() + 10
    for pid in children:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                assert os.waitstatus_to_exitcode(status) == 0
                break
            if time.monotonic() > give_up:
                deadline_hit.append(pid)
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                break
            time.sleep(0.02)
    assert deadline_hit == [], f"{len(deadline_hit)} of 20 children deadlocked"
    assert sys.modules  # the parent is fine too
