"""Hostile peers for the hostile-input suite: raw TCP (and TLS) servers on 127.0.0.1 that misbehave.

Each server runs a behaviour per connection on a daemon thread; every
behaviour is bounded in time and stops when the test's ``with`` block ends,
so a client that hangs is a failing test, never a stuck run.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

Behaviour = Callable[[socket.socket, threading.Event], None]


@dataclass
class RawServer:
    port: int
    connections: int = 0

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _read_request(conn: socket.socket, stop: threading.Event) -> bytes:
    conn.settimeout(0.2)
    data = b""
    while b"\r\n\r\n" not in data and not stop.is_set():
        try:
            chunk = conn.recv(4096)
        except TimeoutError:
            continue
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data


@contextmanager
def raw_server(behaviour: Behaviour, tls: ssl.SSLContext | None = None) -> Iterator[RawServer]:
    """Run ``behaviour(connection, stop)`` for every connection to a loopback port."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.05)
    state = RawServer(listener.getsockname()[1])
    stop = threading.Event()

    def handle(conn: socket.socket) -> None:
        try:
            if tls is not None:
                conn.settimeout(2)
                conn = tls.wrap_socket(conn, server_side=True)
            behaviour(conn, stop)
        except OSError:
            pass
        finally:
            conn.close()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            state.connections += 1
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        stop.set()
        thread.join(2)
        listener.close()


def drip(reply: bytes, interval: float = 0.1) -> Behaviour:
    """Answer with ``reply``, one byte every ``interval`` seconds."""

    def behaviour(conn: socket.socket, stop: threading.Event) -> None:
        _read_request(conn, stop)
        for index in range(len(reply)):
            if stop.wait(interval):
                return
            conn.sendall(reply[index : index + 1])

    return behaviour


def hang(conn: socket.socket, stop: threading.Event) -> None:
    """Accept, read the request, never answer."""
    _read_request(conn, stop)
    stop.wait(30)


def hang_before_reading(conn: socket.socket, stop: threading.Event) -> None:
    """Accept and do nothing at all (for TLS: no handshake)."""
    stop.wait(30)


def reset(conn: socket.socket, stop: threading.Event) -> None:
    """Read the request, then reset the connection."""
    _read_request(conn, stop)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")


def answer(reply: bytes) -> Behaviour:
    """Answer with ``reply`` at once, whatever it is, then close."""

    def behaviour(conn: socket.socket, stop: threading.Event) -> None:
        _read_request(conn, stop)
        conn.sendall(reply)

    return behaviour


def endless(conn: socket.socket, stop: threading.Event) -> None:
    """A 200 reply whose body never ends (no length), as fast as the client reads."""
    _read_request(conn, stop)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n[")
    block = b"1," * 32768
    deadline = time.monotonic() + 10
    while not stop.is_set() and time.monotonic() < deadline:
        conn.sendall(block)


def http_reply(body: bytes, status: str = "200 OK", headers: dict[str, str] | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in (headers or {}).items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def chunked_reply(body: bytes, headers: dict[str, str] | None = None, size: int = 7) -> bytes:
    lines = ["HTTP/1.1 200 OK", "Transfer-Encoding: chunked", *(f"{k}: {v}" for k, v in (headers or {}).items())]
    chunks = b"".join(
        f"{len(body[i : i + size]):x}\r\n".encode() + body[i : i + size] + b"\r\n" for i in range(0, len(body), size)
    )
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + chunks + b"0\r\n\r\n"
