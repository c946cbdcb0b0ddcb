"""The API's pydantic models: strict bodies, parsed query strings, the text rules, and
pydantic's errors as per-field messages keyed by path."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from assess import textrules
from assess.api.fields import EMAIL_PATTERN, TEXT_PATTERN, ecma_anchored, field_messages
from assess.api.pagination import Paged
from assess.api.representations import NewInvitations, NewPosition
from assess.api.views.attempts import AttemptsQuery
from assess.api.views.positions import PositionsQuery
from assess.models import AttemptState, GradeCode
from assess.services.accounts import normalize_email


def messages(model: type[BaseModel], data: Any, unknown: str = "is not a known field") -> Any:
    """The per-field messages ``model`` gives for ``data`` (it must refuse it)."""
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return field_messages(caught.value, unknown)


def test_every_bad_field_is_reported_with_its_path() -> None:
    """Missing, unknown and malformed fields are reported together, keyed by path."""
    data = {"candidates": [{"name": "Ada", "email": "a@b.co"}, {"name": ""}], "extra": 1}
    assert messages(NewInvitations, data) == {
        "candidates[1].name": "must have at least 1 characters",
        "candidates[1].email": "is required",
        "extra": "is not a known field",
    }


ONE = [{"name": "A", "email": "a@example.com"}]
GRADES = "'junior', 'middle' or 'senior'"


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"title": 5, "grade": "junior"}, {"title": "must be a string"}),
        ({"title": None, "grade": "junior"}, {"title": "must not be null"}),
        ({"title": "x" * 201, "grade": "junior"}, {"title": "must have at most 200 characters"}),
        ({"title": "x", "grade": "expert"}, {"grade": f"must be one of {GRADES}"}),
        (
            {"title": "x", "grade": "junior", "show_result_summary": 1},
            {"show_result_summary": "must be true or false"},
        ),
        ([], {"body": "must be an object"}),
    ],
)
def test_position_messages(data: Any, fields: dict[str, str]) -> None:
    """Each kind of field explains what it wanted, in the platform's words."""
    assert messages(NewPosition, data) == fields


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"candidates": []}, {"candidates": "must have at least 1 items"}),
        ({"candidates": ONE * 101}, {"candidates": "must have at most 100 items"}),
        ({"candidates": {}}, {"candidates": "must be a list"}),
        ({"candidates": ["x"]}, {"candidates[0]": "must be an object"}),
        (
            {"candidates": [{"name": "A", "email": "a@example.test"}]},
            {"candidates[0].email": "must be an email address the pattern allows"},
        ),
        ({"candidates": ONE, "valid_days": 0}, {"valid_days": "must be at least 1"}),
        ({"candidates": ONE, "valid_days": 91}, {"valid_days": "must be at most 90"}),
        ({"candidates": ONE, "valid_days": "3"}, {"valid_days": "must be an integer"}),
        ({"candidates": ONE, "valid_days": True}, {"valid_days": "must be an integer"}),
        ({"candidates": ONE, "valid_days": 3.5}, {"valid_days": "must be an integer"}),
    ],
)
def test_invitation_messages(data: Any, fields: dict[str, str]) -> None:
    """Lists, nested objects, bounds and strict JSON types are each reported at their path."""
    assert messages(NewInvitations, data) == fields


def test_integral_floats_are_integers_and_defaults_apply() -> None:
    """As in JSON Schema, 3.0 is an integer; a left-out field takes its default."""
    batch = {"candidates": [{"name": "Ada", "email": "ada@example.com"}], "valid_days": 3.0}
    assert NewInvitations.model_validate(batch).valid_days == 3
    del batch["valid_days"]
    assert NewInvitations.model_validate(batch).valid_days == 14
    position = NewPosition.model_validate({"title": "SRE", "grade": "senior"})
    assert (position.grade, position.show_result_summary) == (GradeCode.SENIOR, False)


def test_query_values_are_parsed_from_text() -> None:
    """Query values are text: plain decimal integers, true/false and enumeration values."""
    assert Paged.model_validate({"page": " 7 "}).page == 7
    assert Paged.model_validate({}).per_page == 50
    for raw in ("", "7a", "1e3", "0x10", "7.0", "1_000", "9" * 40):
        assert messages(Paged, {"page": raw}) == {"page": "must be an integer"}
    assert PositionsQuery.model_validate({"is_open": "false"}).is_open is False
    for raw in ("no", "1", "True", ""):
        assert messages(PositionsQuery, {"is_open": raw}) == {"is_open": "must be true or false"}
    parsed = AttemptsQuery.model_validate({"state": "started", "position_id": "3"})
    assert (parsed.state, parsed.position_id) == (AttemptState.STARTED, 3)
    assert messages(AttemptsQuery, {"position_id": str(2**31)}) == {
        "position_id": "must be at most 2147483647"
    }


def test_unknown_query_parameters_are_named() -> None:
    """An undeclared parameter is refused with its own message."""
    refused = messages(Paged, {"sort": "title", "per_page": "101"}, "is not a known parameter")
    assert refused == {"per_page": "must be at most 100", "sort": "is not a known parameter"}


@pytest.mark.parametrize("bad", ["   ", "a\x00b", "tab\there", "line\n", "two\r\nlines", "\x7f"])
def test_text_follows_the_single_line_rules(bad: str) -> None:
    """Names and titles need a visible character and no control character (NUL, line
    breaks and tabs included), as in the forms."""
    data = {"candidates": [{"name": bad, "email": "a@example.com"}]}
    expected = textrules.single_line_problem(bad)
    assert expected
    assert messages(NewInvitations, data) == {"candidates[0].name": expected}
    assert NewPosition.model_validate({"title": " Backend ", "grade": "junior"}).title


@given(st.text(max_size=20))
def test_documented_text_pattern_is_the_text_rule(value: str) -> None:
    """The pattern in the document accepts exactly what the single-line rule accepts."""
    accepted = ecma_anchored(TEXT_PATTERN).search(value) is not None
    assert accepted == (textrules.single_line_problem(value) is None)


@given(st.from_regex(ecma_anchored(EMAIL_PATTERN)))
def test_every_address_the_pattern_allows_is_accepted(address: str) -> None:
    """The documented pattern never promises more than the email check accepts."""
    normalize_email(address)
