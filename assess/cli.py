"""Command-line entry points: ``flask --app wsgi <command>``."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext

from assess.errors import ValidationFailed
from assess.extensions import db
from assess.models import Role, User
from assess.services.accounts import create_user

DEMO_ADMIN_EMAIL = "admin@example.com"
DEMO_CREDENTIALS_FILE = "demo-admin.txt"


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", default="", help="Display name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user_command(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Create a staff account; the password is prompted for, or read from stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(
            db.session, email, password, Role(role), name=name,
            fast_hash=current_app.config["PASSWORD_HASH_FAST"],
        )
    except ValidationFailed as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"created {user.role.value} {user.email}")


@click.command("demo-admin")
@with_appcontext
def demo_admin_command() -> None:
    """Create the demo admin on first run and print how to sign in (development only)."""
    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("demo-admin is refused in production; use create-user")
    saved = Path(current_app.instance_path) / DEMO_CREDENTIALS_FILE
    existing = db.session.scalar(sa.select(User).where(User.email == DEMO_ADMIN_EMAIL))
    if existing is None:
        password = secrets.token_urlsafe(12)
        create_user(db.session, DEMO_ADMIN_EMAIL, password, Role.ADMIN, name="Demo admin")
        db.session.commit()
        saved.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(saved, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(f"{DEMO_ADMIN_EMAIL}\n{password}\n")
    lines = saved.read_text(encoding="utf-8").split() if saved.exists() else []
    click.echo("Sign in as the demo admin:")
    click.echo(f"  email:    {DEMO_ADMIN_EMAIL}")
    if len(lines) == 2:
        click.echo(f"  password: {lines[1]}   (kept in {saved})")
    else:
        click.echo("  password: set on first run; reset it with create-user for a new account")


def init_app(app: Flask) -> None:
    """Register the commands with ``flask``."""
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_admin_command)
