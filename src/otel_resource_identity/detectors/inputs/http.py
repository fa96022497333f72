"""The one way detectors speak HTTP: one exchange, one deadline, proxy-free, validated.

* One deadline bounds the whole exchange (connect, TLS handshake, sending,
  the status line, headers and every read of the body), not each socket call:
  every blocking step waits at most for what is left of it, so a server that
  drips one byte at a time cannot stretch the budget.
* No proxy, ever: the request goes over a plain socket to the host named, so
  ``HTTP(S)_PROXY`` cannot route a link-local metadata request off the machine.
  Redirects are never followed.
* A size cap on every reply (headers and body), ``Content-Length`` and
  chunked bodies both understood, optional validation of a reply header (the
  GCP metadata server's ``Metadata-Flavor: Google``).
* Request header values holding control characters (a token with a newline)
  are refused before anything is sent, and no message ever quotes a header
  value or the userinfo of a URL.
* Never raises: the result says what went wrong in words fit for one log line.

It uses ``socket`` (and ``ssl`` only for ``https``) rather than
``http.client``: the standard client's reads each get the full socket timeout,
and importing it (with ``ssl``) costs more than a whole detection.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from .deadline import Deadline
from .urls import Endpoint, parse_endpoint

if TYPE_CHECKING:
    import ssl

MAX_BYTES = 1024 * 1024
_MAX_HEADER_BYTES = 64 * 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_STATUS_LINE = re.compile(rb"HTTP/1\.[01] ([1-5][0-9]{2})(?: [^\r\n]*)?")


_NO_HEADERS: Mapping[str, str] = MappingProxyType({})


class Response(NamedTuple):
    """A parsed body (JSON document or text), or why there is none.

    ``status`` is 0 when no HTTP reply came at all.
    """

    document: Any = None
    status: int = 0
    problem: str = ""
    headers: Mapping[str, str] = _NO_HEADERS

    @property
    def ok(self) -> bool:
        return not self.problem

    @property
    def http_error(self) -> bool:
        """The server answered, with a status other than 200 (a 404 for a missing metadata path)."""
        return self.problem == f"HTTP {self.status}"


class _OutOfTimeError(Exception):
    pass


class _RefusedError(Exception):
    """The reply cannot be used; the message says why, without quoting it."""


def _wait(sock: socket.socket, deadline: Deadline) -> None:
    remaining = deadline.remaining()
    if remaining <= 0:
        raise _OutOfTimeError
    sock.settimeout(remaining)


def _address(endpoint: Endpoint, deadline: Deadline) -> tuple[int, tuple[Any, ...]]:
    """The socket family and address to connect to; a name is resolved on a thread, within ``deadline``."""
    import ipaddress  # noqa: PLC0415 - only once a request is made

    try:
        address = ipaddress.ip_address(endpoint.host.split("%", 1)[0])
    except ValueError:
        pass
    else:
        if address.version == 6:
            return socket.AF_INET6, (endpoint.host, endpoint.port, 0, 0)
        return socket.AF_INET, (endpoint.host, endpoint.port)
    found: list[list[Any] | OSError] = []

    def lookup() -> None:
        try:
            found.append(list(socket.getaddrinfo(endpoint.host, endpoint.port, type=socket.SOCK_STREAM)))
        except (OSError, UnicodeError) as problem:
            found.append(OSError(str(type(problem).__name__)))

    # The resolver has no timeout of its own: it runs on a daemon thread that is left behind at the deadline.
    resolver = threading.Thread(target=lookup, name="otel-resource-identity-resolve", daemon=True)
    resolver.start()
    resolver.join(deadline.remaining())
    if not found:
        raise _OutOfTimeError
    result = found[0]
    if isinstance(result, OSError) or not result:
        raise _RefusedError("the host name does not resolve")
    family, _, _, _, address_tuple = result[0]
    return family, tuple(address_tuple)


def _tls_wrap(sock: socket.socket, host: str, tls: ssl.SSLContext | None, deadline: Deadline) -> socket.socket:
    import ssl  # noqa: PLC0415 - only for https; ssl is slow to import
    from select import select  # noqa: PLC0415

    context = tls or ssl.create_default_context()
    wrapped = context.wrap_socket(sock, server_hostname=host, do_handshake_on_connect=False)
    try:
        wrapped.setblocking(False)
        # The handshake, step by step, so that a server dripping it still meets the deadline.
        while True:
            try:
                wrapped.do_handshake()
                break
            except ssl.SSLWantReadError:
                ready = select([wrapped], [], [], deadline.remaining())[0]
            except ssl.SSLWantWriteError:
                ready = select([], [wrapped], [], deadline.remaining())[1]
            if not ready:
                raise _OutOfTimeError
    except BaseException:
        wrapped.close()  # the plain socket now belongs to the wrapper
        raise
    return wrapped


def _request_bytes(method: str, endpoint: Endpoint, path: str, headers: Mapping[str, str], body: bytes) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {endpoint.host_header}", "Connection: close", "User-Agent: -"]
    for name, value in headers.items():
        if _CONTROL.search(name) or _CONTROL.search(value) or ":" in name:
            # Named, never quoted: a header value may be a token.
            raise _RefusedError(
                f"the request header {name if not _CONTROL.search(name) else '?'} holds control characters"
            )
        lines.append(f"{name}: {value}")
    if body or method not in ("GET", "HEAD"):
        lines.append(f"Content-Length: {len(body)}")
    try:
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")
    except UnicodeEncodeError:
        raise _RefusedError("a request header is not ASCII") from None
    return head + body


def _read_more(sock: socket.socket, deadline: Deadline, buffer: bytearray) -> bool:
    """Append what the server sends next to ``buffer``; ``False`` once it has closed the connection."""
    _wait(sock, deadline)
    chunk = sock.recv(65536)
    buffer += chunk
    return bool(chunk)


def _body_length(headers: Mapping[str, str], max_bytes: int) -> int | None:
    length = headers.get("content-length", "")
    if not length:
        return None
    if not (length.isascii() and length.isdigit() and len(length) <= 12):
        raise _RefusedError("the reply's Content-Length is not a number")
    if int(length) > max_bytes:
        raise _RefusedError(f"the reply is larger than {max_bytes} bytes")
    return int(length)


def _receive(sock: socket.socket, deadline: Deadline, max_bytes: int) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-cased names) and body of the reply, all within ``deadline``."""
    buffer = bytearray()
    open_ = True
    while (header_end := buffer.find(b"\r\n\r\n")) < 0:
        if len(buffer) > _MAX_HEADER_BYTES:
            raise _RefusedError("the reply's headers are too large")
        if not open_:
            raise _RefusedError("the connection closed before a complete reply")
        open_ = _read_more(sock, deadline, buffer)
    status, headers = _parse_head(bytes(buffer[:header_end]))
    del buffer[: header_end + 4]
    chunked = "chunked" in headers.get("transfer-encoding", "").lower()
    length = None if chunked else _body_length(headers, max_bytes)
    # A chunked body carries some framing on top of its data.
    cap = max_bytes * 2 + 64 if chunked else max_bytes
    while True:
        if length is not None and len(buffer) >= length:
            return status, headers, bytes(buffer[:length])
        if chunked and buffer.endswith(b"0\r\n\r\n") and (decoded := _dechunk(bytes(buffer))) is not None:
            return status, headers, _capped(decoded, max_bytes)
        if len(buffer) > cap:
            raise _RefusedError(f"the reply is larger than {max_bytes} bytes")
        if not open_:
            break
        open_ = _read_more(sock, deadline, buffer)
    if length is not None:
        raise _RefusedError("the connection closed before the whole body")
    if chunked:
        decoded = _dechunk(bytes(buffer))
        if decoded is None:
            raise _RefusedError("the reply's chunked body is malformed or incomplete")
        return status, headers, _capped(decoded, max_bytes)
    return status, headers, _capped(bytes(buffer), max_bytes)


def _capped(body: bytes, max_bytes: int) -> bytes:
    if len(body) > max_bytes:
        raise _RefusedError(f"the reply is larger than {max_bytes} bytes")
    return body


def _parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    lines = head.split(b"\r\n")
    matched = _STATUS_LINE.fullmatch(lines[0])
    if matched is None:
        raise _RefusedError("the reply is not HTTP")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if colon:
            headers[name.strip().decode("latin-1").lower()] = value.strip().decode("latin-1")
    return int(matched.group(1)), headers


def _dechunk(body: bytes) -> bytes | None:
    """A chunked body decoded, or ``None`` when it is incomplete or malformed."""
    out = bytearray()
    position = 0
    while True:
        line_end = body.find(b"\r\n", position)
        if line_end < 0:
            return None
        size_text = body[position:line_end].split(b";", 1)[0].strip()
        if not size_text or len(size_text) > 8 or not re.fullmatch(rb"[0-9a-fA-F]+", size_text):
            return None
        size = int(size_text, 16)
        start = line_end + 2
        if size == 0:
            return bytes(out)
        if len(body) < start + size + 2 or body[start + size : start + size + 2] != b"\r\n":
            return None
        out += body[start : start + size]
        position = start + size + 2


def exchange(  # noqa: PLR0911 - one return per failure mode keeps each message beside its cause
    method: str,
    url: str,
    *,
    deadline: Deadline,
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
    tls: ssl.SSLContext | None = None,
    max_bytes: int = MAX_BYTES,
) -> tuple[int, dict[str, str], bytes] | str:
    """One HTTP request and its reply, all within ``deadline``: (status, headers, body), or why not."""
    endpoint = parse_endpoint(url)
    if isinstance(endpoint, str):
        return endpoint
    if deadline.remaining() <= 0:
        return "no time left in the detection budget"
    sock: socket.socket | None = None
    try:
        request = _request_bytes(method, endpoint, endpoint.path, headers or {}, body)
        family, address = _address(endpoint, deadline)
        sock = socket.socket(family, socket.SOCK_STREAM)
        _wait(sock, deadline)
        sock.connect(address)
        if endpoint.scheme == "https":
            sock = _tls_wrap(sock, endpoint.host, tls, deadline)
            sock.setblocking(True)
        view = memoryview(request)
        while view:
            _wait(sock, deadline)
            sent = sock.send(view)
            view = view[sent:]
        return _receive(sock, deadline, max_bytes)
    except (_OutOfTimeError, TimeoutError):
        return "timed out"
    except _RefusedError as problem:
        return str(problem)
    except OSError as problem:
        reason = getattr(problem, "reason", None)
        if type(problem).__module__ == "ssl" or reason:
            return f"TLS failed ({reason or type(problem).__name__})"
        return f"request failed ({type(problem).__name__})"
    except (ValueError, UnicodeError) as problem:  # an address the resolver refuses
        return f"request failed ({type(problem).__name__})"
    finally:
        if sock is not None:
            sock.close()


def get_json(url: str, *, deadline: Deadline, **options: Any) -> Response:
    """GET ``url`` and parse its JSON body, within ``deadline``."""
    return get(url, deadline=deadline, parse=parse_json, accept="application/json", **options)


def get_text(url: str, *, deadline: Deadline, **options: Any) -> Response:
    """GET ``url`` and return its body as stripped text, within ``deadline``."""
    return get(url, deadline=deadline, parse=_text, accept="text/plain", **options)


def parse_json(body: bytes | str) -> Any:
    """A JSON document; ``ValueError`` for anything that is not one (too deep, huge numbers, bad bytes)."""
    try:
        return json.loads(body)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _text(body: bytes) -> str:
    return body.decode("utf-8").strip()


# A metadata session token goes back in a request header: one line of visible ASCII, bounded.
_TOKEN = re.compile(r"[\x21-\x7e]{1,4096}")


def get_token(url: str, *, deadline: Deadline, headers: Mapping[str, str]) -> Response:
    """PUT ``url`` for a metadata session token (EC2, Alibaba, Akamai): refused unless it is one
    line of visible ASCII, so a garbage reply can never become a header of the next request."""
    return get(url, deadline=deadline, parse=_token, accept="text/plain", method="PUT", headers=dict(headers))


def _token(body: bytes) -> str:
    text = body.decode("ascii").strip()
    if not _TOKEN.fullmatch(text):
        raise ValueError("not a token")
    return text


def get(
    url: str,
    *,
    deadline: Deadline,
    parse: Callable[[bytes], Any],
    accept: str,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    body: bytes = b"",
    require_header: tuple[str, str] | None = None,
    tls: ssl.SSLContext | None = None,
    max_bytes: int = MAX_BYTES,
) -> Response:
    """Request ``url`` within ``deadline`` and parse the body with ``parse``."""
    done = exchange(
        method,
        url,
        deadline=deadline,
        headers={"Accept": accept, **(headers or {})},
        body=body,
        tls=tls,
        max_bytes=max_bytes,
    )
    if isinstance(done, str):
        return Response(problem=done)
    status, reply_headers, data = done
    if require_header is not None and reply_headers.get(require_header[0].lower()) != require_header[1]:
        return Response(status=status, problem=f"the reply lacks the header {require_header[0]}: {require_header[1]}")
    if status != 200:
        return Response(status=status, problem=f"HTTP {status}", headers=reply_headers)
    try:
        return Response(parse(data), status, headers=reply_headers)
    except (ValueError, UnicodeError):
        return Response(status=status, problem=f"the reply is not {accept}", headers=reply_headers)
