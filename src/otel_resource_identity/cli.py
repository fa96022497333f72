"""``otel-resource``: see what this package detects and predicts."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .detection import DetectionReport, run_detection
from .entities.flag import entity_merge_enabled
from .entities.resource import entities_of, entity_to_dict
from .entities.wire import entity_refs
from .identity.encoding import is_attribute_value
from .identity.engine import Alternatives, ResourceIdentity, Verdict, coalesce, explain
from .identity.rulesets import RULESETS


class UsageError(Exception):
    """Bad input: reported as one line, exit status 2."""


def _identity_document(identity: ResourceIdentity) -> dict[str, object]:
    return {
        "id": identity.id,
        "hash": identity.hash,
        "name": identity.name,
        "type": identity.type,
        "rule": identity.rule,
        "ruleset": identity.ruleset,
        "key": dict(identity.key),
    }


def _write_identity(identity: ResourceIdentity, out: TextIO, indent: str = "") -> None:
    out.write(f"{indent}id       {identity.id}\n")
    out.write(f"{indent}hash     {identity.hash}\n")
    out.write(f"{indent}name     {identity.name if identity.name is not None else '(none)'}\n")
    out.write(f"{indent}type     {identity.type if identity.type is not None else '(none)'}\n")
    out.write(f"{indent}rule     {identity.rule} ({identity.ruleset})\n")
    for number, (key, value) in enumerate(identity.key.items()):
        label = "key     " if number == 0 else "        "
        out.write(f"{indent}{label} {key} = {_format_value(value)}\n")


def _report_document(report: DetectionReport) -> dict[str, object]:
    return {
        "entity_merge_enabled": entity_merge_enabled(),
        "identity": _identity_document(explain(report.resource)[0]),
        "entity_refs": entity_refs(report.resource),
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
    out.write("\nPredicted identity\n")
    _write_identity(explain(report.resource)[0], out, indent="  ")


def _detect(arguments: argparse.Namespace) -> int:
    report = run_detection()
    if arguments.json:
        json.dump(_report_document(report), sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        _print_report(report, sys.stdout)
    return 0


def _parse_pair(text: str) -> tuple[str, object]:
    if ":=" in text and text.index(":=") < text.find("=") + 1:
        key, _, literal = text.partition(":=")
        try:
            value: object = json.loads(literal)
        except ValueError:
            raise UsageError(f"{key}:= needs a JSON value (a number, true/false, a string in quotes, a list)") from None
    elif "=" in text:
        key, _, value = text.partition("=")
    else:
        raise UsageError(f"{text!r} is not KEY=VALUE (a string) or KEY:=JSON (typed)")
    if not key:
        raise UsageError(f"{text!r} has an empty key")
    return key, value


def _read_attributes(source: str) -> dict[str, object]:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as problem:
        raise UsageError(f"cannot read {source}: {problem.strerror or problem}") from None
    try:
        document = json.loads(text)
    except ValueError:
        raise UsageError(f"{source} is not JSON") from None
    if isinstance(document, dict) and isinstance(document.get("attributes"), dict):
        document = document["attributes"]  # also accept a Resource's to_json()
    if not isinstance(document, dict):
        raise UsageError(f"{source} must hold a JSON object of attributes")
    return document


def _checked(attributes: dict[str, object], source: str) -> dict[str, object]:
    for key, value in attributes.items():
        if not is_attribute_value(value):
            kind = "null" if value is None else type(value).__name__
            raise UsageError(
                f"{source}: {key!r} holds {kind}, which is not an attribute value "
                "(a string, number, boolean, or a list of them)"
            )
    return attributes


def _attribute_set(argument: str) -> dict[str, object]:
    """A file of JSON attributes, or inline KEY=VALUE pairs separated by commas."""
    if argument == "-" or os.path.exists(argument) or "=" not in argument:
        return _checked(_read_attributes(argument), argument)
    return _checked(dict(_parse_pair(pair) for pair in argument.split(",") if pair), "the attributes")


def _predict(arguments: argparse.Namespace) -> int:
    if arguments.json and arguments.pairs:
        raise UsageError("give KEY=VALUE pairs or --json FILE, not both")
    if arguments.json:
        attributes = _checked(_read_attributes(arguments.json), arguments.json)
    elif arguments.pairs:
        attributes = _checked(dict(_parse_pair(pair) for pair in arguments.pairs), "the attributes")
    else:
        raise UsageError("give the attributes as KEY=VALUE pairs, or --json FILE")
    identity, verdicts = explain(attributes, ruleset=arguments.ruleset)
    tried = [verdict for verdict in verdicts if verdict.reason]
    if arguments.json or arguments.output == "json":
        document = _identity_document(identity)
        document["not_matched"] = [{"rule": verdict.rule, "because": verdict.reason} for verdict in tried]
        json.dump(document, sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
        return 0
    _write_identity(identity, sys.stdout)
    _write_verdicts(tried, sys.stdout)
    return 0


def _write_verdicts(tried: list[Verdict], out: TextIO) -> None:
    if tried:
        out.write("\nRules with higher precedence that did not match\n")
    for verdict in tried:
        out.write(f"  {verdict.rule:<40} {verdict.reason}\n")


def _compare(arguments: argparse.Namespace) -> int:
    sets = [_attribute_set(argument) for argument in arguments.sets]
    if len(sets) < 2:
        raise UsageError("compare needs at least two attribute sets")
    identities = [explain(attributes, ruleset=arguments.ruleset)[0] for attributes in sets]
    together = len({identity.id for identity in identities}) == 1
    combined = coalesce(sets, ruleset=arguments.ruleset) if together else {}
    differing = {key: value for key, value in combined.items() if isinstance(value, Alternatives)}
    partial = sorted(key for key in combined if sum(key in attributes for attributes in sets) < len(sets))
    if arguments.output == "json":
        json.dump(
            {
                "coalesce": together,
                "identities": [_identity_document(identity) for identity in identities],
                "differing": {key: list(value) for key, value in differing.items()},
                "not_in_every_set": partial,
            },
            sys.stdout,
            indent=2,
            default=str,
        )
        sys.stdout.write("\n")
        return 0 if together else 1
    out = sys.stdout
    if together:
        first = identities[0]
        key = ", ".join(f"{name} = {_format_value(value)}" for name, value in first.key.items())
        out.write(f"These {len(sets)} attribute sets coalesce: rule {first.rule}, key {key}\n")
        out.write(f"  id {first.id}, type {first.type or '(none)'}, name {first.name or '(none)'}\n")
        if differing:
            out.write("\nKeys with different values (the coalesced resource keeps them all)\n")
            for name, values in differing.items():
                out.write(f"  {name}: {' OR '.join(_format_value(value) for value in values)}\n")
        if partial:
            out.write("\nKeys not in every set\n  " + ", ".join(partial) + "\n")
        return 0
    out.write(f"These {len(sets)} attribute sets are different resources\n")
    for number, identity in enumerate(identities, start=1):
        out.write(f"\n#{number}\n")
        _write_identity(identity, out, indent="  ")
    return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="otel-resource",
        description="Show the OpenTelemetry resource this process would report, and its entities.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    detect = commands.add_parser("detect", help="detect this process's resource and show how it was found")
    detect.add_argument("--json", action="store_true", help="print one JSON document for scripts")
    detect.set_defaults(run=_detect)

    predict = commands.add_parser(
        "predict", help="the predicted dash0.resource.id/name/type of an attribute set, and why"
    )
    predict.add_argument("pairs", nargs="*", metavar="KEY=VALUE", help="attributes (KEY:=JSON for typed values)")
    predict.add_argument("--json", metavar="FILE", help="read the attributes from a JSON file ('-': stdin); print JSON")
    predict.add_argument("--output", choices=("text", "json"), default="text", help="print JSON for scripts")
    predict.add_argument("--ruleset", choices=RULESETS, default=None, help="the rule table (default: dash0-2026-04)")
    predict.set_defaults(run=_predict)

    compare = commands.add_parser("compare", help="do these attribute sets coalesce, by which rule, what differs")
    compare.add_argument("sets", nargs="+", metavar="SET", help="a JSON file of attributes, or KEY=VALUE,KEY=VALUE")
    compare.add_argument("--output", choices=("text", "json"), default="text", help="print JSON for scripts")
    compare.add_argument("--json", dest="output", action="store_const", const="json", help="same as --output json")
    compare.add_argument("--ruleset", choices=RULESETS, default=None, help="the rule table (default: dash0-2026-04)")
    compare.set_defaults(run=_compare)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 with one line on stderr for bad input)."""
    parser = _parser()
    arguments = parser.parse_args(argv)
    try:
        status: int = arguments.run(arguments)
    except (UsageError, ValueError, TypeError) as problem:
        sys.stderr.write(f"otel-resource: error: {problem}\n")
        return 2
    return status


if __name__ == "__main__":  # pragma: no cover - exercised through ``python -m``
    sys.exit(main())
