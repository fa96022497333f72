"""AwsEcsDetector against the task metadata endpoint served on loopback."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest

from otel_resource_identity import AwsEcsDetector, entities_of
from otel_resource_identity.detectors.aws.ecs import split_image

from platforms import FIXTURES, Reply, fixture_text, load_env, make_root, serve


def _json(name: str) -> Any:
    return json.loads(fixture_text(f"ecs/{name}"))


def _routes(kind: str, prefix: str = "/v4/abc") -> dict[str, Reply]:
    return {
        prefix: Reply(_json(f"jscontrib-metadatav4-response-container-{kind}.json")),
        f"{prefix}/task": Reply(_json(f"jscontrib-metadatav4-response-task-{kind}.json")),
    }


def _environ(
    kind: str, base: str, variable: str = "ECS_CONTAINER_METADATA_URI_V4", path: str = "/v4/abc"
) -> dict[str, str]:
    environ = {k: v for k, v in load_env(f"ecs/env-ecs-{kind}.env").items() if not k.startswith("ECS_CONTAINER")}
    return environ | {variable: base + path}


def test_fargate(tmp_path: Path) -> None:
    with serve(_routes("fargate")) as server:
        resource = AwsEcsDetector(environ=_environ("fargate", server.base), root=tmp_path).detect()
    attributes = dict(resource.attributes)
    assert attributes == {
        "aws.ecs.task.arn": "arn:aws:ecs:us-west-2:111122223333:task/default/e9028f8d5d8e4f258373e7b93ce9a3c3",
        "aws.ecs.task.id": "e9028f8d5d8e4f258373e7b93ce9a3c3",
        "aws.ecs.task.family": "curltest",
        "aws.ecs.task.revision": "3",
        "aws.ecs.launchtype": "fargate",
        "container.id": "cd189a933e5849daa93386466019ab50-2495160603",
        "container.name": "curl",
        "container.image.name": "111122223333.dkr.ecr.us-west-2.amazonaws.com/curltest",
        "container.image.tags": ("latest",),
        "cloud.provider": "aws",
        "cloud.platform": "aws_ecs",
        "aws.ecs.container.arn": "arn:aws:ecs:us-west-2:111122223333:container/05966557-f16c-49cb-9352-24b3a0dcd0e1",
        "cloud.resource_id": "arn:aws:ecs:us-west-2:111122223333:container/05966557-f16c-49cb-9352-24b3a0dcd0e1",
        "cloud.availability_zone": "us-west-2a",
        "cloud.region": "us-west-2",
        "cloud.account.id": "111122223333",
        "aws.log.group.names": ("/ecs/containerlogs",),
        "aws.log.group.arns": ("arn:aws:logs:us-west-2:111122223333:log-group:/ecs/containerlogs",),
        "aws.log.stream.names": ("ecs/curl/cd189a933e5849daa93386466019ab50",),
        "aws.log.stream.arns": (
            "arn:aws:logs:us-west-2:111122223333:log-group:/ecs/containerlogs:log-stream:"
            "ecs/curl/cd189a933e5849daa93386466019ab50",
        ),
        "aws.ecs.cluster.arn": "arn:aws:ecs:us-west-2:111122223333:cluster/default",
        "service.name": "curltest",  # the task definition's family (this task has no ServiceName)
    }
    assert {"aws.ecs.task", "container"} <= {entity.type for entity in entities_of(resource)}


def test_ec2_builds_the_cluster_arn_from_a_short_name(tmp_path: Path) -> None:
    with serve(_routes("ec2")) as server:
        attributes = dict(AwsEcsDetector(environ=_environ("ec2", server.base), root=tmp_path).detect().attributes)
    assert attributes["aws.ecs.cluster.arn"] == "arn:aws:ecs:us-west-2:111122223333:cluster/default"
    assert attributes["aws.ecs.launchtype"] == "ec2"
    assert attributes["aws.ecs.task.id"] == "158d1c8083dd49d6b527399fd6414f5c"


def test_v3_only_agents(tmp_path: Path) -> None:
    routes = {
        "/v3/abc": Reply(_json("javacontrib-ecs-container-metadata-v4.json")),
        "/v3/abc/task": Reply(_json("javacontrib-ecs-task-metadata-v4.json")),
    }
    with serve(routes) as server:
        environ = _environ("ec2", server.base, "ECS_CONTAINER_METADATA_URI", "/v3/abc")
        attributes = dict(AwsEcsDetector(environ=environ, root=tmp_path).detect().attributes)
    assert attributes["cloud.platform"] == "aws_ecs"
    assert str(attributes["aws.ecs.task.arn"]).startswith("arn:aws:ecs:")
    assert [path for path, _ in server.requests] == ["/v3/abc", "/v3/abc/task"]


def test_firelens_has_no_log_attributes(tmp_path: Path) -> None:
    routes = _routes("fargate")
    container = dict(_json("jscontrib-metadatav4-response-container-fargate.json"))
    container["LogDriver"] = "awsfirelens"
    routes["/v4/abc"] = Reply(container)
    with serve(routes) as server:
        attributes = dict(AwsEcsDetector(environ=_environ("fargate", server.base), root=tmp_path).detect().attributes)
    assert not [key for key in attributes if key.startswith("aws.log.")]


@pytest.mark.parametrize(
    "reply",
    [Reply("<html>oops</html>"), Reply({"error": "x"}, status=500), Reply(b"\xff" * 2_000_000)],
    ids=["not json", "http 500", "too large"],
)
def test_a_broken_endpoint_is_one_warning_and_local_facts(
    tmp_path: Path, reply: Reply, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_root(tmp_path, {"/proc/self/cgroup": FIXTURES / "ecs/cgroup-ecs-ec2-v1.txt"})
    with serve({"/v4/abc": reply, "/v4/abc/task": reply}) as server, caplog.at_level(logging.WARNING):
        attributes = dict(AwsEcsDetector(environ=_environ("ec2", server.base), root=root).detect().attributes)
    assert attributes == {
        "cloud.provider": "aws",
        "cloud.platform": "aws_ecs",
        "container.id": "9d4e1b7a3c5f8e2d6b0a4c8e1f3d5b7a9c2e4f6a8b0d1c3e5f7a9b1d3c5e7f9a",
    }
    [warning] = [r.getMessage() for r in caplog.records]
    assert "ECS_CONTAINER_METADATA_URI_V4" in warning


def test_a_hung_endpoint_is_cut_at_the_timeout(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    routes = {"/v4/abc": Reply({}, delay=5), "/v4/abc/task": Reply({}, delay=5)}
    with serve(routes) as server, caplog.at_level(logging.WARNING):
        started = time.monotonic()
        AwsEcsDetector(environ=_environ("ec2", server.base), root=tmp_path, timeout=0.3).detect()
        took = time.monotonic() - started
    assert took < 2.0
    assert "timed out" in caplog.text


def test_nothing_listening(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        attributes = dict(
            AwsEcsDetector(environ={"ECS_CONTAINER_METADATA_URI_V4": "http://127.0.0.1:9/v4/x"}, root=tmp_path)
            .detect()
            .attributes
        )
    assert attributes == {"cloud.provider": "aws", "cloud.platform": "aws_ecs"}
    assert "failed" in caplog.text


def test_off_ecs_it_is_empty_and_makes_no_call(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        assert dict(AwsEcsDetector(environ={}).detect().attributes) == {}
    assert caplog.records == []


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("nginx", ("nginx", "latest")),
        ("nginx:1.27", ("nginx", "1.27")),
        ("registry:5000/team/app:2", ("registry:5000/team/app", "2")),
        ("registry:5000/team/app", ("registry:5000/team/app", "latest")),
        ("app@sha256:abcd", ("app", None)),
        ("app:3@sha256:abcd", ("app", "3")),
    ],
)
def test_image_references(image: str, expected: tuple[str, str | None]) -> None:
    assert split_image(image) == expected
