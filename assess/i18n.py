"""Two languages from the start: the choice of each person sticks (account or session)."""

from __future__ import annotations

from babel.support import NullTranslations
from flask import Flask, current_app, g, request, session
from flask_babel import get_translations
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


def catalogue() -> NullTranslations:
    """This request's translations, found once. Flask-Babel finds them anew for every string
    (nine context lookups, some 10 to 20 µs), and a page shows dozens of strings; the locale
    is chosen once per request either way (``select_locale``)."""
    found: NullTranslations | None = g.get("_catalogue")
    if found is None:
        found = g._catalogue = get_translations()
    return found


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with the selector and expose the current locale to templates."""
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: catalogue().ugettext(s),
        ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
        pgettext=lambda c, s: catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalogue().unpgettext(c, s, p, n),
        newstyle=True,
    )

    @app.context_processor
    def inject_locale() -> dict[str, object]:
        return {"current_locale": select_locale(), "languages": app.config["LANGUAGES"]}
