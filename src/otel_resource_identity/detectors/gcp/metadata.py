"""The Google Cloud metadata server, as Cloud Run and Compute Engine detectors ask it.

``GCE_METADATA_HOST`` if set (as Google's client libraries honour it), else the
link-local address, never a DNS name that an intranet could answer. Every
request sends, and every reply must carry, ``Metadata-Flavor: Google``. Each
path is asked on its own within the deadline, so one that is missing (a 404
for ``instance/zone``, or ``instance/attributes/cluster-name`` off GKE) loses
nothing else. Tokens and identities are never asked for.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, MutableMapping

from ..._settings import warn_once
from ..inputs.deadline import Deadline
from ..inputs.http import Response, get_text
from ..inputs.urls import parse_endpoint

DEFAULT_METADATA_HOST = "169.254.169.254"
FLAVOR = ("Metadata-Flavor", "Google")


class Answers:
    """What the metadata server answered, by path; the paths it did not, and why (for one log line)."""

    __slots__ = ("failed", "problem", "reached", "values")

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.failed: list[str] = []
        self.problem = ""
        self.reached = False  # whether any reply came from a metadata server at all


def metadata_base(environ: Mapping[str, str]) -> str | None:
    """``http://host[:port]`` of the metadata server, or ``None`` (one warning) when ``GCE_METADATA_HOST`` is bad.

    The variable is never quoted: it may carry credentials.
    """
    text = environ.get("GCE_METADATA_HOST", "").strip() or DEFAULT_METADATA_HOST
    endpoint = parse_endpoint(f"http://{text}")
    problem = endpoint if isinstance(endpoint, str) else ""
    if not problem and ("@" in text or endpoint.path != "/"):  # type: ignore[union-attr]
        problem = "it holds credentials or a path"
    if problem or isinstance(endpoint, str):
        warn_once(
            ("GCE_METADATA_HOST", text),
            "GCE_METADATA_HOST is not host[:port] (%s); skipped the metadata server",
            problem,
        )
        return None
    return endpoint.safe


def ask(base: str, paths: tuple[str, ...], deadline: Deadline, *, optional: tuple[str, ...] = ()) -> Answers:
    """Each of ``paths`` under ``/computeMetadata/v1/``, all at once, within ``deadline``.

    The paths are asked concurrently (one small request each, instead of one
    recursive request whose answer would also hold instance attributes such as
    start-up scripts), so the whole costs about one round trip. An HTTP error on
    one path loses nothing else; a path in ``optional`` that answers 404 is not a
    failure (it does not exist here: ``cluster-name`` off GKE).
    """
    responses: dict[str, Response] = {}

    def one(path: str) -> None:
        responses[path] = get_text(
            f"{base}/computeMetadata/v1/{path}", deadline=deadline, headers=dict([FLAVOR]), require_header=FLAVOR
        )

    threads = [threading.Thread(target=one, args=(path,), daemon=True) for path in paths[1:]]
    for thread in threads:
        thread.start()
    one(paths[0])
    for thread in threads:
        thread.join(deadline.remaining())
    answers = Answers()
    for path in paths:
        response = responses.get(path)
        if response is not None and response.ok and response.document:
            answers.values[path] = str(response.document)
            answers.reached = True
            continue
        if response is not None and response.status:
            # Something answered over HTTP: the metadata server with an error, or something else in
            # its place (a proxy, a captive portal) whose reply lacks the flavor header. Either way
            # the platform is present and broken, which is worth the one warning.
            answers.reached = True
            if response.http_error and path in optional and response.status == 404:
                continue
        answers.failed.append(path)
        problem = (response.problem if response else "timed out") or "an empty reply"
        if not answers.problem or FLAVOR[0] in problem:  # the missing header says the most
            answers.problem = problem
    return answers


def last_segment(value: str) -> str:
    """``projects/123/zones/us-central1-a`` -> ``us-central1-a``."""
    return value.rstrip("/").rsplit("/", 1)[-1]


def record(answers: Answers, mapping: Mapping[str, str], found: MutableMapping[str, object]) -> None:
    """Put each answered path's value under its attribute (``mapping``: path -> attribute)."""
    for path, attribute in mapping.items():
        if path in answers.values:
            found[attribute] = answers.values[path]
