"""``flask webhooks deliver``: send due webhook deliveries (once, or in a loop)."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup

from assess.webhooks import runner

webhooks_cli = AppGroup("webhooks", help="Webhook deliveries.")


@webhooks_cli.command("deliver")
@click.option("--loop", is_flag=True, help="Keep delivering every few seconds until stopped.")
def deliver_command(loop: bool) -> None:
    """Deliver every webhook event that is due now."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    while True:
        sent = runner.run_once(app)
        if not loop:
            click.echo(f"delivered {sent}")
            return
        time.sleep(runner.POLL_SECONDS)
