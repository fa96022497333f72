"""``HostDetector``: ``host.*`` and ``os.*``, from local files and the ``platform`` module.

``host.id`` follows the semantic conventions' non-privileged sources
(``/etc/machine-id``, then ``/var/lib/dbus/machine-id`` on Linux; ``/etc/hostid``
on BSD; ``IOPlatformUUID`` on macOS; ``MachineGuid`` on Windows) and is never
empty or ``uninitialized``. Inside a container the machine-id is the image's,
shared by every container of that image, so it is used only when the host's
file is bind-mounted in; otherwise ``host.id`` is left to a cloud detector.
"""

from __future__ import annotations

import os
import platform
import re
import sys
from collections.abc import Mapping

from opentelemetry.sdk.resources import Resource

from ._base import BaseDetector
from ._emit import detected
from .container import container_facts
from .inputs.files import exists, read_text

# Attribute names and values as plain strings (the semantic-convention modules
# cost start-up time); tests/test_attribute_names.py checks them.
HOST_ARCH, HOST_ID, HOST_NAME = "host.arch", "host.id", "host.name"
OS_BUILD_ID, OS_DESCRIPTION, OS_NAME, OS_TYPE, OS_VERSION = (
    "os.build_id",
    "os.description",
    "os.name",
    "os.type",
    "os.version",
)

# platform.machine() -> host.arch (HostArchValues).
_ARCH = {
    "x86_64": "amd64",
    "amd64": "amd64",
    "aarch64": "arm64",
    "arm64": "arm64",
    "armv6l": "arm32",
    "armv7l": "arm32",
    "armv8l": "arm32",
    "arm": "arm32",
    "i386": "x86",
    "i486": "x86",
    "i586": "x86",
    "i686": "x86",
    "x86": "x86",
    "ppc64": "ppc64",
    "ppc64le": "ppc64",
    "ppc": "ppc32",
    "s390x": "s390x",
    "ia64": "ia64",
}

# platform.system() -> os.type (OsTypeValues).
_OS_TYPE = {
    "linux": "linux",
    "darwin": "darwin",
    "windows": "windows",
    "freebsd": "freebsd",
    "netbsd": "netbsd",
    "openbsd": "openbsd",
    "dragonfly": "dragonflybsd",
    "sunos": "solaris",
    "aix": "aix",
    "hp-ux": "hpux",
}

# Variables that mean "this process runs in a container or a serverless
# sandbox", where the machine-id is not the host's.
_SANDBOX_VARIABLES = (
    "KUBERNETES_SERVICE_HOST",
    "ECS_CONTAINER_METADATA_URI_V4",
    "ECS_CONTAINER_METADATA_URI",
    "AWS_LAMBDA_FUNCTION_NAME",
    "K_SERVICE",
    "CLOUD_RUN_JOB",
    "CLOUD_RUN_WORKER_POOL",
    "DYNO",
    "VERCEL",
)
_MACHINE_ID_FILES = ("/etc/machine-id", "/var/lib/dbus/machine-id")
_IOREG_UUID = re.compile(r'"IOPlatformUUID"\s*=\s*"([^"]+)"')


def host_arch(machine: str) -> str:
    """``platform.machine()`` in the semantic conventions' words (unknown values pass through)."""
    return _ARCH.get(machine.lower(), machine)


def os_type(system: str) -> str:
    """``platform.system()`` as an ``os.type`` value (unknown values pass through, lower-cased)."""
    lowered = system.lower()
    return _OS_TYPE.get(lowered, lowered)


def usable_id(text: str | None) -> str | None:
    """A machine id as read from a file or command, or ``None`` when it is not one."""
    value = (text or "").strip()
    if not value or value == "uninitialized":
        return None
    return value


def ioreg_platform_uuid(output: str) -> str | None:
    """``IOPlatformUUID`` from ``ioreg -rd1 -c IOPlatformExpertDevice`` output."""
    found = _IOREG_UUID.search(output)
    return usable_id(found.group(1)) if found else None


def reg_query_value(output: str, name: str) -> str | None:
    """One value from ``reg query`` output (``    Name    REG_SZ    value``)."""
    for line in output.splitlines():
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[0] == name:
            return parts[2].strip()
    return None


def parse_os_release(text: str) -> dict[str, str]:
    """The KEY=value pairs of an os-release file, quotes removed."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, equals, value = line.strip().partition("=")
        if equals and key and not key.startswith("#"):
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            values[key] = value
    return values


def _macos_platform_uuid() -> str | None:  # pragma: no cover - needs macOS
    import subprocess  # noqa: PLC0415 - macOS only

    try:
        done = subprocess.run(
            ["/usr/sbin/ioreg", "-rd1", "-c", "IOPlatformExpertDevice"],
            capture_output=True,
            text=True,
            timeout=2,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return ioreg_platform_uuid(done.stdout)


if sys.platform == "win32":  # pragma: no cover - needs Windows
    import winreg

    def _windows_registry(path: str, name: str) -> str | None:
        try:
            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, path, 0, winreg.KEY_READ | winreg.KEY_WOW64_64KEY) as key:
                value, _ = winreg.QueryValueEx(key, name)
        except OSError:
            return None
        return usable_id(str(value))

else:

    def _windows_registry(path: str, name: str) -> str | None:  # pragma: no cover - only called on Windows
        return None


class HostDetector(BaseDetector):
    """The host and its operating system: ``host.id``, ``host.name``, ``host.arch``, ``os.*``."""

    def detect(self) -> Resource:
        system = platform.system()
        attributes: dict[str, object] = {
            HOST_ID: self._host_id(system),
            HOST_NAME: self._host_name(),
            HOST_ARCH: host_arch(platform.machine()),
            OS_TYPE: os_type(system),
        }
        attributes.update(self._os(system))
        return detected(attributes, source="the host's files and name")

    def _in_sandbox(self) -> bool:
        environ = self.environ
        if any(environ.get(name) for name in _SANDBOX_VARIABLES):
            return True
        if exists(self.root, "/.dockerenv") or exists(self.root, "/run/.containerenv"):
            return True
        return container_facts(self.root).container_id is not None

    def _host_id(self, system: str) -> str | None:
        # A root other than "/" is a mounted (Linux) filesystem, whatever runs us.
        if system == "Linux" or self.root != "/":
            return self._linux_machine_id()
        if system.endswith("BSD") or system == "DragonFly":
            return usable_id(read_text(self.root, "/etc/hostid"))
        if sys.platform == "darwin":  # pragma: no cover - needs macOS
            return _macos_platform_uuid()
        if sys.platform == "win32":  # pragma: no cover - needs Windows
            return _windows_registry(r"SOFTWARE\Microsoft\Cryptography", "MachineGuid")
        return None  # pragma: no cover - other systems have no documented source

    def _linux_machine_id(self) -> str | None:
        if self._in_sandbox():
            mounted = set(_mount_points(read_text(self.root, "/proc/self/mountinfo") or ""))
            candidates = [path for path in _MACHINE_ID_FILES if path in mounted]
        else:
            candidates = list(_MACHINE_ID_FILES)
        for path in candidates:
            value = usable_id(read_text(self.root, path, limit=256))
            if value:
                return value
        return None

    def _host_name(self) -> str | None:
        if self.root == "/":
            # What socket.gethostname() says, without importing socket at start-up.
            if hasattr(os, "uname"):
                return os.uname().nodename or None
            import socket  # noqa: PLC0415 - Windows has no uname  # pragma: no cover

            return socket.gethostname() or None  # pragma: no cover
        return usable_id(read_text(self.root, "/etc/hostname", limit=256))

    def _os(self, system: str) -> Mapping[str, object]:
        if system == "Darwin":  # pragma: no cover - needs macOS
            return self._macos()
        if system == "Windows":  # pragma: no cover - needs Windows
            return {
                OS_NAME: "Windows",
                OS_VERSION: platform.version(),
                OS_DESCRIPTION: platform.platform(),
                OS_BUILD_ID: _windows_registry(r"SOFTWARE\Microsoft\Windows NT\CurrentVersion", "CurrentBuildNumber"),
            }
        release = parse_os_release(
            read_text(self.root, "/etc/os-release", limit=16384)
            or read_text(self.root, "/usr/lib/os-release", limit=16384)
            or ""
        )
        build_id = release.get("BUILD_ID") or usable_id(read_text(self.root, "/proc/sys/kernel/osrelease", limit=256))
        return {
            OS_NAME: release.get("NAME"),
            OS_VERSION: release.get("VERSION_ID") or (platform.release() if self.root == "/" else None),
            OS_DESCRIPTION: release.get("PRETTY_NAME"),
            OS_BUILD_ID: build_id,
        }

    def _macos(self) -> Mapping[str, object]:  # pragma: no cover - needs macOS
        import plistlib  # noqa: PLC0415 - macOS only

        version = read_text(self.root, "/System/Library/CoreServices/SystemVersion.plist", limit=16384)
        values: dict[str, object] = {}
        if version:
            try:
                values = plistlib.loads(version.encode())
            except (ValueError, plistlib.InvalidFileException):
                values = {}
        name = str(values.get("ProductName") or "macOS")
        number = str(values.get("ProductVersion") or platform.mac_ver()[0])
        return {
            OS_NAME: name,
            OS_VERSION: number,
            OS_DESCRIPTION: f"{name} {number}".strip(),
            OS_BUILD_ID: values.get("ProductBuildVersion"),
        }


def _mount_points(mountinfo: str) -> list[str]:
    points = []
    for line in mountinfo.splitlines():
        fields = line.split(" ")
        if len(fields) > 4:
            points.append(fields[4])
    return points
