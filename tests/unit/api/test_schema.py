"""The schema language: JSON Schema output and request checks with field paths."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assess.api.representations import NEW_INVITATIONS, NEW_POSITION
from assess.api.schema import (
    EMAIL_PATTERN,
    TEXT_PATTERN,
    Array,
    Boolean,
    Components,
    Integer,
    Object,
    SchemaError,
    String,
)
from assess.services.accounts import normalize_email


def test_object_schema_is_a_component_reference() -> None:
    """A named object becomes a component; nullable fields allow null."""
    components = Components()
    schema = Object(name="Thing", properties={"n": Integer(nullable=True)}, required=("n",))
    assert schema.json_schema(components) == {"$ref": "#/components/schemas/Thing"}
    assert components.schemas["Thing"]["properties"]["n"] == {"type": ["integer", "null"]}
    assert components.schemas["Thing"]["additionalProperties"] is False


def test_every_bad_field_is_reported_with_its_path() -> None:
    """Missing, unknown and malformed fields are reported together, keyed by path."""
    with pytest.raises(SchemaError) as caught:
        NEW_INVITATIONS.check(
            {"candidates": [{"name": "Ada", "email": "a@b.co"}, {"name": ""}], "extra": 1},
            "",
        )
    assert caught.value.fields == {
        "extra": "is not a known field",
        "candidates[1].email": "is required",
        "candidates[1].name": "must have at least 1 characters",
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (Integer(minimum=1), True, "must be an integer"),
        (Integer(minimum=1), 0, "must be at least 1"),
        (Integer(maximum=9), 10, "must be at most 9"),
        (Boolean(), "yes", "must be true or false"),
        (String(choices=("a", "b")), "c", "must be one of a, b"),
        (String(max_length=2), "abc", "must have at most 2 characters"),
        (Array(items=Integer(), max_items=1), [1, 2], "must have at most 1 items"),
        (Integer(), None, "must not be null"),
    ],
)
def test_single_field_messages(field: object, value: object, message: str) -> None:
    """Each kind of field explains what it wanted."""
    with pytest.raises(SchemaError) as caught:
        field.check(value, "x")  # type: ignore[attr-defined]
    assert caught.value.fields == {"x": message}


def test_integral_floats_are_integers() -> None:
    """As in JSON Schema, 3.0 is an integer; 3.5 is not."""
    assert Integer().check(3.0, "n") == 3
    with pytest.raises(SchemaError):
        Integer().check(3.5, "n")


def test_query_integers_are_parsed() -> None:
    """Query values are text; only plain decimal integers are accepted."""
    assert Integer(minimum=1).parse_text(" 7 ", "page") == 7
    for raw in ("", "7a", "1e3", "0x10", "9" * 40):
        with pytest.raises(SchemaError):
            Integer().parse_text(raw, "page")
    assert Boolean().parse_text("false", "open") is False


def test_text_refuses_blank_and_control_characters() -> None:
    """Names and titles need a visible character and no control characters."""
    assert NEW_POSITION.check({"title": " Backend ", "grade": "junior"}, "")["title"]
    for bad in ("   ", "a\x00b", "tab\there", "line\n"):
        with pytest.raises(SchemaError):
            NEW_POSITION.check({"title": bad, "grade": "junior"}, "")


@given(st.from_regex(EMAIL_PATTERN))
def test_every_address_the_pattern_allows_is_accepted(address: str) -> None:
    """The documented pattern never promises more than the email check accepts."""
    if address.endswith("\n"):  # Python's $ allows a final newline; ECMA's does not
        return
    normalize_email(address)


@given(st.from_regex(TEXT_PATTERN))
def test_text_pattern_matches_what_it_generates(value: str) -> None:
    """The text pattern is consistent with itself under Python's engine."""
    assert re.search(TEXT_PATTERN, value)
