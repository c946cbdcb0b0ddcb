"""A live server for socket tests and a small Yjs client speaking the real protocol."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import requests
from flask import Flask
from pycrdt import Decoder, Doc, Text, TransactionEvent
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect
from werkzeug.serving import make_server

from assess.live import protocol
from tests.conftest import PASSWORD, csrf_token


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a thread (werkzeug, threaded); yield its URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


def staff_session(base: str, email: str) -> requests.Session:
    """A browser-like session signed in through the real form."""
    http = requests.Session()
    page = http.get(f"{base}/login")
    response = http.post(
        f"{base}/login",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(page.text)},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    return http


def candidate_session(base: str, token: str) -> requests.Session:
    """A session holding the candidate's room from their link."""
    http = requests.Session()
    response = http.get(f"{base}/live/j/{token}", allow_redirects=False)
    assert response.status_code == 302, response.status_code
    return http


class YClient:
    """One participant: a pycrdt document synchronised over the room's socket."""

    def __init__(
        self, base: str, interview_id: int, http: requests.Session | None, origin: str | None = None
    ) -> None:
        """Connect with the session's cookies and User-Agent (sign-in binds the session to
        the browser) and, by default, this site's Origin."""
        self.doc = Doc()
        self.doc["main"] = Text()
        self.doc["tests"] = Text()
        self.frames: list[bytes] = []
        self.events: list[dict[str, Any]] = []
        self.lock = threading.RLock()
        self._applying = False
        headers = {}
        if http is not None:
            headers["Cookie"] = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
        url = base.replace("http://", "ws://") + f"/live/{interview_id}/socket"
        self.stack = ExitStack()
        self.ws = self.stack.enter_context(
            connect(
                url,
                origin=origin if origin is not None else base,  # type: ignore[arg-type]
                additional_headers=headers,
                user_agent_header=http.headers["User-Agent"] if http is not None else None,
                max_size=None,
                close_timeout=1,
            )
        )
        self.closed: tuple[Any, Any] | None = None
        self.doc.observe(self._on_change)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.send(protocol.step1(self.doc.get_state()))

    @property
    def main(self) -> Text:
        """The main file's shared text."""
        text: Text = self.doc["main"]
        return text

    def _on_change(self, event: TransactionEvent) -> None:
        """Send local edits as updates (never echo what came from the server)."""
        if not self._applying and event.update != b"\x00\x00":
            self.send(protocol.update(event.update))

    def send(self, frame: bytes) -> None:
        """Send one frame, unless the socket closed."""
        if self.closed is None:
            try:
                with self.lock:
                    self.ws.send(frame)
            except ConnectionClosed as exc:
                self._closed_by(exc)

    def _read(self) -> None:
        """Apply what the server sends until the socket closes."""
        while True:
            try:
                frame = self.ws.recv()
            except ConnectionClosed as exc:
                self._closed_by(exc)
                return
            except Exception as exc:  # the test reports it through ``closed``
                self.closed = ("error", repr(exc))
                return
            if isinstance(frame, str):
                frame = frame.encode()
            with self.lock:
                self.frames.append(frame)
                self._handle(frame)

    def _closed_by(self, exc: ConnectionClosed) -> None:
        """Remember the close code and reason the server gave."""
        received = exc.rcvd
        self.closed = (received.code, received.reason) if received else (None, None)

    def _handle(self, frame: bytes) -> None:
        """Answer sync step 1, apply step 2 and updates, record room events."""
        if frame[0] == protocol.ROOM_EVENT:
            decoder = Decoder(frame)
            decoder.read_var_uint()
            self.events.append(json.loads(decoder.read_var_string()))
            return
        if frame[0] != 0:
            return
        parsed = protocol.parse(frame)
        if parsed.kind == "step1":
            self.send(protocol.step2(self.doc.get_update(parsed.payload)))
        else:
            self._applying = True
            try:
                self.doc.apply_update(parsed.payload)
            finally:
                self._applying = False

    def type(self, text: str, at: int | None = None) -> None:
        """Insert ``text`` into the main file (at the end by default)."""
        with self.lock, self.doc.transaction():
            self.main.insert(len(str(self.main)) if at is None else at, text)

    def close(self) -> None:
        """Leave the room."""
        self.stack.close()


def wait_until(check: Any, seconds: float = 10.0, what: str = "the condition") -> None:
    """Poll ``check()`` until true, else fail naming ``what``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
