"""Assess: a Flask platform that assesses Python developers against a job's requirements."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from assess import cli, extensions, i18n, observability, security, strictjson, views
from assess.config import config_class
from assess.grading import dispatch
from assess.ops import ratelimit


def create_app(config: Mapping[str, Any] | str | None = None) -> Flask:
    """Build the application. ``config`` is an environment name or a mapping of overrides
    (which may name the environment under ``ENV_NAME``)."""
    app = Flask(__name__, instance_relative_config=True)
    app.json = strictjson.StrictJSONProvider(app)
    overrides: Mapping[str, Any] = config if isinstance(config, Mapping) else {}
    name = config if isinstance(config, str) else overrides.get("ENV_NAME")
    cls = config_class(name, os.environ)
    app.config.from_object(cls)
    app.config.update(cls.from_environment(os.environ, app.instance_path))
    app.config.update(overrides)
    cls.check(app.config)

    extensions.init_app(app)
    observability.init_app(app)
    ratelimit.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    views.init_app(app)
    dispatch.init_app(app)
    cli.init_app(app)
    return app
