"""gunicorn's access line is built only when something receives it."""

from __future__ import annotations

import logging
import runpy
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from gunicorn.config import Config

from assess.observability.gunicorn_logging import RedactingLogger

ROOT = Path(__file__).resolve().parents[3]


def logger(**settings: Any) -> RedactingLogger:
    """The project's gunicorn logger under ``settings``."""
    config = Config()
    for name, value in settings.items():
        config.set(name, value)
    return RedactingLogger(config)


def serve_one(log: RedactingLogger, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Log one request; the names of the atoms gunicorn built for it."""
    built: list[str] = []
    monkeypatch.setattr(log, "atoms", lambda *args: built.append("atoms") or {"s": "200"})
    log.access(object(), object(), {}, timedelta(milliseconds=3))
    return built


def test_no_line_is_built_when_nothing_receives_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The project's JSON set-up (its logging dict, no access log): no atoms, no work."""
    monkeypatch.setenv("ASSESS_LOG_FORMAT", "json")
    monkeypatch.setenv("WEB_CONCURRENCY", "1")  # reading the settings touches no metrics dir
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["accesslog"] is None
    log = logger(logconfig_dict=settings["logconfig_dict"])
    assert log.access_log_enabled  # gunicorn alone would build the line
    assert serve_one(log, monkeypatch) == []


def test_a_configured_access_log_still_gets_its_line(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """With ``accesslog`` set, the line is built and written (through the redaction)."""
    log = logger(accesslog="-")
    assert log.access_log.handlers
    log.access_log.propagate = True  # so the capture sees it as well
    with caplog.at_level(logging.INFO, logger="gunicorn.access"):
        assert serve_one(log, monkeypatch) == ["atoms"]
    assert any(record.name == "gunicorn.access" for record in caplog.records)
