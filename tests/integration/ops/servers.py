"""Real processes for the operations tests: gunicorn, a private Redis, a private PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
VENV_BIN = Path(sys.executable).parent
PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(check: object, seconds: float, what: str) -> None:
    """Poll ``check()`` until it is true; raise TimeoutError naming ``what``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
                return
        except Exception:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{what} did not come up within {seconds:.0f}s")


def http_ok(url: str) -> bool:
    """Whether ``url`` answers 200."""
    with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback http
        return bool(response.status == 200)


def app_environment(extra: Mapping[str, str]) -> dict[str, str]:
    """The environment for a child process of the app."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSESS_", "PROMETHEUS"))}
    env.update({"PYTHONPATH": str(ROOT), "FLASK_APP": "wsgi", "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


class Gunicorn:
    """gunicorn serving wsgi:app with the project's config file."""

    def __init__(self, env: Mapping[str, str], log: Path, workers: int = 2) -> None:
        """Prepare on a free port."""
        self.port = free_port()
        self.env = app_environment({**env, "WEB_CONCURRENCY": str(workers),
                                    "ASSESS_BIND": f"127.0.0.1:{self.port}"})  # fmt: skip
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The base URL."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Gunicorn:
        """Start and wait until /healthz answers."""
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                [str(VENV_BIN / "gunicorn"), "--config", "gunicorn.conf.py", "wsgi:app"],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            wait_for(lambda: http_ok(self.url + "/healthz"), 30, "gunicorn")
        except TimeoutError:
            self.stop(5)
            raise TimeoutError(self.log.read_text()[-2000:]) from None
        return self

    def stop(self, timeout: float = 40) -> int:
        """SIGTERM, wait; returns the exit status."""
        if self.proc is None:
            return 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


class PrivateRedis:
    """A throwaway redis-server on its own port and directory."""

    def __init__(self, workdir: Path, persistent: bool = True) -> None:
        """Prepare; without persistence a restart loses every queued message."""
        self.port = free_port()
        self.dir = workdir
        self.persistent = persistent
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The Redis URL."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        """Start and wait for PONG."""
        from redis import Redis

        self.dir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
             str(self.dir), "--appendonly", "yes" if self.persistent else "no", "--save", ""],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(lambda: Redis.from_url(self.url).ping(), 10, "redis")
        return self

    def stop(self) -> None:
        """Stop it (SIGTERM)."""
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


def redis_problem() -> str | None:
    """None when redis-server can be started here."""
    return None if shutil.which("redis-server") else "redis-server is not installed"


def pg_bin() -> Path | None:
    """The PostgreSQL server binaries' folder."""
    for folder in PG_BIN_DIRS:
        if (folder / "initdb").exists():
            return folder
    return None


class PrivatePostgres:
    """A throwaway PostgreSQL cluster in a temporary folder, on its own port, run as the
    ``postgres`` user when the tests run as root."""

    def __init__(self) -> None:
        """Prepare in a new temporary folder the ``postgres`` user can reach."""
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="assess-pg-"))
        self.bin = pg_bin()
        self.data = self.dir / "data"

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of its ``assess`` database."""
        return f"postgresql+psycopg://assess:assess@127.0.0.1:{self.port}/assess"

    def _as_owner(self, argv: list[str]) -> None:
        """Run a server command as the cluster's owner."""
        if os.geteuid() == 0:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"{Path(argv[-1]).name}: {proc.stdout}{proc.stderr}"[-2000:])

    def init(self) -> PrivatePostgres:
        """Create the cluster, start it, create the role and database."""
        assert self.bin is not None
        self.dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        pwfile = self.dir / "pw"
        pwfile.write_text("assess\n")
        if os.geteuid() == 0:
            shutil.chown(pwfile, "postgres", "postgres")
        self._as_owner([str(self.bin / "initdb"), "-D", str(self.data), "-U", "assess",
                        "--pwfile", str(pwfile), "-A", "scram-sha-256", "--no-sync"])  # fmt: skip
        self.start()
        import sqlalchemy as sa

        engine = sa.create_engine(self.url.rsplit("/", 1)[0] + "/postgres",
                                  isolation_level="AUTOCOMMIT")  # fmt: skip
        with engine.connect() as connection:
            connection.execute(sa.text("CREATE DATABASE assess"))
        engine.dispose()
        return self

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        assert self.bin is not None
        self._as_owner([str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-l",
                        str(self.dir / "log"), "-o",
                        f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off",
                        "start"])  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``fast`` ends sessions, like a restart in production)."""
        assert self.bin is not None
        self._as_owner([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w",
                        "stop"])  # fmt: skip

    def remove(self) -> None:
        """Stop if running and delete the cluster."""
        with contextlib.suppress(RuntimeError):
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def postgres_server_problem() -> str | None:
    """None when a private PostgreSQL can be created here."""
    if pg_bin() is None:
        return "PostgreSQL server binaries (initdb) are not installed"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "no postgres user to own a private cluster"
    return None
