"""``otel-resource``: see what this package detects and predicts."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO, cast

from ._terminal import TerminalStream, visible
from .detection import DetectionReport, run_detection
from .entities.flag import entity_merge_enabled
from .entities.model import Entity, same_value
from .entities.resource import entities_of, entity_to_dict
from .entities.wire import entity_refs
from .identity.encoding import is_attribute_value
from .identity.engine import ResourceIdentity, Verdict, explain
from .identity.rulesets import RULESETS

if TYPE_CHECKING:
    from opentelemetry.sdk.resources import Resource


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


def _write_outside(resource: Resource, entities: Sequence[Entity], out: TextIO) -> None:
    """The attributes outside every entity (identifying, by the data model), each with why."""
    from .entities.outside import why_outside  # noqa: PLC0415 - only for this report

    owned = {key for entity in entities for key in entity.keys}
    outside = sorted(key for key in resource.attributes if key not in owned)
    out.write("\nOutside every entity (identifying by the data model; docs/entities.md)\n")
    if not outside:
        out.write("  (none)\n")
    for key in outside:
        out.write(f"  {visible(key):<26} {visible(why_outside(key))}\n")


def _write_identity(identity: ResourceIdentity, out: TextIO, indent: str = "") -> None:
    out.write(f"{indent}id       {identity.id}\n")
    out.write(f"{indent}hash     {identity.hash}\n")
    out.write(f"{indent}name     {visible(identity.name) if identity.name is not None else '(none)'}\n")
    out.write(f"{indent}type     {visible(identity.type) if identity.type is not None else '(none)'}\n")
    out.write(f"{indent}rule     {identity.rule} ({identity.ruleset})\n")
    for number, (key, value) in enumerate(identity.key.items()):
        label = "key     " if number == 0 else "        "
        out.write(f"{indent}{label} {visible(key)} = {_typed(value)}\n")


def _report_document(report: DetectionReport) -> dict[str, object]:
    return {
        "entity_merge_enabled": entity_merge_enabled(),
        "identity": _identity_document(explain(report.resource)[0]),
        "entity_refs": entity_refs(report.resource),
        "sources": report.sources(),
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
                "within": run.within or None,
                "attributes": dict(run.resource.attributes),
                "schema_url": run.resource.schema_url,
                "entities": [entity_to_dict(entity) for entity in entities_of(run.resource)],
            }
            for run in report.runs
        ],
    }


def _format_value(value: object) -> str:
    """A value as it reads in a listing: strings plain (what a terminal would act on escaped), anything
    else as JSON."""
    return json.dumps(value, default=str) if not isinstance(value, str) else visible(value)


def _typed(value: object) -> str:
    """A value where its type decides (keys, differing values): as JSON, so ``"3"`` and ``3`` differ."""
    return visible(json.dumps(value, default=str, ensure_ascii=False))


def _print_report(report: DetectionReport, out: TextIO) -> None:
    merging = entity_merge_enabled()
    flag = "on" if merging else "off (set OTEL_EXPERIMENTAL_ENTITIES_ENABLED=true to turn it on)"
    out.write(f"Entity-aware merge: {flag}\n\nDetectors (in merge order, later wins)\n")
    for run in report.runs:
        found = run.outcome
        count = len(run.resource.attributes)
        if count:
            found = f"{count} attribute{'s' if count > 1 else ''}"
        if entities_of(run.resource):
            found += ", entities: " + ", ".join(entity.type for entity in entities_of(run.resource))
        label = f"  {run.name}" if run.within else run.name
        out.write(f"  {label:<26} {run.seconds * 1000:8.2f} ms  {found}\n")
    entities = entities_of(report.resource)
    out.write("\nEntities on the resource\n")
    if not entities:
        out.write(
            "  (none)\n"
            if merging
            else "  (none: with the flag off the SDK's plain merge keeps no entities; the rows above show\n"
            "   what each detector found)\n"
        )
    for entity in entities:
        out.write(f"  {visible(entity.type)}\n")
        for key, value in entity.id.items():
            out.write(f"    id           {visible(key)} = {_format_value(value)}\n")
        for key, value in entity.description.items():
            out.write(f"    description  {visible(key)} = {_format_value(value)}\n")
        if entity.schema_url:
            out.write(f"    schema URL   {visible(entity.schema_url)}\n")
    if merging:
        _write_outside(report.resource, entities, out)
    out.write("\nResource attributes\n")
    for key in sorted(report.resource.attributes):
        out.write(f"  {visible(key)} = {_format_value(report.resource.attributes[key])}\n")
    sources = report.sources()
    if sources:
        out.write("\nWhere they came from\n")
        for key, source in sources.items():
            out.write(f"  {visible(key):<26} {visible(source)}\n")
    out.write(f"\nSchema URL: {visible(report.resource.schema_url) or '(none)'}\n")
    out.write(
        "\nPredicted identity (a prediction of Dash0's grouping: resources Dash0 would coalesce share the id;\n"
        "the number itself is not the one Dash0 shows)\n"
    )
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
            raise UsageError(
                f"{key}:= needs a JSON value (a number, true/false, a string in quotes, a list); got {literal!r}"
            ) from None
    elif "=" in text:
        key, _, value = text.partition("=")
    else:
        raise UsageError(f"{text!r} is not KEY=VALUE (a string) or KEY:=JSON (typed)")
    if not key:
        raise UsageError(f"{text!r} has an empty key")
    return key, value


_PAIR_START = re.compile(r"[^,=:]+:?=")


def _split_pairs(text: str) -> list[str]:
    """``KEY=VALUE,KEY=VALUE`` split at the commas that start a new pair: ``k=a,b`` is one value ``a,b``."""
    pairs: list[str] = []
    for part in text.split(","):
        if pairs and not _PAIR_START.match(part):
            pairs[-1] += "," + part
        elif part:
            pairs.append(part)
    return pairs


# The most the command line reads from one file or standard input: attribute sets are small, and
# a device that never ends (/dev/zero) or a file of gigabytes must not exhaust the memory.
INPUT_LIMIT = 8 * 1024 * 1024


def read_input(source: str) -> str:
    """The text of the file ``source`` (``-``: standard input), at most ``INPUT_LIMIT`` bytes.

    The command line's one reader: pipes, FIFOs and process substitution
    (``/dev/fd/N``) are read to their end, as long as that end comes within
    the limit; anything longer is refused in one line.
    """
    where = "standard input" if source == "-" else source
    try:
        if source != "-":
            with Path(source).open("rb") as handle:
                data = handle.read(INPUT_LIMIT + 1)
        elif hasattr(sys.stdin, "buffer"):
            data = sys.stdin.buffer.read(INPUT_LIMIT + 1)
        else:  # a text stream put in place of standard input (an embedding application, a test)
            data = sys.stdin.read(INPUT_LIMIT + 1).encode("utf-8", "surrogateescape")
        if len(data) > INPUT_LIMIT:
            raise UsageError(f"{where} is larger than {INPUT_LIMIT // (1024 * 1024)} MiB, the most otel-resource reads")
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        reason = problem.strerror if isinstance(problem, OSError) and problem.strerror else "not UTF-8 text"
        hint = "" if source == "-" else " (give KEY=VALUE pairs, or a JSON file)"
        raise UsageError(f"cannot read {where}: {reason}{hint}") from None


def _read_attributes(source: str) -> dict[str, object]:
    where = "standard input" if source == "-" else source
    text = read_input(source)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as problem:
        raise UsageError(
            f"{where} is not JSON: {problem.msg} at line {problem.lineno}, column {problem.colno}"
        ) from None
    except RecursionError:
        raise UsageError(f"{where} is nested too deeply") from None
    if isinstance(document, dict) and isinstance(document.get("attributes"), dict):
        document = document["attributes"]  # also accept a Resource's to_json()
    if not isinstance(document, dict):
        raise UsageError(f"{where} must hold a JSON object of attributes, not {type(document).__name__}")
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
    """A file of JSON attributes (``-``: standard input), or inline KEY=VALUE pairs separated by commas."""
    if argument == "-" or os.path.exists(argument) or "=" not in argument:
        return _checked(_read_attributes(argument), "standard input" if argument == "-" else argument)
    return _checked(dict(_parse_pair(pair) for pair in _split_pairs(argument)), "the attributes")


def _predict(arguments: argparse.Namespace) -> int:
    sources: list[str] = list(arguments.attributes)
    as_json = arguments.json is True or arguments.output == "json"
    if isinstance(arguments.json, str):  # the older form: --json FILE
        sources.append(arguments.json)
        as_json = True
    files = [source for source in sources if source == "-" or "=" not in source]
    if files and len(sources) > 1:
        raise UsageError("give KEY=VALUE pairs or one FILE, not both")
    if files:
        attributes = _attribute_set(files[0])
    elif sources:
        attributes = _checked(dict(_parse_pair(pair) for pair in sources), "the attributes")
    else:
        raise UsageError("give the attributes as KEY=VALUE pairs, or a JSON FILE ('-' for standard input)")
    identity, verdicts = explain(attributes, ruleset=arguments.ruleset)
    tried = [verdict for verdict in verdicts if verdict.reason]
    if as_json:
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
        out.write(f"  {verdict.rule:<40} {visible(verdict.reason)}\n")


def _differences(sets: list[dict[str, object]]) -> tuple[dict[str, list[object]], list[str]]:
    """Keys every set has with different (typed) values, and keys that are not in every set."""
    every = set(sets[0]).intersection(*sets[1:])
    differing = {}
    for key in sorted(every):
        values: list[object] = []
        for attributes in sets:
            if not any(same_value(attributes[key], seen) for seen in values):
                values.append(attributes[key])
        if len(values) > 1:
            differing[key] = values
    partial = sorted(set().union(*sets) - every)
    return differing, partial


def _compare(arguments: argparse.Namespace) -> int:
    sets = [_attribute_set(argument) for argument in arguments.sets]
    if len(sets) < 2:
        raise UsageError("compare needs at least two attribute sets")
    identities = [explain(attributes, ruleset=arguments.ruleset)[0] for attributes in sets]
    together = len({identity.id for identity in identities}) == 1
    differing, partial = _differences(sets)
    if arguments.output == "json":
        json.dump(
            {
                "coalesce": together,
                "identities": [_identity_document(identity) for identity in identities],
                "differing": differing,
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
        key = ", ".join(f"{visible(name)} = {_typed(value)}" for name, value in first.key.items())
        out.write(f"These {len(sets)} attribute sets coalesce: rule {first.rule}, key {key}\n")
        out.write(f"  id {first.id}, type {visible(first.type or '(none)')}, name {visible(first.name or '(none)')}\n")
        heading = "Keys with different values (the coalesced resource keeps them all)"
    else:
        out.write(f"These {len(sets)} attribute sets are different resources\n")
        for number, identity in enumerate(identities, start=1):
            out.write(f"\n#{number}\n")
            _write_identity(identity, out, indent="  ")
        heading = "Keys with different values"
    if differing:
        out.write(f"\n{heading}\n")
        for name, values in differing.items():
            out.write(f"  {visible(name)}: {' OR '.join(_typed(value) for value in values)}\n")
    if partial:
        out.write("\nKeys not in every set\n  " + ", ".join(visible(key) for key in partial) + "\n")
    return 0 if together else 1


class _Parser(argparse.ArgumentParser):
    """Bad usage is one line on standard error (and the hint to ``--help``), exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"otel-resource: error: {message} (see {self.prog} --help)\n")


_DESCRIPTION = """\
See the OpenTelemetry resource this process would report, and the identity Dash0 would give it.

commands:
  detect    detect this process's resource: each detector with its timing, the entities,
            the attributes and the predicted identity
  predict   the predicted dash0.resource.id, .name and .type of an attribute set, the rule
            and key that decided, and why each rule above it did not
  compare   whether attribute sets coalesce into one resource, by which rule and key,
            and which keys differ
"""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415 - only for --version

    try:
        return version("opentelemetry-resource-identity")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without installing
        return "unknown"


def _parser() -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = _Parser(prog="otel-resource", description=_DESCRIPTION, formatter_class=formatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    detect = commands.add_parser(
        "detect",
        help="detect this process's resource and show how it was found",
        description="Detect this process's resource as the SDK would (its own detectors, this package's, "
        "then OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME), and show each detector's result and timing, "
        "the entities, the attributes and the predicted identity.",
    )
    detect.add_argument("--json", action="store_true", help="print one JSON document for scripts")
    detect.set_defaults(run=_detect)

    rulesets = ", ".join(RULESETS)
    predict = commands.add_parser(
        "predict",
        help="the predicted dash0.resource.id/name/type of an attribute set, and why",
        description="Predict the dash0.resource.id, .name and .type of an attribute set: the rule and key "
        "that decided, and why each rule of higher precedence did not match. KEY=VALUE gives a string "
        "(a comma in the value is fine), KEY:=JSON a typed value (count:=3, on:=true, tags:='[\"a\"]'); "
        "or give one JSON FILE of attributes ('-' for standard input; a Resource's to_json() works too).",
    )
    predict.add_argument("attributes", nargs="*", metavar="KEY=VALUE|FILE", help="the attributes, or a JSON file")
    predict.add_argument(
        "--json",
        nargs="?",
        const=True,
        default=False,
        metavar="FILE",
        help="print JSON for scripts (the older form --json FILE also reads FILE)",
    )
    predict.add_argument("--output", choices=("text", "json"), default="text", help=argparse.SUPPRESS)
    predict.add_argument(
        "--ruleset", choices=RULESETS, default=None, metavar="NAME", help=f"the rule table: {rulesets}"
    )
    predict.set_defaults(run=_predict)

    compare = commands.add_parser(
        "compare",
        help="do these attribute sets coalesce, by which rule, what differs",
        description="Tell whether attribute sets coalesce into one resource (exit status 0) or are different "
        "resources (1), by which rule and key, which keys have different values and which are not in every "
        "set. Each SET is a JSON file of attributes ('-' for standard input) or KEY=VALUE,KEY:=JSON,...",
    )
    compare.add_argument("sets", nargs="+", metavar="SET", help="a JSON file of attributes, or KEY=VALUE,KEY=VALUE")
    compare.add_argument("--json", dest="output", action="store_const", const="json", help="print JSON for scripts")
    compare.add_argument("--output", choices=("text", "json"), default="text", help=argparse.SUPPRESS)
    compare.add_argument(
        "--ruleset", choices=RULESETS, default=None, metavar="NAME", help=f"the rule table: {rulesets}"
    )
    compare.set_defaults(run=_compare)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 with one line on stderr for bad input)."""
    # Everything the command writes, help and errors included, goes through the terminal filter.
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = cast("TextIO", TerminalStream(stdout)), cast("TextIO", TerminalStream(stderr))
    try:
        return _run(argv)
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def _run(argv: Sequence[str] | None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    try:
        status: int = arguments.run(arguments)
        sys.stdout.flush()
    except (UsageError, ValueError, TypeError) as problem:
        sys.stderr.write(f"otel-resource: error: {visible(str(problem))}\n")
        return 2
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly. Standard output is
        # pointed at devnull so the interpreter's final flush cannot fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return status


if __name__ == "__main__":  # pragma: no cover - exercised through ``python -m``
    sys.exit(main())
