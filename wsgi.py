"""The WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi``."""

from __future__ import annotations

from assess import create_app

app = create_app()
