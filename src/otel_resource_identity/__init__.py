"""Resource detection, entities and predicted resource identity for the OpenTelemetry SDK.

Importing this package does nothing but define names: no I/O, no threads, no
environment variables read, nothing patched. Submodules load on first use of a
name, so ``import otel_resource_identity`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .detection import detect_resource as detect_resource
    from .detectors.aws.ec2 import AwsEc2Detector as AwsEc2Detector
    from .detectors.aws.ecs import AwsEcsDetector as AwsEcsDetector
    from .detectors.aws.elastic_beanstalk import AwsElasticBeanstalkDetector as AwsElasticBeanstalkDetector
    from .detectors.aws.lambda_function import AwsLambdaDetector as AwsLambdaDetector
    from .detectors.azure.paas import AzureAksDetector as AzureAksDetector
    from .detectors.azure.paas import AzureAppServiceDetector as AzureAppServiceDetector
    from .detectors.azure.paas import AzureContainerAppsDetector as AzureContainerAppsDetector
    from .detectors.azure.paas import AzureFunctionsDetector as AzureFunctionsDetector
    from .detectors.azure.vm import AzureVmDetector as AzureVmDetector
    from .detectors.cicd import CicdDetector as CicdDetector
    from .detectors.container import ContainerDetector as ContainerDetector
    from .detectors.env_entities import EnvEntitiesDetector as EnvEntitiesDetector
    from .detectors.gcp.app_engine import GcpAppEngineDetector as GcpAppEngineDetector
    from .detectors.gcp.cloud_run import GcpCloudRunDetector as GcpCloudRunDetector
    from .detectors.gcp.compute import GcpComputeDetector as GcpComputeDetector
    from .detectors.host import HostDetector as HostDetector
    from .detectors.kubernetes.detector import KubernetesDetector as KubernetesDetector
    from .detectors.paas import FlyDetector as FlyDetector
    from .detectors.paas import HerokuDetector as HerokuDetector
    from .detectors.paas import RailwayDetector as RailwayDetector
    from .detectors.paas import RenderDetector as RenderDetector
    from .detectors.paas import VercelDetector as VercelDetector
    from .detectors.platform import PlatformDetector as PlatformDetector
    from .detectors.vm_clouds import VmCloudDetector as VmCloudDetector
    from .entities.flag import disable_entity_merge as disable_entity_merge
    from .entities.flag import enable_entity_merge as enable_entity_merge
    from .entities.flag import entity_merge_enabled as entity_merge_enabled
    from .entities.merge import merge as merge
    from .entities.model import Entity as Entity
    from .entities.propagation import parse_entities as parse_entities
    from .entities.resource import entities_of as entities_of
    from .entities.resource import resource_from_entities as resource_from_entities
    from .identity.engine import ResourceIdentity as ResourceIdentity
    from .identity.engine import coalesce as coalesce
    from .identity.engine import predict as predict
    from .identity.rulesets import DEFAULT_RULESET as DEFAULT_RULESET
    from .identity.rulesets import RULESETS as RULESETS
    from .processors import ResourceIdentityLogRecordProcessor as ResourceIdentityLogRecordProcessor
    from .processors import ResourceIdentitySpanProcessor as ResourceIdentitySpanProcessor
    from .setup import configure as configure

# Public name -> the module that defines it.
_EXPORTS = {
    "Entity": ".entities.model",
    "entities_of": ".entities.resource",
    "resource_from_entities": ".entities.resource",
    "merge": ".entities.merge",
    "enable_entity_merge": ".entities.flag",
    "disable_entity_merge": ".entities.flag",
    "entity_merge_enabled": ".entities.flag",
    "parse_entities": ".entities.propagation",
    "EnvEntitiesDetector": ".detectors.env_entities",
    "PlatformDetector": ".detectors.platform",
    "KubernetesDetector": ".detectors.kubernetes.detector",
    "AwsEcsDetector": ".detectors.aws.ecs",
    "AwsElasticBeanstalkDetector": ".detectors.aws.elastic_beanstalk",
    "GcpAppEngineDetector": ".detectors.gcp.app_engine",
    "AwsEc2Detector": ".detectors.aws.ec2",
    "GcpComputeDetector": ".detectors.gcp.compute",
    "AzureVmDetector": ".detectors.azure.vm",
    "AzureAppServiceDetector": ".detectors.azure.paas",
    "AzureFunctionsDetector": ".detectors.azure.paas",
    "AzureContainerAppsDetector": ".detectors.azure.paas",
    "AzureAksDetector": ".detectors.azure.paas",
    "AwsLambdaDetector": ".detectors.aws.lambda_function",
    "GcpCloudRunDetector": ".detectors.gcp.cloud_run",
    "HerokuDetector": ".detectors.paas",
    "FlyDetector": ".detectors.paas",
    "RenderDetector": ".detectors.paas",
    "RailwayDetector": ".detectors.paas",
    "VercelDetector": ".detectors.paas",
    "VmCloudDetector": ".detectors.vm_clouds",
    "CicdDetector": ".detectors.cicd",
    "ContainerDetector": ".detectors.container",
    "HostDetector": ".detectors.host",
    "detect_resource": ".detection",
    "ResourceIdentitySpanProcessor": ".processors",
    "ResourceIdentityLogRecordProcessor": ".processors",
    "configure": ".setup",
    "predict": ".identity.engine",
    "ResourceIdentity": ".identity.engine",
    "coalesce": ".identity.engine",
    "RULESETS": ".identity.rulesets",
    "DEFAULT_RULESET": ".identity.rulesets",
}

__all__ = [
    "DEFAULT_RULESET",
    "RULESETS",
    "AwsEc2Detector",
    "AwsEcsDetector",
    "AwsElasticBeanstalkDetector",
    "AwsLambdaDetector",
    "AzureAksDetector",
    "AzureAppServiceDetector",
    "AzureContainerAppsDetector",
    "AzureFunctionsDetector",
    "AzureVmDetector",
    "CicdDetector",
    "ContainerDetector",
    "Entity",
    "EnvEntitiesDetector",
    "FlyDetector",
    "GcpAppEngineDetector",
    "GcpCloudRunDetector",
    "GcpComputeDetector",
    "HerokuDetector",
    "HostDetector",
    "KubernetesDetector",
    "PlatformDetector",
    "RailwayDetector",
    "RenderDetector",
    "ResourceIdentity",
    "ResourceIdentityLogRecordProcessor",
    "ResourceIdentitySpanProcessor",
    "VercelDetector",
    "VmCloudDetector",
    "coalesce",
    "configure",
    "detect_resource",
    "disable_entity_merge",
    "enable_entity_merge",
    "entities_of",
    "entity_merge_enabled",
    "merge",
    "parse_entities",
    "predict",
    "resource_from_entities",
]


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
