"""The host's Dockerfile rules: parsing (continuations, comments, heredocs, stages) and each
rule on texts that satisfy and break it."""

from __future__ import annotations

import pytest

from sandbox import static_checks as sc

GOOD = """\
# syntax=docker/dockerfile:1
ARG PY=3.11
FROM python:${PY}-slim-bookworm AS build
COPY requirements.txt .
RUN pip install --prefix=/install -r requirements.txt

FROM python:3.11-slim-bookworm
RUN apt-get update \\
 # a comment inside a continuation
 && apt-get install -y --no-install-recommends curl \\
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /install /usr/local
RUN python -m pip install --no-cache-dir gunicorn
COPY --chown=app . /app
ARG APP_USER=app
USER $APP_USER
HEALTHCHECK --interval=5s CMD ["curl", "-f", "http://localhost/healthz"]
ENTRYPOINT ["gunicorn"]
CMD ["app:create_app()"]
"""


def rules(text: str) -> dict[str, bool]:
    parsed = sc.parse_dockerfile(text)
    return {name: rule(parsed) for name, rule in sc.DOCKERFILE_RULES.items()}


def test_parsing_joins_continuations_skips_comments_and_keeps_heredocs() -> None:
    text = "FROM a:1\nRUN <<EOF\necho one\nEOF\nRUN echo \\\n  # note\n\n  two\n"
    parsed = sc.parse_dockerfile(text)
    assert [(i.keyword, i.line) for i in parsed] == [("FROM", 1), ("RUN", 2), ("RUN", 5)]
    assert parsed[1].arguments == "<<EOF\necho one"
    assert parsed[2].arguments == "echo two"
    assert [len(stage) for stage in sc.stages(sc.parse_dockerfile("ARG X\n" + GOOD))] == [3, 10]


def test_a_careful_multi_stage_file_satisfies_every_rule() -> None:
    """The pinned-base rule fails here only because of the ${PY} tag, which cannot be read."""
    assert rules(GOOD) == {**dict.fromkeys(sc.DOCKERFILE_RULES, True), "pinned-base": False}
    assert rules(GOOD.replace("${PY}", "3.11"))["pinned-base"] is True


@pytest.mark.parametrize(
    ("rule", "text", "expected"),
    [
        ("non-root-user", "FROM a:1\nUSER app\n", True),
        ("non-root-user", "FROM a:1\nUSER 10001:10001\n", True),
        ("non-root-user", "FROM a:1\nUSER app\nUSER root\n", False),
        ("non-root-user", "FROM a:1\nUSER 0:0\n", False),
        ("non-root-user", "FROM a:1\n", False),
        ("non-root-user", "FROM a:1 AS b\nUSER app\nFROM c:1\n", False),
        ("non-root-user", "FROM a:1\nUSER ${WHO}\n", False),
        ("non-root-user", "FROM a:1\nENV WHO=root\nUSER ${WHO}\n", False),
        ("non-root-user", "FROM a:1\nENV WHO svc\nUSER $WHO\n", True),
        ("healthcheck", "FROM a:1\nHEALTHCHECK CMD curl -f http://x/\n", True),
        ("healthcheck", "FROM a:1\nHEALTHCHECK NONE\n", False),
        ("healthcheck", "FROM a:1\nHEALTHCHECK --interval=5s\n", False),
        ("healthcheck", "FROM a:1\nHEALTHCHECK CMD true\nFROM b:1\n", False),
        ("exec-form", 'FROM a:1\nCMD ["python", "-m", "x"]\n', True),
        ("exec-form", 'FROM a:1\nENTRYPOINT ["x"]\nCMD --flag\n', False),
        ("exec-form", "FROM a:1\nCMD python -m x\n", False),
        ("exec-form", 'FROM a:1\nCMD ["python", 1]\n', False),
        ("exec-form", 'FROM a:1\nCMD ["python"\n', False),
        ("exec-form", "FROM a:1\n", False),
        (
            "deps-before-source",
            "FROM a:1\nCOPY req.txt .\nRUN pip install -r req.txt\nCOPY . .\n",
            True,
        ),
        ("deps-before-source", "FROM a:1\nCOPY . .\nRUN pip install -r req.txt\n", False),
        ("deps-before-source", "FROM a:1\nCOPY ./ /app/\nRUN pip3 install .\n", False),
        ("deps-before-source", "FROM a:1\nCOPY app /app\n", False),
        ("no-secrets-in-env", "FROM a:1\nENV DATABASE_PASSWORD=hunter2\n", False),
        ("no-secrets-in-env", "FROM a:1\nARG api_key=x\n", False),
        ("no-secrets-in-env", "FROM a:1\nENV GITHUB_TOKEN abc\n", False),
        ("no-secrets-in-env", "FROM a:1\nARG DEPLOY_SECRET\nENV PORT=8000 MODE=prod\n", True),
        ("pinned-base", "FROM python:3.11-slim\n", True),
        ("pinned-base", "FROM python\n", False),
        ("pinned-base", "FROM python:latest\n", False),
        ("pinned-base", "FROM registry:5000/team/python\n", False),
        ("pinned-base", "FROM registry:5000/team/python:3.11\n", True),
        ("pinned-base", "FROM --platform=linux/amd64 python@sha256:abc\n", True),
        ("pinned-base", "FROM a:1 AS base\nFROM base\nFROM scratch\n", True),
        ("no-add", "FROM a:1\nADD app.tar.gz /app\n", False),
        ("no-add", "FROM a:1\nCOPY app /app\n", True),
        ("apt-lists-removed", "FROM a:1\nRUN apt-get install -y curl\n", False),
        (
            "apt-lists-removed",
            "FROM a:1\nRUN apt-get -q install curl && rm -r -f /var/lib/apt/lists\n",
            True,
        ),
        ("apt-lists-removed", "FROM a:1\nRUN pip install x\n", True),
    ],
)
def test_each_rule(rule: str, text: str, expected: bool) -> None:
    assert sc.DOCKERFILE_RULES[rule](sc.parse_dockerfile(text)) is expected


def test_observations_name_each_rule_and_a_missing_file() -> None:
    checks = [{"file": "Dockerfile", "kind": "dockerfile", "rules": ["no-add", "exec-form"],
               "weight": 2}]  # fmt: skip
    assert sc.check_ids(checks) == {"Dockerfile:no-add": 2.0, "Dockerfile:exec-form": 2.0}
    files = {"Dockerfile": "FROM a:1\nCMD x\n"}
    assert sc.observe(checks, files) == {"Dockerfile:no-add": True, "Dockerfile:exec-form": False}
    assert sc.observe(checks, {}) == {
        "Dockerfile:no-add": {"missing": "Dockerfile"},
        "Dockerfile:exec-form": {"missing": "Dockerfile"},
    }
