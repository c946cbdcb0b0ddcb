"""The staff-account commands."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from assess.extensions import db
from assess.models import Role, User
from tests.conftest import Auth


def test_create_user_from_stdin(runner: FlaskCliRunner, auth: Auth) -> None:
    """--password-stdin reads the password for scripts; the account can then sign in."""
    result = runner.invoke(
        args=["create-user", "Lead@Example.com", "--role", "recruiter", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert "created recruiter lead@example.com" in result.output
    user = db.session.scalar(sa.select(User).where(User.email == "lead@example.com"))
    assert user is not None and user.role is Role.RECRUITER
    assert auth.login("lead@example.com", "a long enough password").status_code == 302


def test_create_user_prompts_for_the_password(runner: FlaskCliRunner) -> None:
    """Without --password-stdin the password is prompted for, twice."""
    result = runner.invoke(
        args=["create-user", "i@example.com", "--role", "interviewer"],
        input="interviewer password\ninterviewer password\n",
    )
    assert result.exit_code == 0, result.output
    assert "a long" not in result.output


def test_create_user_rejects_bad_input(runner: FlaskCliRunner) -> None:
    """A short password, a bad address, a duplicate and an unknown role are refused clearly."""
    short = runner.invoke(
        args=["create-user", "x@example.com", "--role", "admin", "--password-stdin"],
        input="short\n",
    )
    assert short.exit_code != 0 and "at least 12 characters" in short.output
    bad = runner.invoke(
        args=["create-user", "not-an-address", "--role", "admin", "--password-stdin"],
        input="long enough password\n",
    )
    assert bad.exit_code != 0 and "Error" in bad.output
    args = ["create-user", "d@example.com", "--role", "admin", "--password-stdin"]
    assert runner.invoke(args=args, input="long enough password\n").exit_code == 0
    dup = runner.invoke(args=args, input="long enough password\n")
    assert dup.exit_code != 0 and "exists already" in dup.output
    role = runner.invoke(args=["create-user", "e@example.com", "--role", "emperor"])
    assert role.exit_code != 0


def test_demo_admin_is_created_once(app: Flask, runner: FlaskCliRunner, auth: Auth) -> None:
    """The first run creates the demo admin and prints a working password; later runs reuse it."""
    first = runner.invoke(args=["demo-admin"])
    assert first.exit_code == 0, first.output
    password = first.output.split("password:")[1].split()[0]
    assert auth.login("admin@example.com", password).status_code == 302
    second = runner.invoke(args=["demo-admin"])
    assert password in second.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
    saved = Path(app.instance_path) / "demo-admin.txt"
    assert saved.stat().st_mode & 0o077 == 0
