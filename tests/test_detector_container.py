"""ContainerDetector on every runtime shape in the fixture corpus, through real files under ``root``."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from otel_resource_identity import ContainerDetector, entities_of

from platforms import FIXTURES, make_root

DOCKER = "3a5f1e9a0b8c47d2a6f9e1c0b7d4e2f18a9c3b5d7e6f40123456789abcdef012"
K8S = "9f2e7c4b1a8d6e3f5c0b9a7d2e4f6a8c1b3d5e7f9a0c2e4b6d8f1a3c5e7b9d0f"
PODMAN = "7c3b9e1d5f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e"

CGROUP_CASES = {
    "containers/cgroup-docker-v1-cgroupfs.txt": (DOCKER, "docker"),
    "containers/cgroup-docker-v1-systemd.txt": (DOCKER, "docker"),
    "containers/cgroup-docker-v2-host-ns-cgroupfs.txt": (DOCKER, "docker"),
    "containers/cgroup-docker-v2-host-ns-systemd.txt": (DOCKER, "docker"),
    "containers/cgroup-k8s-containerd-v1-cgroupfs-burstable.txt": (K8S, None),
    "containers/cgroup-k8s-containerd-v1-cgroupfs-guaranteed.txt": (K8S, None),
    "containers/cgroup-k8s-containerd-v1-systemd.txt": (K8S, "containerd"),
    "containers/cgroup-k8s-crio-v1-cgroupfs.txt": (K8S, "cri-o"),
    "containers/cgroup-k8s-crio-v1-systemd-openshift.txt": (
        "f23ec1d4b715c6531a17e9c549222fbbe1f7ffff697a29a2212b3b4cdc37f52e",
        "cri-o",
    ),
    "containers/cgroup-k8s-v1-dockershim-cgroupfs.txt": (K8S, None),
    "containers/cgroup-k8s-v1-dockershim-systemd.txt": (K8S, "docker"),
    "containers/cgroup-k8s-v2-host-ns-containerd.txt": (K8S, "containerd"),
    "containers/cgroup-k8s-v2-host-ns-crio.txt": (K8S, "cri-o"),
    "containers/cgroup-podman-v1-cgroupfs.txt": (PODMAN, "podman"),
    "containers/cgroup-podman-v1-rootful-systemd.txt": (PODMAN, "podman"),
    "ecs/cgroup-ecs-ec2-v1.txt": ("9d4e1b7a3c5f8e2d6b0a4c8e1f3d5b7a9c2e4f6a8b0d1c3e5f7a9b1d3c5e7f9a", None),
    # Fargate ids are <task id>-<number>, as the ECS metadata's DockerId.
    "ecs/cgroup-ecs-fargate-v1.txt": ("5f8b2c1d9e3a4b7c8d6e0f1a2b3c4d5e-2495160603", None),
    "kubernetes/dash0-proc-self-cgroup-k8s-containerd-systemd-v1.txt": (
        "44f639a16a22e394061fb35d2138ef9391c2131db9bf5ae742ef4e447e824887",
        "containerd",
    ),
}

# cgroup v2 with a private namespace reads "0::/"; the id comes from mountinfo.
MOUNTINFO_CASES = {
    "containers/javainst-docker_proc_self_mountinfo.txt": (
        "be522444b60caf2d3934b8b24b916a8a314f4b68d4595aa419874657e8d103f2",
        "docker",
    ),
    # Not the sandbox (pause) id b136f3d2… that the hostname mount carries.
    "containers/javainst-containerd_proc_self_mountinfo.txt": (
        "f2a44bc8e090f93a2b4d7f510bdaff0615ad52906e3287ee956dcf5aa5012a91",
        "containerd",
    ),
    # Not the sandbox id 2ac4c84c… nor an overlay storage layer.
    "containers/javainst-crio_proc_self_mountinfo.txt": (
        "a8f62e52ed7c2cd85242dcf0eb1d727b643540ceca7f328ad7d2f31aedf07731",
        "cri-o",
    ),
    # Not the overlay layer a73044ca… of the rootfs line.
    "containers/javainst-podman_proc_self_mountinfo1.txt": (
        "2a33efc76e519c137fe6093179653788bed6162d4a15e5131c8e835c968afbe6",
        "podman",
    ),
    "kubernetes/dash0-proc-self-mountinfo-k8s-containerd-cgroupv1.txt": (
        "44f639a16a22e394061fb35d2138ef9391c2131db9bf5ae742ef4e447e824887",
        "containerd",
    ),
}


def _detect(root: Path) -> dict[str, object]:
    return dict(ContainerDetector(environ={}, root=root).detect().attributes)


@pytest.mark.parametrize(("fixture", "expected"), CGROUP_CASES.items(), ids=list(CGROUP_CASES))
def test_container_id_from_cgroup(tmp_path: Path, fixture: str, expected: tuple[str, str | None]) -> None:
    root = make_root(tmp_path, {"/proc/self/cgroup": FIXTURES / fixture})
    attributes = _detect(root)
    assert attributes.get("container.id") == expected[0]
    assert attributes.get("container.runtime.name") == expected[1]


@pytest.mark.parametrize(("fixture", "expected"), MOUNTINFO_CASES.items(), ids=list(MOUNTINFO_CASES))
def test_container_id_from_mountinfo(tmp_path: Path, fixture: str, expected: tuple[str, str]) -> None:
    root = make_root(tmp_path, {"/proc/self/cgroup": "0::/\n", "/proc/self/mountinfo": FIXTURES / fixture})
    attributes = _detect(root)
    assert attributes["container.id"] == expected[0]
    assert attributes["container.runtime.name"] == expected[1]


@pytest.mark.parametrize(
    "fixture",
    [
        "containers/cgroup-host-noncontainer-session.txt",
        "containers/cgroup-host-systemd-service.txt",
        "containers/cgroup-docker-v2-private-ns.txt",
    ],
)
def test_no_false_positive_on_a_plain_host(tmp_path: Path, fixture: str, caplog: pytest.LogCaptureFixture) -> None:
    root = make_root(
        tmp_path,
        {"/proc/self/cgroup": FIXTURES / fixture, "/proc/self/mountinfo": "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"},
    )
    with caplog.at_level(logging.DEBUG):
        attributes = _detect(root)
    assert attributes == {}
    assert caplog.records == []


def test_no_files_at_all_is_silent(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        assert _detect(tmp_path) == {}
    assert caplog.records == []


def test_vte_and_session_scopes_with_short_hex_are_not_ids(tmp_path: Path) -> None:
    scope = "vte-spawn-8d1f1a3c-2e7f-4b5a-9c1d-8d1f1a3c2e7f.scope"
    text = f"0::/user.slice/user-1000.slice/user@1000.service/app.slice/{scope}\n"
    assert _detect(make_root(tmp_path, {"/proc/self/cgroup": text})) == {}


def test_nested_kind_takes_the_innermost_id(tmp_path: Path) -> None:
    node = "a" * 64
    text = f"12:cpuset:/docker/{node}/kubepods/besteffort/pod1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901/{K8S}\n"
    assert _detect(make_root(tmp_path, {"/proc/self/cgroup": text}))["container.id"] == K8S


def test_containerd_colon_form(tmp_path: Path) -> None:
    text = (
        "1:name=systemd:/system.slice/containerd.service/"
        f"kubepods-burstable-pod321c09bf_282b_44e4_a467_39daf144ef1f.slice:cri-containerd:{K8S}\n"
    )
    attributes = _detect(make_root(tmp_path, {"/proc/self/cgroup": text}))
    assert attributes == {"container.id": K8S, "container.runtime.name": "containerd"}


def test_podman_rootless_v2_path(tmp_path: Path) -> None:
    text = f"0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-{PODMAN}.scope/container\n"
    attributes = _detect(make_root(tmp_path, {"/proc/self/cgroup": text}))
    assert attributes == {"container.id": PODMAN, "container.runtime.name": "podman"}


def test_a_marker_file_names_the_runtime_without_an_id(tmp_path: Path) -> None:
    root = make_root(tmp_path, {"/proc/self/cgroup": "0::/\n", "/.dockerenv": ""})
    assert _detect(root) == {"container.runtime.name": "docker"}


def test_the_container_is_an_entity(tmp_path: Path) -> None:
    root = make_root(tmp_path, {"/proc/self/cgroup": FIXTURES / "containers/cgroup-docker-v1-cgroupfs.txt"})
    resource = ContainerDetector(environ={}, root=root).detect()
    types = {entity.type: entity for entity in entities_of(resource)}
    assert types["container"].id == {"container.id": DOCKER}
    # The conventions identify a runtime by name and version; from inside a container only the name
    # is known, so it stays a loose attribute (docs/entities.md, "Outside every entity").
    assert "container.runtime" not in types
    assert resource.attributes["container.runtime.name"] == "docker"
    assert resource.schema_url.startswith("https://opentelemetry.io/schemas/")


def test_an_unreadable_file_is_skipped_with_one_warning_naming_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "proc" / "self" / "cgroup").mkdir(parents=True)  # a directory where a file should be
    with caplog.at_level(logging.WARNING):
        assert _detect(tmp_path) == {}
        assert _detect(tmp_path) == {}
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1
    assert "proc/self/cgroup" in messages[0]
