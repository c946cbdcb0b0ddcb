"""The API tokens and webhooks pages, and the ``api-token`` command."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from assess.extensions import db
from assess.models import ApiToken, AuditEvent, Role, Webhook, WebhookDelivery
from assess.webhooks import registry
from tests.conftest import Auth, Factory, csrf_token
from tests.integration.api.conftest import World, bearer

TOKEN = re.compile(r"ast_[A-Za-z0-9_-]{40,}")
SECRET = re.compile(r"whsec_[A-Za-z0-9_-]{40,}")


def test_a_token_is_shown_once_and_works(client: FlaskClient, auth: Auth, factory: Factory) -> None:
    """Creating a token shows it once; it is stored hashed and calls the API."""
    user = factory.user(Role.INTERVIEWER)
    auth.login(user.email)
    page = client.get("/integrations/tokens")
    created = client.post(
        "/integrations/tokens", data={"name": "CI export", "csrf_token": csrf_token(page.text)}
    )
    assert created.status_code == 200
    token = TOKEN.search(created.text)
    assert token
    row = db.session.scalars(sa.select(ApiToken)).one()
    assert row.token_hash != token.group(0)
    assert token.group(0) not in row.token_hash
    again = client.get("/integrations/tokens")
    assert token.group(0) not in again.text
    assert row.prefix in again.text
    api = client.application.test_client()
    assert api.get("/api/v1/competencies", headers=bearer(token.group(0))).status_code == 200
    db.session.refresh(row)
    assert row.last_used_at is not None
    assert (
        db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "api_token.created"))
        is not None
    )


def test_revoking_a_token_and_not_anothers(client: FlaskClient, auth: Auth, world: World) -> None:
    """A person revokes their own token; someone else's is 404."""
    own = db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == world.users["recruiter"].id)
    ).one()
    theirs = db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == world.users["admin"].id)
    ).one()
    auth.login(world.users["recruiter"].email)
    token = csrf_token(client.get("/integrations/tokens").text)
    denied = client.post(f"/integrations/tokens/{theirs.id}/revoke", data={"csrf_token": token})
    assert denied.status_code == 404
    done = client.post(f"/integrations/tokens/{own.id}/revoke", data={"csrf_token": token})
    assert done.status_code == 302
    api = client.application.test_client()
    assert api.get("/api/v1/positions", headers=world.headers("recruiter")).status_code == 401
    assert api.get("/api/v1/positions", headers=world.headers("admin")).status_code == 200


def test_token_forms_need_csrf(client: FlaskClient, auth: Auth, factory: Factory) -> None:
    """The token pages are ordinary forms: no CSRF token, no token created."""
    user = factory.user(Role.RECRUITER)
    auth.login(user.email)
    assert client.post("/integrations/tokens", data={"name": "x"}).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_webhook_page_shows_the_secret_once_and_the_log(
    client: FlaskClient, auth: Auth, world: World
) -> None:
    """Registering shows the secret once; the detail page lists deliveries, never the secret."""
    assert world.position
    assert world.assigned
    auth.login(world.users["recruiter"].email)
    page = client.get("/integrations/webhooks")
    assert page.status_code == 200
    assert world.position.title in page.text
    created = client.post(
        "/integrations/webhooks",
        data={
            "url": "https://hooks.example.com/assess",
            "events": ["attempt.finished"],
            "scope": str(world.position.id),
            "csrf_token": csrf_token(page.text),
        },
    )
    assert created.status_code == 200
    secret = SECRET.search(created.text)
    assert secret
    hook = db.session.scalars(sa.select(Webhook)).one()
    assert hook.secret == secret.group(0)
    assert hook.position_id == world.position.id
    from assess import webhooks

    webhooks.emit(db.session, webhooks.ATTEMPT_FINISHED, world.assigned)
    db.session.commit()
    listing = client.get("/integrations/webhooks")
    detail = client.get(f"/integrations/webhooks/{hook.id}")
    for shown in (listing, detail):
        assert shown.status_code == 200
        assert secret.group(0) not in shown.text
    assert "attempt.finished" in detail.text
    assert "pending" in detail.text


def test_webhook_form_refuses_other_schemes(client: FlaskClient, auth: Auth, world: World) -> None:
    """A file: URL is refused with a message on the field."""
    auth.login(world.users["admin"].email)
    page = client.get("/integrations/webhooks")
    refused = client.post(
        "/integrations/webhooks",
        data={
            "url": "file:///etc/passwd",
            "events": ["attempt.finished"],
            "scope": "0",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert refused.status_code == 422
    assert "only http and https" in refused.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Webhook)) == 0


def test_webhooks_of_another_organisation_are_404(
    app: Flask, client: FlaskClient, auth: Auth, world: World
) -> None:
    """Neither the log nor the delete button of another organisation's hook is reachable."""
    hook, _ = registry.register(
        db.session, world.users["outsider"], "https://x.example/h", ["attempt.scored"]
    )
    db.session.add(WebhookDelivery(webhook_id=hook.id, event="attempt.scored", payload="{}"))
    db.session.commit()
    auth.login(world.users["recruiter"].email)
    assert client.get(f"/integrations/webhooks/{hook.id}").status_code == 404
    token = csrf_token(client.get("/integrations/webhooks").text)
    assert (
        client.post(
            f"/integrations/webhooks/{hook.id}/delete", data={"csrf_token": token}
        ).status_code
        == 404
    )
    assert "x.example" not in client.get("/integrations/webhooks").text
    assert db.session.get(Webhook, hook.id) is not None


def test_deleting_a_webhook(client: FlaskClient, auth: Auth, world: World) -> None:
    """An admin removes a hook of their organisation, with its log."""
    hook, _ = registry.register(
        db.session, world.users["recruiter"], "https://x.example/h", ["attempt.scored"]
    )
    db.session.commit()
    hook_id = hook.id
    auth.login(world.users["admin"].email)
    token = csrf_token(client.get("/integrations/webhooks").text)
    gone = client.post(f"/integrations/webhooks/{hook_id}/delete", data={"csrf_token": token})
    assert gone.status_code == 302
    db.session.expire_all()
    assert db.session.get(Webhook, hook_id) is None


def test_interviewers_have_tokens_but_no_webhooks(
    client: FlaskClient, auth: Auth, factory: Factory
) -> None:
    """The navigation offers interviewers API tokens only; the webhooks page is 403."""
    user = factory.user(Role.INTERVIEWER)
    auth.login(user.email)
    dashboard = client.get("/dashboard").text
    assert "/integrations/tokens" in dashboard
    assert "/integrations/webhooks" not in dashboard
    assert client.get("/integrations/webhooks").status_code == 403


def test_cli_prints_a_working_token(runner: FlaskCliRunner, app: Flask, factory: Factory) -> None:
    """``flask api-token EMAIL`` prints a new token of that account."""
    user = factory.user(Role.ADMIN)
    result = runner.invoke(args=["api-token", user.email.upper(), "--name", "nightly export"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert TOKEN.fullmatch(token)
    assert app.test_client().get("/api/v1/positions", headers=bearer(token)).status_code == 200
    row = db.session.scalars(sa.select(ApiToken)).one()
    assert row.name == "nightly export"


def test_cli_refuses_unknown_accounts(runner: FlaskCliRunner) -> None:
    """An unknown address is an error, and no token is printed."""
    result = runner.invoke(args=["api-token", "ghost@example.com"])
    assert result.exit_code != 0
    assert "no active staff account" in result.output
    assert not TOKEN.search(result.output)


def test_cli_delivers_due_webhooks(runner: FlaskCliRunner) -> None:
    """``flask webhooks deliver`` runs one pass and says how many it delivered."""
    result = runner.invoke(args=["webhooks", "deliver"])
    assert result.exit_code == 0
    assert "delivered 0" in result.output


def test_a_failed_delivery_can_be_sent_again(client: FlaskClient, auth: Auth, world: World) -> None:
    """The log's button queues a failed delivery again; another organisation's is 404."""
    from assess.models import DeliveryStatus

    hook, _ = registry.register(
        db.session, world.users["recruiter"], "https://x.example/h", ["attempt.scored"]
    )
    theirs, _ = registry.register(
        db.session, world.users["outsider"], "https://y.example/h", ["attempt.scored"]
    )
    failed = WebhookDelivery(
        webhook_id=hook.id,
        event="attempt.scored",
        payload="{}",
        status=DeliveryStatus.FAILED,
        attempts=8,
        error="HTTP 500",
    )
    foreign = WebhookDelivery(
        webhook_id=theirs.id, event="attempt.scored", payload="{}", status=DeliveryStatus.FAILED
    )
    db.session.add_all([failed, foreign])
    db.session.commit()
    auth.login(world.users["recruiter"].email)
    log = client.get(f"/integrations/webhooks/{hook.id}")
    assert "Send again" in log.text
    token = csrf_token(log.text)
    url = "/integrations/webhooks/deliveries/{}/retry"
    assert client.post(url.format(foreign.id), data={"csrf_token": token}).status_code == 404
    assert client.post(url.format(failed.id), data={"csrf_token": token}).status_code == 302
    db.session.refresh(failed)
    assert failed.status is DeliveryStatus.PENDING
    assert failed.attempts == 0
    db.session.refresh(foreign)
    assert foreign.status is DeliveryStatus.FAILED
