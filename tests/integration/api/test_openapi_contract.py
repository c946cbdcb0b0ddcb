"""The OpenAPI document validates, and the API keeps to it: schemathesis generates requests
from the document and checks every response (no server error, documented status, content
type and schema; invalid input refused)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.generation.modes import GenerationMode

from tests.integration.api.conftest import World

EXAMPLES = 200


def test_document_is_valid_openapi(client: FlaskClient) -> None:
    """The served document passes the OpenAPI 3.1 validator and names every resource."""
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    validate(document)
    assert set(document["paths"]) >= {
        "/positions",
        "/positions/{position_id}",
        "/positions/{position_id}/invitations",
        "/invitations/{invitation_id}",
        "/invitations/{invitation_id}/revoke",
        "/attempts",
        "/attempts/{attempt_id}",
        "/attempts/{attempt_id}/scorecard",
        "/competencies",
    }
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_swagger_ui_is_served_locally(client: FlaskClient) -> None:
    """The docs page loads Swagger UI from /static only, with no inline script."""
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "<script>" not in page.text
    assert "http" not in page.text.split("<body>")[1]
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-init.js"):
        served = client.get(f"/static/vendor/swagger-ui/{asset}")
        assert served.status_code == 200
        served.close()
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("mode", "own_objects"),
    [
        (GenerationMode.POSITIVE, False),
        (GenerationMode.POSITIVE, True),
        (GenerationMode.NEGATIVE, False),
    ],
    ids=["valid", "valid-on-existing-objects", "invalid"],
)
def test_api_keeps_its_contract(
    app: Flask, world: World, mode: GenerationMode, own_objects: bool
) -> None:
    """Generated requests (valid ones, valid ones aimed at existing objects, invalid ones)
    never cause a server error or a response that the document does not describe; invalid
    input is refused."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    client = app.test_client()
    headers = world.headers("admin")
    calls: list[int] = []
    assert world.assigned
    ids = {
        "position_id": world.assigned.invitation.position_id,
        "attempt_id": world.assigned.id,
        "invitation_id": world.assigned.invitation_id,
    }
    strategy = schema.as_strategy(mode, path_parameters=ids if own_objects else None)

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def keeps_contract(case: Any) -> None:
        # A case generated without the Authorization header tests the 401 path: keep it so.
        sent = headers if "Authorization" in (case.headers or {}) else None
        response = case.call_and_validate(session=client, headers=sent)
        calls.append(response.status_code)

    keeps_contract()
    assert len(calls) >= EXAMPLES // 2
    print(mode, sorted(Counter(calls).items()))
    if mode is GenerationMode.POSITIVE:
        # Valid requests must mostly get through, not stop at validation. Aimed at existing
        # objects a quarter at least succeed; with generated ids most lookups are honest
        # 404s, and how many depends on which operations the draw favoured (a tenth, seen
        # from 19% to 40% across draws).
        succeeded = sum(200 <= code < 300 for code in calls)
        assert succeeded >= (EXAMPLES // 4 if own_objects else EXAMPLES // 10)
