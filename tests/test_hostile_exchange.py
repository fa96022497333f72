"""The one HTTP exchange, directly: names, addresses, methods and refused requests."""

from __future__ import annotations

import socket
import time

import pytest

from hostile import answer, http_reply, raw_server
from otel_resource_identity.detectors.inputs.deadline import Deadline
from otel_resource_identity.detectors.inputs.http import exchange, get_json, get_text

from platforms import Reply, serve

pytestmark = pytest.mark.timeout(30)


def test_a_host_name_is_resolved_within_the_deadline() -> None:
    with serve({"/x": Reply({"a": 1})}) as server:
        response = get_json(f"http://localhost:{server.port}/x", deadline=Deadline.after(2))
    assert response.document == {"a": 1}


def test_ipv6_loopback() -> None:
    try:
        listener = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        listener.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    listener.listen(1)
    port = listener.getsockname()[1]
    try:
        started = time.monotonic()
        done = exchange("GET", f"http://[::1]:{port}/", deadline=Deadline.after(0.3))
        assert done == "timed out"  # accepted by the backlog, never answered
        assert time.monotonic() - started < 0.6
    finally:
        listener.close()


def test_a_put_with_a_body_sends_its_length() -> None:
    seen: list[bytes] = []

    def record(conn: socket.socket, stop: object) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            data += conn.recv(4096)
        seen.append(data)
        conn.sendall(http_reply(b"token"))

    with raw_server(record) as server:
        response = get_text(server.base + "/t", deadline=Deadline.after(2), method="PUT", headers={"X-A": "1"})
    assert response.document == "token"
    assert seen[0].startswith(b"PUT /t HTTP/1.1\r\n")
    assert b"Content-Length: 0\r\n" in seen[0]
    assert b"X-A: 1\r\n" in seen[0]


@pytest.mark.parametrize(
    ("headers", "problem"),
    [
        ({"Authorization": "Bearer a\r\nX-Injected: 1"}, "the request header Authorization holds control characters"),
        ({"Bad\nName": "x"}, "the request header ? holds control characters"),
        ({"X-Token": "ünïcode"}, "a request header is not ASCII"),
    ],
)
def test_a_header_that_could_inject_is_refused_before_anything_is_sent(headers: dict[str, str], problem: str) -> None:
    with raw_server(answer(http_reply(b"{}"))) as server:
        done = exchange("GET", server.base, deadline=Deadline.after(1), headers=headers)
        assert server.connections == 0
    assert done == problem
    assert "X-Injected" not in str(done)


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/", "http://", "http://[::1/", "file:///etc/passwd"])
def test_what_is_not_an_http_url_is_refused(url: str) -> None:
    assert isinstance(exchange("GET", url, deadline=Deadline.after(1)), str)


def test_no_time_left_means_no_request() -> None:
    with raw_server(answer(http_reply(b"{}"))) as server:
        assert exchange("GET", server.base, deadline=Deadline.after(0)) == "no time left in the detection budget"
        assert server.connections == 0


def test_a_reply_that_is_not_200_says_its_status() -> None:
    with raw_server(answer(http_reply(b"{}", "503 Service Unavailable"))) as server:
        response = get_json(server.base, deadline=Deadline.after(1))
    assert response.status == 503
    assert response.http_error
