"""``otel-resource``: see what this package detects and predicts."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from .detection import DetectionReport, run_detection
from .entities.flag import entity_merge_enabled
from .entities.resource import entities_of, entity_to_dict


def _report_document(report: DetectionReport) -> dict[str, object]:
    return {
        "entity_merge_enabled": entity_merge_enabled(),
        "resource": {
            "attributes": dict(report.resource.attributes),
            "schema_url": report.resource.schema_url,
            "entities": [entity_to_dict(entity) for entity in entities_of(report.resource)],
        },
        "detectors": [
            {
                "name": run.name,
                "outcome": run.outcome,
                "milliseconds": round(run.seconds * 1000, 3),
                "attributes": dict(run.resource.attributes),
                "schema_url": run.resource.schema_url,
                "entities": [entity_to_dict(entity) for entity in entities_of(run.resource)],
            }
            for run in report.runs
        ],
    }


def _format_value(value: object) -> str:
    return json.dumps(value, default=str) if not isinstance(value, str) else value


def _print_report(report: DetectionReport, out: TextIO) -> None:
    flag = "on" if entity_merge_enabled() else "off (set OTEL_EXPERIMENTAL_ENTITIES_ENABLED=true to turn it on)"
    out.write(f"Entity-aware merge: {flag}\n\nDetectors (in merge order, later wins)\n")
    for run in report.runs:
        found = run.outcome
        count = len(run.resource.attributes)
        if count:
            found = f"{count} attribute{'s' if count > 1 else ''}"
        if entities_of(run.resource):
            found += ", entities: " + ", ".join(entity.type for entity in entities_of(run.resource))
        out.write(f"  {run.name:<14} {run.seconds * 1000:8.2f} ms  {found}\n")
    entities = entities_of(report.resource)
    out.write("\nEntities on the resource\n")
    if not entities:
        out.write("  (none)\n")
    for entity in entities:
        out.write(f"  {entity.type}\n")
        for key, value in entity.id.items():
            out.write(f"    id           {key} = {_format_value(value)}\n")
        for key, value in entity.description.items():
            out.write(f"    description  {key} = {_format_value(value)}\n")
        if entity.schema_url:
            out.write(f"    schema URL   {entity.schema_url}\n")
    out.write("\nResource attributes\n")
    for key in sorted(report.resource.attributes):
        out.write(f"  {key} = {_format_value(report.resource.attributes[key])}\n")
    out.write(f"\nSchema URL: {report.resource.schema_url or '(none)'}\n")


def _detect(arguments: argparse.Namespace) -> int:
    report = run_detection()
    if arguments.json:
        json.dump(_report_document(report), sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        _print_report(report, sys.stdout)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="otel-resource",
        description="Show the OpenTelemetry resource this process would report, and its entities.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    detect = commands.add_parser("detect", help="detect this process's resource and show how it was found")
    detect.add_argument("--json", action="store_true", help="print one JSON document for scripts")
    detect.set_defaults(run=_detect)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    arguments = _parser().parse_args(argv)
    status: int = arguments.run(arguments)
    return status


if __name__ == "__main__":  # pragma: no cover - exercised through ``python -m``
    sys.exit(main())
