"""The one way detectors speak HTTP: bounded, proxy-free, validated.

* Split timeouts: a short connect timeout (metadata endpoints are local; if
  nothing answers quickly nothing will) and a separate read timeout, both cut
  to what is left of the caller's deadline.
* No proxy, ever: the standard library's ``http.client`` is used directly, so
  ``HTTP(S)_PROXY`` cannot route a link-local metadata request off the machine.
* A size cap on every response, JSON only, and optional validation of a reply
  header (the GCP metadata server's ``Metadata-Flavor: Google``).
* Never raises: the result says what went wrong in words fit for one log line.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import http.client
    import ssl

# http.client and ssl cost about 20 ms to import and are needed only on a
# platform whose metadata endpoint is signalled: they are imported on first use.

MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Deadline:
    """A point in time (``time.monotonic()``) that every network call respects."""

    at: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(time.monotonic() + seconds)

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())


@dataclass(frozen=True)
class Response:
    """A parsed body (JSON document or text), or why there is none.

    ``status`` is 0 when no HTTP reply came at all.
    """

    document: Any = None
    status: int = 0
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def _connection(url: str, timeout: float, tls: ssl.SSLContext | None) -> tuple[http.client.HTTPConnection, str] | str:
    import http.client  # noqa: PLC0415 - see the note on imports above
    import ssl  # noqa: PLC0415

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"not an http(s) URL: {parts.scheme}://{parts.hostname or ''}"
    if parts.scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=tls or ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return connection, path


def get_json(url: str, *, deadline: Deadline, **options: Any) -> Response:
    """GET ``url`` and parse its JSON body, within ``deadline``."""
    return get(url, deadline=deadline, parse=json.loads, accept="application/json", **options)


def get_text(url: str, *, deadline: Deadline, **options: Any) -> Response:
    """GET ``url`` and return its body as stripped text, within ``deadline``."""
    return get(url, deadline=deadline, parse=_text, accept="text/plain", **options)


def _text(body: bytes) -> str:
    return body.decode("utf-8").strip()


def get(  # noqa: PLR0911 - one return per failure mode keeps each message beside its cause
    url: str,
    *,
    deadline: Deadline,
    parse: Callable[[bytes], Any],
    accept: str,
    headers: dict[str, str] | None = None,
    connect_timeout: float = 0.5,
    read_timeout: float = 2.0,
    require_header: tuple[str, str] | None = None,
    tls: ssl.SSLContext | None = None,
    max_bytes: int = MAX_BYTES,
) -> Response:
    """GET ``url`` within ``deadline`` and parse the body with ``parse``."""
    connect_budget = min(connect_timeout, deadline.remaining())
    if connect_budget <= 0:
        return Response(problem="no time left in the detection budget")
    made = _connection(url, connect_budget, tls)
    if isinstance(made, str):
        return Response(problem=made)
    connection, path = made
    import http.client  # noqa: PLC0415 - see the note on imports above
    import ssl  # noqa: PLC0415

    try:
        connection.connect()
        read_budget = min(read_timeout, deadline.remaining())
        if read_budget <= 0:
            return Response(problem="no time left in the detection budget")
        if connection.sock is not None:
            connection.sock.settimeout(read_budget)
        connection.request("GET", path, headers={"Accept": accept, **(headers or {})})
        reply = connection.getresponse()
        body = reply.read(max_bytes + 1)
    except TimeoutError:
        return Response(problem="timed out")
    except ssl.SSLError as problem:
        return Response(problem=f"TLS failed ({problem.reason or type(problem).__name__})")
    except (OSError, http.client.HTTPException) as problem:
        return Response(problem=f"request failed ({type(problem).__name__})")
    finally:
        connection.close()
    if require_header is not None and reply.getheader(require_header[0]) != require_header[1]:
        return Response(
            status=reply.status, problem=f"the reply lacks the header {require_header[0]}: {require_header[1]}"
        )
    if reply.status != 200:
        return Response(status=reply.status, problem=f"HTTP {reply.status}")
    if len(body) > max_bytes:
        return Response(status=reply.status, problem=f"the reply is larger than {max_bytes} bytes")
    try:
        return Response(parse(body), reply.status)
    except ValueError:
        return Response(status=reply.status, problem=f"the reply is not {accept}")
