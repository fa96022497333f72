"""Run one agreement case for real: this package in-process, each peer in its sandbox.

The case's services are served on 127.0.0.1 (TLS with a test CA where the platform uses it);
its files are written under a fresh root. This package reads the root through ``root=`` and
the services through its documented settings; the peers run as subprocesses (``python_peer.py``
for the Python peers, ``node/run.cjs`` for the JS ones) whose sandboxes redirect the peers'
link-local names to the same loopback servers.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import ssl
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trustme

from otel_resource_identity import PlatformDetector

from cases import Case, Service
from platforms import LoopbackServer, Reply, make_root, serve

HERE = Path(__file__).resolve().parent
NODE_DIR = HERE / "node"
PYTHON_PEER = HERE / "python_peer.py"
OURS = "ours"
# What a newcomer without the JS peers is told (the tests skip with this line).
NODE_MISSING = "the JS peers need node and npm: install them (Debian: apt-get install nodejs npm), then run npm ci --prefix tests/agreement/node"  # noqa: E501


PYTHON_MISSING = "the Python peers are not installed: pip install -e '.[agreement]'"


def node_ready(node_dir: Path = NODE_DIR) -> bool:
    return shutil.which("node") is not None and (node_dir / "node_modules" / "@opentelemetry").is_dir()


def python_peer_ready(detector: str, python: str = sys.executable) -> bool:
    module = detector.split(":", 1)[0]
    if python == sys.executable:
        try:
            return importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            return False
    return True


@dataclass(frozen=True)
class Outcome:
    """What each implementation reported for one case: ``ours`` and ``py:...``/``js:...`` keys."""

    case: Case
    reported: Mapping[str, Mapping[str, Any]]
    skipped: Mapping[str, str]


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _root(case: Case, base: Path, ca: trustme.CA) -> Path:
    root = base / "root"
    for tree in case.trees:
        shutil.copytree(tree, root, dirs_exist_ok=True)
    files: dict[str, str | Path] = dict(case.files)
    for service in case.services:
        if service.tls:
            files[service.ca_path] = ca.cert_pem.bytes().decode("ascii")
    return make_root(root, files)


@contextmanager
def _served(case: Case, ca: trustme.CA) -> Iterator[list[tuple[Service, LoopbackServer]]]:
    with ExitStack() as stack:
        running = []
        for service in case.services:
            context = None
            if service.tls:
                context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
                host = service.address.rsplit(":", 1)[0]
                ca.issue_cert(host, "127.0.0.1").configure_cert(context)
            routes = {key: Reply(a.body, a.status, dict(a.headers)) for key, a in service.routes.items()}
            missing = Reply(service.missing.body, service.missing.status, dict(service.missing.headers))
            running.append((service, stack.enter_context(serve(routes, tls=context, any_query=True, missing=missing))))
        yield running


def _environment(case: Case, running: list[tuple[Service, LoopbackServer]]) -> dict[str, str]:
    environ = dict(case.environ)
    for service, server in running:
        for name, value in service.settings.items():
            environ[name] = value.format(host=server.host, port=server.port)
    return environ


def _sandbox_spec(case: Case, root: Path, running: list[tuple[Service, LoopbackServer]], detectors: list[str]) -> str:
    redirect = {service.address: server.port for service, server in running}
    return json.dumps({"detectors": detectors, "root": str(root), "redirect": redirect, "hostname": case.hostname})


def _subprocess_env(environ: Mapping[str, str]) -> dict[str, str]:
    # Only what a process needs to start, and the case's variables: never the caller's
    # proxies, cloud settings or OpenTelemetry configuration.
    base = {name: os.environ[name] for name in ("PATH", "LANG", "SYSTEMROOT") if name in os.environ}
    return {**base, **environ}


def _run_sandbox(command: list[str], cwd: Path, environ: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    done = subprocess.run(
        command, cwd=cwd, env=_subprocess_env(environ), capture_output=True, text=True, timeout=60, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} sandbox failed: {done.stderr.strip()[-2000:]}")
    result: dict[str, dict[str, Any]] = json.loads(done.stdout)
    return result


def run_case(
    case: Case, base: Path, *, python: str = sys.executable, node_dir: Path = NODE_DIR, ours: bool = True
) -> Outcome:
    """Run ``case`` through this package (unless ``ours`` is false) and every peer available."""
    ca = trustme.CA()
    root = _root(case, base, ca)
    reported: dict[str, Mapping[str, Any]] = {}
    skipped: dict[str, str] = {}
    with _served(case, ca) as running:
        environ = _environment(case, running)
        if ours:
            detector = PlatformDetector(environ=environ, root=root, timeout=5, cache=False)
            reported[OURS] = {key: _plain(value) for key, value in detector.detect().attributes.items()}
        python_peers = [p.removeprefix("py:") for p in case.peers if p.startswith("py:")]
        ready = [p for p in python_peers if python_peer_ready(p, python)]
        skipped.update({f"py:{p}": PYTHON_MISSING for p in python_peers if p not in ready})
        if ready:
            spec = _sandbox_spec(case, root, running, ready)
            for name, attributes in _run_sandbox([python, str(PYTHON_PEER), spec], HERE, environ).items():
                reported[f"py:{name}"] = attributes
        js_peers = [p.removeprefix("js:") for p in case.peers if p.startswith("js:")]
        if js_peers and not node_ready(node_dir):
            skipped.update({f"js:{p}": NODE_MISSING for p in js_peers})
        elif js_peers:
            spec = _sandbox_spec(case, root, running, js_peers)
            command = ["node", str(node_dir / "run.cjs"), spec]
            for name, attributes in _run_sandbox(command, node_dir, environ).items():
                reported[f"js:{name}"] = attributes
    return Outcome(case, reported, skipped)
