"""Runs the Python peers' resource detectors on one agreement case; prints what they report.

Usage: ``python python_peer.py '<case JSON>'`` with the case's environment. The JSON:
``{"detectors": ["<module>:<class>", ...], "root": "<folder>", "redirect": {"<host>:<port>": <port>},
"hostname": "<name>"}``.

This is the peers' sandbox, never used on this package's code: the peers are not changed,
only what they reach. Before they are imported, name lookups and connections are rewritten
by the redirect map to 127.0.0.1 and any other destination off loopback is refused (nothing
is sent to 169.254.169.254 or a cluster address); reads of platform files (``/proc``,
``/sys``, ``/var``, ``/etc``, ``/run``), including a CA bundle given to ``ssl``, come from
the case's root; ``socket.gethostname()`` answers the case's host name. Prints one JSON
object: ``{"<module>:<class>": {attribute: value, ...}, ...}``.
"""

from __future__ import annotations

import builtins
import importlib
import io
import ipaddress
import json
import os
import os.path
import socket
import ssl
import sys
from collections.abc import Callable
from typing import Any

SPEC: dict[str, Any] = json.loads(sys.argv[1])
ROOT: str = SPEC["root"]
REDIRECT: dict[str, int] = SPEC["redirect"]
PLATFORM_FILES = ("/proc/", "/sys/", "/var/", "/etc/", "/run/")


def _under_root(file: Any) -> Any:
    text = os.fspath(file) if isinstance(file, str | os.PathLike) else file
    if isinstance(text, str) and text.startswith(PLATFORM_FILES) and not text.startswith(sys.prefix):
        return os.path.join(ROOT, text.lstrip("/"))
    return file


def _path_first(original: Callable[..., Any]) -> Callable[..., Any]:
    def redirected(file: Any, *args: Any, **kwargs: Any) -> Any:
        return original(_under_root(file), *args, **kwargs)

    return redirected


builtins.open = _path_first(builtins.open)
io.open = builtins.open
os.path.exists = _path_first(os.path.exists)
os.path.isfile = _path_first(os.path.isfile)
os.path.isdir = _path_first(os.path.isdir)
os.stat = _path_first(os.stat)
os.access = _path_first(os.access)
os.listdir = _path_first(os.listdir)

_load_verify_locations = ssl.SSLContext.load_verify_locations


def _verify_locations(self: ssl.SSLContext, cafile: Any = None, capath: Any = None, cadata: Any = None) -> None:
    _load_verify_locations(self, _under_root(cafile) if cafile else None, capath, cadata)


ssl.SSLContext.load_verify_locations = _verify_locations  # type: ignore[method-assign]

_getaddrinfo = socket.getaddrinfo


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _addrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
    name = host.decode() if isinstance(host, bytes) else str(host)
    target = REDIRECT.get(f"{name.rstrip('.')}:{port}")
    if target is not None:
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", ("127.0.0.1", target))]
    if not _loopback(name):
        raise socket.gaierror(socket.EAI_NONAME, f"agreement sandbox: {name}:{port} is not on the redirect map")
    return _getaddrinfo(host, port, *args, **kwargs)


socket.getaddrinfo = _addrinfo

_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if isinstance(address, tuple):
        host, port = str(address[0]), address[1]
        target = REDIRECT.get(f"{host}:{port}")
        if target is not None:
            address = ("127.0.0.1", target)
        elif not _loopback(host):
            raise ConnectionRefusedError(f"agreement sandbox refused a connection to {host}:{port}")
    _connect(self, address)


socket.socket.connect = _guarded_connect  # type: ignore[method-assign,assignment]
if SPEC.get("hostname"):
    socket.gethostname = lambda: str(SPEC["hostname"])


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def main() -> None:
    out: dict[str, dict[str, Any]] = {}
    for name in SPEC["detectors"]:
        module, _, cls = name.partition(":")
        detector = getattr(importlib.import_module(module), cls)()
        try:
            attributes = dict(detector.detect().attributes)
        except Exception as error:  # a peer that fails reports nothing, as under the SDK
            print(f"{name}: {type(error).__name__}: {error}", file=sys.stderr)
            attributes = {}
        out[name] = {key: _plain(value) for key, value in attributes.items()}
    sys.stdout.write(json.dumps(out))


if __name__ == "__main__":
    main()
