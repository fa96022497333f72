"""The semantic-convention attribute names and values the platform detectors write, as plain strings.

Importing the semantic-convention modules costs more start-up time than the
detection itself (the k8s, container and cloud modules several milliseconds);
these are their values, copied once. tests/test_attribute_names.py checks every
name here against the constant of the module named beside it.
"""

from __future__ import annotations

from typing import Final

# The module each group stands for (the test reads this).
SOURCES: Final = {
    "aws": "opentelemetry.semconv._incubating.attributes.aws_attributes",
    "cicd": "opentelemetry.semconv._incubating.attributes.cicd_attributes",
    "faas": "opentelemetry.semconv._incubating.attributes.faas_attributes",
    "gcp": "opentelemetry.semconv._incubating.attributes.gcp_attributes",
    "heroku": "opentelemetry.semconv._incubating.attributes.heroku_attributes",
    "k8s": "opentelemetry.semconv._incubating.attributes.k8s_attributes",
    "vcs": "opentelemetry.semconv._incubating.attributes.vcs_attributes",
}
DIRECT_SOURCES: Final = {
    "CLOUD_ACCOUNT_ID": "opentelemetry.semconv._incubating.attributes.cloud_attributes",
    "CLOUD_AVAILABILITY_ZONE": "opentelemetry.semconv._incubating.attributes.cloud_attributes",
    "CLOUD_PLATFORM": "opentelemetry.semconv._incubating.attributes.cloud_attributes",
    "CLOUD_PROVIDER": "opentelemetry.semconv._incubating.attributes.cloud_attributes",
    "CLOUD_REGION": "opentelemetry.semconv._incubating.attributes.cloud_attributes",
    "CLOUD_RESOURCE_ID": "opentelemetry.semconv._incubating.attributes.cloud_attributes",
    "CONTAINER_ID": "opentelemetry.semconv._incubating.attributes.container_attributes",
    "CONTAINER_IMAGE_NAME": "opentelemetry.semconv._incubating.attributes.container_attributes",
    "CONTAINER_IMAGE_TAGS": "opentelemetry.semconv._incubating.attributes.container_attributes",
    "CONTAINER_NAME": "opentelemetry.semconv._incubating.attributes.container_attributes",
    "DEPLOYMENT_ENVIRONMENT_NAME": "opentelemetry.semconv._incubating.attributes.deployment_attributes",
    "DEPLOYMENT_ID": "opentelemetry.semconv._incubating.attributes.deployment_attributes",
    "HOST_ID": "opentelemetry.semconv._incubating.attributes.host_attributes",
    "HOST_IMAGE_ID": "opentelemetry.semconv._incubating.attributes.host_attributes",
    "HOST_IMAGE_NAME": "opentelemetry.semconv._incubating.attributes.host_attributes",
    "HOST_NAME": "opentelemetry.semconv._incubating.attributes.host_attributes",
    "HOST_TYPE": "opentelemetry.semconv._incubating.attributes.host_attributes",
    "K8S_CLUSTER_NAME": "opentelemetry.semconv._incubating.attributes.k8s_attributes",
    "SERVICE_INSTANCE_ID": "opentelemetry.semconv._incubating.attributes.service_attributes",
    "SERVICE_NAME": "opentelemetry.semconv._incubating.attributes.service_attributes",
    "SERVICE_NAMESPACE": "opentelemetry.semconv._incubating.attributes.service_attributes",
    "SERVICE_VERSION": "opentelemetry.semconv._incubating.attributes.service_attributes",
    "CloudPlatformValues": "opentelemetry.semconv._incubating.attributes.cloud_attributes",
    "CloudProviderValues": "opentelemetry.semconv._incubating.attributes.cloud_attributes",
}

CLOUD_ACCOUNT_ID: Final = "cloud.account.id"
CLOUD_AVAILABILITY_ZONE: Final = "cloud.availability_zone"
CLOUD_PLATFORM: Final = "cloud.platform"
CLOUD_PROVIDER: Final = "cloud.provider"
CLOUD_REGION: Final = "cloud.region"
CLOUD_RESOURCE_ID: Final = "cloud.resource_id"
CONTAINER_ID: Final = "container.id"
CONTAINER_IMAGE_NAME: Final = "container.image.name"
CONTAINER_IMAGE_TAGS: Final = "container.image.tags"
CONTAINER_NAME: Final = "container.name"
DEPLOYMENT_ENVIRONMENT_NAME: Final = "deployment.environment.name"
DEPLOYMENT_ID: Final = "deployment.id"
HOST_ID: Final = "host.id"
HOST_IMAGE_ID: Final = "host.image.id"
HOST_IMAGE_NAME: Final = "host.image.name"
HOST_NAME: Final = "host.name"
HOST_TYPE: Final = "host.type"
K8S_CLUSTER_NAME: Final = "k8s.cluster.name"
SERVICE_INSTANCE_ID: Final = "service.instance.id"
SERVICE_NAME: Final = "service.name"
SERVICE_NAMESPACE: Final = "service.namespace"
SERVICE_VERSION: Final = "service.version"

# Names go-contrib's Azure detectors (and so the Collector's) report that the installed semantic
# conventions do not register yet (azure.resource_group.name only from 0.66b0 on): plain strings.
AZURE_RESOURCE_GROUP_NAME: Final = "azure.resource_group.name"
AZURE_APP_SERVICE_INSTANCE_ID: Final = "azure.app_service.instance.id"
AZURE_CONTAINER_APP_INSTANCE_ID: Final = "azure.container_app.instance.id"


class CloudPlatformValues:  # the enum's values, as plain strings
    AWS_EC2: Final = "aws_ec2"
    AWS_ECS: Final = "aws_ecs"
    AWS_EKS: Final = "aws_eks"
    AWS_LAMBDA: Final = "aws_lambda"
    AWS_ELASTIC_BEANSTALK: Final = "aws_elastic_beanstalk"
    AZURE_VM: Final = "azure.vm"
    AZURE_APP_SERVICE: Final = "azure.app_service"
    AZURE_FUNCTIONS: Final = "azure.functions"
    AZURE_CONTAINER_APPS: Final = "azure.container_apps"
    AZURE_AKS: Final = "azure.aks"
    GCP_COMPUTE_ENGINE: Final = "gcp_compute_engine"
    GCP_CLOUD_RUN: Final = "gcp_cloud_run"
    GCP_KUBERNETES_ENGINE: Final = "gcp_kubernetes_engine"
    GCP_CLOUD_FUNCTIONS: Final = "gcp_cloud_functions"
    GCP_APP_ENGINE: Final = "gcp_app_engine"


class CloudProviderValues:  # the enum's values, as plain strings
    AWS: Final = "aws"
    AZURE: Final = "azure"
    GCP: Final = "gcp"
    HEROKU: Final = "heroku"


class aws:  # noqa: N801 - named as the module alias it replaces
    """``aws_attributes``."""

    AWS_ECS_CLUSTER_ARN: Final = "aws.ecs.cluster.arn"
    AWS_ECS_CONTAINER_ARN: Final = "aws.ecs.container.arn"
    AWS_ECS_LAUNCHTYPE: Final = "aws.ecs.launchtype"
    AWS_ECS_TASK_ARN: Final = "aws.ecs.task.arn"
    AWS_ECS_TASK_FAMILY: Final = "aws.ecs.task.family"
    AWS_ECS_TASK_ID: Final = "aws.ecs.task.id"
    AWS_ECS_TASK_REVISION: Final = "aws.ecs.task.revision"
    AWS_LOG_GROUP_ARNS: Final = "aws.log.group.arns"
    AWS_LOG_GROUP_NAMES: Final = "aws.log.group.names"
    AWS_LOG_STREAM_ARNS: Final = "aws.log.stream.arns"
    AWS_LOG_STREAM_NAMES: Final = "aws.log.stream.names"


class cicd:  # noqa: N801 - named as the module alias it replaces
    """``cicd_attributes``."""

    CICD_PIPELINE_NAME: Final = "cicd.pipeline.name"
    CICD_PIPELINE_RUN_ID: Final = "cicd.pipeline.run.id"
    CICD_PIPELINE_RUN_URL_FULL: Final = "cicd.pipeline.run.url.full"
    CICD_PIPELINE_TASK_NAME: Final = "cicd.pipeline.task.name"
    CICD_PIPELINE_TASK_RUN_ID: Final = "cicd.pipeline.task.run.id"
    CICD_PIPELINE_TASK_RUN_URL_FULL: Final = "cicd.pipeline.task.run.url.full"
    CICD_WORKER_ID: Final = "cicd.worker.id"
    CICD_WORKER_NAME: Final = "cicd.worker.name"


class faas:  # noqa: N801 - named as the module alias it replaces
    """``faas_attributes``."""

    FAAS_INSTANCE: Final = "faas.instance"
    FAAS_MAX_MEMORY: Final = "faas.max_memory"
    FAAS_NAME: Final = "faas.name"
    FAAS_VERSION: Final = "faas.version"


class gcp:  # noqa: N801 - named as the module alias it replaces
    """``gcp_attributes``."""

    GCP_CLOUD_RUN_JOB_EXECUTION: Final = "gcp.cloud_run.job.execution"
    GCP_CLOUD_RUN_JOB_TASK_INDEX: Final = "gcp.cloud_run.job.task_index"


class heroku:  # noqa: N801 - named as the module alias it replaces
    """``heroku_attributes``."""

    HEROKU_APP_ID: Final = "heroku.app.id"
    HEROKU_RELEASE_COMMIT: Final = "heroku.release.commit"
    HEROKU_RELEASE_CREATION_TIMESTAMP: Final = "heroku.release.creation_timestamp"


class k8s:  # noqa: N801 - named as the module alias it replaces
    """``k8s_attributes``."""

    K8S_CLUSTER_UID: Final = "k8s.cluster.uid"
    K8S_CONTAINER_NAME: Final = "k8s.container.name"
    K8S_CRONJOB_NAME: Final = "k8s.cronjob.name"
    K8S_CRONJOB_UID: Final = "k8s.cronjob.uid"
    K8S_DAEMONSET_NAME: Final = "k8s.daemonset.name"
    K8S_DAEMONSET_UID: Final = "k8s.daemonset.uid"
    K8S_DEPLOYMENT_NAME: Final = "k8s.deployment.name"
    K8S_DEPLOYMENT_UID: Final = "k8s.deployment.uid"
    K8S_JOB_NAME: Final = "k8s.job.name"
    K8S_JOB_UID: Final = "k8s.job.uid"
    K8S_NAMESPACE_NAME: Final = "k8s.namespace.name"
    K8S_NODE_NAME: Final = "k8s.node.name"
    K8S_NODE_UID: Final = "k8s.node.uid"
    K8S_POD_NAME: Final = "k8s.pod.name"
    K8S_POD_UID: Final = "k8s.pod.uid"
    K8S_REPLICASET_NAME: Final = "k8s.replicaset.name"
    K8S_REPLICASET_UID: Final = "k8s.replicaset.uid"
    K8S_STATEFULSET_NAME: Final = "k8s.statefulset.name"
    K8S_STATEFULSET_UID: Final = "k8s.statefulset.uid"


class vcs:  # noqa: N801 - named as the module alias it replaces
    """``vcs_attributes``."""

    VCS_CHANGE_ID: Final = "vcs.change.id"
    VCS_OWNER_NAME: Final = "vcs.owner.name"
    VCS_PROVIDER_NAME: Final = "vcs.provider.name"
    VCS_REF_BASE_NAME: Final = "vcs.ref.base.name"
    VCS_REF_HEAD_NAME: Final = "vcs.ref.head.name"
    VCS_REF_HEAD_REVISION: Final = "vcs.ref.head.revision"
    VCS_REF_HEAD_TYPE: Final = "vcs.ref.head.type"
    VCS_REPOSITORY_NAME: Final = "vcs.repository.name"
    VCS_REPOSITORY_URL_FULL: Final = "vcs.repository.url.full"

    class VcsRefHeadTypeValues:  # the enum's values, as plain strings
        BRANCH: Final = "branch"
        TAG: Final = "tag"
