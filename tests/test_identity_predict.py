"""predict(), coalesce() and the id encoding: properties, golden vectors, the seed's EKS example."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from opentelemetry.sdk.resources import Resource

from otel_resource_identity import ResourceIdentity, coalesce, predict
from otel_resource_identity.identity import encoding
from otel_resource_identity.identity.engine import Alternatives

from conftest import clean_environment

GOLDEN = Path(__file__).resolve().parent / "golden" / "identity-v1.json"

# The seed's example: what Fluent Bit sets from the pod's log path, and what
# the SDK inside the same pod reports.
FLUENT_BIT = {
    "k8s.namespace.name": "shop",
    "k8s.pod.name": "checkout-api-7d9c5b8f6d-x2k4p",
    "k8s.pod.uid": "f57400dc-94ce-4806-a52e-d2726f448f15",
    "container.name": "api",
}
SDK = {
    "service.name": "checkout-api",
    "service.version": "1.42.0",
    "service.instance.id": "3c1e9f2a",
    "telemetry.sdk.language": "python",
    "telemetry.sdk.name": "opentelemetry",
    "telemetry.sdk.version": "1.45.2",
    "k8s.pod.name": "checkout-api-7d9c5b8f6d-x2k4p",
    "k8s.pod.uid": "f57400dc-94ce-4806-a52e-d2726f448f15",
    "k8s.namespace.name": "shop",
    "k8s.deployment.name": "checkout-api",
    "k8s.node.name": "ip-10-0-12-34.eu-west-1.compute.internal",
    "k8s.container.name": "api",
    "host.name": "ip-10-0-12-34.eu-west-1.compute.internal",
    "host.id": "i-0a1b2c3d4e5f67890",
    "cloud.provider": "aws",
    "cloud.platform": "aws_eks",
    "container.id": "44f639a16a22e394061fb35d2138ef9391c2131db9bf5ae742ef4e447e824887",
}


def test_the_seed_eks_example_coalesces_into_one_pod() -> None:
    agent, sdk = predict(FLUENT_BIT), predict(Resource(SDK))
    assert agent.id == sdk.id
    assert agent.type == sdk.type == "k8s.pod"
    assert agent.name == sdk.name == "checkout-api-7d9c5b8f6d-x2k4p"
    assert agent.rule == "k8s.pod.uid"
    assert agent.hash != sdk.hash
    combined = coalesce([FLUENT_BIT, SDK])
    assert combined["container.name"] == "api"
    assert combined["service.name"] == "checkout-api"


def test_ids_have_dash0s_format() -> None:
    identity = predict(SDK)
    for number in (identity.id, identity.hash):
        assert number.isdigit()
        assert 0 <= int(number) < 2**64
        assert number == str(int(number))


def test_values_are_typed() -> None:
    ids = {predict({"service.name": "s", "service.instance.id": value}).id for value in ("1", 1, 1.0, True)}
    assert len(ids) == 4


def test_arrays_compare_in_order() -> None:
    first = predict({"service.name": "s", "service.instance.id": "i", "tags": ["a", "b"]})
    same = predict({"service.name": "s", "service.instance.id": "i", "tags": ("a", "b")})
    swapped = predict({"service.name": "s", "service.instance.id": "i", "tags": ["b", "a"]})
    assert first.hash == same.hash != swapped.hash
    assert encoding.typed(["a", "b"]) != encoding.typed(["b", "a"])


def test_dash0_attributes_take_no_part_and_user_names_win() -> None:
    plain = predict(SDK)
    stamped = predict(
        {**SDK, "dash0.resource.id": "1", "dash0.resource.name": "my-pod", "dash0.resource.type": "custom"}
    )
    assert (stamped.id, stamped.hash) == (plain.id, plain.hash)
    assert (stamped.name, stamped.type) == ("my-pod", "custom")


def test_the_ruleset_setting_chooses_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    lambda_function = {
        "cloud.provider": "aws",
        "cloud.platform": "aws_lambda",
        "faas.instance": "x",
        "faas.name": "f",
        "cloud.account.id": "1",
        "cloud.region": "eu-west-1",
    }
    assert predict(lambda_function).rule == "aws.lambda.invocation"
    monkeypatch.setenv("RESOURCE_IDENTITY_RULESET", "dash0-2026-05")
    assert predict(lambda_function).rule == "aws.lambda.function"
    assert predict(lambda_function, ruleset="dash0-2026-04").rule == "aws.lambda.invocation"


def test_bad_input_says_what_to_fix() -> None:
    with pytest.raises(ValueError, match="unknown ruleset 'nope'; known: dash0-2026-04, dash0-2026-05"):
        predict({}, ruleset="nope")
    with pytest.raises(TypeError, match="Resource or a mapping"):
        predict(["not", "a", "mapping"])  # type: ignore[arg-type]


def test_values_that_are_not_attribute_values_are_left_out() -> None:
    # An SDK Resource accepts None and mapping values; predict() treats them as absent.
    plain = predict({"service.name": "shop"})
    assert predict({"service.name": "shop", "k": {"nested": 1}, "n": None, "s": {1, 2}}) == plain
    assert predict(Resource({"service.name": "shop", "k": None})) == plain


def test_identity_is_a_frozen_value() -> None:
    identity = predict(SDK)
    assert isinstance(identity, ResourceIdentity)
    with pytest.raises(AttributeError):
        identity.id = "0"  # type: ignore[misc]
    with pytest.raises(TypeError):
        identity.key["k8s.pod.uid"] = "x"  # type: ignore[index]


def test_coalesce_keeps_different_values() -> None:
    combined = coalesce([{**FLUENT_BIT, "team": "a"}, {**FLUENT_BIT, "team": "b"}, {**FLUENT_BIT, "team": "a"}])
    assert isinstance(combined["team"], Alternatives)
    assert tuple(combined["team"]) == ("a", "b")
    assert repr(combined["team"]) == "'a' OR 'b'"
    assert combined["k8s.pod.name"] == FLUENT_BIT["k8s.pod.name"]
    assert coalesce([]) == {}


def test_coalesce_refuses_different_resources() -> None:
    with pytest.raises(ValueError, match="different resources"):
        coalesce([FLUENT_BIT, {"host.name": "other"}])


def test_ids_are_the_same_in_every_process() -> None:
    code = "from otel_resource_identity import predict\nimport json,sys\nprint(predict(json.loads(sys.argv[1])).id)"
    seen = set()
    for seed in ("0", "1", "random"):
        env = clean_environment(PYTHONHASHSEED=seed)
        done = subprocess.run(
            [sys.executable, "-c", code, json.dumps(SDK)], env=env, capture_output=True, text=True, check=True
        )
        seen.add(done.stdout.strip())
    assert seen == {predict(SDK).id}


# Properties.

KEYS = st.sampled_from(
    [
        "k8s.pod.uid",
        "k8s.pod.name",
        "k8s.namespace.name",
        "k8s.deployment.name",
        "container.id",
        "host.name",
        "service.name",
        "service.instance.id",
        "cloud.provider",
        "faas.instance",
        "extra.a",
        "extra.b",
    ]
)
VALUES = st.one_of(st.text(max_size=5), st.integers(-5, 5), st.booleans(), st.floats(allow_nan=False, width=32))
ATTRIBUTES = st.dictionaries(KEYS, VALUES, max_size=8)
RULESET = st.sampled_from(["dash0-2026-04", "dash0-2026-05"])


@settings(max_examples=300, deadline=None)
@given(
    attributes=ATTRIBUTES,
    extra=st.dictionaries(st.sampled_from(["x.one", "x.two", "x.three"]), VALUES),
    ruleset=RULESET,
)
def test_extra_attributes_never_change_an_id_a_rule_decided(
    attributes: dict[str, object], extra: dict[str, object], ruleset: str
) -> None:
    identity = predict(attributes, ruleset=ruleset)
    if identity.rule in ("identity", "browser", "mobile"):
        return
    assert predict({**attributes, **extra}, ruleset=ruleset).id == identity.id


@settings(max_examples=300, deadline=None)
@given(left=ATTRIBUTES, right=ATTRIBUTES, ruleset=RULESET)
def test_two_sets_coalesce_iff_same_rule_and_same_key(
    left: dict[str, object], right: dict[str, object], ruleset: str
) -> None:
    a, b = predict(left, ruleset=ruleset), predict(right, ruleset=ruleset)
    same_key = a.rule == b.rule and encoding.id_input(a.rule, a.key) == encoding.id_input(b.rule, b.key)
    assert (a.id == b.id) == same_key


@settings(max_examples=200, deadline=None)
@given(attributes=ATTRIBUTES, ruleset=RULESET)
def test_attribute_order_never_matters(attributes: dict[str, object], ruleset: str) -> None:
    reordered = dict(reversed(list(attributes.items())))
    assert predict(attributes, ruleset=ruleset) == predict(reordered, ruleset=ruleset)


def test_no_two_rules_collide() -> None:
    # The same key values under different rules (every rule of both tables,
    # and identity) never give the same id: the rule is part of the id.
    from otel_resource_identity.identity.rulesets import BY_NAME

    rule_ids = {rule.id for ruleset in BY_NAME.values() for rule in ruleset.rules} | {"identity"}
    key = {"k": "same"}
    ids = {encoding.number(encoding.id_input(rule, key)) for rule in rule_ids}
    assert len(ids) == len(rule_ids) > 25


# Golden vectors: the encoding, reproducible in any language.


def test_golden_vectors() -> None:
    vectors = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert vectors["version"] == 1
    assert len(vectors["vectors"]) >= 20
    for vector in vectors["vectors"]:
        identity = predict(vector["attributes"], ruleset=vector["ruleset"])
        assert identity.id == vector["id"], vector["attributes"]
        assert identity.hash == vector["hash"]
        assert identity.name == vector["name"]
        assert identity.type == vector["type"]
        assert identity.rule == vector["rule"]
        assert encoding.id_input(identity.rule, identity.key).hex() == vector["id_input_hex"]


def test_encoding_edge_values() -> None:
    nan_a, nan_b = float("nan"), float("-nan")
    assert encoding.typed(nan_a) == encoding.typed(nan_b) == b"d" + bytes.fromhex("7ff8000000000000")
    assert encoding.typed(-0.0) == encoding.typed(0.0)
    assert encoding.typed(b"\x00\x01") == b"x\x00\x00\x00\x02\x00\x01"
    assert encoding.typed(2**64).startswith(b"I")
    assert predict({"service.name": "s", "service.instance.id": "i", "raw": b"\x01"}).rule == "service"


def test_browser_keys_take_what_is_set() -> None:
    minimal = predict({"telemetry.sdk.language": "webjs"})
    assert minimal.rule == "browser"
    assert dict(minimal.key) == {}
    configured = predict({"telemetry.sdk.language": "webjs", "browser.language": "de", "service.name": "web"})
    assert dict(configured.key) == {"browser.language": "de", "service.name": "web"}


def test_coalesce_compares_arrays_by_value() -> None:
    combined = coalesce(
        [{**FLUENT_BIT, "tags": ["a", "b"]}, {**FLUENT_BIT, "tags": ("a", "b")}, {**FLUENT_BIT, "tags": ["b"]}]
    )
    assert isinstance(combined["tags"], Alternatives)
    assert len(combined["tags"]) == 2
