"""The Google Cloud metadata server, as Cloud Run and Compute Engine detectors ask it.

``GCE_METADATA_HOST`` if set (as Google's client libraries honour it), else the
link-local address, never a DNS name that an intranet could answer. Every
request sends, and every reply must carry, ``Metadata-Flavor: Google``. Each
path is asked on its own within the deadline, so one that is missing (a 404
for ``instance/zone``, or ``instance/attributes/cluster-name`` off GKE) loses
nothing else. Tokens and identities are never asked for.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field

from .._settings import warn_once
from ._deadline import Deadline
from ._http import get_text
from ._urls import parse_endpoint

DEFAULT_METADATA_HOST = "169.254.169.254"
FLAVOR = ("Metadata-Flavor", "Google")


@dataclass
class Answers:
    """What the metadata server answered, by path; the paths it did not, and why (for one log line)."""

    values: dict[str, str] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    problem: str = ""
    reached: bool = False  # whether any reply came from a metadata server at all


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
    """Each of ``paths`` under ``/computeMetadata/v1/``; an HTTP error on one goes on to the next.

    A path in ``optional`` that answers 404 is not a failure (it simply does not exist here).
    """
    answers = Answers()
    for path in paths:
        response = get_text(
            f"{base}/computeMetadata/v1/{path}", deadline=deadline, headers=dict([FLAVOR]), require_header=FLAVOR
        )
        if response.ok and response.document:
            answers.values[path] = str(response.document)
            answers.reached = True
            continue
        if response.http_error:
            answers.reached = True
            if path in optional and response.status == 404:
                continue
        answers.failed.append(path)
        answers.problem = answers.problem or response.problem or "an empty reply"
        if not response.http_error:
            break  # no server, no time left, or not the metadata server: asking on is pointless
    return answers


def last_segment(value: str) -> str:
    """``projects/123/zones/us-central1-a`` -> ``us-central1-a``."""
    return value.rstrip("/").rsplit("/", 1)[-1]


def record(answers: Answers, mapping: Mapping[str, str], found: MutableMapping[str, object]) -> None:
    """Put each answered path's value under its attribute (``mapping``: path -> attribute)."""
    for path, attribute in mapping.items():
        if path in answers.values:
            found[attribute] = answers.values[path]
