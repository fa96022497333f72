"""Real values that arrive in metadata replies and files reach the resource through the real detectors.

The companion of ``tests/test_real_values.py`` (values from environment variables): each entry of
the real-value collections whose source is a metadata service or a platform file is put into
the reply or file of the agreement case for its platform (``cases.py``: the same recorded
replies, servers on 127.0.0.1 and root), the case is run through this package alone, and the
value must appear as its attribute, or transformed as documented.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

import pytest

from cases import CASES, FIXTURES, Answer, Case, Service
from platforms import load_env
from runners import OURS, run_case
from test_real_values import ENTRIES, NO_METADATA, emitted

pytestmark = pytest.mark.timeout(60)


def _case(name: str) -> Case:
    return next(case for case in CASES if case.name == name)


def _with_route(case: Case, change: Callable[[str, Answer], Answer | None]) -> Case:
    """``case`` without peers, each route of its first service passed through ``change``."""
    service = case.services[0]
    routes = {}
    for key, answer in service.routes.items():
        changed = change(key, answer)
        routes[key] = changed if changed is not None else answer
    return dataclasses.replace(case, peers=(), silent=(), services=(dataclasses.replace(service, routes=routes),))


def _json_field(case_name: str, is_route: Callable[[str], bool], *path: str) -> Callable[[str], Case]:
    """The value as the field ``path`` of the JSON reply on the routes ``is_route`` picks."""

    def build(value: str) -> Case:
        def change(key: str, answer: Answer) -> Answer | None:
            if not is_route(key) or not isinstance(answer.body, Mapping):
                return None
            body: dict[str, Any] = json.loads(json.dumps(answer.body))
            node = body
            for step in path[:-1]:
                node = node.setdefault(step, {})
            node[path[-1]] = value
            return dataclasses.replace(answer, body=body)

        return _with_route(_case(case_name), change)

    return build


def _text_path(case_name: str, route: str) -> Callable[[str], Case]:
    """The value as the text reply of ``route``."""
    return lambda value: _with_route(
        _case(case_name), lambda key, answer: dataclasses.replace(answer, body=value) if key == route else None
    )


def _vm_cloud(folder: str, routes: Callable[[str], Mapping[str, Answer]]) -> Callable[[str], Case]:
    """A VM cloud's recorded DMI tree, its metadata service answering ``routes(value)``."""
    setting = f"RESOURCE_IDENTITY_{folder.upper()}_METADATA_ENDPOINT"
    return lambda value: Case(
        name=folder,
        platform=folder,
        peers=(),
        trees=(FIXTURES / "vm-clouds" / folder,),
        services=(Service("metadata.invalid:80", {setting: "http://{host}"}, routes(value)),),
    )


def _file(path: str, content: Callable[[str], str], environ: Mapping[str, str] | None = None) -> Callable[[str], Case]:
    return lambda value: Case(
        name=path, platform="files", peers=(), files={path: content(value)}, environ=dict(environ or {})
    )


def _oracle(field: str) -> Callable[[str], Mapping[str, Answer]]:
    def routes(value: str) -> Mapping[str, Answer]:
        instance = {
            "id": "ocid1.instance.oc1.iad.abuwcljt5e4yeh5jayhverhtnvsxjvlg3imevahj4xoipchptbtvzmir3ciq",
            "availabilityDomain": "Uocm:PHX-AD-1",
            "canonicalRegionName": "us-ashburn-1",
            "displayName": "web-1",
            "shape": "VM.Standard.E4.Flex",
        }
        return {"/opc/v2/instance/": Answer({**instance, field: value})}

    return routes


def _ecs_task(key: str) -> bool:
    return key.endswith("/task")


def _ecs_container(key: str) -> bool:
    return key.startswith("/v4/") and not key.endswith("/task")


_GCE = "Compute Engine"


def _scaleway(field: str) -> Callable[[str], Mapping[str, Answer]]:
    document = json.loads((FIXTURES / "vm-clouds" / "metadata" / "scaleway-conf.json").read_text(encoding="utf-8"))
    return lambda value: {"/conf?format=json": Answer({**document, field: value})}


def _akamai(change: Callable[[dict[str, Any], str], None]) -> Callable[[str], Mapping[str, Answer]]:
    def routes(value: str) -> Mapping[str, Answer]:
        instance: dict[str, Any] = {"id": 4242, "label": "linode-4242", "region": "us-east", "type": "g6-nanode-1"}
        instance["image"] = {"id": "linode/ubuntu24.04", "label": "Ubuntu"}
        change(instance, value)
        return {"PUT /v1/token": Answer("e80eb80986f17fcd3df8fcb6"), "/v1/instance": Answer(instance)}

    return routes


def _set(*path: str) -> Callable[[dict[str, Any], str], None]:
    def change(document: dict[str, Any], value: str) -> None:
        node = document
        for step in path[:-1]:
            node = node.setdefault(step, {})
        node[path[-1]] = value

    return change


def _beanstalk(field: str, as_number: bool = False) -> Callable[[str], Case]:
    document = json.loads((FIXTURES / "beanstalk" / "environment.conf-gocontrib.json").read_text(encoding="utf-8"))

    def build(value: str) -> Case:
        case = _case("Elastic Beanstalk")
        content = json.dumps({**document, field: int(value) if as_number else value})
        files = {**case.files, "/var/elasticbeanstalk/xray/environment.conf": content}
        return dataclasses.replace(case, peers=(), files=files)

    return build


def _ecs_image_tag(value: str) -> Case:
    """The value as the tag of the container's image reference."""
    return _json_field("ECS on Fargate", _ecs_container, "Image")(f"public.ecr.aws/docker/library/httpd:{value}")


def _ecs_log_arn(value: str) -> Case:
    """A CloudWatch Logs group or stream ARN, taken apart into what the task metadata holds: the
    container's awslogs options and the account of the task's and container's ARNs."""
    _, _, _, region, account, _, rest = value.split(":", 6)
    group, _, stream = rest.partition(":log-stream:")
    options = {"awslogs-group": group, "awslogs-region": region, **({"awslogs-stream": stream} if stream else {})}

    def change(key: str, answer: Answer) -> Answer | None:
        if not isinstance(answer.body, Mapping):
            return None
        text = re.sub(r"(arn:aws:ecs:[a-z0-9-]+:)\d{12}:", rf"\g<1>{account}:", json.dumps(answer.body))
        body: dict[str, Any] = json.loads(text)
        if _ecs_container(key):
            body.update(LogDriver="awslogs", LogOptions=options)
        return dataclasses.replace(answer, body=body)

    return _with_route(_case("ECS on Fargate"), change)


# --- The Kubernetes API (a pod of the recorded objects, its owners, node and kube-system namespace) ---
_SA = "/var/run/secrets/kubernetes.io/serviceaccount"
_POD = "checkout-api-7d9c5b8f6d-x2k4p"
_NODE = "ip-10-0-12-34.eu-west-1.compute.internal"
_GROUPS = {"ReplicaSet": "apps/v1", "Deployment": "apps/v1", "StatefulSet": "apps/v1", "DaemonSet": "apps/v1"}
_FETCHED = {"ReplicaSet": "/apis/apps/v1/namespaces/shop/replicasets/", "Job": "/apis/batch/v1/namespaces/shop/jobs/"}


def _k8s_object(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((FIXTURES / "kubernetes" / name).read_text(encoding="utf-8"))
    return document


def _k8s_case(change: Callable[[dict[str, dict[str, Any]]], None]) -> Case:
    """A pod whose detector may read the API, the API server answering the recorded objects after
    ``change`` (keyed by request path)."""
    documents = {
        f"/api/v1/namespaces/shop/pods/{_POD}": _k8s_object("api-pod-deployment-owned.json"),
        "/apis/apps/v1/namespaces/shop/replicasets/checkout-api-7d9c5b8f6d": _k8s_object("api-replicaset.json"),
        f"/api/v1/nodes/{_NODE}": _k8s_object("api-node.json"),
        "/api/v1/namespaces/kube-system": _k8s_object("api-namespace-kube-system.json"),
    }
    change(documents)
    return Case(
        name="Kubernetes API",
        platform="Kubernetes",
        peers=(),
        environ={"KUBERNETES_SERVICE_HOST": "10.96.0.1", "K8S_POD_NAME": _POD, "RESOURCE_IDENTITY_K8S_API": "true"},
        files={
            f"{_SA}/token": "eyJhbGciOiJSUzI1NiJ9.walk-token.signature",
            f"{_SA}/namespace": "shop",
            "/proc/self/cgroup": (
                FIXTURES / "kubernetes/dash0-proc-self-cgroup-k8s-containerd-systemd-v1.txt"
            ).read_text(encoding="utf-8"),
        },
        services=(
            Service(
                "kubernetes.default.svc:443",
                {"KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "{port}"},
                {path: Answer(document) for path, document in documents.items()},
                tls=True,
                ca_path=f"{_SA}/ca.crt",
            ),
        ),
    )


def _k8s_owners(*kinds: str, at: int = 0, field: str = "name") -> Callable[[str], Case]:
    """The pod's controller chain is ``kinds`` (the pod's own controller first); the value is the
    ``field`` of the owner at ``at``. The owners the detector asks for are served at their paths."""

    def build(value: str) -> Case:
        chain = [
            {"kind": kind, "name": f"owner-{i}", "uid": f"0a1b2c3d-0000-4000-8000-00000000000{i}"}
            for i, kind in enumerate(kinds)
        ]
        chain[at][field] = value
        references = [
            {
                "apiVersion": _GROUPS.get(owner["kind"], "batch/v1"),
                **owner,
                "controller": True,
                "blockOwnerDeletion": True,
            }
            for owner in chain
        ]

        def change(documents: dict[str, dict[str, Any]]) -> None:
            pod = documents[f"/api/v1/namespaces/shop/pods/{_POD}"]
            pod["metadata"]["ownerReferences"] = references[:1]
            for i, owner in enumerate(chain):
                if owner["kind"] in _FETCHED:
                    metadata: dict[str, Any] = {"name": owner["name"], "namespace": "shop", "uid": owner["uid"]}
                    metadata["ownerReferences"] = references[i + 1 : i + 2]
                    apis = _FETCHED[owner["kind"]]
                    documents[apis + quote(owner["name"], safe="")] = {"kind": owner["kind"], "metadata": metadata}

        return _k8s_case(change)

    return build


def _k8s_set(path: str, *keys: str) -> Callable[[str], Case]:
    """The value at ``keys`` of the API object served at ``path`` (an int key indexes a list)."""

    def build(value: str) -> Case:
        def change(documents: dict[str, dict[str, Any]]) -> None:
            node: Any = documents[path]
            for key in keys[:-1]:
                node = node[int(key)] if key.isdigit() else node[key]
            node[keys[-1]] = value

        return _k8s_case(change)

    return build


class Feed(NamedTuple):
    build: Callable[[str], Case]
    attribute: str | None = None  # None: the entry's own attribute
    listed: bool = False  # the attribute is a list holding the value


# The entry's source, up to the first space-separated detail, -> how it reaches a detector.
FEEDS: dict[str, Feed] = {
    # ECS task metadata v4 (the recorded Fargate and EC2 replies)
    "ECS task metadata Cluster": Feed(_json_field("ECS on Fargate", _ecs_task, "Cluster")),
    "ECS task metadata v4 ContainerARN (new": Feed(_json_field("ECS on Fargate", _ecs_container, "ContainerARN")),
    "ECS task metadata v4 ContainerARN (old": Feed(_json_field("ECS on Fargate", _ecs_container, "ContainerARN")),
    "ECS task metadata TaskARN": Feed(_json_field("ECS on Fargate", _ecs_task, "TaskARN")),
    "ECS task metadata Revision": Feed(_json_field("ECS on Fargate", _ecs_task, "Revision")),
    "ECS task metadata LaunchType": Feed(_json_field("ECS on Fargate", _ecs_task, "LaunchType")),
    "ECS task metadata AvailabilityZone": Feed(_json_field("ECS on Fargate", _ecs_task, "AvailabilityZone")),
    "ECS task metadata v4 DockerId (Fargate": Feed(_json_field("ECS on Fargate", _ecs_container, "DockerId")),
    "ECS task metadata DockerId (EC2": Feed(_json_field("ECS on EC2", _ecs_container, "DockerId")),
    "ECS task metadata DockerName": Feed(_json_field("ECS on EC2", _ecs_container, "DockerName")),
    "ECS task metadata Image (": Feed(_json_field("ECS on Fargate", _ecs_container, "Image")),
    "ECS task metadata Family": Feed(_json_field("ECS on Fargate", _ecs_task, "Family")),
    "ECS task metadata v4 ContainerARN (the container's ARN)": Feed(
        _json_field("ECS on Fargate", _ecs_container, "ContainerARN")
    ),
    "ECS task metadata LogOptions awslogs-group (in the group's ARN": Feed(_ecs_log_arn, listed=True),
    "ECS task metadata LogOptions awslogs-stream (in the stream's ARN)": Feed(_ecs_log_arn, listed=True),
    "ECS task metadata LogOptions awslogs-stream": Feed(
        _json_field("ECS on Fargate", _ecs_container, "LogOptions", "awslogs-stream"), listed=True
    ),
    "image reference tag": Feed(_ecs_image_tag, listed=True),
    # Azure instance metadata (the recorded compute document)
    "Azure IMDS compute.zone": Feed(_json_field("Azure VM", lambda _: True, "zone")),
    "Azure IMDS /metadata/instance compute.location": Feed(_json_field("Azure VM", lambda _: True, "location")),
    "Azure IMDS compute.vmSize": Feed(_json_field("Azure VM", lambda _: True, "vmSize")),
    "Azure IMDS compute.name": Feed(_json_field("Azure VM", lambda _: True, "name")),
    "Azure IMDS compute.resourceGroupName": Feed(_json_field("Azure VM", lambda _: True, "resourceGroupName")),
    "Azure IMDS compute.vmScaleSetName": Feed(_json_field("Azure VM", lambda _: True, "vmScaleSetName")),
    # The GCP metadata server (the recorded Compute Engine tree, one path each)
    "GCE metadata instance/zone": Feed(_text_path(_GCE, "/computeMetadata/v1/instance/zone")),
    "GCE metadata instance/machine-type": Feed(_text_path(_GCE, "/computeMetadata/v1/instance/machine-type")),
    "GCE metadata instance/attributes/cluster-name": Feed(
        _text_path("GKE", "/computeMetadata/v1/instance/attributes/cluster-name")
    ),
    # The Kubernetes API: owners, node, cluster, the container's image digest
    "Kubernetes API ownerReferences (Deployment": Feed(_k8s_owners("ReplicaSet", "Deployment", at=1)),
    "Kubernetes API ownerReferences (ReplicaSet": Feed(_k8s_owners("ReplicaSet", "Deployment")),
    "Kubernetes API ownerReferences (StatefulSet": Feed(_k8s_owners("StatefulSet")),
    "Kubernetes API ownerReferences (DaemonSet": Feed(_k8s_owners("DaemonSet")),
    "Kubernetes API ownerReferences (Job)": Feed(_k8s_owners("Job")),
    "Kubernetes API ownerReferences (Job of a CronJob": Feed(_k8s_owners("Job", "CronJob")),
    "Kubernetes API ownerReferences (CronJob": Feed(_k8s_owners("Job", "CronJob", at=1)),
    "Kubernetes API ownerReferences uid (Deployment": Feed(_k8s_owners("ReplicaSet", "Deployment", at=1, field="uid")),
    "Kubernetes API ownerReferences uid (ReplicaSet": Feed(_k8s_owners("ReplicaSet", "Deployment", field="uid")),
    "Kubernetes API ownerReferences uid (StatefulSet": Feed(_k8s_owners("StatefulSet", field="uid")),
    "Kubernetes API ownerReferences uid (DaemonSet": Feed(_k8s_owners("DaemonSet", field="uid")),
    "Kubernetes API ownerReferences uid (Job)": Feed(_k8s_owners("Job", field="uid")),
    "Kubernetes API ownerReferences uid (CronJob": Feed(_k8s_owners("Job", "CronJob", at=1, field="uid")),
    "Kubernetes API node metadata.uid": Feed(_k8s_set(f"/api/v1/nodes/{_NODE}", "metadata", "uid")),
    "Kubernetes API kube-system namespace metadata.uid": Feed(
        _k8s_set("/api/v1/namespaces/kube-system", "metadata", "uid")
    ),
    "Kubernetes API pod status imageID": Feed(
        _k8s_set(f"/api/v1/namespaces/shop/pods/{_POD}", "status", "containerStatuses", "0", "imageID"), listed=True
    ),
    # Alibaba Cloud (text paths and the identity document)
    "Alibaba ECS metadata dynamic/instance-identity/document": Feed(
        _text_path("Alibaba Cloud ECS", "/latest/meta-data/zone-id")
    ),
    "Alibaba ECS metadata region-id": Feed(_text_path("Alibaba Cloud ECS", "/latest/meta-data/region-id")),
    "Alibaba ECS metadata instance-id": Feed(_text_path("Alibaba Cloud ECS", "/latest/meta-data/instance-id")),
    "Alibaba ECS metadata instance-type": Feed(
        _text_path("Alibaba Cloud ECS", "/latest/meta-data/instance/instance-type")
    ),
    # Other VM clouds, each as its detector asks (go-contrib's and the Collector's recorded shapes)
    "Hetzner metadata /region": Feed(_vm_cloud("hetzner", lambda v: {"/region": Answer(v)})),
    "Hetzner metadata /availability-zone": Feed(_vm_cloud("hetzner", lambda v: {"/availability-zone": Answer(v)})),
    "Vultr metadata region.regioncode": Feed(
        _vm_cloud("vultr", lambda v: {"/v1.json": Answer({"hostname": "srv", "region": {"regioncode": v}})})
    ),
    "Vultr metadata instance-v2-id": Feed(
        _vm_cloud("vultr", lambda v: {"/v1.json": Answer({"hostname": "srv", "instance-v2-id": v})})
    ),
    "Scaleway metadata zone": Feed(_vm_cloud("scaleway", _scaleway("zone"))),
    "Scaleway metadata hostname": Feed(_vm_cloud("scaleway", _scaleway("hostname"))),
    "Scaleway metadata project": Feed(_vm_cloud("scaleway", _scaleway("project"))),
    "UpCloud metadata region": Feed(
        _vm_cloud("upcloud", lambda v: {"/metadata/v1.json": Answer({"cloud_name": "upcloud", "region": v})})
    ),
    "UpCloud metadata instance_id": Feed(
        _vm_cloud("upcloud", lambda v: {"/metadata/v1.json": Answer({"cloud_name": "upcloud", "instance_id": v})})
    ),
    "DigitalOcean metadata /metadata/v1.json": Feed(
        _vm_cloud("digitalocean", lambda v: {"/metadata/v1.json": Answer({"droplet_id": 1, "region": v})})
    ),
    "Akamai/Linode metadata instance region": Feed(_vm_cloud("akamai", _akamai(_set("region")))),
    "Akamai/Linode metadata instance type": Feed(_vm_cloud("akamai", _akamai(_set("type")))),
    "Akamai/Linode metadata image.label": Feed(_vm_cloud("akamai", _akamai(_set("image", "label")))),
    # Oracle Cloud's instance metadata (/opc/v2/instance/)
    "OCI IMDS availabilityDomain": Feed(_vm_cloud("oracle", _oracle("availabilityDomain"))),
    "OCI IMDS id": Feed(_vm_cloud("oracle", _oracle("id"))),
    "OCI IMDS shape": Feed(_vm_cloud("oracle", _oracle("shape"))),
    "OCI IMDS displayName": Feed(_vm_cloud("oracle", _oracle("displayName"))),
    # Elastic Beanstalk's environment.conf
    "Elastic Beanstalk /var/elasticbeanstalk/xray/environment.conf deployment_id": Feed(
        _beanstalk("deployment_id", as_number=True), "deployment.id"
    ),
    "Elastic Beanstalk environment.conf environment_name": Feed(_beanstalk("environment_name")),
    # The operating system's files
    "/etc/os-release NAME": Feed(_file("/etc/os-release", lambda v: f'NAME="{v}"\nVERSION_ID="1"\n')),
    "/etc/os-release PRETTY_NAME": Feed(_file("/etc/os-release", lambda v: f'PRETTY_NAME="{v}"\nVERSION_ID="1"\n')),
    "/proc/sys/kernel/osrelease": Feed(_file("/proc/sys/kernel/osrelease", lambda v: f"{v}\n")),
    # /proc/self/cgroup lines as the runtimes write them, around the real id
    "/proc/self/cgroup (ECS on EC2 path)": Feed(
        _file("/proc/self/cgroup", lambda v: f"9:perf_event:/ecs/03752a671e744971a862edcee6195646/{v}\n")
    ),
    "/proc/self/cgroup (OpenShift docker-<id>.scope)": Feed(
        _file(
            "/proc/self/cgroup",
            lambda v: (
                "11:memory:/kubepods.slice/kubepods-burstable.slice/"
                f"kubepods-burstable-pod4c9e3d1c_6b4f_4a53_9f7c_1d2e3f4a5b6c.slice/docker-{v}.scope\n"
            ),
        )
    ),
    "/proc/self/cgroup systemd slice": Feed(
        _file(
            "/proc/self/cgroup",
            lambda v: (
                "11:memory:/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
                f"{v}.slice/cri-containerd-{'ab' * 32}.scope\n"
            ),
            {"KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "9"},
        )
    ),
}


def _feed(entry: Mapping[str, Any]) -> Feed | None:
    return next((feed for prefix, feed in FEEDS.items() if str(entry["source"]).startswith(prefix)), None)


FED = [entry for entry in ENTRIES if _feed(entry) is not None]


def test_the_reply_walk_covers_every_row() -> None:
    fed_rows = {prefix for prefix in FEEDS for entry in FED if str(entry["source"]).startswith(prefix)}
    assert fed_rows == set(FEEDS), f"rows that match no entry: {set(FEEDS) - fed_rows}"


@pytest.mark.parametrize("entry", FED, ids=lambda e: f"{e['attribute']}={str(e['value'])[:40]}")
def test_every_real_value_from_a_reply_or_file_reaches_the_resource(
    entry: Mapping[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    feed = _feed(entry)
    assert feed is not None
    with caplog.at_level(logging.WARNING, logger="otel_resource_identity"):
        reported = run_case(feed.build(str(entry["value"])), tmp_path).reported[OURS]
    attribute = feed.attribute or str(entry["attribute"])
    expected = emitted(entry)
    assert reported.get(attribute) == ([expected] if feed.listed else expected), attribute
    assert not [record for record in caplog.records if "left it out" in record.getMessage()]


# Values a detector decides (the conventions' enum members): the case in which it decides each.
_CGROUP_OF_RUNTIME = {
    "docker": "0::/system.slice/docker-{}.scope",
    "containerd": "0::/kubepods.slice/kubepods-besteffort.slice/cri-containerd-{}.scope",
    "cri-o": "0::/kubepods.slice/kubepods-besteffort.slice/crio-{}.scope",
    "podman": "0::/machine.slice/libpod-{}.scope",
}


def _cgroup_case(line: str) -> Callable[[], Case]:
    return lambda: _file("/proc/self/cgroup", lambda _: line.format("ab" * 32) + "\n")("")


def _environment_case(fixture: str) -> Case:
    """A recorded environment, its metadata services off (CodeBuild's ECS endpoint left out)."""
    environ = {key: value for key, value in load_env(fixture).items() if not key.startswith("ECS_CONTAINER_METADATA")}
    return Case(name=fixture, platform="environment", peers=(), environ={**environ, **NO_METADATA})


DECISIONS: dict[tuple[str, str], Callable[[], Case]] = {
    ("cloud.provider", "aws"): lambda: _case("Lambda"),
    ("cloud.provider", "gcp"): lambda: _case("Cloud Run service"),
    ("cloud.provider", "azure"): lambda: _case("App Service"),
    ("cloud.provider", "heroku"): lambda: Case(name="Heroku", platform="Heroku", peers=(), environ={"DYNO": "web.1"}),
    ("cloud.platform", "aws_lambda"): lambda: _case("Lambda"),
    ("cloud.platform", "aws_ecs"): lambda: _case("ECS on Fargate"),
    ("cloud.platform", "aws_eks"): lambda: _case("EKS"),
    ("cloud.platform", "gcp_cloud_run"): lambda: _case("Cloud Run service"),
    ("cloud.platform", "azure.app_service"): lambda: _case("App Service"),
    ("cloud.platform", "azure.functions"): lambda: _case("Functions"),
    ("aws.ecs.launchtype", "fargate"): lambda: _case("ECS on Fargate"),
    ("aws.ecs.launchtype", "ec2"): lambda: _case("ECS on EC2"),
    ("vcs.provider.name", "github"): lambda: _case("GitHub Actions"),
    ("vcs.provider.name", "gitlab"): lambda: _environment_case("cicd/gitlab-ci-tag.env"),
    ("vcs.provider.name", "bitbucket"): lambda: _environment_case("cicd/bitbucket-pipelines.env"),
    ("vcs.provider.name", "gitea"): lambda: _environment_case("cicd/gitea-actions.env"),
    ("vcs.ref.head.type", "branch"): lambda: _case("GitHub Actions"),
    ("vcs.ref.head.type", "tag"): lambda: _environment_case("cicd/gitlab-ci-tag.env"),
    **{("container.runtime.name", runtime): _cgroup_case(line) for runtime, line in _CGROUP_OF_RUNTIME.items()},
}
DECIDED = [entry for entry in ENTRIES if str(entry["source"]).startswith("decided by the detector (")]


def test_every_decided_value_has_its_case() -> None:
    assert DECIDED
    assert {(entry["attribute"], entry["value"]) for entry in DECIDED} == set(DECISIONS)


@pytest.mark.parametrize("entry", DECIDED, ids=lambda e: f"{e['attribute']}={e['value']}")
def test_every_decided_value_is_decided_where_the_platform_is(entry: Mapping[str, Any], tmp_path: Path) -> None:
    case = DECISIONS[(str(entry["attribute"]), str(entry["value"]))]()
    reported = run_case(dataclasses.replace(case, peers=(), silent=()), tmp_path).reported[OURS]
    assert reported.get(str(entry["attribute"])) == entry["value"]


# Entries of the collections that no detector of this package reads, and why; each is still
# checked in its emitted form against the syntax (test_real_values.py).
NOT_READ: dict[str, str] = {
    "WEBSITE_OWNER_NAME suffix": "the region is read from REGION_NAME, not parsed out of the owner name",
    "WEBSITE_RESOURCE_GROUP (region": "the region is read from REGION_NAME, not parsed out of a resource group",
    "WEBSITE_HOME_STAMPNAME": "the scale unit's stamp is not reported",
    "Azure IMDS compute.physicalZone": "the zone is IMDS's zone, as the Collector's and the JS detectors read it",
    "Azure IMDS compute.version": "os.version is the running system's, not the image's version",
    "GCE metadata instance/image": "host.image.id is not reported on Compute Engine (neither peer asks it)",
    "GCE metadata project/numeric-project-id": "cloud.account.id is the project id, as every GCP detector reports it",
    "GCE metadata instance/cpu-platform": "host.cpu.* is not reported",
    "GCE metadata instance/hostname": "host.name is the instance's name, as the Collector, JS and Python detectors say",
    "AWS_EXECUTION_ENV": "read only as Lambda's and ECS's signal; process.runtime.name is the SDK's",
    "ECS task metadata v4 /task Containers[]": "the container's own DockerId comes from its container reply",
    "ECS task metadata Networks[]": "host.name on ECS is the host's, not the task's ENI DNS name",
    "ECS task metadata ImageID": "container.image.id is not reported on ECS",
    "Cloud Run log labels.instanceId": "faas.instance is the metadata server's instance/id (walked as instance/id)",
    "App Engine request log": "a log field, not an input of any detector",
    "GAE_DEPLOYMENT_ID": "the deployment is shared by every instance: not an instance id",
    "HEROKU_SLUG_DESCRIPTION": "service.version is HEROKU_RELEASE_VERSION",
    "DYNO (": "DYNO signals Heroku; the instance id is HEROKU_DYNO_ID",
    "Render service region": "Render sets no region variable; the region is the API's",
    "OCI IMDS region": "the region is canonicalRegionName (always the full identifier), as the Collector reads it",
    "OCI IMDS compartmentId": "cloud.account.id is not reported on OCI (the Collector does not either)",
    "OCI IMDS image": "host.image.id is not reported on OCI (the Collector does not either)",
    "HOSTNAME": "host.name is the system's host name (socket.gethostname), not a variable",
    "COMPUTERNAME": "host.name is the system's host name (socket.gethostname), not a variable",
    "App Service docker run --name": "container.name is not reported on App Service",
    "App Service built-in image": "container.image.name is not reported on App Service",
    "BUILD_REQUESTEDFOR": "a person's name is never put on a resource",
    "CI_RUNNER_TAGS": "cicd.worker.name is CI_RUNNER_DESCRIPTION",
    "Jenkins BUILD_DISPLAY_NAME": "the Jenkins run id is BUILD_TAG",
    "Jenkins multibranch job name segment": "cicd.pipeline.name is JOB_NAME as Jenkins sets it",
    "k8s pod status containerStatuses[].containerID": "container.id comes from the cgroup; the API's is only matched",
    "k8s pod status containerID": "container.id comes from the cgroup; the API's is only matched",
    "k8s pod status imageID": "container.image.id is not reported; the same imageID is walked as repo_digests",
    "k8s pod status image": "container.image.name comes from the pod spec, walked in test_k8s_service_identity",
    "spec image vs status image": "container.image.name comes from the pod spec, walked in test_k8s_service_identity",
    "decided by the detector from the running interpreter": (
        "host.arch and os.type come from the interpreter's platform module through the detector's tables, "
        "which test_attribute_names holds against the conventions' enums; only the machine's own can be run"
    ),
}


def test_every_entry_of_the_collections_is_walked_or_says_why_not() -> None:
    from test_real_values import FEEDS as ENVIRONMENT_FEEDS
    from test_real_values import variable_of

    left = [
        entry
        for entry in ENTRIES
        if _feed(entry) is None
        and variable_of(entry) is None
        and entry not in DECIDED
        and not any(str(entry["source"]).startswith(prefix) for prefix in NOT_READ)
    ]
    assert not left, [entry["source"] for entry in left]
    assert ENVIRONMENT_FEEDS


# Attributes the detectors report that no platform produces: this process's own facts.
MADE_HERE = {
    "process.pid": "the process's own id (test_process_entity checks it against the process)",
    "process.creation.time": "the kernel's start time of this process (test_process_entity checks it against ps)",
}
_ENVIRONMENTS = sorted(
    str(path.relative_to(FIXTURES))
    for folder in ("cicd", "paas", "heroku", "vercel", "azure", "appengine", "gcp")
    for path in (FIXTURES / folder).glob("*.env")
)


def test_every_attribute_the_detectors_report_has_real_values(tmp_path: Path) -> None:
    """Every attribute the detectors report on the recorded platforms has values in the collections."""
    cases = [dataclasses.replace(case, peers=(), silent=()) for case in CASES]
    cases += [_environment_case(fixture) for fixture in _ENVIRONMENTS]
    cases += [_k8s_case(lambda documents: None), _k8s_owners("Job", "CronJob")("date-print-1549217580")]
    reported: dict[str, str] = {}
    for number, case in enumerate(cases):
        for key in run_case(case, tmp_path / str(number)).reported[OURS]:
            reported.setdefault(key, case.name)
    collected = {str(entry["attribute"]) for entry in ENTRIES}
    missing = {key: where for key, where in reported.items() if key not in collected and key not in MADE_HERE}
    assert not missing, f"reported with no real value collected (attribute: a case reporting it): {missing}"
