"""Webhooks never reach loopback or private addresses, in any spelling and in any
environment, unless the allow-list names them; a delivery connects to the address it
checked (no second lookup), keeping the host name for the Host header, SNI and the
certificate check."""

from __future__ import annotations

import functools
import ipaddress
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from assess import create_app, webhooks
from assess.errors import ConfigurationError, ValidationFailed
from assess.extensions import db
from assess.models import DeliveryStatus, Webhook, WebhookDelivery, utcnow
from assess.webhooks import delivery, registry, runner
from assess.webhooks.destinations import AllowList, IPAddress
from tests.conftest import Auth, csrf_token, require
from tests.integration.api.conftest import Receiver, World

LOCAL = AllowList.parse("127.0.0.1/32")

# Every spelling of the loopback address the test receiver listens on.
LOOPBACK_FORMS = [
    "127.0.0.1",
    "2130706433",
    "0177.0.0.1",
    "0x7f.1",
    "0x7f000001",
    "127.1",
    "localhost",
    "[::ffff:127.0.0.1]",
]
OTHER_SPECIAL = [
    "http://[::1]/h",
    "http://10.0.0.5:8080/h",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/h",
    "http://192.168.1.1/h",
    "http://0.0.0.0/h",
    "http://[::]/h",
    "http://224.0.0.1/h",
    "http://[fd00::1]/h",
    "http://[fe80::1]/h",
    "http://[64:ff9b::7f00:1]/h",
    "http://[2002:7f00:1::1]/h",
    "http://[::127.0.0.1]/h",
]


def answering(mapping: dict[str, list[list[str]]]) -> tuple[list[str], object]:
    """A resolver giving each name its next answer (the last one repeats); records calls."""
    asked: list[str] = []

    def resolve(host: str, port: int) -> list[IPAddress]:
        asked.append(host)
        answers = mapping[host]
        answer = answers[min(asked.count(host), len(answers)) - 1]
        return [ipaddress.ip_address(a) for a in answer]

    return asked, resolve


@pytest.mark.parametrize("url", [f"http://{h}:8080/hook" for h in LOOPBACK_FORMS] + OTHER_SPECIAL)
def test_special_addresses_cannot_be_registered(app: Flask, world: World, url: str) -> None:
    """Saving a webhook to a loopback/private/special address is refused, saying why."""
    with pytest.raises(ValidationFailed) as refused:
        registry.register(db.session, world.users["admin"], url, ["attempt.finished"])
    assert "public addresses only" in refused.value.fields["url"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Webhook)) == 0


def test_a_name_resolving_to_a_private_address_cannot_be_registered(
    app: Flask, world: World
) -> None:
    """The name is resolved when saved; the refusal names the address it resolved to."""
    _, resolve = answering({"evil.test": [["8.8.8.8", "192.168.0.10"]]})
    with pytest.raises(ValidationFailed, match=r"evil\.test resolves to 192\.168\.0\.10"):
        registry.register(
            db.session,
            world.users["admin"],
            "https://evil.test/h",
            ["attempt.finished"],
            resolve=resolve,  # type: ignore[arg-type]
        )


def test_the_form_explains_a_refused_address(client: FlaskClient, auth: Auth, world: World) -> None:
    """The webhooks page answers 422 with the reason on the URL field."""
    auth.login(world.users["recruiter"].email)
    page = client.get("/integrations/webhooks")
    refused = client.post(
        "/integrations/webhooks",
        data={
            "url": "http://0x7f.1:8080/hook",
            "events": ["attempt.finished"],
            "scope": "0",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert refused.status_code == 422
    assert "127.0.0.1, which is a loopback address" in refused.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Webhook)) == 0


def test_the_allow_list_setting_lets_the_form_save_a_local_receiver(
    client: FlaskClient, auth: Auth, world: World
) -> None:
    """With ``WEBHOOK_ALLOW_PRIVATE`` naming the network, the same URL is accepted."""
    client.application.config["WEBHOOK_ALLOW_PRIVATE"] = "127.0.0.0/8"
    auth.login(world.users["recruiter"].email)
    page = client.get("/integrations/webhooks")
    saved = client.post(
        "/integrations/webhooks",
        data={
            "url": "http://127.0.0.1:8080/hook",
            "events": ["attempt.finished"],
            "scope": "0",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert saved.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Webhook)) == 1


@pytest.mark.parametrize("env", ["testing", "development", "production"])
def test_stored_loopback_webhooks_are_never_called(
    app: Flask, world: World, receiver: Receiver, env: str
) -> None:
    """Rows saved before the check (every loopback spelling) are refused at delivery, in
    every environment, and the log says why."""
    assert world.assigned
    app.config["ENV_NAME"] = env
    for host in LOOPBACK_FORMS:
        db.session.add(
            Webhook(
                organization_id=world.users["admin"].organization_id,
                url=f"http://{host}:{receiver.port}/hook",
                events=["attempt.finished"],
                secret=registry.new_secret(),
                created_by_id=world.users["admin"].id,
            )
        )
    db.session.commit()
    webhooks.emit(db.session, webhooks.ATTEMPT_FINISHED, world.assigned)
    db.session.commit()
    assert runner.run_once(app) == 0
    assert receiver.requests == []
    rows = db.session.scalars(sa.select(WebhookDelivery)).all()
    assert len(rows) == len(LOOPBACK_FORMS)
    for row in rows:
        assert row.error
        assert row.error.startswith("refused: ")
        assert "loopback" in row.error


def test_a_name_is_resolved_once_and_its_checked_address_is_called(
    app: Flask, world: World, receiver: Receiver
) -> None:
    """DNS rebinding: the first answer is checked and called; a later, different answer is
    never asked for, and the Host header keeps the name."""
    assert world.assigned
    asked, resolve = answering({"rebind.test": [["127.0.0.1"], ["10.255.255.1"]]})
    url = f"http://rebind.test:{receiver.port}/hook"
    registry.register(db.session, world.users["admin"], url, ["attempt.finished"], allow=LOCAL)
    webhooks.emit(db.session, webhooks.ATTEMPT_FINISHED, world.assigned)
    db.session.commit()
    sent = webhooks.deliver_due(db.session, utcnow(), allow=LOCAL, resolve=resolve)  # type: ignore[arg-type]
    assert sent == 1
    assert asked == ["rebind.test"]
    assert receiver.requests[0]["headers"]["Host"] == f"rebind.test:{receiver.port}"
    assert receiver.requests[0]["path"] == "/hook"


def test_a_public_answer_followed_by_a_private_one_is_refused(app: Flask, world: World) -> None:
    """Any private address among a name's answers refuses the delivery (nothing is called)."""
    assert world.assigned
    _, resolve = answering({"mixed.test": [["8.8.8.8", "127.0.0.1"]]})
    db.session.add(
        Webhook(
            organization_id=world.users["admin"].organization_id,
            url="https://mixed.test/hook",
            events=["attempt.finished"],
            secret=registry.new_secret(),
            created_by_id=world.users["admin"].id,
        )
    )
    webhooks.emit(db.session, webhooks.ATTEMPT_FINISHED, world.assigned)
    db.session.commit()
    called: list[str] = []
    webhooks.deliver_due(
        db.session,
        utcnow(),
        http_post=lambda target, *rest: called.append(target.url) or 200,
        resolve=resolve,  # type: ignore[arg-type]
    )
    row = db.session.scalars(sa.select(WebhookDelivery)).one()
    assert called == []
    assert row.status is DeliveryStatus.PENDING
    assert row.error == (
        "refused: mixed.test resolves to 127.0.0.1, which is a loopback address; "
        "webhooks are sent to public addresses only"
    )


def _openssl(*args: str, cwd: Path) -> None:
    """Run openssl quietly in ``cwd``."""
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway CA and a server certificate for ``hooks.test`` signed by it."""
    require(None if shutil.which("openssl") else "openssl not found", "openssl")
    where = tmp_path_factory.mktemp("tls")
    curve = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    _openssl(
        "req", "-x509", *curve, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=Assess test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        cwd=where,
    )  # fmt: skip
    _openssl(
        "req", *curve, "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=hooks.test",
        cwd=where,
    )  # fmt: skip
    (where / "leaf.ext").write_text(
        "subjectAltName=DNS:hooks.test\nbasicConstraints=CA:FALSE\n"
        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
        "authorityKeyIdentifier=keyid,issuer\n"
    )
    _openssl(
        "x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "leaf.pem", "-days", "2", "-extfile", "leaf.ext",
        cwd=where,
    )  # fmt: skip
    return where


@pytest.fixture
def tls_receiver(certificates: Path) -> Iterator[Receiver]:
    """An HTTPS receiver on 127.0.0.1 presenting the ``hooks.test`` certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificates / "leaf.pem", certificates / "leaf.key")
    server = Receiver(tls=context)
    try:
        yield server
    finally:
        server.close()


def _trusting(certificates: Path) -> delivery.HttpPost:
    """The real poster, trusting the test CA instead of the system's."""
    context = ssl.create_default_context(cafile=str(certificates / "ca.pem"))
    return functools.partial(delivery.pinned_post, context=context)


def test_https_is_pinned_with_sni_and_certificate_checks(
    app: Flask, world: World, tls_receiver: Receiver, certificates: Path
) -> None:
    """HTTPS goes to the checked address with SNI, Host and certificate for the name."""
    assert world.assigned
    asked, resolve = answering({"hooks.test": [["127.0.0.1"], ["10.255.255.1"]]})
    url = f"https://hooks.test:{tls_receiver.port}/hook"
    registry.register(db.session, world.users["admin"], url, ["attempt.finished"], allow=LOCAL)
    webhooks.emit(db.session, webhooks.ATTEMPT_FINISHED, world.assigned)
    db.session.commit()
    sent = webhooks.deliver_due(
        db.session,
        utcnow(),
        http_post=_trusting(certificates),
        allow=LOCAL,
        resolve=resolve,  # type: ignore[arg-type]
    )
    assert sent == 1
    assert asked == ["hooks.test"]
    assert tls_receiver.server_names == ["hooks.test"]
    assert tls_receiver.requests[0]["headers"]["Host"] == f"hooks.test:{tls_receiver.port}"


def test_a_certificate_for_another_name_is_refused(
    app: Flask, world: World, tls_receiver: Receiver, certificates: Path
) -> None:
    """Connecting by address never weakens TLS: a certificate not for the URL's host fails."""
    assert world.assigned
    _, resolve = answering({"other.test": [["127.0.0.1"]]})
    url = f"https://other.test:{tls_receiver.port}/hook"
    registry.register(db.session, world.users["admin"], url, ["attempt.finished"], allow=LOCAL)
    webhooks.emit(db.session, webhooks.ATTEMPT_FINISHED, world.assigned)
    db.session.commit()
    sent = webhooks.deliver_due(
        db.session,
        utcnow(),
        http_post=_trusting(certificates),
        allow=LOCAL,
        resolve=resolve,  # type: ignore[arg-type]
    )
    assert sent == 0
    assert tls_receiver.requests == []
    row = db.session.scalars(sa.select(WebhookDelivery)).one()
    assert row.error
    assert "SSLCertVerificationError" in row.error
    assert "other.test" in row.error


def test_the_setting_is_read_and_checked_at_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``ASSESS_WEBHOOK_ALLOW_PRIVATE`` reaches the config; a malformed entry stops the app."""
    settings = {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"}
    monkeypatch.setenv("ASSESS_WEBHOOK_ALLOW_PRIVATE", "127.0.0.0/8, receiver.internal")
    built = create_app(settings)
    assert runner.allow_list(built).allows_host("receiver.internal")
    monkeypatch.setenv("ASSESS_WEBHOOK_ALLOW_PRIVATE", "127.0.0.0/8, not/a/network")
    with pytest.raises(ConfigurationError, match="'not/a/network'"):
        create_app(settings)
    monkeypatch.delenv("ASSESS_WEBHOOK_ALLOW_PRIVATE")
    assert runner.allow_list(create_app(settings)) == AllowList()
