"""The deployment files describe the scaled topology and validate with docker-compose."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]


def compose() -> dict[str, object]:
    """compose.yaml, parsed (anchors and merge keys resolved)."""
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_compose_has_the_scaled_topology() -> None:
    """web, worker, postgres and redis, each with a health check; data on volumes; the
    worker has the Docker socket and the web has not."""
    services = compose()["services"]
    assert isinstance(services, dict)
    for name in ("web", "worker", "postgres", "redis", "migrate"):
        assert name in services
    for name in ("web", "worker", "postgres", "redis"):
        assert "healthcheck" in services[name], name
    assert any("docker.sock" in v for v in services["worker"]["volumes"])
    assert not any("docker.sock" in str(v) for v in services["web"].get("volumes", []))
    assert services["web"]["environment"]["ASSESS_GRADING_BACKEND"] == "rq"
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert services["worker"]["stop_grace_period"]


def test_dockerfile_runs_unprivileged_with_gunicorn_config() -> None:
    """One image, a non-root user, gunicorn with its config file, a health check."""
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert "USER assess:assess" in dockerfile
    assert "HEALTHCHECK" in dockerfile
    assert "ARG BASE=python:3.11-slim-bookworm" in dockerfile
    entrypoint = (ROOT / "deploy" / "entrypoint.sh").read_text(encoding="utf-8")
    assert "gunicorn --config gunicorn.conf.py" in entrypoint
    assert "flask --app wsgi worker" in entrypoint
