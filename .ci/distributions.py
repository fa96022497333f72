"""Build the sdist and wheel, check them, install the wheel into a clean environment and use it.

``python .ci/distributions.py PYTHON WORKDIR`` (``.ci/test.py`` runs it with the
newest environment's interpreter, which has ``build`` and ``twine``):

1. ``python -m build`` into ``WORKDIR/dist``; ``twine check --strict``;
2. the wheel holds every module and data file of ``src/otel_resource_identity``,
   the console script and every entry point of ``pyproject.toml``; the sdist holds
   every file git tracks that the release needs (sources, tests, examples, docs,
   README, CHANGELOG, LICENSE): a file left out fails here;
3. a new virtual environment gets the wheel (and ``opentelemetry-distro`` and
   ``opentelemetry-instrumentation-logging``),
   then runs ``otel-resource --version``, ``otel-resource detect`` and the
   auto-instrumented example under ``opentelemetry-instrument`` with console
   exporters, whose output must carry the predicted identity.

Exit status 0 when all of it holds; every failure is printed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "otel_resource_identity"
# What a release carries in its sdist, besides the package: git-tracked files under these.
SDIST_TREES = ("src", "tests", "examples", "docs")
SDIST_FILES = ("README.md", "CHANGELOG.md", "LICENSE", "pyproject.toml")


def _run(
    command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    print("$", " ".join(command), flush=True)
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600)


def _tracked(*paths: str) -> set[str]:
    done = _run(["git", "ls-files", *paths], cwd=ROOT)
    return {line for line in done.stdout.splitlines() if line and (ROOT / line).exists()}


def check_wheel(wheel: Path, problems: list[str]) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata_dir = next(name.split("/")[0] for name in names if name.endswith(".dist-info/METADATA"))
        entry_points = archive.read(f"{metadata_dir}/entry_points.txt").decode()
        licenses = [name for name in names if name.startswith(f"{metadata_dir}/licenses/")]
    expected = {
        path.relative_to(ROOT / "src").as_posix()
        for path in (ROOT / "src" / PACKAGE).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    for missing in sorted(expected - names):
        problems.append(f"wheel lacks {missing}")
    if not licenses:
        problems.append("wheel lacks the LICENSE file")
    # The project as installed (editable) in the environment running this script: pyproject's entry points.
    declared = metadata.distribution("opentelemetry-resource-identity").read_text("entry_points.txt") or ""
    for line in declared.splitlines():
        if "=" in line and line.strip() not in entry_points:
            problems.append(f"wheel lacks the entry point {line.strip()}")


def check_sdist(sdist: Path, problems: list[str]) -> None:
    with tarfile.open(sdist) as archive:
        top = archive.getnames()[0].split("/")[0]
        names = {name.removeprefix(f"{top}/") for name in archive.getnames()}
    wanted = _tracked(*SDIST_TREES) | {name for name in SDIST_FILES if (ROOT / name).exists()}
    for missing in sorted(wanted - names):
        problems.append(f"sdist lacks {missing}")


def use_wheel(python: str, wheel: Path, workdir: Path, problems: list[str]) -> None:
    environment = workdir / "wheel-env"
    if environment.exists():
        shutil.rmtree(environment)
    if _run([python, "-m", "venv", str(environment)]).returncode != 0:
        problems.append("could not create a virtual environment for the wheel")
        return
    bin_dir = environment / "bin"
    pip = [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    installed = _run([*pip, str(wheel), "opentelemetry-distro", "opentelemetry-instrumentation-logging"])
    if installed.returncode != 0:
        problems.append(f"pip could not install the wheel: {installed.stderr[-2000:]}")
        return
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "RESOURCE_IDENTITY_", "PYTHONPATH"))}
    # Run outside the source tree: only the installed wheel can be imported.
    version = _run([str(bin_dir / "otel-resource"), "--version"], cwd=workdir, env=env)
    if version.returncode != 0 or not version.stdout.startswith("otel-resource "):
        problems.append(f"otel-resource --version failed: {version.stderr[-2000:]}")
    detected = _run([str(bin_dir / "otel-resource"), "detect", "--json"], cwd=workdir, env=env)
    try:
        identity = json.loads(detected.stdout)["identity"]["id"]
    except (ValueError, KeyError):
        problems.append(f"otel-resource detect failed: {detected.stderr[-2000:]}")
    else:
        print(f"  otel-resource detect: predicted id {identity}")
    app = str(ROOT / "examples" / "auto_instrumented_app.py")
    instrumented = _run(
        [str(bin_dir / "opentelemetry-instrument"), str(bin_dir / "python"), app],
        cwd=workdir,
        env=env
        | {
            "OTEL_TRACES_EXPORTER": "console",
            "OTEL_METRICS_EXPORTER": "none",
            "OTEL_LOGS_EXPORTER": "console",
            "OTEL_EXPERIMENTAL_RESOURCE_DETECTORS": "otel,resource_identity",
            "OTEL_SERVICE_NAME": "checkout",
        },
    )
    if instrumented.returncode != 0 or '"dash0.resource.id"' not in instrumented.stdout:
        problems.append(
            "the auto-instrumented example under the installed wheel printed no stamped telemetry: "
            f"{instrumented.stderr[-2000:]}"
        )


def main(python: str, workdir: Path) -> int:
    workdir.mkdir(parents=True, exist_ok=True)
    dist = workdir / "dist"
    if dist.exists():
        shutil.rmtree(dist)
    problems: list[str] = []
    built = _run([python, "-m", "build", "--outdir", str(dist), str(ROOT)])
    if built.returncode != 0:
        print(built.stdout[-4000:], built.stderr[-4000:])
        return 1
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        print(f"expected one wheel and one sdist, found {[p.name for p in dist.iterdir()]}")
        return 1
    checked = _run([python, "-m", "twine", "check", "--strict", *map(str, wheels + sdists)])
    if checked.returncode != 0:
        problems.append(f"twine check: {checked.stdout[-2000:]}{checked.stderr[-2000:]}")
    check_wheel(wheels[0], problems)
    check_sdist(sdists[0], problems)
    if not problems:
        use_wheel(python, wheels[0], workdir, problems)
    for problem in problems:
        print(f"  FAILED: {problem}")
    print(f"  built {wheels[0].name} and {sdists[0].name}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
