"""What ``/proc/self/cgroup`` and ``/proc/self/mountinfo`` say about a container.

Pure functions over text, shared by the container, Kubernetes and ECS
detectors: one parser, written once. The rules, and why:

* A container id is 64 lowercase hex characters in a known place (or the
  ECS Fargate ``<task id>-<number>`` form). Shorter hex runs are never taken:
  on a plain host ``session-1.scope`` would otherwise yield ``1``.
* The innermost (last) id on a cgroup path wins: kind and Docker-in-Docker
  nest the workload's container inside the node's.
* In mountinfo only the mount *root* field is read, never the options: the
  overlay ``upperdir=…/overlay/<64hex>/diff`` is a storage layer, not a
  container. Pod-sandbox (pause) ids under ``/sandboxes/`` are never taken.
* The runtime is named from the prefix that carried the id.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_HEX64 = r"[0-9a-f]{64}"
_UID = r"[0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}"

_HEX = frozenset("0123456789abcdef")

# One cgroup path segment that names a container: ``<prefix><64 hex>[<suffix>]``
# (the suffix required or optional), and the runtime the prefix implies. As
# data, not regular expressions: compiling a dozen of them costs start-up time.
_SEGMENT_FORMS: tuple[tuple[str, str, bool, str], ...] = (
    ("docker-", ".scope", True, "docker"),
    ("cri-containerd-", ".scope", False, "containerd"),
    ("crio-", ".scope", False, "cri-o"),
    ("libpod-", ".scope", False, "podman"),
)
_CONTAINERD_COLON = ":cri-containerd:"  # containerd >= 1.5 with the systemd driver: <slice>:cri-containerd:<id>


def _is_hex64(text: str) -> bool:
    return len(text) == 64 and _HEX.issuperset(text)


def segment_container(segment: str) -> tuple[str, str | None] | None:
    """(container id, runtime or ``None``) when one cgroup path segment names a container."""
    for prefix, suffix, required, runtime in _SEGMENT_FORMS:
        if segment.startswith(prefix):
            rest = segment[len(prefix) :]
            if rest.endswith(suffix):
                rest = rest[: -len(suffix)]
            elif required:
                continue
            if _is_hex64(rest):
                return rest, runtime
    _, colon, tail = segment.rpartition(_CONTAINERD_COLON)
    if colon and _is_hex64(tail):
        return tail, "containerd"
    return (segment, None) if _is_hex64(segment) else None


# The patterns are strings, compiled (and cached by ``re``) on first use, and each is tried only
# after a plain substring test: off every container platform none is ever compiled, which keeps
# about a millisecond of pattern compilation out of every start-up.

# ECS on Fargate: /ecs/<32hex task id>/<32hex task id>-<number>.
_FARGATE = r"/ecs/([0-9a-f]{32})/(\1-\d+)(?:/|$)"
_POD_UID = rf"(?:^|[/-])pod({_UID})(?:\.slice)?(?=$|[/:])"

# mountinfo roots, in order of trust.
_MOUNT_DOCKER = rf"/containers/({_HEX64})/(?:hostname|hosts|resolv\.conf)$"
_MOUNT_OVERLAY = rf"/overlay-containers/({_HEX64})/userdata/"
_MOUNT_KUBELET_POD = rf"/pods/({_UID})/"
_MOUNT_KUBELET_CONTAINER = rf"/pods/{_UID}/containers/([^/]+)/[0-9a-f]+$"


class ContainerFacts(NamedTuple):
    """What the files told: each field ``None`` when they did not say."""

    container_id: str | None = None
    runtime: str | None = None
    pod_uid: str | None = None
    container_name: str | None = None

    def filled_from(self, other: ContainerFacts) -> ContainerFacts:
        """These facts, with gaps filled from ``other``."""
        return ContainerFacts(
            self.container_id or other.container_id,
            self.runtime if self.container_id else (self.runtime or other.runtime),
            self.pod_uid or other.pod_uid,
            self.container_name or other.container_name,
        )


def facts_from_path(path: str) -> ContainerFacts:
    """The container id, runtime and pod UID one cgroup path names."""
    container_id: str | None = None
    runtime: str | None = None
    fargate = re.search(_FARGATE, path) if "/ecs/" in path else None
    if fargate:
        container_id = fargate.group(2)
    previous = ""
    for segment in path.split("/"):
        named = segment_container(segment)
        if named:
            # A bare id directly under /docker/ is Docker's cgroupfs layout.
            container_id = named[0]
            runtime = named[1] or ("docker" if previous == "docker" else None)
        previous = segment
    pod = None
    for segment in path.split("/"):
        found = re.search(_POD_UID, segment) if "pod" in segment else None
        if found:
            pod = found.group(1).replace("_", "-")
    return ContainerFacts(container_id, runtime, pod)


def _cgroup_paths(text: str) -> list[str]:
    paths = []
    for line in text.splitlines():
        parts = line.split(":", 2)
        if len(parts) == 3:
            paths.append(parts[2].strip())
    return paths


def parse_cgroup(text: str) -> ContainerFacts:
    """Facts from ``/proc/self/cgroup``: the first line that names a container decides."""
    pod_uid = None
    for path in _cgroup_paths(text):
        facts = facts_from_path(path)
        pod_uid = pod_uid or facts.pod_uid
        if facts.container_id:
            return ContainerFacts(facts.container_id, facts.runtime, facts.pod_uid or pod_uid)
    return ContainerFacts(pod_uid=pod_uid)


def _mounts(text: str) -> list[tuple[str, str, str]]:
    """(root, mount point, filesystem type) of each mountinfo line."""
    mounts = []
    for line in text.splitlines():
        fields = line.split(" ")
        if len(fields) < 5 or " - " not in line:
            continue
        after = line.split(" - ", 1)[1].split(" ")
        mounts.append((fields[3], fields[4], after[0] if after else ""))
    return mounts


def parse_mountinfo(text: str) -> ContainerFacts:
    """Facts from ``/proc/self/mountinfo``, for when the cgroup file says ``0::/``."""
    mounts = _mounts(text)
    from_cgroup_mounts = ContainerFacts()
    overlay: str | None = None
    docker: str | None = None
    pod_uid: str | None = None
    container_name: str | None = None
    for root, mount_point, fstype in mounts:
        if fstype in ("cgroup", "cgroup2") and not from_cgroup_mounts.container_id:
            from_cgroup_mounts = facts_from_path(root)
        if "/overlay-containers/" in root and (found := re.search(_MOUNT_OVERLAY, root)):
            # CRI-O mounts the sandbox's files first and the workload's
            # run/secrets last: the last one is this process's container.
            overlay = found.group(1)
        if "/containers/" in root and (found := re.search(_MOUNT_DOCKER, root)) and "/sandboxes/" not in root:
            docker = docker or found.group(1)
        if "/pods/" in root and (found := re.search(_MOUNT_KUBELET_POD, root)):
            pod_uid = pod_uid or found.group(1)
        if mount_point == "/dev/termination-log" and (found := re.search(_MOUNT_KUBELET_CONTAINER, root)):
            container_name = found.group(1)
    if from_cgroup_mounts.container_id:
        facts = from_cgroup_mounts
    elif overlay:
        facts = ContainerFacts(overlay, _overlay_runtime(mounts))
    elif docker:
        facts = ContainerFacts(docker, "docker")
    else:
        facts = ContainerFacts(pod_uid=from_cgroup_mounts.pod_uid)
    return ContainerFacts(facts.container_id, facts.runtime, facts.pod_uid or pod_uid, container_name)


def _overlay_runtime(mounts: list[tuple[str, str, str]]) -> str:
    # CRI-O and Podman share the containers/storage layout; kubelet mounts tell them apart.
    return (
        "cri-o" if any("/pods/" in root and re.search(_MOUNT_KUBELET_POD, root) for root, _, _ in mounts) else "podman"
    )
