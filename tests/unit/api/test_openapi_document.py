"""The OpenAPI document is generated from the views and is valid OpenAPI 3.1."""

from __future__ import annotations

from openapi_spec_validator import validate

from assess import create_app
from assess.api.openapi import build_document


def test_document_is_generated_and_valid() -> None:
    """Every API view is documented with its roles, errors and bearer security."""
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    document = build_document(app)
    validate(document)
    operations = [op for path in document["paths"].values() for op in path.values()]
    assert len(operations) == len(
        [e for e, v in app.view_functions.items() if getattr(v, "bearer_auth", False)]
    )
    for operation in operations:
        assert {"401", "403", "422"} <= set(operation["responses"])
        assert "Roles:" in operation["description"]
    invite = document["paths"]["/positions/{position_id}/invitations"]["post"]
    assert {"201", "400", "404", "409", "415", "422", "429"} <= set(invite["responses"])
    assert document["components"]["schemas"]["Error"]["required"] == ["error"]
