"""Which platforms are signalled: environment variables and local files only.

Kept apart from the detectors so that ``PlatformDetector`` can classify the
process without importing (or running) a detector whose platform is absent:
off every platform only the host and container detectors are loaded. Each
detector's ``applies()`` is the function here, so the two can never disagree.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import NamedTuple

from .inputs.files import exists, read_text

SERVICE_ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount"
KUBERNETES_HOSTS_MARKER = "# Kubernetes-managed hosts file"

# CI systems in the order they are tested: systems that imitate another come
# first (Gitea and Forgejo Actions set GITHUB_ACTIONS; Woodpecker uses
# GitLab-style CI_* names). Each: the variable, and the value it must have
# (case-insensitive), or None for "any non-empty value".
CI_SIGNALS: Mapping[str, tuple[str, str | None]] = {
    "Gitea Actions": ("GITEA_ACTIONS", "true"),
    "Forgejo Actions": ("FORGEJO_ACTIONS", "true"),
    "GitHub Actions": ("GITHUB_ACTIONS", "true"),
    "Woodpecker": ("CI", "woodpecker"),
    "GitLab CI": ("GITLAB_CI", "true"),
    "AWS CodeBuild": ("CODEBUILD_BUILD_ID", None),
    "Jenkins": ("JENKINS_URL", None),
    "CircleCI": ("CIRCLECI", "true"),
    "Azure Pipelines": ("TF_BUILD", "true"),
    "Buildkite": ("BUILDKITE", "true"),
    "Bitbucket Pipelines": ("BITBUCKET_BUILD_NUMBER", None),
    "Travis CI": ("TRAVIS", "true"),
    "Google Cloud Build": ("BUILDER_OUTPUT", None),
    "TeamCity": ("TEAMCITY_VERSION", None),
    "Drone": ("DRONE", "true"),
}

# Cloud Run workload kinds, in the order they are tested (Cloud Functions gen2
# also sets every K_* variable of a service): the signal variable and the
# variable holding the workload's name.
CLOUD_RUN_SIGNALS: Mapping[str, tuple[str, str]] = {
    "function": ("FUNCTION_TARGET", "K_SERVICE"),
    "service": ("K_CONFIGURATION", "K_SERVICE"),
    "job": ("CLOUD_RUN_JOB", "CLOUD_RUN_JOB"),
    "worker pool": ("CLOUD_RUN_WORKER_POOL", "CLOUD_RUN_WORKER_POOL"),
}


# The cloud's own DMI values (readable without privileges), as the clouds document them and
# cloud-init's ds-identify classifies them. Sources per value in docs/detectors.md.
EC2_VENDOR = "Amazon EC2"
GCE_PRODUCT = "Google Compute Engine"
GCE_VENDOR = "Google"
AZURE_ASSET_TAG = "7783-7084-3265-9085-8269-3286-77"  # "MSFT AZURE VM"; a Hyper-V VM elsewhere lacks it
DMI_DIR = "/sys/class/dmi/id"


class Dmi(NamedTuple):
    """The firmware's identity strings (empty when not there: off Linux, in most sandboxes)."""

    sys_vendor: str = ""
    bios_vendor: str = ""
    product_name: str = ""
    board_asset_tag: str = ""
    chassis_asset_tag: str = ""
    hypervisor_uuid: str = ""


@functools.lru_cache(maxsize=8)
def dmi(root: str) -> Dmi:
    """The DMI values under ``root``, read once per process and root: firmware facts do not change."""

    def value(path: str) -> str:
        return (read_text(root, path, limit=256) or "").strip()

    return Dmi(
        value(f"{DMI_DIR}/sys_vendor"),
        value(f"{DMI_DIR}/bios_vendor"),
        value(f"{DMI_DIR}/product_name"),
        value(f"{DMI_DIR}/board_asset_tag"),
        value(f"{DMI_DIR}/chassis_asset_tag"),
        value("/sys/hypervisor/uuid"),
    )


def _set(environ: Mapping[str, str], name: str) -> bool:
    return bool(environ.get(name, "").strip())


def ci_system(environ: Mapping[str, str]) -> str | None:
    """The name of the CI system the environment belongs to, if any."""
    for name, (variable, value) in CI_SIGNALS.items():
        found = environ.get(variable, "").strip()
        if found and (value is None or found.lower() == value):
            return name
    return None


def cloud_run_workload(environ: Mapping[str, str]) -> str | None:
    """The kind of Cloud Run workload the environment describes, if any."""
    for kind, (signal, name) in CLOUD_RUN_SIGNALS.items():
        if _set(environ, signal) and _set(environ, name):
            return kind
    return None


def ecs_metadata_uri(environ: Mapping[str, str]) -> str:
    """The task metadata endpoint, v4 preferred, or ``""``."""
    return (
        environ.get("ECS_CONTAINER_METADATA_URI_V4", "").strip()
        or environ.get("ECS_CONTAINER_METADATA_URI", "").strip()
    )


def kubernetes(environ: Mapping[str, str], root: str) -> bool:
    if _set(environ, "KUBERNETES_SERVICE_HOST") or exists(root, SERVICE_ACCOUNT):
        return True
    return (read_text(root, "/etc/hosts", limit=4096) or "").startswith(KUBERNETES_HOSTS_MARKER)


def aws_ecs(environ: Mapping[str, str], root: str) -> bool:
    return bool(ecs_metadata_uri(environ))


def aws_lambda(environ: Mapping[str, str], root: str) -> bool:
    # Vercel functions run on Lambda but are Vercel's. AWS_EXECUTION_ENV names
    # the ECS launch types (AWS_ECS_FARGATE, AWS_ECS_EC2) in ECS tasks: a task
    # that sets AWS_LAMBDA_FUNCTION_NAME (to call a function, say) is not one.
    if environ.get("AWS_EXECUTION_ENV", "").strip().upper().startswith("AWS_ECS_"):
        return False
    return _set(environ, "AWS_LAMBDA_FUNCTION_NAME") and not _set(environ, "VERCEL")


def gcp_cloud_run(environ: Mapping[str, str], root: str) -> bool:
    return cloud_run_workload(environ) is not None


def heroku(environ: Mapping[str, str], root: str) -> bool:
    return _set(environ, "DYNO") or _set(environ, "HEROKU_APP_ID")


def vercel(environ: Mapping[str, str], root: str) -> bool:
    return _set(environ, "VERCEL")


def fly(environ: Mapping[str, str], root: str) -> bool:
    return _set(environ, "FLY_APP_NAME") and _set(environ, "FLY_MACHINE_ID")


def render(environ: Mapping[str, str], root: str) -> bool:
    return environ.get("RENDER", "").strip().lower() == "true" and _set(environ, "RENDER_SERVICE_ID")


def railway(environ: Mapping[str, str], root: str) -> bool:
    return _set(environ, "RAILWAY_SERVICE_ID") or _set(environ, "RAILWAY_REPLICA_ID")


def cicd(environ: Mapping[str, str], root: str) -> bool:
    return ci_system(environ) is not None


def aws_ec2(environ: Mapping[str, str], root: str) -> bool:
    # Nitro instances name the vendor; older Xen instances have a uuid starting with "ec2".
    # Lambda's sandbox runs on AWS hardware too, but is never an EC2 instance of the user's.
    if _set(environ, "AWS_LAMBDA_FUNCTION_NAME"):
        return False
    facts = dmi(root)
    return EC2_VENDOR in (facts.sys_vendor, facts.bios_vendor) or facts.hypervisor_uuid.lower().startswith("ec2")


def gcp_compute(environ: Mapping[str, str], root: str) -> bool:
    facts = dmi(root)
    return facts.product_name == GCE_PRODUCT or GCE_VENDOR in (facts.sys_vendor, facts.bios_vendor)


BEANSTALK_CONF = "/var/elasticbeanstalk/xray/environment.conf"


def aws_elastic_beanstalk(environ: Mapping[str, str], root: str) -> bool:
    # The file the Beanstalk X-Ray setup writes (present with X-Ray on), as every peer reads it.
    return exists(root, BEANSTALK_CONF)


def gcp_app_engine(environ: Mapping[str, str], root: str) -> bool:
    # Standard (GAE_ENV=standard) and flexible alike set these three.
    return _set(environ, "GAE_SERVICE") and _set(environ, "GAE_VERSION") and _set(environ, "GAE_INSTANCE")


# The VM clouds the conventions register (and two the Collector knows), by the DMI value cloud-init's
# ds-identify checks for each: (the name vm_clouds.VM_CLOUDS knows it by, the DMI field, its values).
VM_CLOUD_DMI: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("digitalocean", "sys_vendor", ("DigitalOcean",)),
    ("hetzner", "sys_vendor", ("Hetzner",)),
    ("vultr", "sys_vendor", ("Vultr",)),
    ("scaleway", "sys_vendor", ("Scaleway",)),
    ("upcloud", "sys_vendor", ("UpCloud",)),
    ("akamai", "sys_vendor", ("Linode", "Akamai")),
    ("oracle", "chassis_asset_tag", ("OracleCloud.com",)),
    ("alibaba", "product_name", ("Alibaba Cloud ECS",)),
    ("openstack", "product_name", ("OpenStack Nova", "OpenStack Compute")),
)


def vm_cloud(root: str) -> str | None:
    """The VM cloud (a key of ``VM_CLOUD_DMI``) the DMI under ``root`` names, if any."""
    facts = dmi(root)
    return next((key for key, field, values in VM_CLOUD_DMI if getattr(facts, field) in values), None)


def vm_clouds(environ: Mapping[str, str], root: str) -> bool:
    return vm_cloud(root) is not None


def azure_functions(environ: Mapping[str, str], root: str) -> bool:
    # As go-contrib's detector (and so the Collector's) decides.
    return _set(environ, "FUNCTIONS_WORKER_RUNTIME") or _set(environ, "FUNCTIONS_EXTENSION_VERSION")


def azure_app_service(environ: Mapping[str, str], root: str) -> bool:
    return _set(environ, "WEBSITE_SITE_NAME") and not azure_functions(environ, root)


def azure_container_apps(environ: Mapping[str, str], root: str) -> bool:
    return _set(environ, "CONTAINER_APP_NAME") or _set(environ, "CONTAINER_APP_JOB_NAME")


AKS_METADATA = "/etc/kubernetes/aks-cluster-metadata"


def azure_aks(environ: Mapping[str, str], root: str) -> bool:
    return _set(environ, "CLUSTER_RESOURCE_ID") or exists(root, AKS_METADATA)


def azure_vm(environ: Mapping[str, str], root: str) -> bool:
    # Inside App Service, Functions and Container Apps the DMI may well say Azure, but the VM
    # under them is the platform's: its instance metadata service is never asked there.
    if azure_functions(environ, root) or azure_app_service(environ, root) or azure_container_apps(environ, root):
        return False
    return dmi(root).chassis_asset_tag == AZURE_ASSET_TAG


def otel_entities(environ: Mapping[str, str], root: str) -> bool:
    return _set(environ, "OTEL_ENTITIES")


def always(environ: Mapping[str, str], root: str) -> bool:
    """Host and container facts are worth looking for everywhere."""
    return True
