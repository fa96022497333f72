"""Entities: the OpenTelemetry entity data model and the entity-aware Resource merge.

The public names live on the top-level package; these modules are its parts:
``model`` (the Entity value), ``resource`` (resources that carry entities),
``merge`` (the specification's merge), ``flag`` (the merge as ``Resource.merge``)
and ``propagation`` (``OTEL_ENTITIES``).
"""
