"""POST /users and GET /users/<id> through the test client, against PostgreSQL."""

from __future__ import annotations


def test_sign_up_returns_the_user_and_its_location(client, email):
    resp = client.post("/users", json={"email": email, "name": "Ada Lovelace"})
    assert resp.status_code == 201
    body = resp.get_json()
    assert body == {"id": body["id"], "email": email, "name": "Ada Lovelace"}
    assert resp.headers["Location"] == f"/users/{body['id']}"


def test_get_returns_the_stored_user(client, email):
    created = client.post("/users", json={"email": email, "name": "Grace"}).get_json()
    resp = client.get(f"/users/{created['id']}")
    assert resp.status_code == 200
    assert resp.get_json() == created


def test_unknown_user_is_404(client):
    resp = client.get("/users/2000000000")
    assert resp.status_code == 404
    assert resp.get_json() == {"error": "not_found"}


def test_email_is_trimmed_and_lower_cased(client, email):
    resp = client.post("/users", json={"email": f"  {email.upper()} ", "name": " Ann "})
    assert resp.status_code == 201
    assert resp.get_json()["email"] == email
    assert resp.get_json()["name"] == "Ann"


def test_body_that_is_not_json_is_400(client):
    resp = client.post("/users", data="{not json", content_type="application/json")
    assert resp.status_code == 400
    assert resp.get_json() == {"error": "invalid_json"}


def test_missing_email_is_400(client):
    resp = client.post("/users", json={"name": "Nobody"})
    assert resp.status_code == 400
    assert resp.get_json() == {"error": "missing_field", "field": "email"}


def test_email_without_at_is_invalid(client):
    resp = client.post("/users", json={"email": "ann.example.com", "name": "Ann"})
    assert resp.status_code == 400
    assert resp.get_json() == {"error": "invalid_field", "field": "email"}


def test_same_email_in_other_case_is_409(client, email):
    assert client.post("/users", json={"email": email, "name": "First"}).status_code == 201
    resp = client.post("/users", json={"email": email.upper(), "name": "Second"})
    assert resp.status_code == 409
    assert resp.get_json() == {"error": "duplicate_email"}


def test_a_quote_in_the_name_is_stored(client, email):
    resp = client.post("/users", json={"email": email, "name": "Miles O'Brien"})
    assert resp.status_code == 201
    assert client.get(f"/users/{resp.get_json()['id']}").get_json()["name"] == "Miles O'Brien"
