"""``OTEL_ENTITIES``: the grammar, the six error-handling rules, and the decisions."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otel_resource_identity import Entity, EnvEntitiesDetector, entities_of, parse_entities

SCHEMA = "https://opentelemetry.io/schemas/1.21.0"


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]


# The specification's examples.


def test_single_service_entity() -> None:
    assert parse_entities("service{service.name=my-app,service.instance.id=instance-1}[service.version=1.0.0]") == [
        Entity("service", {"service.name": "my-app", "service.instance.id": "instance-1"}, {"service.version": "1.0.0"})
    ]


def test_multiple_entities_with_schema_url() -> None:
    text = (
        f"service{{service.name=my-app,service.instance.id=instance-1}}[service.version=1.0.0]@{SCHEMA};"
        "host{host.id=host-123}[host.name=web-server-01]"
    )
    assert parse_entities(text) == [
        Entity(
            "service",
            {"service.name": "my-app", "service.instance.id": "instance-1"},
            {"service.version": "1.0.0"},
            SCHEMA,
        ),
        Entity("host", {"host.id": "host-123"}, {"host.name": "web-server-01"}),
    ]


def test_kubernetes_pod_and_minimal_entities() -> None:
    assert parse_entities("k8s.pod{k8s.pod.uid=pod-abc123}[k8s.pod.name=my-pod,k8s.pod.label.app=my-app]") == [
        Entity("k8s.pod", {"k8s.pod.uid": "pod-abc123"}, {"k8s.pod.name": "my-pod", "k8s.pod.label.app": "my-app"})
    ]
    assert parse_entities("service{service.name=minimal-app}") == [Entity("service", {"service.name": "minimal-app"})]
    assert parse_entities("container{container.id=cont-456};host{host.id=host-789}[host.name=docker-host]") == [
        Entity("container", {"container.id": "cont-456"}),
        Entity("host", {"host.id": "host-789"}, {"host.name": "docker-host"}),
    ]


def test_empty_segments_are_ignored_silently(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        result = parse_entities(";service{service.name=app1};;host{host.id=host-123};")
    assert [e.type for e in result] == ["service", "host"]
    assert _warnings(caplog) == []


def test_reserved_characters_are_percent_decoded() -> None:
    [entity] = parse_entities("service{service.name=my%2Capp,service.instance.id=inst-1}[config=key%3Dvalue%5Bprod%5D]")
    assert entity.id["service.name"] == "my,app"
    assert entity.description["config"] == "key=value[prod]"


@pytest.mark.parametrize(("text", "expected"), [("", []), ("   ", []), (None, [])])
def test_nothing_gives_nothing(text: str | None, expected: list[Entity]) -> None:
    assert parse_entities(text) == expected


# The six error-handling rules.


def test_rule_1_invalid_syntax_is_skipped_and_the_rest_kept(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        result = parse_entities("service{service.name=app1};invalid{syntax;other{other.id=x}")
    assert result == [Entity("service", {"service.name": "app1"}), Entity("other", {"other.id": "x"})]
    [warning] = _warnings(caplog)
    assert "entity 2 skipped" in warning


def test_rule_1_the_specification_example(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        result = parse_entities("service{service.name=app1};invalid{syntax;service{service.name=app2}")
    # The malformed middle is skipped; the two services then fall under rule 5.
    assert result == [Entity("service", {"service.name": "app2"})]
    assert any("entity 2 skipped" in w for w in _warnings(caplog))


@pytest.mark.parametrize(
    ("segment", "reason"),
    [
        ("service", "not of the form"),
        ("service{service.name=a", "not of the form"),
        ("service{service.name=a}}", "not of the form"),
        ("service{service.name=a}[x=1", "not of the form"),
        ("service{service.name=a}junk", "not of the form"),
        ("service{service.name}", "without '='"),
        ("service{service.name=a=b}", "%3D"),
        ("service{9key=a}", "must match"),
        ("service{=a}", "must match"),
        ("service{a=1,,b=2}", "without '='"),
        ("ser vice{a=1}", "must match"),
        ("1service{a=1}", "must match"),
        ("service{a=%ff}", "not valid UTF-8"),
        ("service{a=1}[a=2]", "both identifying and descriptive"),
    ],
)
def test_rule_1_malformed_segments_say_why(segment: str, reason: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        result = parse_entities(f"{segment};host{{host.id=h}}")
    assert result == [Entity("host", {"host.id": "h"})]
    [warning] = _warnings(caplog)
    assert warning.startswith("OTEL_ENTITIES: entity 1 skipped:")
    assert reason in warning


@pytest.mark.parametrize("segment", ["service{}", "{service.name=a}", "service{ }", "  {a=1}[b=2]"])
def test_rule_2_missing_type_or_identity_is_skipped(segment: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        result = parse_entities(f"{segment};host{{host.id=123}}")
    assert result == [Entity("host", {"host.id": "123"})]
    assert len(_warnings(caplog)) == 1


def test_rule_3_duplicates_keep_the_last(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        result = parse_entities("service{service.name=app1}[version=1.0];service{service.name=app1}[version=2.0]")
    assert result == [Entity("service", {"service.name": "app1"}, {"version": "2.0"})]
    [warning] = _warnings(caplog)
    assert "duplicate" in warning


def test_rule_4_an_invalid_schema_url_is_ignored_and_the_entity_kept(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        result = parse_entities(
            "service{service.name=app1}@invalid-url;host{host.id=h}@;x{x.id=1}@/relative/path;y{y.id=1}@http://[::1"
        )
    assert result == [
        Entity("service", {"service.name": "app1"}),
        Entity("host", {"host.id": "h"}),
        Entity("x", {"x.id": "1"}),
        Entity("y", {"y.id": "1"}),
    ]
    assert len(_warnings(caplog)) == 4
    assert all("schema URL" in w for w in _warnings(caplog))


def test_rule_5_same_type_other_identity_keeps_only_the_last(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        result = parse_entities("service{service.name=app1};service{service.name=app2}")
    assert result == [Entity("service", {"service.name": "app2"})]
    [warning] = _warnings(caplog)
    assert "another identity" in warning


def test_rule_6_a_conflicting_description_stays_with_the_last_entity(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        result = parse_entities("service{service.name=app1}[env=prod,v=1];host{host.id=h}[env=dev]")
    assert result == [
        Entity("service", {"service.name": "app1"}, {"v": "1"}),
        Entity("host", {"host.id": "h"}, {"env": "dev"}),
    ]
    [warning] = _warnings(caplog)
    assert "'env'" in warning


def test_a_shared_description_with_the_same_value_moves_silently(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        result = parse_entities("service{service.name=a}[env=prod];host{host.id=h}[env=prod]")
    assert result == [Entity("service", {"service.name": "a"}), Entity("host", {"host.id": "h"}, {"env": "prod"})]
    assert _warnings(caplog) == []


def test_a_later_entity_claiming_an_identifying_key_drops_the_earlier(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        result = parse_entities("service{service.name=a,host.id=h1};host{host.id=h2}")
    assert result == [Entity("host", {"host.id": "h2"})]
    assert "identifying ['host.id']" in _warnings(caplog)[0]


# Decisions the specification leaves open.


def test_whitespace_around_parts_is_ignored() -> None:
    text = "  service { service.name = app , x = 1 } [ v = 2 ] @ " + SCHEMA + " ; host{host.id=h} "
    assert parse_entities(text) == [
        Entity("service", {"service.name": "app", "x": "1"}, {"v": "2"}, SCHEMA),
        Entity("host", {"host.id": "h"}),
    ]


def test_empty_brackets_empty_values_and_plus_signs() -> None:
    assert parse_entities("service{service.name=a}[]") == [Entity("service", {"service.name": "a"})]
    assert parse_entities("service{service.name=a}[note=]") == [Entity("service", {"service.name": "a"}, {"note": ""})]
    # '+' stays a plus sign, as in W3C baggage (it is not a space).
    assert parse_entities("service{service.name=a+b}")[0].id["service.name"] == "a+b"


def test_a_repeated_key_in_one_block_keeps_the_last_value() -> None:
    assert parse_entities("service{service.name=a,service.name=b}") == [Entity("service", {"service.name": "b"})]


def test_warnings_never_contain_values(caplog: pytest.LogCaptureFixture) -> None:
    secret = "tok-SECRET-1234"
    text = (
        f"a{{k={secret}}}[k={secret}];b{{k={secret}=x}};c{{k={secret}}}@bad;"
        f"d{{d.id={secret}}}[env={secret}];e{{e.id=1}}[env=other];f{{d.id={secret}}}"
    )
    with caplog.at_level(logging.DEBUG):
        parse_entities(text)
    assert caplog.records
    assert secret not in caplog.text


@settings(max_examples=2000, deadline=None)
@given(st.text())
def test_any_text_parses_without_raising(text: str) -> None:
    for entity in parse_entities(text):
        assert isinstance(entity, Entity)


GRAMMAR_PIECES = st.sampled_from(
    [
        "service",
        "host",
        "k8s.pod",
        "{",
        "}",
        "[",
        "]",
        "@",
        ";",
        ",",
        "=",
        "a",
        "b.c",
        "%2C",
        "%",
        "%zz",
        " ",
        "https://x/y",
    ]
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(GRAMMAR_PIECES, max_size=30).map("".join))
def test_near_grammatical_text_parses_without_raising(text: str) -> None:
    result = parse_entities(text)
    # Whatever survives is consistent: one entity per type, no key owned twice.
    types = [entity.type for entity in result]
    keys = [key for entity in result for key in entity.keys]
    assert len(types) == len(set(types))
    assert len(keys) == len(set(keys))


def test_the_detector_reads_otel_entities() -> None:
    environ = {"OTEL_ENTITIES": "service{service.name=a}[env=prod];host{host.id=h}[host.name=n]"}
    resource = EnvEntitiesDetector(environ=environ).detect()
    # Later definitions have the higher priority.
    assert [e.type for e in entities_of(resource)] == ["host", "service"]
    assert dict(resource.attributes) == {"host.id": "h", "host.name": "n", "service.name": "a", "env": "prod"}
    assert resource.schema_url == ""


def test_the_detector_without_otel_entities_returns_an_empty_resource(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        resource = EnvEntitiesDetector(environ={}).detect()
    assert dict(resource.attributes) == {}
    assert entities_of(resource) == ()
    assert caplog.records == []


def test_the_detector_reads_the_process_environment_at_detect_time(monkeypatch: pytest.MonkeyPatch) -> None:
    detector = EnvEntitiesDetector()
    monkeypatch.setenv("OTEL_ENTITIES", "service{service.name=late}")
    assert dict(detector.detect().attributes) == {"service.name": "late"}
