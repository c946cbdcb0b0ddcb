"""Hidden checks: webhook deliveries through the Flask test client, with Redis read directly.

Every probe uses its own account names and event ids (all start with ``p-<probe>-``)."""

import os
import sys
import threading

from probekit import probe

URL = "/webhooks/payments"
JSON = "application/json"


def _redis():
    import redis

    return redis.Redis.from_url(os.environ["REDIS_URL"])


def _event(event_id, account, amount=1000, kind="payment.succeeded"):
    return {"id": event_id, "type": kind, "amount": amount, "account": account}


def _answer(response):
    """What a response says: its status code and its JSON body (None when not JSON)."""
    return [response.status_code, response.get_json(silent=True)]


def _post(client, body):
    return _answer(client.post(URL, json=body))


def _balance(client, account):
    return _answer(client.get(f"/accounts/{account}/balance"))


def _stored(account):
    """The raw balance key as an int, or None when it does not exist."""
    raw = _redis().get(f"balance:{account}")
    return None if raw is None else int(raw)


def _claimed(event_id):
    return bool(_redis().exists(f"webhook:event:{event_id}"))


def _together(app, jobs):
    """Run each job (a list of event bodies, posted one after another) in its own thread
    with its own test client, all threads released at once; every answer, sorted."""
    barrier = threading.Barrier(len(jobs))
    answers = [[] for _ in jobs]

    def run(index, bodies):
        client = app.test_client()
        barrier.wait(timeout=10)
        for body in bodies:
            answers[index].append(_post(client, body))

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)
    finally:
        sys.setswitchinterval(interval)
    return sorted((answer for job in answers for answer in job), key=repr)


def _app(solution):
    return solution.create_app()


@probe("first-delivery-processed", weight=2)
def _(solution):
    client = _app(solution).test_client()
    account = "p-first-acme"
    first = _post(client, _event("p-first-1", account, 2500))
    return {"answer": first, "balance": _balance(client, account), "stored": _stored(account)}


@probe("refund-subtracts")
def _(solution):
    client = _app(solution).test_client()
    paid, refunded_only = "p-refund-paid", "p-refund-only"
    answers = [
        _post(client, _event("p-refund-1", paid, 1000)),
        _post(client, _event("p-refund-2", paid, 300, "payment.refunded")),
        _post(client, _event("p-refund-3", refunded_only, 450, "payment.refunded")),
    ]
    return {
        "answers": answers,
        "paid": _balance(client, paid),
        "refunded_only": _balance(client, refunded_only),
    }


@probe("sequential-duplicates-count-once", weight=3)
def _(solution):
    client = _app(solution).test_client()
    account = "p-seq-acme"
    paid = _event("p-seq-1", account, 700)
    refund = _event("p-seq-2", account, 200, "payment.refunded")
    answers = [_post(client, body) for body in (paid, paid, refund, paid, refund, refund)]
    return {"answers": answers, "balance": _balance(client, account), "stored": _stored(account)}


@probe("duplicate-by-id-alone")
def _(solution):
    client = _app(solution).test_client()
    first, other = "p-byid-first", "p-byid-other"
    answers = [
        _post(client, _event("p-byid-1", first, 500)),
        _post(client, _event("p-byid-1", first, 9000)),
        _post(client, _event("p-byid-1", first, 500, "payment.refunded")),
        _post(client, _event("p-byid-1", other, 500)),
    ]
    return {
        "answers": answers,
        "first": _balance(client, first),
        "other": _balance(client, other),
    }


@probe("claim-key-and-ttl")
def _(solution):
    client = _app(solution).test_client()
    before = _claimed("p-ttl-1")
    answer = _post(client, _event("p-ttl-1", "p-ttl-acme", 100))
    ttl = _redis().ttl("webhook:event:p-ttl-1")
    return {
        "answer": answer,
        "claimed_before": before,
        "claimed_after": _claimed("p-ttl-1"),
        "ttl_in_range": 86300 < ttl <= 86400,
    }


@probe("concurrent-duplicates-count-once", weight=3, timeout=25)
def _(solution):
    app = _app(solution)
    rounds = []
    for n in range(4):
        account = f"p-conc-acme-{n}"
        body = _event(f"p-conc-{n}", account, 1000 + n)
        answers = _together(app, [[body] for _ in range(8)])
        rounds.append({"answers": answers, "stored": _stored(account)})
    return rounds


@probe("concurrent-events-all-count", weight=2, timeout=25)
def _(solution):
    app = _app(solution)
    account = "p-many-acme"
    jobs = [
        [_event(f"p-many-{t}-{k}", account, 100 + t * 10 + k) for k in range(6)] for t in range(8)
    ]
    answers = _together(app, jobs)
    return {
        "processed": sum(1 for answer in answers if answer == [200, {"status": "processed"}]),
        "other": [answer for answer in answers if answer != [200, {"status": "processed"}]],
        "stored": _stored(account),
    }


@probe("failure-releases-claim", weight=3)
def _(solution):
    account = "p-fail-acme"
    body = _event("p-fail-1", account, 900)
    app = _app(solution)
    client = app.test_client()
    app.config["PAYHOOKS_FAIL_PROCESSING"] = True
    failed = [_post(client, body), _post(client, body)]
    after_failure = {"claimed": _claimed("p-fail-1"), "balance": _balance(client, account)}
    app.config["PAYHOOKS_FAIL_PROCESSING"] = False
    retried = [_post(client, body), _post(client, body)]
    return {
        "failed": failed,
        "after_failure": after_failure,
        "retried": retried,
        "balance": _balance(client, account),
        "claimed": _claimed("p-fail-1"),
    }


@probe("failure-on-another-app-instance")
def _(solution):
    account = "p-fail2-acme"
    body = _event("p-fail2-1", account, 350, "payment.refunded")
    failing = _app(solution)
    failing.config["PAYHOOKS_FAIL_PROCESSING"] = True
    failed = _post(failing.test_client(), body)
    healthy = _app(solution).test_client()
    return {
        "failed": failed,
        "retried": [_post(healthy, body), _post(healthy, body)],
        "balance": _balance(healthy, account),
    }


MALFORMED = {
    "id-missing": {"type": "payment.succeeded", "amount": 100, "account": "p-bad-a1"},
    "id-number": {"id": 42, "type": "payment.succeeded", "amount": 100, "account": "p-bad-a2"},
    "id-empty": _event("", "p-bad-a3", 100),
    "type-unknown": _event("p-bad-4", "p-bad-a4", 100, "payment.captured"),
    "type-missing": {"id": "p-bad-5", "amount": 100, "account": "p-bad-a5"},
    "amount-zero": _event("p-bad-6", "p-bad-a6", 0),
    "amount-negative": _event("p-bad-7", "p-bad-a7", -50),
    "amount-true": _event("p-bad-8", "p-bad-a8", True),
    "amount-float": _event("p-bad-9", "p-bad-a9", 12.5),
    "amount-string": _event("p-bad-10", "p-bad-a10", "100"),
    "amount-missing": {"id": "p-bad-11", "type": "payment.succeeded", "account": "p-bad-a11"},
    "account-empty": _event("p-bad-12", "", 100),
    "account-null": _event("p-bad-13", None, 100),
    "account-missing": {"id": "p-bad-14", "type": "payment.succeeded", "amount": 100},
}


@probe("malformed-events-rejected", weight=2)
def _(solution):
    client = _app(solution).test_client()
    answers = {name: _post(client, body) for name, body in MALFORMED.items()}
    accounts = [f"p-bad-a{n}" for n in range(1, 12)]
    return {"answers": answers, "stored": [_stored(account) for account in accounts]}


@probe("invalid-json-rejected")
def _(solution):
    client = _app(solution).test_client()
    bodies = ["not json", "[1, 2]", '"text"', "null", ""]
    return [_answer(client.post(URL, data=body, content_type=JSON)) for body in bodies]


@probe("rejected-event-claims-nothing")
def _(solution):
    client = _app(solution).test_client()
    account = "p-rej-acme"
    rejected = [
        _post(client, _event("p-rej-1", account, 0)),
        _post(client, _event("p-rej-1", "", 600)),
    ]
    claimed = _claimed("p-rej-1")
    accepted = _post(client, _event("p-rej-1", account, 600))
    return {
        "rejected": rejected,
        "claimed": claimed,
        "accepted": accepted,
        "balance": _balance(client, account),
    }


@probe("balance-reads-the-stored-key")
def _(solution):
    client = _app(solution).test_client()
    _redis().set("balance:p-preset-acme", 4200)
    before = _balance(client, "p-preset-acme")
    answer = _post(client, _event("p-preset-1", "p-preset-acme", 800))
    return {
        "unknown": _balance(client, "p-never-seen"),
        "before": before,
        "answer": answer,
        "after": _balance(client, "p-preset-acme"),
        "stored": _stored("p-preset-acme"),
    }
