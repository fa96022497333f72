"""Values that cannot be true never reach the resource, and nothing stamped is unbounded.

A table walks the attributes the detectors report, feeding each its too-long,
wrong-charset and control-character forms through the real input (an
environment variable, a file under ``root``, a metadata endpoint on
127.0.0.1). None is reported; each gives one warning naming the attribute and
where it came from, never the value; the valid neighbours are still reported.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

from exporters import CopyingLogExporter, CopyingSpanExporter
from otel_resource_identity import (
    AwsEc2Detector,
    AwsLambdaDetector,
    AzureVmDetector,
    CicdDetector,
    GcpCloudRunDetector,
    HerokuDetector,
    HostDetector,
    KubernetesDetector,
    PlatformDetector,
    VercelDetector,
    configure,
    predict,
)
from otel_resource_identity.detectors._syntax import SYNTAX, TEXT, syntax_of
from otel_resource_identity.stamping import MAX_STAMPED

from platforms import FIXTURES, Reply, fixture_text, load_env, make_root, serve

POD_UID = "f57400dc-94ce-4806-a52e-d2726f448f15"
K8S = {
    "KUBERNETES_SERVICE_HOST": "10.96.0.1",
    "K8S_POD_NAME": "checkout-api-7d9c5b8f6d-x2k4p",
    "K8S_POD_UID": POD_UID,
    "K8S_NAMESPACE_NAME": "shop",
    "K8S_NODE_NAME": "ip-10-0-12-34.eu-west-1.compute.internal",
    "K8S_CONTAINER_NAME": "api",
}
HEROKU = load_env("heroku/env-heroku-dyno-metadata-enabled.env")
VERCEL = {"VERCEL": "1", "VERCEL_REGION": "iad1", "VERCEL_ENV": "production", "VERCEL_DEPLOYMENT_ID": "dpl_1",
          "VERCEL_PROJECT_ID": "prj_1"}  # fmt: skip
LAMBDA = {"AWS_LAMBDA_FUNCTION_NAME": "orders", "AWS_REGION": "eu-west-1", "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
          "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/orders",
          "AWS_LAMBDA_LOG_STREAM_NAME": "2026/12/04/[$LATEST]0123456789abcdef"}  # fmt: skip
CLOUD_RUN = {"K_SERVICE": "cart", "K_REVISION": "cart-00001-abc", "K_CONFIGURATION": "cart",
             "GCE_METADATA_HOST": "127.0.0.1:9"}  # fmt: skip
GITHUB = {"GITHUB_ACTIONS": "true", "GITHUB_WORKFLOW": "ci", "GITHUB_RUN_ID": "42", "RUNNER_NAME": "runner-1",
          "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/shop"}  # fmt: skip

Detect = Callable[[dict[str, str], Path], dict[str, Any]]


def _k8s(environ: dict[str, str], root: Path) -> dict[str, Any]:
    return dict(KubernetesDetector(environ=environ, root=root).detect().attributes)


def _plain(kind: type[Any]) -> Detect:
    return lambda environ, root: dict(kind(environ=environ, root=root).detect().attributes)


# (detector, valid environment, variable, attribute)
ENVIRONMENT_ROWS: list[tuple[str, Detect, dict[str, str], str, str]] = [
    ("k8s", _k8s, K8S, "K8S_POD_NAME", "k8s.pod.name"),
    ("k8s", _k8s, K8S, "K8S_POD_UID", "k8s.pod.uid"),
    ("k8s", _k8s, K8S, "K8S_NAMESPACE_NAME", "k8s.namespace.name"),
    ("k8s", _k8s, K8S, "K8S_NODE_NAME", "k8s.node.name"),
    ("k8s", _k8s, K8S, "K8S_CONTAINER_NAME", "k8s.container.name"),
    ("k8s", _k8s, K8S, "CLUSTER_RESOURCE_ID", "k8s.cluster.name"),
    ("heroku", _plain(HerokuDetector), HEROKU, "HEROKU_APP_ID", "heroku.app.id"),
    ("heroku", _plain(HerokuDetector), HEROKU, "HEROKU_APP_NAME", "service.name"),
    ("heroku", _plain(HerokuDetector), HEROKU, "HEROKU_DYNO_ID", "service.instance.id"),
    ("heroku", _plain(HerokuDetector), HEROKU, "HEROKU_RELEASE_VERSION", "service.version"),
    ("heroku", _plain(HerokuDetector), HEROKU, "HEROKU_SLUG_COMMIT", "heroku.release.commit"),
    ("vercel", _plain(VercelDetector), VERCEL, "VERCEL_REGION", "cloud.region"),
    ("vercel", _plain(VercelDetector), VERCEL, "VERCEL_PROJECT_ID", "vercel.project_id"),
    ("vercel", _plain(VercelDetector), VERCEL, "VERCEL_ENV", "deployment.environment.name"),
    ("lambda", _plain(AwsLambdaDetector), LAMBDA, "AWS_LAMBDA_FUNCTION_NAME", "faas.name"),
    ("lambda", _plain(AwsLambdaDetector), LAMBDA, "AWS_REGION", "cloud.region"),
    ("lambda", _plain(AwsLambdaDetector), LAMBDA, "AWS_LAMBDA_FUNCTION_VERSION", "faas.version"),
    ("lambda", _plain(AwsLambdaDetector), LAMBDA, "AWS_LAMBDA_LOG_STREAM_NAME", "faas.instance"),
    ("cloud run", _plain(GcpCloudRunDetector), CLOUD_RUN, "K_SERVICE", "faas.name"),
    ("cloud run", _plain(GcpCloudRunDetector), CLOUD_RUN, "K_REVISION", "faas.version"),
    ("github", _plain(CicdDetector), GITHUB, "GITHUB_RUN_ID", "cicd.pipeline.run.id"),
    ("github", _plain(CicdDetector), GITHUB, "GITHUB_WORKFLOW", "cicd.pipeline.name"),
    ("github", _plain(CicdDetector), GITHUB, "RUNNER_NAME", "cicd.worker.name"),
]


def _forms(attribute: str) -> dict[str, str]:
    """The forms of a value that cannot be true for ``attribute``: too long, wrong characters, controls."""
    syntax = syntax_of(attribute)
    forms = {"too long": "a" * (syntax.limit + 1), "control characters": "ok\x1b[2J\nX: y"}
    if syntax is not TEXT and syntax.allowed is not None:
        forms["wrong characters"] = "Not A Valid \u202e Value!"
    return forms


CASES = [
    pytest.param(detect, environ, variable, attribute, form, value, id=f"{name}-{variable}-{form}")
    for name, detect, environ, variable, attribute in ENVIRONMENT_ROWS
    for form, value in _forms(attribute).items()
]


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]


@pytest.mark.parametrize(("detect", "environ", "variable", "attribute", "form", "value"), CASES)
def test_a_value_that_cannot_be_true_from_the_environment(  # noqa: PLR0917 - the table's columns
    detect: Detect,
    environ: dict[str, str],
    variable: str,
    attribute: str,
    form: str,
    value: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    valid = detect(dict(environ), tmp_path)
    if variable == "CLUSTER_RESOURCE_ID":
        value = f"/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/{value}"
    else:
        assert attribute in valid, "the row's valid environment reports the attribute"
    with caplog.at_level(logging.WARNING):
        hostile = detect({**environ, variable: value}, tmp_path)
    assert attribute not in hostile
    # The neighbours: what the valid run reported that is not made from the refused variable.
    made_from = environ.get(variable, "\0")
    neighbours = {key: found for key, found in valid.items() if key != attribute and made_from not in str(found)}
    assert {key: hostile.get(key) for key in neighbours} == neighbours
    messages = _warnings(caplog)
    assert len([message for message in messages if attribute in message]) == 1, messages
    warning = next(message for message in messages if attribute in message)
    assert variable in warning or "CLUSTER_RESOURCE_ID" in warning or "AKS" in warning
    assert value[:20] not in "\n".join(messages)
    assert "\x1b" not in "\n".join(messages)


def test_a_host_name_file_that_cannot_be_true(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = make_root(tmp_path, {"/etc/hostname": "host\x00name\nX: y\n", "/etc/machine-id": "0" * 31 + "1\n"})
    with caplog.at_level(logging.WARNING):
        attributes = HostDetector(root=root).detect().attributes
    assert "host.name" not in attributes
    assert attributes["host.id"] == "0" * 31 + "1"
    [warning] = _warnings(caplog)
    assert "host.name" in warning
    assert "X: y" not in warning


# -- metadata endpoints on 127.0.0.1

IDENTITY: dict[str, Any] = json.loads(fixture_text("cloud/ec2-instance-identity-document.json"))
AZURE: dict[str, Any] = json.loads(fixture_text("cloud/azure-imds-compute.json"))
AZURE_PATH = "/metadata/instance/compute?api-version=2021-02-01&format=json"


def _ec2_root(tmp_path: Path) -> Path:
    root = tmp_path / "ec2"
    make_root(root, {})
    for path in (FIXTURES / "cloud" / "ec2-nitro").rglob("*"):
        if path.is_file():
            make_root(root, {"/" + str(path.relative_to(FIXTURES / "cloud" / "ec2-nitro")): path})
    return root


EC2_FIELDS = [("imageId", "host.image.id"), ("region", "cloud.region"), ("instanceType", "host.type"),
              ("availabilityZone", "cloud.availability_zone"), ("accountId", "cloud.account.id")]  # fmt: skip


@pytest.mark.parametrize(("field", "attribute"), EC2_FIELDS, ids=[field for field, _ in EC2_FIELDS])
@pytest.mark.parametrize("form", ["too long", "control characters"])
def test_an_ec2_identity_document_field_that_cannot_be_true(
    field: str, attribute: str, form: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    value = "a" * 100_000 if form == "too long" else "eu\x1b[31m-west\n-1"
    routes = {
        "PUT /latest/api/token": Reply("AQAEAFake-session-token=="),
        "/latest/dynamic/instance-identity/document": Reply({**IDENTITY, field: value}),
        "/latest/meta-data/hostname": Reply("ip-10-158-112-84.us-west-2.compute.internal"),
    }
    with serve(routes) as server, caplog.at_level(logging.WARNING):
        environ = {"AWS_EC2_METADATA_SERVICE_ENDPOINT": server.base}
        attributes = AwsEc2Detector(environ=environ, root=_ec2_root(tmp_path), timeout=2).detect().attributes
    assert attribute not in attributes
    assert attributes["host.id"] == "i-1234567890abcdef0"
    assert attributes["host.name"] == "ip-10-158-112-84.us-west-2.compute.internal"
    [warning] = _warnings(caplog)
    assert attribute in warning
    assert "instance metadata service" in warning
    assert "\x1b" not in warning
    assert "a" * 50 not in warning


def test_an_ec2_host_name_that_cannot_be_true(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    routes = {
        "PUT /latest/api/token": Reply("AQAEAFake-session-token=="),
        "/latest/dynamic/instance-identity/document": Reply(IDENTITY),
        "/latest/meta-data/hostname": Reply("host\x00name\nX: y"),
    }
    with serve(routes) as server, caplog.at_level(logging.WARNING):
        environ = {"AWS_EC2_METADATA_SERVICE_ENDPOINT": server.base}
        attributes = AwsEc2Detector(environ=environ, root=_ec2_root(tmp_path), timeout=2).detect().attributes
    assert "host.name" not in attributes
    assert attributes["cloud.region"] == "us-west-2"
    [warning] = _warnings(caplog)
    assert "host.name" in warning
    assert "X: y" not in warning


@pytest.mark.parametrize(
    ("routes_change", "what"),
    [
        ({"PUT /latest/api/token": Reply("token\r\nX-Injected: 1")}, "token"),
        ({"/latest/dynamic/instance-identity/document": Reply("moved", 301, headers={"Location": "http://x/"})}, "301"),
        ({"/latest/dynamic/instance-identity/document": Reply([1, 2, 3])}, "list"),
        ({"/latest/dynamic/instance-identity/document": Reply({**IDENTITY, "region": 7})}, "region"),
    ],
    ids=["token with CR/LF", "a redirect", "a list for the document", "a number for the region"],
)
def test_ec2_present_and_broken_says_so_once(
    routes_change: dict[str, Reply], what: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    routes = {
        "PUT /latest/api/token": Reply("AQAEAFake-session-token=="),
        "/latest/dynamic/instance-identity/document": Reply(IDENTITY),
        "/latest/meta-data/hostname": Reply("ip-10-158-112-84.us-west-2.compute.internal"),
        **routes_change,
    }
    with serve(routes) as server, caplog.at_level(logging.WARNING):
        environ = {"AWS_EC2_METADATA_SERVICE_ENDPOINT": server.base}
        attributes = AwsEc2Detector(environ=environ, root=_ec2_root(tmp_path), timeout=2).detect().attributes
    assert attributes["host.id"] == "i-1234567890abcdef0"  # the DMI's, kept
    warnings = _warnings(caplog)
    assert len(warnings) == 1, warnings
    assert "X-Injected" not in warnings[0]


@pytest.mark.parametrize("field", ["vmId", "location", "name"])
def test_an_azure_field_that_cannot_be_true(field: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = tmp_path / "azure"
    for path in (FIXTURES / "cloud" / "azure").rglob("*"):
        if path.is_file():
            make_root(root, {"/" + str(path.relative_to(FIXTURES / "cloud" / "azure")): path})
    reply = Reply({**AZURE, field: "x\x1b]0;t\x07" + "y" * 5000})
    with serve({AZURE_PATH: reply}) as server, caplog.at_level(logging.WARNING):
        environ = {"RESOURCE_IDENTITY_AZURE_IMDS_ENDPOINT": server.base}
        attributes = AzureVmDetector(environ=environ, root=root, timeout=2).detect().attributes
    assert attributes["cloud.provider"] == "azure"
    assert all("\x1b" not in str(value) for value in attributes.values())
    warnings = _warnings(caplog)
    assert warnings
    assert all("y" * 50 not in warning for warning in warnings)


# -- the table itself


def test_every_syntax_is_bounded_and_described() -> None:
    for key, syntax in SYNTAX.items():
        assert 0 < syntax.limit <= 4096, key
        assert syntax.description, key


# -- nothing stamped is unbounded


def _providers() -> tuple[TracerProvider, LoggerProvider, CopyingSpanExporter, CopyingLogExporter, Resource]:
    resource = Resource(
        {
            # The user's values are theirs: kept on the resource, but the stamp is bounded.
            "k8s.pod.uid": POD_UID,
            "k8s.pod.name": "p" * 1_000_000,
            "service.name": "s" * 1_000_000,
        }
    )
    spans, records = CopyingSpanExporter(), CopyingLogExporter()
    tracer_provider = TracerProvider(resource=resource)
    tracer_provider.add_span_processor(SimpleSpanProcessor(spans))
    logger_provider = LoggerProvider(resource=resource)
    logger_provider.add_log_record_processor(SimpleLogRecordProcessor(records))
    return tracer_provider, logger_provider, spans, records, resource


def test_a_megabyte_name_is_never_stamped_whole() -> None:
    tracer_provider, logger_provider, spans, records, resource = _providers()
    configure(tracer_provider=tracer_provider, logger_provider=logger_provider, resource=resource, set_global=False)
    tracer_provider.get_tracer("t").start_span("s").end()
    from opentelemetry._logs import LogRecord

    logger_provider.get_logger("t").emit(LogRecord(body="r"))
    [span] = spans.exported
    [record] = records.exported
    for stamped in (span, record):
        for key in ("dash0.resource.id", "dash0.resource.name", "dash0.resource.type"):
            assert len(str(stamped[key])) <= MAX_STAMPED
        assert stamped["dash0.resource.name"].endswith("\u2026")
        assert stamped["dash0.resource.id"] == predict(resource).id  # the prediction is unchanged


def test_the_megabyte_pod_name_from_the_environment_is_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    environ = {**K8S, "K8S_POD_NAME": "p" * 1_000_000}
    with caplog.at_level(logging.WARNING):
        resource = PlatformDetector(environ=environ, root=tmp_path, detectors=["k8s"], cache=False).detect()
    assert "k8s.pod.name" not in resource.attributes
    assert resource.attributes["k8s.pod.uid"] == POD_UID
    assert len(caplog.text) < 2000


def test_the_docs_list_every_syntax() -> None:
    from conftest import ROOT

    document = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    for key, syntax in SYNTAX.items():
        row = next(line for line in document.splitlines() if f"`{key}`" in line and line.startswith("| `"))
        assert syntax.description in row, key
        assert row.rstrip().endswith(f"| {syntax.limit} |"), key
    assert f"| {MAX_STAMPED} characters" in document or f"{MAX_STAMPED} characters" in document


# -- a sweep: every variable of every recorded platform environment, in each hostile form

SWEPT = sorted(
    path.relative_to(FIXTURES).as_posix()
    for folder in ("cicd", "heroku", "vercel", "lambda", "gcp", "kubernetes", "azure")
    for path in (FIXTURES / folder).glob("*.env")
)
# The user's own settings are theirs, reported as given (docs/reliability.md).
USER_VARIABLES = {"OTEL_RESOURCE_ATTRIBUTES", "OTEL_SERVICE_NAME", "OTEL_ENTITIES"}
MARKER = "hostile\x1b]52;c;bWFya2Vy\x07\u202e"


def _reported_strings(attributes: dict[str, Any]) -> list[tuple[str, str]]:
    found = []
    for key, value in attributes.items():
        for item in value if isinstance(value, tuple | list) else (value,):
            if isinstance(item, str):
                found.append((key, item))
    return found


@pytest.mark.parametrize("relative", SWEPT)
def test_no_variable_of_a_recorded_environment_can_smuggle_a_value_in(
    relative: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from otel_resource_identity.detectors._syntax import check

    base = load_env(relative) | {"GCE_METADATA_HOST": "127.0.0.1:9", "AWS_EC2_METADATA_DISABLED": "true"}
    names = ["k8s", "aws_lambda", "gcp_cloud_run", "heroku", "vercel", "cicd", "azure_app_service",
             "azure_functions", "azure_container_apps", "azure_aks"]  # fmt: skip
    for variable in sorted(set(base) - USER_VARIABLES - {"GCE_METADATA_HOST", "AWS_EC2_METADATA_DISABLED"}):
        for hostile in (MARKER, "x" * 5000, "a\nX-Forged: 1"):
            caplog.clear()
            environ = {**base, variable: hostile}
            with caplog.at_level(logging.DEBUG):
                resource = PlatformDetector(
                    environ=environ, root=tmp_path, detectors=names, cache=False, timeout=0.3
                ).detect()
            user = {key for key in ("service.name",) if environ.get("OTEL_SERVICE_NAME")}
            user |= {pair.split("=", 1)[0] for pair in environ.get("OTEL_RESOURCE_ATTRIBUTES", "").split(",")}
            for key, value in _reported_strings(dict(resource.attributes)):
                if key in user:
                    continue
                assert check(key, value) is None, (relative, variable, key)
            assert "hostile" not in caplog.text, (relative, variable)
            # A file named by a variable is named in its warning, escaped and cut to 200 characters.
            assert "x" * 200 not in caplog.text, (relative, variable)
            assert "X-Forged" not in caplog.text, (relative, variable)
