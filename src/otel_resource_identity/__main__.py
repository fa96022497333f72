"""``python -m otel_resource_identity`` is ``otel-resource``."""

import sys

from .cli import main

sys.exit(main())
