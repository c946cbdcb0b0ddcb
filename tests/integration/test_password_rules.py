"""Every place a password is set applies the same rules and says why one is refused: the
create-user command, the admin's staff page and the change-password page."""

from __future__ import annotations

import sqlalchemy as sa
from flask.testing import FlaskClient, FlaskCliRunner

from assess.extensions import db
from assess.models import Role, User
from tests.conftest import Auth, Factory, csrf_token

COMMON = "password1234"
REASON = "This is one of the most common passwords."


def test_create_user_refuses_a_common_password_with_the_reason(runner: FlaskCliRunner) -> None:
    """The command exits non-zero naming the reason, and creates nothing."""
    result = runner.invoke(
        args=["create-user", "lead@example.com", "--role", "admin", "--password-stdin"],
        input=COMMON + "\n",
    )
    assert result.exit_code != 0
    assert f"password refused: {REASON}" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_create_user_refuses_a_password_built_on_the_address(runner: FlaskCliRunner) -> None:
    """A password made of the account's own address and a year is refused."""
    result = runner.invoke(
        args=["create-user", "margaret.hamilton@example.com", "--role", "admin",
              "--password-stdin"],
        input="hamilton1969!\n",
    )  # fmt: skip
    assert result.exit_code != 0
    assert "It is built on your email address or name." in result.output


def test_admin_page_refuses_a_common_password_with_the_reason(
    client: FlaskClient, auth: Auth, factory: Factory
) -> None:
    """The staff page answers 422 with the reason beside the password field."""
    admin = factory.user(Role.ADMIN)
    auth.login(admin.email)
    page = client.get("/admin/users")
    response = client.post(
        "/admin/users",
        data={"email": "new@example.com", "role": "recruiter", "password": COMMON,
              "csrf_token": csrf_token(page.text)},
    )  # fmt: skip
    assert response.status_code == 422
    assert REASON in response.text and 'aria-invalid="true"' in response.text
    assert db.session.scalar(sa.select(User).where(User.email == "new@example.com")) is None
