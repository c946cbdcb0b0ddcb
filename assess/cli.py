"""Command-line entry points: ``flask --app wsgi <command>``."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from assess.admin.organisations import create_organisation_command, set_operator_command
from assess.api.cli import api_token_command
from assess.bank.cli import bank_cli
from assess.errors import ValidationFailed
from assess.extensions import db
from assess.grading.worker import worker_command
from assess.models import Role, User
from assess.ops import cli as ops_cli  # ops: backup, restore, retention
from assess.services.accounts import create_user
from assess.webhooks.cli import webhooks_cli
from sandbox.cli import build_image_command, grade_file
from sandbox.image.profiles import DEFAULT, PROFILES

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
            db.session,
            email,
            password,
            Role(role),
            name=name,
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


sandbox_cli = AppGroup("sandbox", help="The grading sandbox's runner image.")


@sandbox_cli.command("build-image")
@click.option(
    "--offline/--registry",
    default=None,
    help="Force the debootstrap path or the Dockerfile path (default: detect).",
)
@click.option("--force", is_flag=True, help="Rebuild even when the tag exists.")
@click.option(
    "--profile",
    type=click.Choice(sorted(PROFILES)),
    default=DEFAULT.name,
    show_default=True,
    help="Which image: the lean default, or services (PostgreSQL, Redis, web stack).",
)
def build_image_cli(offline: bool | None, force: bool, profile: str) -> None:
    """Build the runner image (tagged by the hash of its inputs; skipped when it exists)."""
    status = build_image_command(offline=offline, force=force, log=click.echo, profile=profile)
    if status:
        raise SystemExit(status)


@click.command("grade")
@click.argument("slug")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@with_appcontext
def grade_command(slug: str, file: Path, as_json: bool) -> None:
    """Grade FILE as a submission to the bank task SLUG in the sandbox."""
    tasks_root = Path(current_app.config["CHALLENGES_DIR"]) / "tasks"
    status, text = grade_file(tasks_root, slug, file, as_json)
    click.echo(text, err=status != 0)
    if status:
        raise SystemExit(status)


def init_app(app: Flask) -> None:
    """Register the commands with ``flask``."""
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_admin_command)
    app.cli.add_command(sandbox_cli)
    app.cli.add_command(grade_command)
    app.cli.add_command(bank_cli)
    app.cli.add_command(worker_command)
    app.cli.add_command(api_token_command)
    app.cli.add_command(webhooks_cli)
    app.cli.add_command(create_organisation_command)
    app.cli.add_command(set_operator_command)
    ops_cli.register(app)  # ops: backup, restore, retention
