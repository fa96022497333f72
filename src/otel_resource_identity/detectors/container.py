"""``ContainerDetector``: ``container.id`` and ``container.runtime.name`` from local files.

Reads ``/proc/self/cgroup`` and, when that names no container (cgroup v2 with
a private namespace reads ``0::/``), ``/proc/self/mountinfo``; see
``inputs.cgroup`` for the rules. Never touches the network.
"""

from __future__ import annotations

from opentelemetry.sdk.resources import Resource

from ._base import BaseDetector
from ._emit import detected
from .inputs.cgroup import ContainerFacts, parse_cgroup, parse_mountinfo
from .inputs.files import exists, read_text

# Plain strings: the semantic-convention module costs start-up time (tests/test_attribute_names.py checks them).
CONTAINER_ID, CONTAINER_RUNTIME_NAME = "container.id", "container.runtime.name"

# Marker files a runtime leaves in the container's root: they say which
# runtime, never which container.
_MARKERS = (("/.dockerenv", "docker"), ("/run/.containerenv", "podman"))


def container_facts(root: str, *, with_name: bool = False) -> ContainerFacts:
    """Everything the cgroup and mount tables under ``root`` say about this process's container.

    The mount table is read only when the cgroup file left a gap, or when the
    Kubernetes container name (only the mount table has it) is wanted.
    """
    facts = parse_cgroup(read_text(root, "/proc/self/cgroup") or "")
    if facts.container_id and facts.pod_uid and not with_name:
        return facts
    mounts = parse_mountinfo(read_text(root, "/proc/self/mountinfo") or "")
    return facts.filled_from(mounts)


class ContainerDetector(BaseDetector):
    """The container this process runs in: ``container.id``, ``container.runtime.name``."""

    def detect(self) -> Resource:
        facts = container_facts(self.root)
        runtime = facts.runtime
        if runtime is None:
            runtime = next((name for marker, name in _MARKERS if exists(self.root, marker)), None)
        return detected(
            {CONTAINER_ID: facts.container_id, CONTAINER_RUNTIME_NAME: runtime},
            source="/proc/self/cgroup or /proc/self/mountinfo",
        )
