"""Hidden checks of GET /events: every probe empties the events table, inserts its own rows
with SQL and pages through them with the Flask test client, passing back only the cursors
the server returned. Items are reported by their kind (unique per row in a probe), marked
when the id does not belong to that row."""

from datetime import datetime, timezone

import psycopg

from probekit import explain, probe

BASE = "2026-03-01 12:00:{:02d}+00"


def setup(feed, rows):
    """A test client on an events table holding exactly ``rows`` [(kind, created_at)], and
    the ids the rows got, by id."""
    app = feed.create_app()
    with psycopg.connect(autocommit=True) as conn:
        conn.execute("DELETE FROM events")
    return app.test_client(), insert(rows)


def insert(rows):
    """Insert ``rows`` [(kind, created_at)] in this order; {id: kind}."""
    names = {}
    with psycopg.connect(autocommit=True) as conn:
        for kind, created_at in rows:
            (event_id,) = conn.execute(
                "INSERT INTO events (created_at, kind) VALUES (%s::timestamptz, %s) RETURNING id",
                (created_at, kind),
            ).fetchone()
            names[event_id] = kind
    return names


def get(client, **params):
    """(status, decoded JSON body) of GET /events with these query parameters."""
    try:
        response = client.get("/events", query_string=params)
    except Exception as exc:  # noqa: BLE001 - an exception escaping the app is an observation
        return "raised " + type(exc).__name__, None
    return response.status_code, response.get_json(force=True, silent=True)


def label(item, names):
    """The kind of one item, marked when its id is not the id of that row."""
    if type(item) is not dict:
        return "not an object"
    kind = item.get("kind")
    if type(kind) is not str:
        return "no kind"
    return kind if names.get(item.get("id")) == kind else kind + " (wrong id)"


def page_of(status, body, names):
    """One page as [status, kinds in order, next_cursor kind]."""
    if status != 200 or type(body) is not dict or type(body.get("items")) is not list:
        return [status, body, None]
    following = body.get("next_cursor")
    shape = "null" if following is None else type(following).__name__
    return [status, [label(item, names) for item in body["items"]], shape]


def walk(client, names, limit=None, pages=12, between=None):
    """Follow next_cursor from the first page until it is null (at most ``pages`` pages);
    ``between(n)`` runs after page n."""
    seen = []
    params = {} if limit is None else {"limit": str(limit)}
    for n in range(pages):
        status, body = get(client, **params)
        seen.append(page_of(status, body, names))
        following = body.get("next_cursor") if type(body) is dict else None
        if status != 200 or type(following) is not str:
            break
        if between is not None:
            between(n, names)
        params = {**params, "cursor": following}
    return seen


@probe("first-page-newest-first", weight=2)
def _(feed):
    rows = [
        ("f1", BASE.format(3)),
        ("f2", BASE.format(9)),
        ("f3", BASE.format(3)),
        ("f4", BASE.format(1)),
        ("f5", BASE.format(9)),
        ("f6", BASE.format(5)),
        ("f7", BASE.format(3)),
        ("f8", BASE.format(0)),
    ]
    client, names = setup(feed, rows)
    status, body = get(client, limit="5")
    if type(body) is not dict:
        return [status, body]
    items = body.get("items")
    keys = sorted(items[0]) if type(items) is list and items and type(items[0]) is dict else None
    return [page_of(status, body, names), sorted(body), keys]


@probe("created-at-format")
def _(feed):
    rows = [
        ("t1", "2026-03-01 12:00:00+00"),
        ("t2", "2026-03-01 17:30:00.25+05:30"),
        ("t3", "2026-02-28 20:15:00.000001-08"),
        ("t4", "2026-03-01 11:59:59.999999+00"),
    ]
    client, names = setup(feed, rows)
    status, body = get(client, limit="10")
    if status != 200 or type(body) is not dict or type(body.get("items")) is not list:
        return [status, body]
    return [[label(item, names), item.get("created_at")] for item in body["items"]]


@probe("walk-ties-across-pages", weight=3)
def _(feed):
    stamps = [3, 1, 1, 2, 1, 3, 1, 2, 1, 3, 0, 1, 1]
    client, names = setup(feed, [(f"w{n}", BASE.format(s)) for n, s in enumerate(stamps, 1)])
    return [walk(client, names, limit=3), walk(client, names, limit=2)]


@probe("walk-microseconds")
def _(feed):
    rows = [
        ("m1", "2026-03-01 12:00:00.000002+00"),
        ("m2", "2026-03-01 12:00:00.5+00"),
        ("m3", "2026-03-01 12:00:00.000001+00"),
        ("m4", "2026-03-01 12:00:01+00"),
        ("m5", "2026-03-01 11:59:59.999999+00"),
        ("m6", "2026-03-01 12:00:00.999999+00"),
        ("m7", "2026-03-01 12:00:00.5+00"),
    ]
    client, names = setup(feed, rows)
    return walk(client, names, limit=2)


@probe("newer-rows-between-pages", weight=3)
def _(feed):
    stamps = [4, 2, 6, 2, 8, 4, 2, 6, 1]
    client, names = setup(feed, [(f"b{n}", BASE.format(s)) for n, s in enumerate(stamps, 1)])
    newer = [[("c1", BASE.format(8)), ("c2", BASE.format(30))], [("c3", BASE.format(45))]]

    def add(n, names):
        if n < len(newer):
            names.update(insert(newer[n]))

    return walk(client, names, limit=4, between=add)


@probe("next-cursor-null-at-the-end", weight=2)
def _(feed):
    client, names = setup(feed, [(f"e{n}", BASE.format(n % 4)) for n in range(1, 7)])
    exact = walk(client, names, limit=3)
    whole = walk(client, names, limit=10)
    with psycopg.connect(autocommit=True) as conn:
        conn.execute("DELETE FROM events")
    empty = walk(client, {}, limit=5)
    return [exact, whole, empty]


@probe("default-limit")
def _(feed):
    client, names = setup(feed, [(f"d{n:02d}", BASE.format(n)) for n in range(1, 26)])
    return walk(client, names)


@probe("limit-bounds-accepted")
def _(feed):
    rows = [(f"l{n:03d}", f"2026-03-01 12:{n // 60:02d}:{n % 60:02d}+00") for n in range(101)]
    client, names = setup(feed, rows)
    one = page_of(*get(client, limit="1"), names)
    status, body = get(client, limit="100")
    if status == 200 and type(body) is dict and type(body.get("items")) is list:
        kinds = page_of(status, body, names)[1]
        hundred = [status, len(kinds), kinds[:2], kinds[-2:], body.get("next_cursor") is None]
    else:
        hundred = [status, body]
    return [one, hundred]


@probe("limit-invalid")
def _(feed):
    client, _names = setup(feed, [("i1", BASE.format(1)), ("i2", BASE.format(2))])
    return [[value, *get(client, limit=value)] for value in ["0", "101", "-1", "abc", "2.5"]]


# Strings no server issues: empty, not base64, base64 of random bytes (standard and URL-safe
# alphabets), base64 of JSON with values of the wrong types, base64 of JSON null.
BROKEN_CURSORS = [
    "",
    "abc",
    "q/4AE5nL+w/AAdV+gQ==",
    "_-4QmQP6-4DB",
    "eyJjcmVhdGVkX2F0IjogMTIzNDUsICJpZCI6ICJzZXZlbiJ9",
    "WyJ5ZXN0ZXJkYXkiLCAic2V2ZW4iXQ==",
    "bnVsbA==",
]


@probe("invalid-cursor-400", weight=2)
def _(feed):
    client, _names = setup(feed, [("x1", BASE.format(1)), ("x2", BASE.format(2))])
    return [[cursor, *get(client, cursor=cursor, limit="1")] for cursor in BROKEN_CURSORS]


@probe("index-serves-keyset-order", weight=2)
def _(feed):
    feed.create_app()
    nodes = explain(
        "SELECT id FROM events WHERE (created_at, id) < (%s, %s)"
        " ORDER BY created_at DESC, id DESC LIMIT 20",
        (datetime(2026, 3, 1, 12, tzinfo=timezone.utc), 10**12),
    )
    return {
        "index-scan-on-events": any(
            node.startswith(("Index Scan", "Index Only Scan")) and node.endswith(" on events")
            for node in nodes
        ),
        "sort": any("Sort" in node for node in nodes),
    }
