"""Operations: backup and restore, data retention, and their ``flask`` commands."""

from __future__ import annotations

from flask import Flask

from assess.ops import cli


def init_app(app: Flask) -> None:
    """Register the operators' commands."""
    cli.register(app)
