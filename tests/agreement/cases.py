"""The agreement cases: one input per platform, given to this package and to each peer.

A case is data: the environment, the files under the root, and the metadata services the
platform has, each with the replies it records and where each implementation is told to find
it. Peers address a service by its real name (``169.254.169.254:80``); the sandboxes they run
in (``python_peer.py``, ``node/run.cjs``) redirect that name to the loopback server. This
package is told the loopback address through its documented settings. Every implementation sees
the same environment, the same files and the same replies.

Sources of the recorded data are in ``tests/fixtures/README.md``; values written here for a
case say where they come from.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SA = "/var/run/secrets/kubernetes.io/serviceaccount"

# The peers, as the sandboxes load them.
PY_AWS = "opentelemetry.sdk.extension.aws.resource"
PY_AZURE = "opentelemetry.resource.detector.azure"
PY_GCP = "opentelemetry.resourcedetector.gcp_resource_detector:GoogleCloudResourceDetector"
PY_CONTAINER = "opentelemetry.resource.detector.containerid:ContainerResourceDetector"


@dataclass(frozen=True)
class Answer:
    """One recorded reply: a body (text, or JSON when not a string), a status and headers."""

    body: object
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Service:
    """A metadata service of the platform.

    ``address``: how the peers reach it (``host:port``). ``settings``: the environment variables
    that point this package at it, with ``{host}`` and ``{port}`` for the loopback server's;
    they are in every implementation's environment (the peers that do not read them ignore
    them; the ECS variables are read by all). ``routes``: the
    replies by request (``"PUT /path"`` for a PUT; a key without a query also answers the
    same path with any query). ``tls``: served over HTTPS with the case's test CA, whose
    certificate is written to ``ca_path`` under the root.
    """

    address: str
    settings: Mapping[str, str]
    routes: Mapping[str, Answer]
    tls: bool = False
    ca_path: str = ""
    missing: Answer = Answer("not found", 404)


@dataclass(frozen=True)
class Case:
    name: str
    platform: str
    peers: tuple[str, ...]
    environ: Mapping[str, str] = field(default_factory=dict)
    files: Mapping[str, str | Path] = field(default_factory=dict)
    trees: tuple[Path, ...] = ()  # folders copied into the root first (recorded DMI trees)
    services: tuple[Service, ...] = ()
    hostname: str = "agreement-host"
    # Peers that cover the platform's neighbours but not this case: they must report nothing.
    silent: tuple[str, ...] = ()


def _fixture(relative: str) -> Path:
    return FIXTURES / relative


def _env(relative: str) -> dict[str, str]:
    variables: dict[str, str] = {}
    for line in _fixture(relative).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            variables[key.strip()] = value
    return variables


def _json(relative: str) -> Any:
    return json.loads(_fixture(relative).read_text(encoding="utf-8"))


# --- AWS -----------------------------------------------------------------------------------------

IMDS_ADDRESS = "169.254.169.254:80"
EC2_IDENTITY = _json("cloud/ec2-instance-identity-document.json")
EC2_HOSTNAME = "ip-10-158-112-84.us-west-2.compute.internal"
EC2_ROUTES = {
    "PUT /latest/api/token": Answer("AQAEAFake-session-token=="),
    "/latest/dynamic/instance-identity/document": Answer(EC2_IDENTITY),
    "/latest/meta-data/hostname": Answer(EC2_HOSTNAME),
}
EC2 = Service(IMDS_ADDRESS, {"AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://{host}"}, EC2_ROUTES)

ECS_ADDRESS = "169.254.170.2:80"


def _ecs_cgroup(kind: str) -> str:
    """The recorded ECS cgroup file, its ids replaced by those of the recorded metadata replies,
    so that the file and the replies describe one container (as on a real task)."""
    container = _json(f"ecs/jscontrib-metadatav4-response-container-{kind}.json")
    task_id = _json(f"ecs/jscontrib-metadatav4-response-task-{kind}.json")["TaskARN"].rsplit("/", 1)[1]
    lines = []
    for line in _fixture(f"ecs/cgroup-ecs-{kind}-v1.txt").read_text(encoding="utf-8").splitlines():
        head, _, _ = line.rpartition(":/ecs/")
        lines.append(f"{head}:/ecs/{task_id}/{container['DockerId']}" if head else line)
    return "\n".join(lines) + "\n"


def _ecs(kind: str) -> Case:
    environ = _env(f"ecs/env-ecs-{kind}.env")
    if kind == "ec2":  # bridge networking: Docker names the host after the container's short id
        environ["HOSTNAME"] = _json("ecs/jscontrib-metadatav4-response-container-ec2.json")["DockerId"][:12]
    uri = environ["ECS_CONTAINER_METADATA_URI_V4"]
    path = uri.removeprefix("http://169.254.170.2")
    return Case(
        name=f"ECS on {'EC2' if kind == 'ec2' else 'Fargate'}",
        platform="AWS",
        peers=(f"py:{PY_AWS}:AwsEcsResourceDetector", "js:aws:awsEcsDetector"),
        environ=environ,
        files={"/proc/self/cgroup": _ecs_cgroup(kind)},
        services=(
            Service(
                ECS_ADDRESS,
                {
                    "ECS_CONTAINER_METADATA_URI_V4": "http://{host}" + path,
                    "ECS_CONTAINER_METADATA_URI": "http://{host}" + path.replace("/v4/", "/v3/"),
                },
                {
                    path: Answer(_json(f"ecs/jscontrib-metadatav4-response-container-{kind}.json")),
                    f"{path}/task": Answer(_json(f"ecs/jscontrib-metadatav4-response-task-{kind}.json")),
                },
            ),
        ),
        hostname=environ["HOSTNAME"],
    )


def _eks() -> Case:
    cluster_info = {
        "kind": "ConfigMap",
        "apiVersion": "v1",
        "metadata": {"name": "cluster-info", "namespace": "amazon-cloudwatch"},
        "data": {"cluster.name": "shop-eks", "logs.region": "us-west-2"},
    }
    aws_auth = {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "aws-auth", "namespace": "kube-system"}}
    routes = dict(EC2_ROUTES)
    routes["/latest/meta-data/tags/instance/aws:eks:cluster-name"] = Answer("shop-eks")
    return Case(
        name="EKS",
        platform="AWS",
        peers=(f"py:{PY_AWS}:AwsEksResourceDetector", "js:aws:awsEksDetector"),
        environ={"KUBERNETES_SERVICE_HOST": "10.100.0.1", "HOSTNAME": "checkout-api-7d9c5b8f6d-x2k9p"},
        trees=(FIXTURES / "cloud/ec2-nitro",),
        files={
            f"{SA}/token": "eyJhbGciOiJSUzI1NiJ9.agreement-token.signature",
            f"{SA}/namespace": "shop",
            "/proc/self/cgroup": _fixture("kubernetes/dash0-proc-self-cgroup-k8s-containerd-systemd-v1.txt"),
        },
        services=(
            Service(
                "kubernetes.default.svc:443",
                {"KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "{port}"},
                {
                    "/api/v1/namespaces/kube-system/configmaps/aws-auth": Answer(aws_auth),
                    "/api/v1/namespaces/amazon-cloudwatch/configmaps/cluster-info": Answer(cluster_info),
                },
                tls=True,
                ca_path=f"{SA}/ca.crt",
            ),
            Service(IMDS_ADDRESS, {"AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://{host}"}, routes),
        ),
        hostname="checkout-api-7d9c5b8f6d-x2k9p",
    )


AWS_CASES = (
    Case(
        name="Lambda",
        platform="AWS",
        peers=(f"py:{PY_AWS}:AwsLambdaResourceDetector", "js:aws:awsLambdaDetector"),
        environ=_env("lambda/env-lambda-python-zip.env"),
    ),
    Case(
        name="Lambda, published version",
        platform="AWS",
        peers=(f"py:{PY_AWS}:AwsLambdaResourceDetector", "js:aws:awsLambdaDetector"),
        environ=_env("lambda/env-lambda-published-version-alias.env"),
    ),
    _ecs("ec2"),
    _ecs("fargate"),
    Case(
        name="EC2",
        platform="AWS",
        peers=(f"py:{PY_AWS}:AwsEc2ResourceDetector", "js:aws:awsEc2Detector"),
        trees=(FIXTURES / "cloud/ec2-nitro",),
        services=(EC2,),
    ),
    Case(
        name="Elastic Beanstalk",
        platform="AWS",
        peers=(f"py:{PY_AWS}:AwsBeanstalkResourceDetector", "js:aws:awsBeanstalkDetector"),
        trees=(FIXTURES / "cloud/ec2-nitro",),
        files={"/var/elasticbeanstalk/xray/environment.conf": _fixture("beanstalk/environment.conf-gocontrib.json")},
        services=(EC2,),
    ),
    _eks(),
)

# --- Google Cloud ----------------------------------------------------------------------------------

FLAVOR = {"Metadata-Flavor": "Google"}


def _kebab(key: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", key).lower()


def _metadata_routes(document: Mapping[str, Any]) -> dict[str, Answer]:
    """A GCP metadata server from a recursive document: every leaf as text at its path, every
    folder as JSON with ``?recursive=true`` (as the server answers), absent paths 404."""
    routes: dict[str, Answer] = {}

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, Mapping):
            routes[f"{prefix}?recursive=true"] = Answer(node, headers=FLAVOR)
            routes[prefix] = Answer("\n".join(f"{_kebab(k)}/" for k in node), headers=FLAVOR)
            for key, value in node.items():
                walk(f"{prefix}{_kebab(key)}/" if isinstance(value, Mapping) else f"{prefix}{_kebab(key)}", value)
        elif isinstance(node, list):
            routes[prefix] = Answer("\n".join(map(str, node)), headers=FLAVOR)
        else:
            routes[prefix] = Answer(str(node), headers=FLAVOR)

    walk("/computeMetadata/v1/", document)
    routes["/computeMetadata/v1/instance"] = routes["/computeMetadata/v1/instance/"]
    routes["/"] = Answer("computeMetadata/", headers=FLAVOR)
    return routes


def _gcp_service(document: Mapping[str, Any]) -> Service:
    return Service(
        "metadata.google.internal:80",
        {"GCE_METADATA_HOST": "{host}"},
        _metadata_routes(document),
        missing=Answer("Not Found", 404, FLAVOR),  # the metadata server flags its 404s too
    )


GCP_PEERS = (f"py:{PY_GCP}", "js:gcp:gcpDetector")
CLOUD_RUN_METADATA = _json("gcp/metadata-cloud-run-recursive.json")
APP_ENGINE_METADATA = {
    # opentelemetry-resourcedetector-gcp 1.14.0's App Engine standard test data
    "project": {"projectId": "fakeProject"},
    "instance": {"id": "0087244a", "region": "projects/233510669999/regions/us-east4", "zone": "us-east4-b"},
}

GCP_CASES = (
    Case(
        name="Compute Engine",
        platform="Google Cloud",
        peers=GCP_PEERS,
        trees=(FIXTURES / "cloud/gce",),
        services=(_gcp_service(_json("gcp/metadata-gce-recursive.json")),),
    ),
    Case(
        name="GKE",
        platform="Google Cloud",
        peers=GCP_PEERS,
        environ={**_env("gcp/env-gke-pod.env"), "KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "9"},
        trees=(FIXTURES / "cloud/gce",),
        files={
            f"{SA}/namespace": "shop",
            "/proc/self/cgroup": _fixture("containers/cgroup-k8s-containerd-v1-cgroupfs-burstable.txt"),
        },
        services=(_gcp_service(_json("gcp/metadata-gke-node-recursive.json")),),
        hostname="checkout-5c9d8b7f6-q2w3e",
    ),
    Case(
        name="Cloud Run service",
        platform="Google Cloud",
        peers=GCP_PEERS,
        environ=_env("gcp/env-cloud-run-service.env"),
        services=(_gcp_service(CLOUD_RUN_METADATA),),
    ),
    Case(
        name="Cloud Run job",
        platform="Google Cloud",
        peers=GCP_PEERS,
        # The variables Cloud Run sets for a job's task (its container contract).
        environ={
            "CLOUD_RUN_JOB": "nightly-export",
            "CLOUD_RUN_EXECUTION": "nightly-export-x7k2p",
            "CLOUD_RUN_TASK_INDEX": "3",
            "CLOUD_RUN_TASK_ATTEMPT": "0",
            "CLOUD_RUN_TASK_COUNT": "10",
        },
        services=(_gcp_service(CLOUD_RUN_METADATA),),
        silent=GCP_PEERS,  # neither peer knows Cloud Run jobs: only this package reports them
    ),
    Case(
        name="Cloud Functions",
        platform="Google Cloud",
        peers=GCP_PEERS,
        environ=_env("gcp/env-cloud-functions-gen2.env"),
        services=(_gcp_service(CLOUD_RUN_METADATA),),
    ),
    Case(
        name="App Engine standard",
        platform="Google Cloud",
        peers=GCP_PEERS,
        environ=_env("appengine/standard-pycontrib.env"),
        services=(_gcp_service(APP_ENGINE_METADATA),),
    ),
)

# --- Azure -----------------------------------------------------------------------------------------

# The recorded compute document with the image version the same Microsoft Learn sample gives
# (the Python peer reads it and reports nothing without it).
AZURE_IMDS = {**_json("cloud/azure-imds-compute.json"), "version": "15.05.22"}
AZURE_PEERS_PY = (
    f"py:{PY_AZURE}:AzureAppServiceResourceDetector",
    f"py:{PY_AZURE}:AzureFunctionsResourceDetector",
)
# An App Service app as App Service sets it: the region a display name, the owner
# <subscription>+<resource group>-<Region>webspace, a 64-hex instance id (values from the
# real-value collection: Kudu environment pages and issue reports).
APP_SERVICE_ENV = {
    "WEBSITE_SITE_NAME": "contoso-shop",
    "REGION_NAME": "West Europe",
    "WEBSITE_OWNER_NAME": "47d488d2-f662-46c2-8183-8fce2aefa6aa+contoso-rg-WestEuropewebspace",
    "WEBSITE_RESOURCE_GROUP": "contoso-rg",
    "WEBSITE_INSTANCE_ID": "997260270c326e2938e72fa9af69674fa8b4402f8e9e65121c461d08eb0abce6",
    "WEBSITE_HOSTNAME": "contoso-shop.azurewebsites.net",
    "WEBSITE_SLOT_NAME": "Production",
    "WEBSITE_HOME_STAMPNAME": "waws-prod-am2-123",
    "WEBSITE_SKU": "PremiumV3",
}
FUNCTIONS_ENV = {
    **APP_SERVICE_ENV,
    "WEBSITE_SITE_NAME": "contoso-orders",
    "REGION_NAME": "East US 2",
    "WEBSITE_OWNER_NAME": "47d488d2-f662-46c2-8183-8fce2aefa6aa+contoso-rg-EastUS2webspace",
    "WEBSITE_HOSTNAME": "contoso-orders.azurewebsites.net",
    "FUNCTIONS_WORKER_RUNTIME": "python",
    "FUNCTIONS_EXTENSION_VERSION": "~4",
    "WEBSITE_MEMORY_LIMIT_MB": "1536",
}
AZURE_CASES = (
    Case(
        name="Azure VM",
        platform="Azure",
        peers=(f"py:{PY_AZURE}:AzureVMResourceDetector", "js:azure:azureVmDetector"),
        trees=(FIXTURES / "cloud/azure",),
        services=(
            Service(
                IMDS_ADDRESS,
                {"RESOURCE_IDENTITY_AZURE_IMDS_ENDPOINT": "http://{host}"},
                {"/metadata/instance/compute": Answer(AZURE_IMDS)},
            ),
        ),
    ),
    Case(
        name="App Service",
        platform="Azure",
        peers=(*AZURE_PEERS_PY, "js:azure:azureAppServiceDetector", "js:azure:azureFunctionsDetector"),
        environ=APP_SERVICE_ENV,
        hostname="c72cf9d6a257",
        silent=(AZURE_PEERS_PY[1], "js:azure:azureFunctionsDetector"),  # not a Functions app
    ),
    Case(
        name="Functions",
        platform="Azure",
        peers=(*AZURE_PEERS_PY, "js:azure:azureAppServiceDetector", "js:azure:azureFunctionsDetector"),
        environ=FUNCTIONS_ENV,
        hostname="4059deb9fe79",
        silent=("js:azure:azureAppServiceDetector",),  # the JS App Service detector leaves Functions out
    ),
    Case(
        name="Container Apps",
        platform="Azure",
        peers=("js:azure:azureContainerAppsDetector",),
        environ=_env("azure/container-apps-jscontrib.env"),
    ),
    Case(
        name="AKS",
        platform="Azure",
        peers=(f"py:{PY_AZURE}:AzureAKSResourceDetector", "js:azure:azureAksDetector"),
        environ={
            "KUBERNETES_SERVICE_HOST": "127.0.0.1",
            "KUBERNETES_SERVICE_PORT": "9",
            "CLUSTER_RESOURCE_ID": _fixture("azure/aks-cluster-metadata-pycontrib.txt").read_text().strip(),
            "HOSTNAME": "checkout-5c9d8b7f6-q2w3e",
        },
        files={f"{SA}/namespace": "shop"},
        hostname="checkout-5c9d8b7f6-q2w3e",
    ),
)

# --- Alibaba Cloud ---------------------------------------------------------------------------------

# The Collector's alibabacloud ecs_test.go values, as text paths and as the identity document.
ALIBABA: dict[str, str] = _json("vm-clouds/metadata/alibaba-ecs-text-paths.json")
ALIBABA_DOCUMENT = {
    "owner-account-id": ALIBABA["owner-account-id"],
    "instance-id": ALIBABA["instance-id"],
    "instance-type": ALIBABA["instance/instance-type"],
    "region-id": ALIBABA["region-id"],
    "zone-id": ALIBABA["zone-id"],
    "image-id": ALIBABA["image-id"],
}
ALIBABA_ROUTES = {
    "PUT /latest/api/token": Answer("AQAAAKnTx0nIc2xkX1Y5Zg=="),
    "/latest/dynamic/instance-identity/document": Answer(ALIBABA_DOCUMENT),
    **{f"/latest/meta-data/{path}": Answer(value) for path, value in ALIBABA.items()},
}
OTHER_CASES = (
    Case(
        name="Alibaba Cloud ECS",
        platform="Alibaba Cloud",
        peers=("js:alibaba-cloud:alibabaCloudEcsDetector",),
        trees=(FIXTURES / "vm-clouds/alibaba",),
        services=(
            Service(
                "100.100.100.200:80",
                {"RESOURCE_IDENTITY_ALIBABA_METADATA_ENDPOINT": "http://{host}"},
                ALIBABA_ROUTES,
            ),
        ),
    ),
    Case(
        name="GitHub Actions",
        platform="CI/CD",
        peers=("js:github:gitHubDetector",),
        environ=_env("cicd/github-actions-push.env"),
    ),
)

# --- Containers -----------------------------------------------------------------------------------

CONTAINER_PEERS = (f"py:{PY_CONTAINER}", "js:container:containerDetector")


def _container(name: str, cgroup: str, mountinfo: str | None = None, silent: tuple[str, ...] = ()) -> Case:
    files: dict[str, str | Path] = {"/proc/self/cgroup": _fixture(f"containers/{cgroup}")}
    if mountinfo:
        files["/proc/self/mountinfo"] = _fixture(f"containers/{mountinfo}")
    return Case(
        name=name, platform="Containers", peers=CONTAINER_PEERS, files=files, hostname="9d4e1b7a3c5f", silent=silent
    )


CONTAINER_CASES = (
    _container("Docker, cgroup v1", "cgroup-docker-v1-cgroupfs.txt"),
    _container("Docker, cgroup v1 (systemd)", "cgroup-docker-v1-systemd.txt"),
    _container("Docker, cgroup v2 host namespace", "cgroup-docker-v2-host-ns-systemd.txt"),
    _container("Kubernetes containerd, cgroup v1", "cgroup-k8s-containerd-v1-cgroupfs-burstable.txt"),
    _container("CRI-O, cgroup v1 (OpenShift)", "cgroup-k8s-crio-v1-systemd-openshift.txt"),
    _container(
        "Docker, cgroup v2 private namespace (mountinfo)",
        "cgroup-docker-v2-private-ns.txt",
        "javainst-docker_proc_self_mountinfo.txt",
    ),
    _container(
        "containerd, cgroup v2 private namespace (mountinfo)",
        "cgroup-k8s-v2-private-ns.txt",
        "javainst-containerd_proc_self_mountinfo.txt",
        silent=("js:container:containerDetector",),  # it finds no id in this capture
    ),
    _container(
        "Podman, cgroup v2 private namespace (mountinfo)",
        "cgroup-podman-v2-private-ns.txt",
        "javainst-podman_proc_self_mountinfo1.txt",
    ),
)

CASES: tuple[Case, ...] = (*AWS_CASES, *GCP_CASES, *AZURE_CASES, *OTHER_CASES, *CONTAINER_CASES)
