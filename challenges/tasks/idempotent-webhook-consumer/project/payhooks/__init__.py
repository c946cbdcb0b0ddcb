"""Payment webhooks: a Flask app that keeps account balances in Redis."""

from payhooks.app import create_app

__all__ = ["create_app"]
