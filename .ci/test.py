"""The whole test suite, from nothing but ``python3``: ``python3 .ci/test.py``.

It builds its own virtual environments under ``.venvs/`` (reused while the
project's dependencies are unchanged) and runs, in order:

1. on the newest Python found, with the newest releases of the dependencies:
   ruff (lint and format check), mypy --strict over src, tests and examples,
   pytest with warnings as errors and branch coverage with a floor (the
   benchmarks run once with tiny iterations as part of it);
2. the release artefacts (``.ci/distributions.py``): sdist and wheel built,
   checked with twine, the wheel installed into a clean environment and run;
3. on the oldest supported Python (3.10), with the lowest supported releases
   of the dependencies (the lower bounds in pyproject.toml): pytest again
   (the benchmarks there run without the peers).

A Python that cannot be found is reported and its run skipped; the run on the
interpreter executing this script always happens. Exit status: 0 when every
step that ran passed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENVS = ROOT / ".venvs"
OLDEST = (3, 10)
# The lower bounds of pyproject.toml's dependencies, installed exactly.
# tests/test_packaging.py checks that these agree with pyproject.toml.
LOWEST_PINS = (
    "opentelemetry-api==1.42.0",
    "opentelemetry-sdk==1.42.0",
    "opentelemetry-semantic-conventions==0.63b0",
)


def _version_of(executable: str) -> tuple[int, int] | None:
    try:
        done = subprocess.run(
            [executable, "-c", "import sys; print(sys.version_info[0], sys.version_info[1])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    major, minor = done.stdout.split()
    return int(major), int(minor)


def _candidates(minor: int) -> list[str]:
    """Where a python3.<minor> may be: on PATH, or in a pyenv installation."""
    found = [path for path in [shutil.which(f"python3.{minor}")] if path]
    pyenv = shutil.which("pyenv")
    if pyenv:
        root = subprocess.run([pyenv, "root"], capture_output=True, text=True, check=False).stdout.strip()
        if root:
            found += sorted(str(p) for p in Path(root, "versions").glob(f"3.{minor}.*/bin/python3.{minor}"))
    return found


def find_python(minor: int) -> str | None:
    for candidate in reversed(_candidates(minor)):
        if _version_of(candidate) == (3, minor):
            return candidate
    return None


def newest_python() -> str:
    current = sys.version_info[:2]
    for minor in range(20, current[1], -1):
        found = find_python(minor)
        if found:
            return found
    return sys.executable


def run(step: str, command: list[str], env: dict[str, str] | None = None, quiet: bool = False) -> bool:
    print(f"\n=== {step}", flush=True)
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=quiet, text=True, check=False)
    seconds = time.monotonic() - started
    if done.returncode != 0 and quiet:
        sys.stdout.write(done.stdout)
        sys.stdout.write(done.stderr)
    print(f"--- {step}: {'ok' if done.returncode == 0 else 'FAILED'} ({seconds:.1f} s)", flush=True)
    return done.returncode == 0


def venv(name: str, python: str, extra: tuple[str, ...], extras: str = "test") -> Path | None:
    """A virtual environment with the project installed (editable) with ``extras``."""
    where = VENVS / name
    stamp_text = "\n".join([python, extras, (ROOT / "pyproject.toml").read_text(encoding="utf-8"), *extra])
    stamp = hashlib.sha256(stamp_text.encode()).hexdigest()
    stamp_file = where / "project.stamp"
    if stamp_file.exists() and stamp_file.read_text(encoding="utf-8") == stamp:
        return where
    if where.exists():
        shutil.rmtree(where)
    if not run(f"{name}: create environment", [python, "-m", "venv", str(where)]):
        return None
    pip = [str(where / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if not run(f"{name}: install", [*pip, "-e", f".[{extras}]", *extra], quiet=True):
        return None
    stamp_file.write_text(stamp, encoding="utf-8")
    return where


def node_peers() -> None:
    """The JS peers of the agreement harness, from the npm lock (reused while the lock is unchanged).
    Without npm the harness's JS tests skip with one line saying what to install."""
    folder = ROOT / "tests" / "agreement" / "node"
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        print("\n=== skipped: node and npm not found; the agreement harness's JS peers will be skipped")
        return
    lock = (folder / "package-lock.json").read_bytes()
    stamp = folder / "node_modules" / ".lock.stamp"
    digest = hashlib.sha256(lock).hexdigest()
    if stamp.exists() and stamp.read_text(encoding="utf-8") == digest:
        return
    command = [npm, "ci", "--silent", "--no-audit", "--no-fund", "--prefix", str(folder)]
    if run("npm ci (the agreement harness's JS peers)", command, quiet=True):
        stamp.write_text(digest, encoding="utf-8")


def uwsgi_environment() -> None:
    """Where Debian's uWSGI and its python3 plugin are installed, an environment of the Python that
    plugin embeds (Debian's python3) with this package, the SDK and the OTLP exporter, for the uWSGI
    tests (tests/test_process_models.py); they skip with one line where it is absent."""
    plugin = Path("/usr/lib/uwsgi/plugins/python3_plugin.so")
    debian_python = Path("/usr/bin/python3")
    if shutil.which("uwsgi") is None or not plugin.exists() or not debian_python.exists():
        print("\n=== skipped: Debian's uwsgi and uwsgi-plugin-python3 not found; the uWSGI tests will be skipped")
        return
    extra = ("opentelemetry-distro", "opentelemetry-exporter-otlp-proto-http", "opentelemetry-instrumentation-logging")
    venv("uwsgi", str(debian_python), extra, extras="otlp")


def main() -> int:
    env = dict(os.environ)
    # The suite must not depend on the caller's OpenTelemetry settings.
    for key in list(env):
        if key.startswith(("OTEL_", "RESOURCE_IDENTITY_")):
            del env[key]
    results: dict[str, bool] = {}

    newest = newest_python()
    # The newest run also installs the peers (the benchmarks compare against them) and
    # declarative configuration, which only the newest SDKs have.
    main_env = venv("newest", newest, (), extras="test,bench,declarative,agreement")
    if main_env is None:
        return 1
    py = str(main_env / "bin" / "python")
    node_peers()
    uwsgi_environment()
    results["ruff check"] = run("ruff check", [py, "-m", "ruff", "check", "src", "tests", "examples", ".ci"], env)
    results["ruff format"] = run(
        "ruff format --check", [py, "-m", "ruff", "format", "--check", "src", "tests", "examples", ".ci"], env
    )
    results["mypy"] = run("mypy --strict", [py, "-m", "mypy"], env)
    results["pytest (newest)"] = run(
        f"pytest on Python {'.'.join(map(str, _version_of(py) or ()))} with the newest dependencies",
        [py, "-m", "pytest", "--cov", "--cov-report=term", "-p", "no:cacheprovider"],
        env,
    )

    # The release artefacts: built, checked, installed into a clean environment and used from there.
    results["distributions"] = run(
        "build, check and install the sdist and wheel",
        [py, str(ROOT / ".ci" / "distributions.py"), py, str(VENVS)],
        env,
    )

    oldest = find_python(OLDEST[1])
    if oldest is None:
        print(f"\n=== skipped: no Python {OLDEST[0]}.{OLDEST[1]} found on PATH or in pyenv")
    else:
        low_env = venv("lowest", oldest, LOWEST_PINS)
        results["pytest (lowest)"] = low_env is not None and run(
            f"pytest on Python {OLDEST[0]}.{OLDEST[1]} with the lowest dependencies ({', '.join(LOWEST_PINS)})",
            [str(low_env / "bin" / "python"), "-m", "pytest", "-p", "no:cacheprovider", "-q"],
            env,
        )

    print("\n=== summary")
    for step, passed in results.items():
        print(f"  {'ok    ' if passed else 'FAILED'} {step}")
    failed = [step for step, passed in results.items() if not passed]
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.version_info < OLDEST:
        sys.exit(f"Python {OLDEST[0]}.{OLDEST[1]} or newer is needed to run the tests")
    sys.exit(main())
