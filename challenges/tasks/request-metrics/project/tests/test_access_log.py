"""One JSON line per request on orders_service.access, and the X-Request-ID header."""

from __future__ import annotations

import json
import logging

import pytest


class Collect(logging.Handler):
    """Keeps the messages of the records it sees."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture()
def access_log(app):
    """The access logger's messages during the test (app built first)."""
    handler = Collect()
    logger = logging.getLogger("orders_service.access")
    logger.addHandler(handler)
    yield handler.messages
    logger.removeHandler(handler)


def test_one_json_line_per_request(client, access_log) -> None:
    """The line has exactly the documented keys and echoes the caller's request id."""
    response = client.get("/orders/999", headers={"X-Request-ID": "test-123"})
    assert response.headers["X-Request-ID"] == "test-123"
    assert len(access_log) == 1
    line = json.loads(access_log[0])
    assert sorted(line) == ["duration_ms", "method", "request_id", "route", "status"]
    assert line["route"] == "/orders/<int:order_id>"
    assert line["status"] == 404
    assert line["request_id"] == "test-123"


def test_invalid_request_id_is_replaced(client, access_log) -> None:
    """An id with a forbidden character is replaced by a uuid4 hex."""
    response = client.get("/health", headers={"X-Request-ID": "bad id!"})
    request_id = response.headers["X-Request-ID"]
    assert request_id != "bad id!"
    assert len(request_id) == 32
    assert json.loads(access_log[0])["request_id"] == request_id
