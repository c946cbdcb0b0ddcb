"""Hidden checks: each builds the app with ``accounts.create_app()`` and drives it through
Flask's test client against the real PostgreSQL database; every check uses its own e-mail
addresses. A created user's id is reported by its type only (ids depend on the order of the
checks), and the Location header by whether it equals ``/users/<id>``."""

import json
import threading
import time

import psycopg

from probekit import probe

JSON = "application/json"


def decoded(resp):
    """The response body as JSON data, or "not JSON"."""
    try:
        return json.loads(resp.get_data(as_text=True))
    except ValueError:
        return "not JSON"


def send(client, method, path, **kwargs):
    """The response, or a marker when the app raised instead of answering."""
    try:
        return client.open(path, method=method, **kwargs)
    except Exception:
        return None


def post(client, payload):
    """POST /users with ``payload`` as JSON."""
    return send(client, "POST", "/users", json=payload)


def seen(resp, location=False):
    """Status and decoded body, the id replaced by its type name."""
    if resp is None:
        return "raised"
    body = decoded(resp)
    out = {"status": resp.status_code, "body": body}
    if isinstance(body, dict) and "id" in body:
        out["body"] = {**body, "id": type(body["id"]).__name__}
        if location:
            out["location"] = resp.headers.get("Location") == f"/users/{body['id']}"
    return out


def created_id(resp):
    """The id of a 201 response, or None."""
    if resp is None or resp.status_code != 201:
        return None
    body = decoded(resp)
    if isinstance(body, dict) and type(body.get("id")) is int:
        return body["id"]
    return None


def rows(email):
    """[email, name] of every row of users whose lower(email) is ``email``, oldest first."""
    with psycopg.connect(autocommit=True) as conn:
        found = conn.execute(
            "SELECT email, name FROM users WHERE lower(email) = %s ORDER BY id", (email,)
        ).fetchall()
    return [list(row) for row in found]


def created_and_fetched(client, payload):
    """The POST's observation, then what GET /users/<id> returns and whether it equals the
    POST's body."""
    resp = post(client, payload)
    out = {"post": seen(resp)}
    user_id = created_id(resp)
    if user_id is not None:
        got = send(client, "GET", f"/users/{user_id}")
        out["get"] = seen(got)
        out["same"] = got is not None and decoded(got) == decoded(resp)
    return out


@probe("create-user", weight=3)
def _(accounts):
    client = accounts.create_app().test_client()
    return seen(post(client, {"email": "ada@example.com", "name": "Ada Lovelace"}), True)


@probe("get-created-user", weight=2)
def _(accounts):
    client = accounts.create_app().test_client()
    return created_and_fetched(client, {"email": "grace@example.com", "name": "Grace Hopper"})


@probe("get-unknown-user")
def _(accounts):
    client = accounts.create_app().test_client()
    return seen(send(client, "GET", "/users/2000000000"))


@probe("email-and-name-trimmed", weight=2)
def _(accounts):
    client = accounts.create_app().test_client()
    out = created_and_fetched(
        client, {"email": "  Mixed.Case@Example.COM ", "name": "  Ann  Lee   "}
    )
    out["rows"] = rows("mixed.case@example.com")
    return out


@probe("body-not-a-json-object", weight=2)
def _(accounts):
    client = accounts.create_app().test_client()
    bodies = [
        '{"email": "broken@example.com", ',
        '[{"email": "array@example.com", "name": "Array"}]',
        '"string@example.com"',
        "42",
        "null",
        "",
    ]
    return [seen(send(client, "POST", "/users", data=body, content_type=JSON)) for body in bodies]


@probe("missing-fields")
def _(accounts):
    client = accounts.create_app().test_client()
    payloads = [
        {},
        {"name": "Bob"},
        {"email": "bob@example.com"},
        {"email": "bob@example.com", "name": "Bob"},
    ]
    return [seen(post(client, payload)) for payload in payloads]


@probe("fields-of-wrong-type")
def _(accounts):
    client = accounts.create_app().test_client()
    payloads = [
        {"email": None, "name": "Typed"},
        {"email": 42, "name": "Typed"},
        {"email": ["typed@example.com"], "name": "Typed"},
        {"email": "typed@example.com", "name": None},
        {"email": "typed@example.com", "name": 7},
        {"email": "typed@example.com", "name": True},
        {"email": "typed@example.com", "name": {"first": "Typed"}},
    ]
    return [seen(post(client, payload)) for payload in payloads]


@probe("email-format-rejected", weight=2)
def _(accounts):
    client = accounts.create_app().test_client()
    emails = [
        "fmt.example.com",
        "fmt@@example.com",
        "fmt@mail@example.com",
        "@example.com",
        "fmt@",
        "fmt@localhost",
        "fmt@.example.com",
        "fmt@example.com.",
        "fmt one@example.com",
        "fmt@exa mple.com",
        "",
        "   ",
    ]
    return [seen(post(client, {"email": email, "name": "Format"})) for email in emails]


@probe("unusual-emails-accepted")
def _(accounts):
    client = accounts.create_app().test_client()
    emails = [
        "o'neil+news@mail.example.org",
        "x@y.z",
        "first.last@sub-domain.example.co.uk",
        "UPPER.Case@Example.Org",
    ]
    return [seen(post(client, {"email": email, "name": "Unusual"})) for email in emails]


@probe("email-length-limit")
def _(accounts):
    client = accounts.create_app().test_client()
    longest = "l" * 242 + "@example.com"  # 254 characters
    too_long = "m" * 243 + "@example.com"  # 255 characters
    return [
        seen(post(client, {"email": f"  {longest}  ", "name": "Longest"})),
        seen(post(client, {"email": too_long, "name": "Too long"})),
    ]


@probe("name-rules")
def _(accounts):
    client = accounts.create_app().test_client()
    names = ["", "    ", "n" * 101, "  " + "n" * 100 + "  "]
    return [seen(post(client, {"email": "names@example.com", "name": name})) for name in names]


@probe("first-failing-field-reported")
def _(accounts):
    client = accounts.create_app().test_client()
    payloads = [
        {"name": ""},
        {"email": "order-at-example.com", "name": ""},
        {"email": "order-at-example.com"},
        {"email": "order@example.com", "name": ""},
    ]
    return [seen(post(client, payload)) for payload in payloads]


@probe("duplicate-email", weight=3)
def _(accounts):
    client = accounts.create_app().test_client()
    first = seen(post(client, {"email": "dup@example.com", "name": "First"}))
    again = seen(post(client, {"email": " DUP@Example.com ", "name": "Second"}))
    return {"first": first, "again": again, "rows": rows("dup@example.com")}


@probe("invalid-request-before-duplicate")
def _(accounts):
    client = accounts.create_app().test_client()
    return [
        seen(post(client, {"email": "taken@example.com", "name": "Taken"})),
        seen(post(client, {"email": "Taken@example.com", "name": "  "})),
        seen(post(client, {"email": "taken@example.com"})),
        seen(post(client, {"email": "TAKEN@example.com", "name": "Taken again"})),
    ]


@probe("quotes-in-values", weight=2)
def _(accounts):
    client = accounts.create_app().test_client()
    return [
        created_and_fetched(client, {"email": "o'hara@example.com", "name": "Scarlett O'Hara"}),
        created_and_fetched(client, {"email": "quote@example.com", "name": "x' OR '1'='1"}),
        rows("o'hara@example.com"),
    ]


@probe("extra-keys-ignored")
def _(accounts):
    client = accounts.create_app().test_client()
    payload = {"email": "extra@example.com", "name": "Extra", "role": "admin", "active": True}
    return created_and_fetched(client, payload)


def wait_for_lock_wait(thread, seconds=10.0):
    """Return once some session of the database waits for a lock (or the thread ended, or
    ``seconds`` passed)."""
    with psycopg.connect(autocommit=True) as conn:
        end = time.monotonic() + seconds
        while thread.is_alive() and time.monotonic() < end:
            (waiting,) = conn.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND datname = current_database()"
            ).fetchone()
            if waiting:
                return
            time.sleep(0.02)


@probe("insert-racing-another-transaction", weight=2)
def _(accounts):
    app = accounts.create_app()
    email = "other-transaction@example.com"
    answer = {}

    def sign_up():
        answer["seen"] = seen(post(app.test_client(), {"email": email, "name": "Racer"}))

    with psycopg.connect() as other:  # its own transaction, committed below
        other.execute("INSERT INTO users (email, name) VALUES (%s, %s)", (email, "Other"))
        thread = threading.Thread(target=sign_up, daemon=True)
        thread.start()
        wait_for_lock_wait(thread)
        other.commit()
    thread.join(15)
    return {"answer": answer.get("seen", "no answer"), "rows": rows(email)}


@probe("two-requests-at-once")
def _(accounts):
    app = accounts.create_app()
    email = "twins@example.com"
    barrier = threading.Barrier(2)
    answers = {}

    def sign_up(n, address):
        client = app.test_client()
        barrier.wait(10)
        answers[n] = post(client, {"email": address, "name": f"Twin {n}"})

    threads = [
        threading.Thread(target=sign_up, args=(n, address), daemon=True)
        for n, address in enumerate([email, email.upper()])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    statuses = sorted(answers[n].status_code if answers.get(n) is not None else 0 for n in range(2))
    refused = [
        decoded(answers[n])
        for n in range(2)
        if answers.get(n) is not None and answers[n].status_code != 201
    ]
    return {"statuses": statuses, "refused": refused, "rows": len(rows(email))}
