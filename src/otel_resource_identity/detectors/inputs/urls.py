"""URLs from outside the process: endpoints validated, credentials removed.

Two functions, used everywhere a URL is taken in or given out:

* :func:`parse_endpoint` turns an endpoint (a metadata URL, ``host[:port]``
  from a variable) into validated parts, or says why it cannot, without
  quoting it: the text may carry ``user:password@``.
* :func:`strip_credentials` removes the userinfo from a URL, also where a
  password holds ``/``, ``?``, ``#`` or ``@`` (which ``urllib.parse`` reads as
  the start of the path), so no credential reaches an attribute or a log line.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
_PORT = re.compile(r"[0-9]{1,5}")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class Endpoint(NamedTuple):
    """A validated http(s) endpoint. ``path`` includes the query; ``safe`` is fit for a log line."""

    scheme: str
    host: str
    port: int
    path: str

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == _DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"

    @property
    def safe(self) -> str:
        return f"{self.scheme}://{self.host_header}"


def _userinfo_end(rest: str) -> int | None:
    """Where the userinfo of ``rest`` (a URL after ``scheme://``) ends (its last ``@``), if it has one."""
    authority_end = len(rest)
    for mark in "/?#":
        found = rest.find(mark)
        if 0 <= found < authority_end:
            authority_end = found
    authority = rest[:authority_end]
    if "@" in authority:
        return authority.rindex("@")
    # "user:pa/ss@host": a password holding '/', '?' or '#' ends the authority
    # early. A colon before that point followed by an '@' later is taken as
    # credentials: a URL is then cut too much rather than leak a password.
    if ":" in authority and "@" in rest[authority_end:]:
        return rest.index("@", authority_end)
    return None


def strip_credentials(text: str) -> str:
    """``text`` without the ``user:password@`` of its URL (unchanged when it has none).

    Repeated until nothing more looks like credentials, so that a password
    holding ``@`` as well as ``/`` cannot leave a part of itself behind.
    """
    while "@" in text:
        scheme = _SCHEME.match(text)
        if scheme is None:
            return text
        rest = text[scheme.end() :]
        end = _userinfo_end(rest)
        if end is None:
            return text
        text = text[: scheme.end()] + rest[end + 1 :]
    return text


def valid_host(host: str) -> bool:
    """An IP address or a DNS name of ASCII labels (at most 253 characters)."""
    import ipaddress  # noqa: PLC0415 - only when an endpoint is parsed (on a signalled platform)

    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return True
    if not host.isascii() or len(host) > 253:
        return False
    labels = host.rstrip(".").split(".")
    return all(_LABEL.fullmatch(label) for label in labels)


def split_host_port(text: str, default_port: int) -> tuple[str, int] | str:  # noqa: PLR0911 - one return per reason
    """(host, port) of ``host``, ``host:port``, ``[v6]`` or ``[v6]:port``, or why it is not one."""
    if text.startswith("["):
        close = text.find("]")
        if close < 0:
            return "an IPv6 address lacks its closing ']'"
        import ipaddress  # noqa: PLC0415 - see valid_host

        host, after = text[1:close], text[close + 1 :]
        if after and not after.startswith(":"):
            return "text follows the IPv6 address"
        port_text = after[1:] if after else ""
        try:
            ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return "not a valid IPv6 address"
    else:
        host, colon, port_text = text.partition(":")
        if colon and not port_text:
            return "the port is empty"
        if not valid_host(host):
            return "not a valid host name or address"
    if port_text:
        if not _PORT.fullmatch(port_text) or not 0 < int(port_text) <= 65535:
            return "the port is not a number from 1 to 65535"
        return host, int(port_text)
    return host, default_port


def parse_endpoint(url: str) -> Endpoint | str:
    """The parts of an ``http(s)://host[:port][/path]`` URL, or why it is not one (never quoting it)."""
    scheme_match = _SCHEME.match(url)
    if scheme_match is None or scheme_match.group(1).lower() not in _DEFAULT_PORTS:
        return "not an http(s) URL"
    scheme = scheme_match.group(1).lower()
    rest = url[scheme_match.end() :]
    end = _userinfo_end(rest)
    if end is not None:
        rest = rest[end + 1 :]  # credentials are never sent
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in rest):
        return "the URL holds spaces or control characters"
    authority_end = len(rest)
    for mark in "/?#":
        found = rest.find(mark)
        if 0 <= found < authority_end:
            authority_end = found
    parts = split_host_port(rest[:authority_end], _DEFAULT_PORTS[scheme])
    if isinstance(parts, str):
        return parts
    path = rest[authority_end:].split("#", 1)[0]
    if not path.startswith("/"):
        path = "/" + path
    if not path.isascii():
        return "the URL's path is not ASCII"
    return Endpoint(scheme, parts[0], parts[1], path)
