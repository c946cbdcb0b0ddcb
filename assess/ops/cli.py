"""``flask backup``, ``flask restore``, ``flask retention`` and ``flask invitations``: the
operators' commands."""

from __future__ import annotations

import logging
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from assess.extensions import db
from assess.models import utcnow
from assess.ops.backup import BackupError, backup, restore
from assess.ops.retention import forget_candidate, forget_expired
from assess.services import mailer, reminders

log = logging.getLogger(__name__)


def default_backup_path() -> Path:
    """``instance/backups/assess-<UTC time>.jsonl.gz``."""
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    return Path(current_app.instance_path) / "backups" / f"assess-{stamp}.jsonl.gz"


@click.command("backup")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write (default: instance/backups/assess-<time>.jsonl.gz).",
)
@with_appcontext
def backup_command(output: Path | None) -> None:
    """Back up every table to one portable file (SQLite or PostgreSQL alike)."""
    path = output or default_backup_path()
    try:
        report = backup(db.engine, path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    log.info("backup written: %s rows", report.total)
    click.echo(f"backup of {report.total} rows (revision {report.revision}) written to {path}")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(file: Path, yes: bool) -> None:
    """Restore FILE into the configured database, which must be empty and at the same
    schema revision (`flask db upgrade` on a new database first)."""
    if not yes:
        click.confirm(f"Restore {file} into {db.engine.url.render_as_string()}?", abort=True)
    try:
        report = restore(db.engine, file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    log.info("backup restored: %s rows", report.total)
    click.echo(f"restored {report.total} rows (revision {report.revision}) from {file}")


retention_cli = AppGroup("retention", help="Delete candidates' personal data, keep statistics.")
invitations_cli = AppGroup("invitations", help="Invitation housekeeping.")


@invitations_cli.command("remind")
@click.option("--dry-run", is_flag=True, help="List what is due; send nothing.")
@with_appcontext
def remind_command(dry_run: bool) -> None:
    """Email one reminder to each candidate whose link is still unopened after their
    position's reminder delay (run it daily)."""
    due = reminders.due(db.session)
    if dry_run:
        click.echo(f"{len(due)} reminder(s) due")
        return
    settings = mailer.SmtpSettings.from_config(current_app.config)
    if settings is None:
        raise click.ClickException("email is not configured (SMTP_HOST); nothing was sent")
    report = reminders.send_due(db.session, settings)
    db.session.commit()
    log.info("invitations: reminders sent", extra={"sent": len(report.sent),
                                                   "failed": len(report.failed)})  # fmt: skip
    click.echo(f"reminders sent: {len(report.sent)}, failed: {len(report.failed)}")
    for invitation_id, error in report.failed.items():
        click.echo(f"invitation {invitation_id}: not sent ({error}); it is tried again next time")
    if report.failed:
        raise SystemExit(1)


@retention_cli.command("forget-candidate")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def forget_candidate_command(email: str, yes: bool) -> None:
    """Anonymise every invitation of EMAIL and delete the candidate's code and notes."""
    if not yes:
        click.confirm("Forget this candidate's personal data? This cannot be undone", abort=True)
    report = forget_candidate(db.session(), email)
    db.session.commit()
    log.info("retention: candidate forgotten", extra=report.as_dict())
    if not report.invitations:
        click.echo("no invitation was sent to that address; nothing changed")
        return
    click.echo(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in report.as_dict().items()))


@retention_cli.command("forget-expired")
@click.option(
    "--older-than",
    "days",
    type=click.IntRange(min=1),
    required=True,
    help="Days since the assessment ended (or the unused link expired).",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def forget_expired_command(days: int, yes: bool) -> None:
    """Forget every candidate whose assessment ended more than DAYS days ago."""
    if not yes:
        click.confirm(f"Forget candidates whose assessment ended over {days} days ago?",
                      abort=True)  # fmt: skip
    report = forget_expired(db.session(), days)
    db.session.commit()
    log.info("retention: expired candidates forgotten", extra=report.as_dict())
    counts = {**report.as_dict(), **report.details}
    click.echo(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in counts.items()))


def register(app: Flask) -> None:
    """Add the commands to ``flask``."""
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(retention_cli)
    app.cli.add_command(invitations_cli)
