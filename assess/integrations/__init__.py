"""Integrations pages: a person's API tokens, and the organisation's webhooks."""

from __future__ import annotations

from assess.integrations import views as views
from assess.integrations.blueprint import bp

__all__ = ["bp", "views"]
