"""Test helpers for detectors: fixture environments, fake filesystem roots, loopback servers.

Detectors run for real against these: files under a ``root`` folder, and
metadata served over HTTP(S) on 127.0.0.1. Nothing is patched.
"""

from __future__ import annotations

import json
import shutil
import ssl
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# A value no detector may ever copy: it is planted in every variable that
# platforms use for credentials, and tests assert it appears nowhere.
SECRET = "sentinel-SECRET-5d1b9c"
SECRET_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "GITHUB_TOKEN",
    "GH_TOKEN",
    "ACTIONS_RUNTIME_TOKEN",
    "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
    "CI_JOB_TOKEN",
    "CI_JOB_JWT",
    "CI_REGISTRY_PASSWORD",
    "CI_RUNNER_SHORT_TOKEN",
    "GITLAB_USER_EMAIL",
    "JENKINS_SERVER_COOKIE",
    "CIRCLE_OIDC_TOKEN",
    "SYSTEM_ACCESSTOKEN",
    "BUILDKITE_AGENT_ACCESS_TOKEN",
    "BITBUCKET_STEP_OIDC_TOKEN",
    "DRONE_NETRC_PASSWORD",
    "CI_NETRC_PASSWORD",
    "CODEBUILD_AUTH_TOKEN",
    "VERCEL_OIDC_TOKEN",
    "VERCEL_AUTOMATION_BYPASS_SECRET",
    "OTEL_EXPORTER_OTLP_HEADERS",
)
# Variables whose value is a URL; credentials are planted in the userinfo.
SECRET_URL_VARIABLES = ("DATABASE_URL", "REDIS_URL", "CI_REPOSITORY_URL")


def load_env(relative: str) -> dict[str, str]:
    """A fixture environment file (``KEY=value`` lines) as a mapping."""
    variables: dict[str, str] = {}
    for line in (FIXTURES / relative).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, _, value = line.partition("=")
        variables[key.strip()] = value
    return variables


def with_secrets(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` with the sentinel secret planted in every credential variable."""
    planted = dict(environ)
    for name in SECRET_VARIABLES:
        planted[name] = SECRET
    for name in SECRET_URL_VARIABLES:
        planted[name] = f"https://user:{SECRET}@example.invalid/db"
    return planted


def fixture_text(relative: str) -> str:
    return (FIXTURES / relative).read_text(encoding="utf-8")


def make_root(base: Path, files: Mapping[str, str | Path]) -> Path:
    """A filesystem root under ``base`` holding ``files`` (absolute path -> text or fixture path)."""
    base.mkdir(parents=True, exist_ok=True)
    for path, content in files.items():
        target = base / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_text(content, encoding="utf-8")
    return base


@dataclass
class Reply:
    body: bytes | str | object
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class LoopbackServer:
    """A metadata server on 127.0.0.1 serving canned replies by path."""

    routes: dict[str, Reply]
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    port: int = 0
    scheme: str = "http"

    @property
    def base(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"


@contextmanager
def serve(
    routes: dict[str, Reply],
    tls: ssl.SSLContext | None = None,
    *,
    any_query: bool = False,
    missing: Reply | None = None,
) -> Iterator[LoopbackServer]:
    """Serve ``routes`` on a loopback port until the block ends. With ``any_query``, a route
    without a query also answers its path asked with any query; ``missing`` answers what no
    route does (by default a JSON 404)."""
    server_state = LoopbackServer(routes, scheme="https" if tls else "http")
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            # PUT routes are keyed "PUT <path>" (the EC2 metadata token); the body is read and ignored.
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.do_GET(f"PUT {self.path}")

        def do_GET(self, key: str | None = None) -> None:
            key = key or self.path
            server_state.requests.append((key, dict(self.headers.items())))
            reply = server_state.routes.get(key)
            if reply is None and any_query:
                reply = server_state.routes.get(key.split("?", 1)[0])
            reply = reply or missing or Reply({"message": "not found"}, 404)
            if reply.delay:
                stop.wait(reply.delay)
            body = reply.body
            if isinstance(body, str):
                data = body.encode()
            elif isinstance(body, bytes):
                data = body
            else:
                data = json.dumps(body).encode()
            try:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client gave up first, as a detector past its deadline does
                pass

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class names it so
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    server_state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server_state
    finally:
        stop.set()
        httpd.shutdown()
        httpd.server_close()


def elapsed(started: float) -> float:
    return time.monotonic() - started
