"""Hostile environments: malformed endpoints and numbers, credentials in URLs, oversized OTEL_ENTITIES.

One warning each (naming the variable, never its value), never an exception,
never a secret in an attribute or a log line, never a value the OTLP encoder
refuses.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanContext

from otel_resource_identity import (
    AwsEcsDetector,
    AwsLambdaDetector,
    CicdDetector,
    GcpCloudRunDetector,
    KubernetesDetector,
    PlatformDetector,
    parse_entities,
)
from otel_resource_identity.detectors.cicd import repository_url
from otel_resource_identity.detectors.inputs.urls import parse_endpoint, strip_credentials

from platforms import FIXTURES, SECRET, load_env, make_root

pytestmark = pytest.mark.timeout(60)

SA = "/var/run/secrets/kubernetes.io/serviceaccount"


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def _encodes(resource: Resource, caplog: pytest.LogCaptureFixture) -> bool:
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="opentelemetry"):
        encode_spans([ReadableSpan(name="n", context=SpanContext(1, 1, False), resource=resource)])
    return not [r for r in caplog.records if r.levelno >= logging.ERROR]


# --- Endpoints --------------------------------------------------------------------------------------

BAD_HOSTS = [
    "127.0.0.1:99999",
    "127.0.0.1:abc",
    "127.0.0.1:",
    "[::1",
    "[::1]x",
    "meta data",
    "meta\x00data",
    "a" * 64 + ".example",
    "x." * 130 + "example",
    "bücher.example",
    "127.0.0.1:\uff18\uff10",
    f"user:{SECRET}@127.0.0.1:1/",
    "-leading.example",
]


@pytest.mark.parametrize("host", BAD_HOSTS)
def test_a_malformed_gce_metadata_host_is_one_warning(host: str, caplog: pytest.LogCaptureFixture) -> None:
    environ = {"K_SERVICE": "shop", "K_CONFIGURATION": "shop", "GCE_METADATA_HOST": host}
    with caplog.at_level(logging.DEBUG):
        resource = GcpCloudRunDetector(environ=environ, timeout=0.5).detect()
    assert resource.attributes["faas.name"] == "shop"
    [warning] = _warnings(caplog)
    assert "GCE_METADATA_HOST" in warning
    assert SECRET not in caplog.text
    assert host not in caplog.text


BAD_URIS = [
    "http://127.0.0.1:99999/v4",
    "http://127.0.0.1:abc/v4",
    "http://[::1/v4",
    "http://meta data/v4",
    "http://meta\x00data/v4",
    "ftp://127.0.0.1/v4",
    "127.0.0.1/v4",
    "http://bücher.example/v4",
    "http:///v4",
]


@pytest.mark.parametrize("uri", BAD_URIS)
def test_a_malformed_ecs_uri_is_one_warning(uri: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        resource = AwsEcsDetector(environ={"ECS_CONTAINER_METADATA_URI_V4": uri}, root=tmp_path, timeout=0.5).detect()
    assert resource.attributes["cloud.platform"] == "aws_ecs"
    [warning] = _warnings(caplog)
    assert "ECS_CONTAINER_METADATA_URI_V4" in warning
    assert uri not in warning


def test_credentials_in_the_ecs_uri_are_never_sent_or_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    uri = f"http://user:{SECRET}@127.0.0.1:9/v4/abc"  # nothing listens on the discard port
    with caplog.at_level(logging.DEBUG):
        AwsEcsDetector(environ={"ECS_CONTAINER_METADATA_URI_V4": uri}, root=tmp_path, timeout=0.5).detect()
    assert SECRET not in caplog.text
    assert "http://127.0.0.1:9" in caplog.text


@pytest.mark.parametrize("port", ["abc", "99999", "0", "①", "443 "])
def test_a_malformed_kubernetes_service_port_is_one_warning(
    port: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    environ = {
        "KUBERNETES_SERVICE_HOST": "127.0.0.1",
        "KUBERNETES_SERVICE_PORT": port,
        "K8S_POD_NAME": "p",
        "RESOURCE_IDENTITY_K8S_API": "true",
    }
    with caplog.at_level(logging.DEBUG):
        resource = KubernetesDetector(environ=environ, root=tmp_path, timeout=0.5).detect()
    assert resource.attributes["k8s.pod.name"] == "p"
    if port.strip() == "443":
        return  # valid: the API is tried (no CA here: one warning about that)
    [warning] = _warnings(caplog)
    assert "KUBERNETES_SERVICE_PORT" in warning


@pytest.mark.parametrize(
    "token", [f"first\n{SECRET}".encode(), f"{SECRET}\r\nX-Injected: 1".encode(), b"\xff\xfe" + SECRET.encode()]
)
def test_a_token_that_is_not_one_line_of_ascii_is_never_sent_or_logged(
    token: bytes, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import trustme

    ca = trustme.CA()
    root = make_root(tmp_path / "root", {f"{SA}/namespace": "shop"})
    ca.cert_pem.write_to_path(str(root / SA.lstrip("/") / "ca.crt"))
    (root / SA.lstrip("/") / "token").write_bytes(token)
    environ = {
        "KUBERNETES_SERVICE_HOST": "127.0.0.1",
        "KUBERNETES_SERVICE_PORT": "9",
        "K8S_POD_NAME": "p",
        "RESOURCE_IDENTITY_K8S_API": "true",
    }
    with caplog.at_level(logging.DEBUG):
        resource = KubernetesDetector(environ=environ, root=root, timeout=0.5).detect()
    assert resource.attributes["k8s.pod.name"] == "p"
    [warning] = _warnings(caplog)
    assert "token is not one line" in warning
    assert SECRET not in caplog.text


@given(text=st.text(max_size=300))
def test_parse_endpoint_takes_any_text(text: str) -> None:
    for candidate in (text, f"http://{text}", f"https://{text}/p"):
        parsed = parse_endpoint(candidate)
        if not isinstance(parsed, str):
            assert 0 < parsed.port <= 65535
            assert parsed.safe.isascii()
            assert "@" not in parsed.safe


# --- Numbers ----------------------------------------------------------------------------------------

BAD_NUMBERS = ["²", "①", "٣", "1" * 5000, str(2**63), str(2**64 + 1), "-1", "1.5", "0x10", "1e3", "12 34"]


@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_a_bad_cloud_run_task_index_is_one_warning(value: str, caplog: pytest.LogCaptureFixture) -> None:
    environ = {"CLOUD_RUN_JOB": "nightly", "CLOUD_RUN_TASK_INDEX": value, "GCE_METADATA_HOST": "127.0.0.1:9"}
    with caplog.at_level(logging.WARNING):
        resource = GcpCloudRunDetector(environ=environ, timeout=0.3).detect()
    assert "gcp.cloud_run.job.task_index" not in resource.attributes
    assert resource.attributes["faas.name"] == "nightly"
    assert sum("CLOUD_RUN_TASK_INDEX" in w for w in _warnings(caplog)) == 1
    assert value not in caplog.text or len(value) < 3
    assert _encodes(resource, caplog)


@pytest.mark.parametrize("value", [*BAD_NUMBERS, str(2**63 // (1024 * 1024) + 1)])
def test_a_bad_lambda_memory_size_is_one_warning(value: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    environ = load_env("lambda/env-lambda-python-zip.env") | {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": value}
    with caplog.at_level(logging.WARNING):
        resource = AwsLambdaDetector(environ=environ, root=tmp_path).detect()
    assert "faas.max_memory" not in resource.attributes
    assert [w for w in _warnings(caplog) if "AWS_LAMBDA_FUNCTION_MEMORY_SIZE" in w]
    assert _encodes(resource, caplog)


def test_good_numbers_still_count(tmp_path: Path) -> None:
    environ = load_env("lambda/env-lambda-python-zip.env") | {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": " 10240 "}
    assert AwsLambdaDetector(environ=environ, root=tmp_path).detect().attributes["faas.max_memory"] == 10240 * 2**20


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.dictionaries(
        st.sampled_from(
            [
                "CLOUD_RUN_TASK_INDEX",
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                "AWS_LAMBDA_FUNCTION_VERSION",
                "HEROKU_RELEASE_VERSION",
                "GITHUB_RUN_ID",
                "BUILD_NUMBER",
                "CI_PIPELINE_ID",
                "KUBERNETES_SERVICE_PORT",
                "HOSTNAME",
            ]
        ),
        st.text(max_size=40) | st.integers(min_value=-(2**70), max_value=2**70).map(str),
        max_size=6,
    )
)
def test_whatever_the_environment_says_every_attribute_encodes(
    values: dict[str, str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    environ = {
        "AWS_LAMBDA_FUNCTION_NAME": "f",
        "CLOUD_RUN_JOB": "j",
        "DYNO": "web.1",
        "GITHUB_ACTIONS": "true",
        "GCE_METADATA_HOST": "127.0.0.1:9",
    } | {key: value.replace("\x00", "") for key, value in values.items()}
    resource = PlatformDetector(environ=environ, root=tmp_path, timeout=0.3, cache=False).detect()
    assert _encodes(resource, caplog)


# --- Credentials in URLs ----------------------------------------------------------------------------

PASSWORDS = [SECRET, f"{SECRET}/x", f"{SECRET}#x", f"{SECRET}?x", f"a@{SECRET}", f"{SECRET}:x", f"%2F{SECRET}"]


@pytest.mark.parametrize("password", PASSWORDS)
def test_strip_credentials_removes_any_password(password: str) -> None:
    for url in (
        f"https://user:{password}@github.com/o/r",
        f"https://user:{password}@github.com",
        f"ssh://git:{password}@host:7999/o/r.git",
    ):
        assert SECRET not in strip_credentials(url), url
    # A token alone (no user): only a token without '/', '?' or '#' can be told from a path.
    assert strip_credentials(f"https://{SECRET}@github.com/o/r") == "https://github.com/o/r"
    assert strip_credentials("https://github.com/o/r@v1") == "https://github.com/o/r@v1"
    assert strip_credentials("not a url with @ sign") == "not a url with @ sign"


@given(
    user=st.text(alphabet=st.characters(blacklist_characters="@/?#", blacklist_categories=["Cs"]), max_size=10),
    password=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=20),
    path=st.sampled_from(["", "/", "/o/r", "/o/r.git", "/o/r@v1"]),
)
def test_a_password_never_survives(user: str, password: str, path: str) -> None:
    marked = f"Q{password}Q"
    cleaned = strip_credentials(f"https://{user}:{marked}@git.example.com{path}")
    assert marked not in cleaned


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"user:{SECRET}@github.com/o/r", "https://github.com/o/r"),
        (f"https://u:{SECRET}/x@github.com/o/r.git", "https://github.com/o/r"),
        (f"https://u:{SECRET}#x@github.com/o/r", "https://github.com/o/r"),
        (f"https://u:{SECRET}?x@github.com/o/r", "https://github.com/o/r"),
        ("git@github.com:o/r.git", "https://github.com/o/r"),
    ],
)
def test_repository_urls_never_carry_credentials(text: str, expected: str) -> None:
    assert repository_url(text) == expected


URL_VARIABLES = [
    "GITHUB_SERVER_URL",
    "CI_PIPELINE_URL",
    "CI_JOB_URL",
    "CI_PROJECT_URL",
    "BUILD_URL",
    "GIT_URL",
    "CIRCLE_BUILD_URL",
    "CIRCLE_REPOSITORY_URL",
    "SYSTEM_COLLECTIONURI",
    "BUILD_REPOSITORY_URI",
    "BUILDKITE_BUILD_URL",
    "BUILDKITE_REPO",
    "BITBUCKET_GIT_HTTP_ORIGIN",
    "TRAVIS_BUILD_WEB_URL",
    "DRONE_BUILD_LINK",
    "DRONE_GIT_HTTP_URL",
    "CI_REPO_URL",
    "CODEBUILD_BUILD_URL",
    "CODEBUILD_SOURCE_REPO_URL",
]


@pytest.mark.parametrize("fixture", sorted(p.name for p in (FIXTURES / "cicd").glob("*.env")))
@pytest.mark.parametrize("password", [SECRET, f"{SECRET}/x#y?z"])
def test_no_ci_url_attribute_carries_credentials(
    fixture: str, password: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    environ: dict[str, str] = load_env(f"cicd/{fixture}")
    for variable in URL_VARIABLES:
        value = environ.get(variable) or "https://ci.example.com/x"
        scheme, _, rest = value.partition("://")
        environ[variable] = f"{scheme}://user:{password}@{rest}" if rest else f"user:{password}@{value}"
    with caplog.at_level(logging.DEBUG):
        resource = CicdDetector(environ=environ, root=tmp_path).detect()
    for key, found in resource.attributes.items():
        assert SECRET not in str(found), key
    assert SECRET not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# --- OTEL_ENTITIES ----------------------------------------------------------------------------------


def test_a_malformed_entity_warning_never_quotes_a_value(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        parse_entities(f"db.password={SECRET} service{{service.name=shop}};{SECRET}{{a}};x{{{SECRET}}}")
    assert len(_warnings(caplog)) == 3
    assert SECRET not in caplog.text


@pytest.mark.parametrize(
    "text",
    [
        " " * 120_000,
        ";".join(f"service{{service.name=s{i}}}" for i in range(10_000)),
        ";".join(f"t{i}{{k{i}=v}}[shared=x{i}]" for i in range(10_000)),
        "{" * 120_000,
        "a{" + "[" * 120_000,
        "a{b=c}" + "@" * 120_000,
    ],
    ids=["whitespace", "10,000 of one type", "10,000 sharing a key", "braces", "brackets", "at signs"],
)
def test_parsing_is_fast_and_capped(text: str, caplog: pytest.LogCaptureFixture) -> None:
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING):
        parse_entities(text)
    assert time.perf_counter() - started < 1.0
    if len(text) > 64 * 1024 and text.strip():
        assert any("longer than 65536 characters" in w for w in _warnings(caplog))


def test_entities_before_the_cap_are_kept() -> None:
    first = "service{service.name=shop}"
    entities = parse_entities(first + ";" + ";".join(f"t{i}{{k{i}=v}}" for i in range(20_000)))
    assert entities[0].type == "service"
    assert sum(len(f"t{i}{{k{i}=v}};") for i in range(len(entities) - 1)) <= 64 * 1024
