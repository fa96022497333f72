"""Agreement with independent data: the same node, run or task as other sources record it.

The other side's attribute sets come from those projects' own test data
(``tests/fixtures/collector/``, sources in the fixtures README); this
package's side is its detectors run on the matching environment. Each pair
must coalesce as the README ("Agreeing with other sources") says, and
``otel-resource compare`` must say so.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from otel_resource_identity import (
    AwsLambdaDetector,
    CicdDetector,
    ContainerDetector,
    GcpCloudRunDetector,
    PlatformDetector,
    predict,
)

from conftest import clean_environment
from platforms import FIXTURES, Reply, fixture_text, load_env, make_root, serve

COLLECTOR = FIXTURES / "collector"


def _json(name: str) -> Any:
    return json.loads((COLLECTOR / name).read_text(encoding="utf-8"))


def _compare(tmp_path: Path, *sets: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    paths = []
    for index, attributes in enumerate(sets):
        path = tmp_path / f"set-{index}.json"
        path.write_text(json.dumps(attributes), encoding="utf-8")
        paths.append(str(path))
    return subprocess.run(
        [sys.executable, "-m", "otel_resource_identity", "compare", *paths],
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


# 1. Kubernetes nodes -----------------------------------------------------------------------------


@pytest.mark.parametrize("ruleset", ["dash0-2026-04", "dash0-2026-05"])
def test_a_node_seen_by_the_kubelet_stats_and_the_cluster_receiver_is_one_node(ruleset: str) -> None:
    cluster = _json("k8sclusterreceiver-node-resource.json")
    kubelet = _json("kubeletstatsreceiver-node-resource.json")
    assert predict(cluster, ruleset=ruleset).id == predict(kubelet, ruleset=ruleset).id
    assert predict(cluster, ruleset=ruleset).key == {"k8s.node.name": "test-node-1"}
    assert predict(cluster, ruleset=ruleset).type == "k8s.node"


@pytest.mark.subprocess
def test_compare_says_the_two_node_sets_coalesce(tmp_path: Path) -> None:
    done = _compare(
        tmp_path, _json("k8sclusterreceiver-node-resource.json"), _json("kubeletstatsreceiver-node-resource.json")
    )
    assert done.returncode == 0, done.stdout
    assert 'coalesce: rule k8s.node, key k8s.node.name = "test-node-1"' in done.stdout


def test_a_node_known_only_by_uid_is_still_a_node() -> None:
    identity = predict({"k8s.node.uid": "test-node-1-uid"})
    assert (identity.rule, identity.type) == ("k8s.node", "k8s.node")


# 2. CI runs: the GitHub and GitLab receivers -----------------------------------------------------


def _detected(fixture: str, tmp_path: Path) -> dict[str, Any]:
    return dict(CicdDetector(environ=load_env(fixture), root=tmp_path).detect().attributes)


def test_a_github_run_seen_by_the_receiver_and_by_the_detector_is_one_run(tmp_path: Path) -> None:
    receiver = _json("githubreceiver-workflow-run-resource.json")
    ours = _detected("collector/github-actions-workflow-run.env", tmp_path)
    assert isinstance(receiver["cicd.pipeline.run.id"], int)
    assert ours["cicd.pipeline.run.id"] == "14460881260"  # a string, as the semantic conventions type it
    assert ours["cicd.pipeline.name"] == receiver["cicd.pipeline.name"]
    assert ours["cicd.pipeline.run.url.full"] == receiver["cicd.pipeline.run.url.full"]
    assert ours["vcs.ref.head.revision"] == receiver["vcs.ref.head.revision"]
    ours_identity, theirs = predict(ours), predict(receiver)
    assert ours_identity.id == theirs.id
    assert theirs.rule == "cicd.pipeline.run"
    assert theirs.name == "build-and-test"


def test_an_unnamed_gitlab_pipeline_seen_by_the_receiver_and_by_the_detector_is_one_run(tmp_path: Path) -> None:
    receiver = _json("gitlabreceiver-unnamed-pipeline-resource.json")
    ours = _detected("collector/gitlab-ci-unnamed-pipeline.env", tmp_path)
    assert "cicd.pipeline.name" not in ours  # the project path is not the pipeline's name
    assert ours["vcs.repository.name"] == "project"
    assert receiver["cicd.pipeline.name"] == ""
    assert predict(ours).id == predict(receiver).id
    assert predict(receiver).rule == "cicd.pipeline.run"
    assert predict(receiver).name == "1"  # no name: the run id names it


def test_a_named_gitlab_pipeline_keeps_its_name(tmp_path: Path) -> None:
    environ = load_env("collector/gitlab-ci-unnamed-pipeline.env") | {"CI_PIPELINE_NAME": "Nightly"}
    attributes = dict(CicdDetector(environ=environ, root=tmp_path).detect().attributes)
    assert attributes["cicd.pipeline.name"] == "Nightly"
    assert predict(attributes).id != predict(_json("gitlabreceiver-unnamed-pipeline-resource.json")).id


_RUN: dict[str, Any] = {"cicd.pipeline.name": "CI"}


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        (
            {"cicd.pipeline.name": "CI", "cicd.pipeline.run.id": 42},
            {"cicd.pipeline.name": "CI", "cicd.pipeline.run.id": "42"},
            True,
        ),
        (
            {"cicd.pipeline.name": "CI", "cicd.pipeline.run.id": 42},
            {"cicd.pipeline.name": "CI", "cicd.pipeline.run.id": 43},
            False,
        ),
        (
            {"cicd.pipeline.name": "CI", "cicd.pipeline.run.id": 42},
            {"cicd.pipeline.name": "CD", "cicd.pipeline.run.id": 42},
            False,
        ),
        ({"cicd.pipeline.run.id": "7"}, {"cicd.pipeline.name": "", "cicd.pipeline.run.id": 7}, True),
        # Only whole numbers become text: a boolean or a float stays what it is.
        ({"cicd.pipeline.run.id": "1"}, {"cicd.pipeline.run.id": True}, False),
        ({"cicd.pipeline.run.id": "1"}, {"cicd.pipeline.run.id": 1.0}, False),
    ],
)
def test_ci_run_ids_compare_as_text(one: dict[str, Any], other: dict[str, Any], same: bool) -> None:
    assert (predict(one).id == predict(other).id) is same


@pytest.mark.subprocess
def test_compare_says_the_github_pair_coalesces(tmp_path: Path) -> None:
    ours = _detected("collector/github-actions-workflow-run.env", tmp_path)
    done = _compare(tmp_path, _json("githubreceiver-workflow-run-resource.json"), ours)
    assert done.returncode == 0, done.stdout
    assert "coalesce: rule cicd.pipeline.run" in done.stdout
    assert 'cicd.pipeline.run.id = "14460881260"' in done.stdout


# 3. Cloud Run metadata: one missing path keeps the others -----------------------------------------

FLAVOR = {"Metadata-Flavor": "Google"}
METADATA: dict[str, str] = json.loads(fixture_text("gcp/metadata-cloud-run-per-path.json"))["responses"]


def test_a_404_on_one_metadata_path_keeps_the_instance_id() -> None:
    routes = {
        f"/computeMetadata/v1/{path}": Reply(METADATA[path], headers=FLAVOR)
        for path in ("project/project-id", "instance/id", "instance/region")
    }
    routes["/computeMetadata/v1/instance/zone"] = Reply("not found", 404, headers=FLAVOR)
    with serve(routes) as server:
        environ = load_env("gcp/env-cloud-run-service.env") | {"GCE_METADATA_HOST": server.host}
        attributes = dict(GcpCloudRunDetector(environ=environ, timeout=2).detect().attributes)
    assert attributes["faas.instance"] == METADATA["instance/id"]
    assert attributes["cloud.region"] == METADATA["instance/region"].rsplit("/", 1)[-1]
    assert "cloud.availability_zone" not in attributes


# 4. Lambda on ECS --------------------------------------------------------------------------------


def test_an_ecs_task_that_names_a_function_is_not_a_lambda_function(tmp_path: Path) -> None:
    environ = load_env("ecs/env-ecs-fargate.env") | {"AWS_LAMBDA_FUNCTION_NAME": "resize-images"}
    environ = {k: v for k, v in environ.items() if not k.startswith("ECS_CONTAINER_METADATA")}
    assert environ["AWS_EXECUTION_ENV"] == "AWS_ECS_FARGATE"
    assert AwsLambdaDetector(environ=environ, root=tmp_path).detect().attributes == {}
    resource = PlatformDetector(environ=environ, root=tmp_path, cache=False, detectors=["aws_lambda"]).detect()
    assert "faas.name" not in resource.attributes
    ec2 = environ | {"AWS_EXECUTION_ENV": "AWS_ECS_EC2"}
    assert AwsLambdaDetector(environ=ec2, root=tmp_path).detect().attributes == {}
    real = environ | {"AWS_EXECUTION_ENV": "AWS_Lambda_python3.12"}
    assert AwsLambdaDetector(environ=real, root=tmp_path).detect().attributes["faas.name"] == "resize-images"


# 5. CircleCI without workflows ---------------------------------------------------------------------


def test_a_circleci_job_without_a_workflow_has_its_build_as_the_run(tmp_path: Path) -> None:
    environ = {k: v for k, v in load_env("cicd/circleci.env").items() if not k.startswith("CIRCLE_WORKFLOW")}
    attributes = dict(CicdDetector(environ=environ, root=tmp_path).detect().attributes)
    assert attributes["cicd.pipeline.run.id"] == environ["CIRCLE_BUILD_NUM"]
    assert attributes["cicd.pipeline.run.url.full"] == environ["CIRCLE_BUILD_URL"]
    with_workflow = dict(CicdDetector(environ=load_env("cicd/circleci.env"), root=tmp_path).detect().attributes)
    assert with_workflow["cicd.pipeline.run.id"] == load_env("cicd/circleci.env")["CIRCLE_WORKFLOW_ID"]


# 6. Jenkins --------------------------------------------------------------------------------------


def test_a_jenkins_run_id_is_unique_and_maps_to_the_plugins_run(tmp_path: Path) -> None:
    environ = load_env("cicd/jenkins-multibranch-pr.env")
    plugin = _json("jenkins-plugin-run-root-span.json")
    attributes = dict(CicdDetector(environ=environ, root=tmp_path).detect().attributes)
    assert attributes["cicd.pipeline.run.id"] == environ["BUILD_TAG"]
    job, number = plugin["ci.pipeline.id"], plugin["ci.pipeline.run.number"]
    assert job == environ["JOB_NAME"]
    assert number == int(environ["BUILD_NUMBER"])
    assert attributes["cicd.pipeline.run.id"] == f"jenkins-{job.replace('/', '-')}-{number}"
    assert attributes["cicd.pipeline.run.url.full"] == plugin["ci.pipeline.run.url"]


def test_without_build_tag_the_jenkins_run_id_is_built_as_jenkins_does(tmp_path: Path) -> None:
    environ = {k: v for k, v in load_env("cicd/jenkins-multibranch-pr.env").items() if k != "BUILD_TAG"}
    attributes = dict(CicdDetector(environ=environ, root=tmp_path).detect().attributes)
    assert attributes["cicd.pipeline.run.id"] == "jenkins-acme-checkout-api-PR-57-3"


def test_the_same_build_number_in_two_jenkins_jobs_is_two_runs(tmp_path: Path) -> None:
    freestyle = dict(CicdDetector(environ=load_env("cicd/jenkins-freestyle.env"), root=tmp_path).detect().attributes)
    other = load_env("cicd/jenkins-freestyle.env") | {"JOB_NAME": "other-job", "BUILD_TAG": ""}
    again = dict(CicdDetector(environ=other, root=tmp_path).detect().attributes)
    assert freestyle["cicd.pipeline.run.id"] != again["cicd.pipeline.run.id"]
    assert predict(freestyle).id != predict(again).id


# 7. containerd's systemd form without .scope --------------------------------------------------------


def test_containerd_systemd_ids_without_scope(tmp_path: Path) -> None:
    with_scope = make_root(
        tmp_path / "a", {"/proc/self/cgroup": FIXTURES / "containers/cgroup-k8s-containerd-v1-systemd.txt"}
    )
    without = make_root(
        tmp_path / "b", {"/proc/self/cgroup": FIXTURES / "containers/cgroup-k8s-containerd-systemd-no-scope.txt"}
    )
    first = dict(ContainerDetector(root=with_scope).detect().attributes)
    second = dict(ContainerDetector(root=without).detect().attributes)
    assert second == first
    assert second["container.runtime.name"] == "containerd"
    assert len(str(second["container.id"])) == 64
