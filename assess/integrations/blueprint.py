"""The integrations blueprint object, apart from its views."""

from __future__ import annotations

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

from assess.webhooks import destinations

bp = Blueprint("integrations", __name__, url_prefix="/integrations", template_folder="templates")


@bp.record_once
def _check_allow_list(state: BlueprintSetupState) -> None:
    """Refuse to start with a malformed ``ASSESS_WEBHOOK_ALLOW_PRIVATE`` (named in the error)."""
    destinations.allow_list(state.app.config)
