"""Walking every page, with ties, inserts between pages and bad input."""

import pytest

from feed.db import connect


def walk(client, limit):
    seen, cursor = [], None
    while True:
        query = {"limit": limit} if cursor is None else {"limit": limit, "cursor": cursor}
        body = client.get("/events", query_string=query).get_json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return seen


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 100])
def test_every_event_once_in_order(client, add_event, limit):
    ids = [add_event(f"2026-03-01 12:00:0{i % 3}+00", "k") for i in range(10)]
    expected = sorted(ids, key=lambda i: (ids.index(i) % 3, i), reverse=True)
    assert walk(client, limit) == expected


def test_newer_rows_do_not_shift_the_walk(client, add_event):
    ids = [add_event("2026-03-01 12:00:00+00", "k") for _ in range(5)]
    body = client.get("/events?limit=2").get_json()
    add_event("2026-03-02 00:00:00+00", "new")
    rest = client.get("/events", query_string={"limit": 10, "cursor": body["next_cursor"]})
    assert [i["id"] for i in rest.get_json()["items"]] == sorted(ids, reverse=True)[2:]


def test_microseconds_kept(client, add_event):
    a = add_event("2026-03-01 17:30:00.250001+05:30", "a")
    b = add_event("2026-03-01 17:30:00.25+05:30", "b")
    body = client.get("/events?limit=1").get_json()
    assert body["items"][0]["created_at"] == "2026-03-01T12:00:00.250001Z"
    rest = client.get("/events", query_string={"cursor": body["next_cursor"]}).get_json()
    assert rest == {
        "items": [{"id": b, "created_at": "2026-03-01T12:00:00.250000Z", "kind": "b"}],
        "next_cursor": None,
    }
    assert a != b


def test_last_page_exactly_full(client, add_event):
    add_event("2026-03-01 12:00:00+00", "a")
    add_event("2026-03-01 12:00:01+00", "b")
    assert client.get("/events?limit=2").get_json()["next_cursor"] is None
    assert client.get("/events").get_json() == {
        "items": client.get("/events").get_json()["items"],
        "next_cursor": None,
    }


@pytest.mark.parametrize("limit", ["0", "101", "-1", "abc", "2.5", "", " 5"])
def test_invalid_limits(client, limit):
    response = client.get("/events", query_string={"limit": limit})
    assert (response.status_code, response.get_json()) == (400, {"error": "invalid_limit"})


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "abc",
        "q/4AE5nL+w/AAdV+gQ==",
        "_-4QmQP6-4DB",
        "eyJjcmVhdGVkX2F0IjogMTIzNDUsICJpZCI6ICJzZXZlbiJ9",
        "WyJ5ZXN0ZXJkYXkiLCAic2V2ZW4iXQ==",
        "bnVsbA==",
        "p999999999999999999_1",
        "p1_99999999999999999999",
    ],
)
def test_invalid_cursors(client, cursor):
    response = client.get("/events", query_string={"limit": 5, "cursor": cursor})
    assert (response.status_code, response.get_json()) == (400, {"error": "invalid_cursor"})


def test_index_serves_the_keyset_query(client):
    with connect() as conn:
        conn.execute("SET enable_seqscan = off")
        plan = "\n".join(
            row[0]
            for row in conn.execute(
                "EXPLAIN SELECT id FROM events WHERE (created_at, id) < (now(), 5::bigint)"
                " ORDER BY created_at DESC, id DESC LIMIT 20"
            )
        )
    assert "Index" in plan and "Sort" not in plan
