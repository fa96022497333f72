"""``AwsLambdaDetector``: the function, from Lambda's reserved environment variables.

Signalled by ``AWS_LAMBDA_FUNCTION_NAME`` (set for every runtime, OS-only
``provided`` ones included, unlike ``AWS_EXECUTION_ENV``), unless ``VERCEL`` is
set: Vercel functions run on Lambda but are Vercel's. SnapStart functions have
no log group or stream variables; they are simply left out. The account id,
which the environment does not carry, is read from the file the OpenTelemetry
Lambda extension leaves at ``/tmp/.otel-aws-account-id`` when it is there.
No network calls.
"""

from __future__ import annotations

import os
import re

from opentelemetry.sdk.resources import Resource

from ..._settings import warn_once
from .. import _signals
from .._base import BaseDetector
from .._emit import detected
from .._names import (
    CLOUD_ACCOUNT_ID,
    CLOUD_PLATFORM,
    CLOUD_PROVIDER,
    CLOUD_REGION,
    CLOUD_RESOURCE_ID,
    SERVICE_NAME,
    SERVICE_VERSION,
    CloudPlatformValues,
    CloudProviderValues,
    aws,
    faas,
)
from ..inputs.environ import INT64_MAX, whole_number
from ..inputs.files import read_text, under_root

ACCOUNT_ID_FILE = "/tmp/.otel-aws-account-id"
_ACCOUNT = re.compile(r"\d{12}")
_MEBIBYTE = 1024 * 1024


def partition_of(region: str) -> str:
    """The ARN partition a region belongs to."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def _account_id(root: str) -> str | None:
    # The extension writes a symbolic link whose target is the account id
    # (cheap to create, nothing to parse); a plain file with the id works too.
    path = under_root(root, ACCOUNT_ID_FILE)
    try:
        text = os.readlink(path)
    except OSError:
        text = read_text(root, ACCOUNT_ID_FILE, limit=64) or ""
    text = text.strip()
    if _ACCOUNT.fullmatch(text):
        return text
    if text or os.path.lexists(path):
        warn_once(("file", path), "%s does not hold a 12-digit AWS account id; skipped it", path)
    return None


class AwsLambdaDetector(BaseDetector):
    """A Lambda function: ``faas.*``, ``cloud.*``, ``aws.log.*``."""

    def applies(self) -> bool:
        return _signals.aws_lambda(self.environ, self.root)

    def detect(self) -> Resource:
        if not self.applies():
            return Resource.get_empty()
        environ = self.environ
        name = environ["AWS_LAMBDA_FUNCTION_NAME"].strip()
        region = environ.get("AWS_REGION", "").strip() or environ.get("AWS_DEFAULT_REGION", "").strip()
        version = environ.get("AWS_LAMBDA_FUNCTION_VERSION", "").strip()
        group = environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "").strip()
        stream = environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "").strip()
        found: dict[str, object] = {
            CLOUD_PROVIDER: CloudProviderValues.AWS,
            CLOUD_PLATFORM: CloudPlatformValues.AWS_LAMBDA,
            CLOUD_REGION: region,
            faas.FAAS_NAME: name,
            faas.FAAS_VERSION: version,
            # As the OpenTelemetry Lambda layer defaults OTEL_SERVICE_NAME; the version only when it is
            # a published one ($LATEST names no version of the code).
            SERVICE_NAME: name,
            SERVICE_VERSION: version if version.isdigit() else None,
            faas.FAAS_INSTANCE: stream,
            faas.FAAS_MAX_MEMORY: self._memory_bytes(),
            aws.AWS_LOG_GROUP_NAMES: [group] if group else None,
            aws.AWS_LOG_STREAM_NAMES: [stream] if stream else None,
        }
        account = _account_id(self.root)
        if account and region:
            partition = partition_of(region)
            function_arn = f"arn:{partition}:lambda:{region}:{account}:function:{name}"
            if version.isdigit():
                function_arn += f":{version}"
            found[CLOUD_ACCOUNT_ID] = account
            found[CLOUD_RESOURCE_ID] = function_arn
            if group:  # the group's ARN without ":*", as on ECS (see ecs.py)
                found[aws.AWS_LOG_GROUP_ARNS] = [f"arn:{partition}:logs:{region}:{account}:log-group:{group}"]
        return detected(found, source="the Lambda runtime environment", environ=self.environ)

    def _memory_bytes(self) -> int | None:
        megabytes = whole_number(
            self.environ,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            maximum=INT64_MAX // _MEBIBYTE,
            what=faas.FAAS_MAX_MEMORY,
        )
        return None if megabytes is None else megabytes * _MEBIBYTE
