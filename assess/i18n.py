"""Two languages from the start: the choice of each person sticks (account or session)."""

from __future__ import annotations

from flask import Flask, current_app, request, session
from flask_login import current_user

from assess.extensions import babel

SESSION_KEY = "locale"


def select_locale() -> str:
    """The signed-in user's language, else the session's, else the browser's best match."""
    languages: tuple[str, ...] = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    chosen = session.get(SESSION_KEY)
    if chosen in languages:
        return str(chosen)
    return request.accept_languages.best_match(languages) or languages[0]


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with the selector and expose the current locale to templates."""
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def inject_locale() -> dict[str, object]:
        return {"current_locale": select_locale(), "languages": app.config["LANGUAGES"]}
