"""``HerokuDetector``: the dyno, mapped as the semantic conventions prescribe.

``DYNO`` is set in every dyno, so it is the presence signal; the richer
``HEROKU_*`` variables exist only once the app has dyno metadata enabled
(``heroku labs:enable runtime-dyno-metadata``). Without them the detector
still reports ``cloud.provider=heroku`` and says, once, how to get the rest.
Config vars (``DATABASE_URL`` and friends) are never read.
"""

from __future__ import annotations

import logging

from opentelemetry.sdk.resources import Resource

from . import _signals
from ._base import BaseDetector
from ._emit import detected
from ._names import (
    CLOUD_PROVIDER,
    SERVICE_INSTANCE_ID,
    SERVICE_NAME,
    SERVICE_VERSION,
    CloudProviderValues,
    heroku,
)

_logger = logging.getLogger(__name__)

# The semantic conventions' mapping, variable -> attribute.
MAPPING: tuple[tuple[str, str], ...] = (
    ("HEROKU_APP_ID", heroku.HEROKU_APP_ID),
    ("HEROKU_APP_NAME", SERVICE_NAME),
    ("HEROKU_DYNO_ID", SERVICE_INSTANCE_ID),
    ("HEROKU_RELEASE_CREATED_AT", heroku.HEROKU_RELEASE_CREATION_TIMESTAMP),
    ("HEROKU_RELEASE_VERSION", SERVICE_VERSION),
    ("HEROKU_SLUG_COMMIT", heroku.HEROKU_RELEASE_COMMIT),
)


class HerokuDetector(BaseDetector):
    """A Heroku dyno: ``cloud.provider``, ``heroku.*``, ``service.*``."""

    def applies(self) -> bool:
        return _signals.heroku(self.environ, self.root)

    def detect(self) -> Resource:
        if not self.applies():
            return Resource.get_empty()
        environ = self.environ
        found: dict[str, object] = {CLOUD_PROVIDER: CloudProviderValues.HEROKU}
        for variable, attribute in MAPPING:
            found[attribute] = environ.get(variable, "").strip()
        if not environ.get("HEROKU_APP_ID"):
            _logger.warning(
                "Heroku: dyno metadata is off, so the app and dyno ids are unknown; "
                "run 'heroku labs:enable runtime-dyno-metadata' and deploy again"
            )
        return detected(found, source="the dyno's variables", environ=self.environ)
