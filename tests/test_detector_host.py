"""HostDetector: host.* and os.* from files under ``root`` and the platform module."""

from __future__ import annotations

import json
import logging
import platform
from pathlib import Path

import pytest

from otel_resource_identity import HostDetector, entities_of
from otel_resource_identity.detectors.host import (
    host_arch,
    ioreg_platform_uuid,
    os_type,
    parse_os_release,
    reg_query_value,
)

from platforms import FIXTURES, fixture_text, make_root

MACHINE_ID = "fdbf79e8af94cb7f9e8df36789187052"
MOUNTED_MACHINE_ID = "100 50 8:1 /etc/machine-id /etc/machine-id ro,relatime - ext4 /dev/sda1 rw\n"


def _detect(root: Path, environ: dict[str, str] | None = None) -> dict[str, object]:
    return dict(HostDetector(environ=environ or {}, root=root).detect().attributes)


def test_a_plain_linux_host(tmp_path: Path) -> None:
    root = make_root(
        tmp_path,
        {
            "/etc/machine-id": FIXTURES / "host/etc-machine-id.txt",
            "/etc/hostname": "web-1\n",
            "/etc/os-release": FIXTURES / "host/os-release-ubuntu-24.04.txt",
            "/proc/sys/kernel/osrelease": FIXTURES / "host/proc-sys-kernel-osrelease.txt",
            "/proc/self/cgroup": "0::/user.slice/user-1000.slice/session-1.scope\n",
        },
    )
    attributes = _detect(root)
    assert attributes["host.id"] == MACHINE_ID
    assert attributes["host.name"] == "web-1"
    assert attributes["host.arch"] == host_arch(platform.machine())
    assert attributes["os.type"] == os_type(platform.system())
    assert attributes["os.name"] == "Ubuntu"
    assert attributes["os.version"] == "24.04"
    assert attributes["os.description"] == "Ubuntu 24.04.1 LTS"
    # Ubuntu's os-release has no BUILD_ID: the kernel release is the build id.
    assert attributes["os.build_id"] == "6.8.0-1012-aws"


@pytest.mark.parametrize("content", ["", "\n", "uninitialized\n"])
def test_an_unusable_machine_id_falls_back_to_dbus(tmp_path: Path, content: str) -> None:
    root = make_root(
        tmp_path,
        {"/etc/machine-id": content, "/var/lib/dbus/machine-id": FIXTURES / "host/var-lib-dbus-machine-id.txt"},
    )
    assert _detect(root)["host.id"] == MACHINE_ID


def test_host_id_is_never_empty(tmp_path: Path) -> None:
    root = make_root(tmp_path, {"/etc/machine-id": FIXTURES / "host/etc-machine-id-empty.txt"})
    assert "host.id" not in _detect(root)


@pytest.mark.parametrize(
    ("files", "environ"),
    [
        ({"/proc/self/cgroup": FIXTURES / "containers/cgroup-docker-v1-cgroupfs.txt"}, {}),
        ({"/.dockerenv": ""}, {}),
        ({}, {"KUBERNETES_SERVICE_HOST": "10.0.0.1"}),
        ({}, {"AWS_LAMBDA_FUNCTION_NAME": "f"}),
    ],
    ids=["cgroup", "dockerenv", "kubernetes", "lambda"],
)
def test_in_a_container_the_images_machine_id_is_not_the_hosts(
    tmp_path: Path, files: dict[str, str | Path], environ: dict[str, str]
) -> None:
    root = make_root(tmp_path, {"/etc/machine-id": MACHINE_ID, **files})
    assert "host.id" not in _detect(root, environ)


def test_in_a_container_a_host_mounted_machine_id_is_used(tmp_path: Path) -> None:
    root = make_root(
        tmp_path,
        {"/etc/machine-id": MACHINE_ID, "/.dockerenv": "", "/proc/self/mountinfo": MOUNTED_MACHINE_ID},
    )
    assert _detect(root)["host.id"] == MACHINE_ID


def test_build_id_from_os_release_wins(tmp_path: Path) -> None:
    root = make_root(
        tmp_path,
        {
            "/usr/lib/os-release": 'NAME="Fedora CoreOS"\nVERSION_ID=40\nBUILD_ID=40.20240808.3.0\n',
            "/proc/sys/kernel/osrelease": "6.9.0\n",
        },
    )
    attributes = _detect(root)
    assert attributes["os.build_id"] == "40.20240808.3.0"
    assert attributes["os.name"] == "Fedora CoreOS"


@pytest.mark.parametrize(
    ("fixture", "name", "version", "description"),
    [
        ("os-release-alpine-3.20.txt", "Alpine Linux", "3.20.2", "Alpine Linux v3.20"),
        ("os-release-amazonlinux-2023.txt", "Amazon Linux", "2023", "Amazon Linux 2023.5.20240805"),
        ("os-release-debian-12.txt", "Debian GNU/Linux", "12", "Debian GNU/Linux 12 (bookworm)"),
        ("os-release-distroless-debian12.txt", "Debian GNU/Linux", "12", "Distroless"),
    ],
)
def test_os_release_variants(fixture: str, name: str, version: str, description: str) -> None:
    values = parse_os_release(fixture_text(f"host/{fixture}"))
    assert (values["NAME"], values["VERSION_ID"], values["PRETTY_NAME"]) == (name, version, description)


def test_host_and_os_are_entities(tmp_path: Path) -> None:
    root = make_root(tmp_path, {"/etc/machine-id": MACHINE_ID, "/etc/hostname": "web-1"})
    types = {entity.type: entity for entity in entities_of(HostDetector(environ={}, root=root).detect())}
    assert types["host"].id == {"host.id": MACHINE_ID}
    assert types["host"].description["host.name"] == "web-1"
    assert set(types["os"].id) == {"os.type"}


def test_arch_values_follow_the_semantic_conventions() -> None:
    observed = json.loads(fixture_text("host/python-platform-values.json"))
    machines = {name: values["machine"] for name, values in observed.items() if isinstance(values, dict)}
    expected = {
        "linux_x86_64": "amd64",
        "linux_arm64": "arm64",
        "linux_armv7": "arm32",
        "linux_ppc64le": "ppc64",
        "linux_s390x": "s390x",
        "macos_arm64": "arm64",
        "macos_rosetta2": "amd64",
        "windows_amd64": "amd64",
        "windows_arm64": "arm64",
        "freebsd_amd64": "amd64",
    }
    assert {name: host_arch(machine) for name, machine in machines.items() if name in expected} == expected
    assert host_arch("i686") == "x86"
    assert host_arch("riscv64") == "riscv64"


@pytest.mark.parametrize(
    ("system", "expected"),
    [
        ("Linux", "linux"),
        ("Darwin", "darwin"),
        ("Windows", "windows"),
        ("FreeBSD", "freebsd"),
        ("SunOS", "solaris"),
        ("DragonFly", "dragonflybsd"),
        ("Haiku", "haiku"),
    ],
)
def test_os_type_values(system: str, expected: str) -> None:
    assert os_type(system) == expected


def test_macos_and_windows_sources_parse() -> None:
    assert ioreg_platform_uuid(fixture_text("host/macos-ioreg-rd1-c-IOPlatformExpertDevice.txt")) == (
        "5A2C4E6B-8D0F-4A1C-9E3B-5D7F9A1C3E5B"
    )
    assert ioreg_platform_uuid("nothing here") is None
    assert reg_query_value(fixture_text("host/windows-reg-query-MachineGuid.txt"), "MachineGuid") == (
        "0e4b8c2d-6a1f-4e3b-9d5c-7f1a3b5d7e9c"
    )
    assert reg_query_value(fixture_text("host/windows-reg-query-CurrentVersion.txt"), "CurrentBuildNumber") == "22631"
    assert reg_query_value("", "MachineGuid") is None


def test_on_this_machine_it_never_raises_and_names_the_host(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        attributes = dict(HostDetector().detect().attributes)
    assert attributes["host.name"]
    assert attributes.get("host.id", "x") not in ("", "uninitialized")
    assert caplog.records == []
