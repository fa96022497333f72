"""Exporters that record what they are handed *when ``export()`` is called*.

The SDK's in-memory exporters keep references to the spans and records, so a
processor that stamps them after export would still look right. These copy
each item's attributes at export time: what they hold is what an exporter
really sent.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from opentelemetry.sdk._logs.export import LogRecordExporter, LogRecordExportResult
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult


class CopyingSpanExporter(SpanExporter):
    def __init__(self) -> None:
        self.exported: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        copies = [dict(span.attributes or {}) for span in spans]
        with self._lock:
            self.exported.extend(copies)
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        return


class CopyingLogExporter(LogRecordExporter):
    def __init__(self) -> None:
        self.exported: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def export(self, batch: Sequence[Any]) -> LogRecordExportResult:
        copies = [dict(getattr(item, "log_record", item).attributes or {}) for item in batch]
        with self._lock:
            self.exported.extend(copies)
        return LogRecordExportResult.SUCCESS

    def shutdown(self) -> None:
        return

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True
