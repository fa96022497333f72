"""An OTLP/HTTP receiver on 127.0.0.1 that decodes what it gets with opentelemetry-proto."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue

REQUESTS: dict[str, Any] = {  # protobuf message classes
    "/v1/traces": ExportTraceServiceRequest,
    "/v1/logs": ExportLogsServiceRequest,
    "/v1/metrics": ExportMetricsServiceRequest,
}


def value_of(value: AnyValue) -> object:
    kind = value.WhichOneof("value")
    if kind == "array_value":
        return [value_of(item) for item in value.array_value.values]
    return getattr(value, kind) if kind else None


def attributes_of(pairs: Any) -> dict[str, object]:
    return {pair.key: value_of(pair.value) for pair in pairs if isinstance(pair, KeyValue)}


@dataclass
class Received:
    endpoint: str = ""
    traces: list[ExportTraceServiceRequest] = field(default_factory=list)
    logs: list[ExportLogsServiceRequest] = field(default_factory=list)
    metrics: list[ExportMetricsServiceRequest] = field(default_factory=list)

    def exporting_here(self, delay_ms: str = "50") -> dict[str, str]:
        """The SDK's settings that send traces and logs here over OTLP/HTTP, batched every ``delay_ms``."""
        return {
            "OTEL_EXPORTER_OTLP_ENDPOINT": self.endpoint,
            "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
            "OTEL_TRACES_EXPORTER": "otlp",
            "OTEL_LOGS_EXPORTER": "otlp",
            "OTEL_METRICS_EXPORTER": "none",
            "OTEL_BSP_SCHEDULE_DELAY": delay_ms,
            "OTEL_BLRP_SCHEDULE_DELAY": delay_ms,
        }

    def spans(self) -> list[tuple[dict[str, object], dict[str, object]]]:
        """(resource attributes, span attributes) of every span received."""
        return [
            (attributes_of(rs.resource.attributes), attributes_of(span.attributes))
            for request in self.traces
            for rs in request.resource_spans
            for ss in rs.scope_spans
            for span in ss.spans
        ]

    def resources(self) -> dict[str, list[Any]]:
        """The encoded resources (with their signal-level schema URL) received, per signal."""
        return {
            "traces": [(rs.resource, rs.schema_url) for request in self.traces for rs in request.resource_spans],
            "metrics": [(rm.resource, rm.schema_url) for request in self.metrics for rm in request.resource_metrics],
            "logs": [(rl.resource, rl.schema_url) for request in self.logs for rl in request.resource_logs],
        }

    def log_scopes(self) -> list[str]:
        """The instrumentation scope (for standard logging: the logger's name) of every record received."""
        return [
            sl.scope.name
            for request in self.logs
            for rl in request.resource_logs
            for sl in rl.scope_logs
            for _ in sl.log_records
        ]

    def log_records(self) -> list[tuple[dict[str, object], dict[str, object]]]:
        return [
            (attributes_of(rl.resource.attributes), attributes_of(record.attributes))
            for request in self.logs
            for rl in request.resource_logs
            for sl in rl.scope_logs
            for record in sl.log_records
        ]


@contextmanager
def otlp_receiver() -> Iterator[Received]:
    received = Received()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            request_type = REQUESTS.get(self.path)
            if request_type is None:
                self.send_response(404)
                self.end_headers()
                return
            message = request_type()
            message.ParseFromString(body)
            getattr(received, self.path.rsplit("/", 1)[-1]).append(message)
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class names it so
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    received.endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield received
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def otlp_grpc_receiver() -> Iterator[Received]:
    """The same, over gRPC."""
    from concurrent import futures

    import grpc  # type: ignore[import-untyped]
    from opentelemetry.proto.collector.logs.v1 import logs_service_pb2, logs_service_pb2_grpc
    from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2, metrics_service_pb2_grpc
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc

    received = Received()

    class Traces(trace_service_pb2_grpc.TraceServiceServicer):
        def Export(self, request: Any, context: Any) -> Any:  # noqa: N802 - the generated name
            received.traces.append(request)
            return trace_service_pb2.ExportTraceServiceResponse()

    class Metrics(metrics_service_pb2_grpc.MetricsServiceServicer):
        def Export(self, request: Any, context: Any) -> Any:  # noqa: N802 - the generated name
            received.metrics.append(request)
            return metrics_service_pb2.ExportMetricsServiceResponse()

    class Logs(logs_service_pb2_grpc.LogsServiceServicer):
        def Export(self, request: Any, context: Any) -> Any:  # noqa: N802 - the generated name
            received.logs.append(request)
            return logs_service_pb2.ExportLogsServiceResponse()

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(Traces(), server)  # type: ignore[no-untyped-call]
    metrics_service_pb2_grpc.add_MetricsServiceServicer_to_server(Metrics(), server)  # type: ignore[no-untyped-call]
    logs_service_pb2_grpc.add_LogsServiceServicer_to_server(Logs(), server)  # type: ignore[no-untyped-call]
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    received.endpoint = f"http://127.0.0.1:{port}"
    try:
        yield received
    finally:
        server.stop(grace=None)
