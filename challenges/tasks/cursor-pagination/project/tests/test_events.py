"""GET /events: newest first, keyset cursor, limit checks."""


def test_newest_first_with_ties_broken_by_id(client, add_event):
    """Rows with the same created_at come by id, highest first."""
    older = add_event("2026-03-01 12:00:00+00", "old")
    first = add_event("2026-03-01 12:00:05+00", "a")
    second = add_event("2026-03-01 12:00:05+00", "b")
    body = client.get("/events?limit=2").get_json()
    assert [item["id"] for item in body["items"]] == [second, first]
    assert body["items"][0] == {
        "id": second,
        "created_at": "2026-03-01T12:00:05.000000Z",
        "kind": "b",
    }
    assert isinstance(body["next_cursor"], str)
    rest = client.get("/events", query_string={"limit": 2, "cursor": body["next_cursor"]})
    assert rest.get_json() == {
        "items": [{"id": older, "created_at": "2026-03-01T12:00:00.000000Z", "kind": "old"}],
        "next_cursor": None,
    }


def test_limit_out_of_range(client):
    """A limit outside 1..100 is refused."""
    response = client.get("/events?limit=0")
    assert response.status_code == 400
    assert response.get_json() == {"error": "invalid_limit"}


def test_broken_cursor(client):
    """A cursor the server did not issue is refused."""
    response = client.get("/events?cursor=abc")
    assert response.status_code == 400
    assert response.get_json() == {"error": "invalid_cursor"}
