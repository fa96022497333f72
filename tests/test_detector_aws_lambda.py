"""AwsLambdaDetector on Lambda's reserved variables."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from otel_resource_identity import AwsLambdaDetector, entities_of

from platforms import load_env, make_root


def _detect(environ: dict[str, str], root: Path | str = "/nonexistent") -> dict[str, object]:
    return dict(AwsLambdaDetector(environ=environ, root=root).detect().attributes)


def test_a_zip_function(tmp_path: Path) -> None:
    attributes = _detect(load_env("lambda/env-lambda-python-zip.env"), tmp_path)
    assert attributes == {
        "cloud.provider": "aws",
        "cloud.platform": "aws_lambda",
        "cloud.region": "us-east-1",
        "faas.name": "checkout-handler",
        "faas.version": "$LATEST",
        "faas.instance": "2026/08/21/[$LATEST]2f399eb14537447da05ab2a2e39309de",
        "faas.max_memory": 512 * 1024 * 1024,
        "aws.log.group.names": ("/aws/lambda/checkout-handler",),
        "aws.log.stream.names": ("2026/08/21/[$LATEST]2f399eb14537447da05ab2a2e39309de",),
        "service.name": "checkout-handler",  # no service.version: $LATEST names no version
    }


def test_the_account_id_from_the_extensions_symlink(tmp_path: Path) -> None:
    (tmp_path / "tmp").mkdir()
    os.symlink("123456789012", tmp_path / "tmp" / ".otel-aws-account-id")
    attributes = _detect(load_env("lambda/env-lambda-published-version-alias.env"), tmp_path)
    assert attributes["cloud.account.id"] == "123456789012"
    assert attributes["cloud.resource_id"] == "arn:aws:lambda:eu-central-1:123456789012:function:orders-consumer:17"
    assert attributes["aws.log.group.arns"] == (
        "arn:aws:logs:eu-central-1:123456789012:log-group:/custom/shared-log-group",
    )


def test_the_account_id_from_a_plain_file_in_a_china_region(tmp_path: Path) -> None:
    root = make_root(tmp_path, {"/tmp/.otel-aws-account-id": "210987654321\n"})
    environ = load_env("lambda/env-lambda-python-zip.env") | {"AWS_REGION": "cn-north-1"}
    attributes = _detect(environ, root)
    assert attributes["cloud.resource_id"] == "arn:aws-cn:lambda:cn-north-1:210987654321:function:checkout-handler"


def test_a_garbage_account_file_is_ignored(tmp_path: Path) -> None:
    root = make_root(tmp_path, {"/tmp/.otel-aws-account-id": "not-an-account"})
    assert "cloud.account.id" not in _detect(load_env("lambda/env-lambda-python-zip.env"), root)


def test_snapstart_has_no_log_stream_and_still_works(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    environ = load_env("lambda/env-lambda-python-zip.env")
    for name in ("AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME"):
        del environ[name]
    environ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "snap-start"
    with caplog.at_level(logging.WARNING):
        attributes = _detect(environ, tmp_path)
    assert attributes["faas.name"] == "checkout-handler"
    assert "faas.instance" not in attributes
    assert not [key for key in attributes if key.startswith("aws.log")]
    assert caplog.records == []


def test_os_only_runtimes_have_no_execution_env(tmp_path: Path) -> None:
    environ = load_env("lambda/env-lambda-python-zip.env")
    del environ["AWS_EXECUTION_ENV"]
    assert _detect(environ, tmp_path)["cloud.platform"] == "aws_lambda"


def test_vercel_functions_are_not_labelled_lambda(tmp_path: Path) -> None:
    assert _detect(load_env("vercel/env-vercel-runtime-production.env"), tmp_path) == {}


def test_a_bad_memory_size_is_left_out_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    environ = load_env("lambda/env-lambda-python-zip.env") | {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "lots"}
    with caplog.at_level(logging.WARNING):
        attributes = _detect(environ, tmp_path)
    assert "faas.max_memory" not in attributes
    assert "AWS_LAMBDA_FUNCTION_MEMORY_SIZE" in caplog.text


def test_the_function_is_an_entity(tmp_path: Path) -> None:
    resource = AwsLambdaDetector(environ=load_env("lambda/env-lambda-python-zip.env"), root=tmp_path).detect()
    [faas] = [entity for entity in entities_of(resource) if entity.type == "faas"]
    assert faas.id == {"faas.name": "checkout-handler"}


def test_off_lambda_it_is_empty_and_silent(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        assert _detect({"AWS_REGION": "us-east-1"}) == {}
    assert caplog.records == []
