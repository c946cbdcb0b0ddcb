"""Runs ``flask worker`` with a short lease, as the restart tests need (``python -m``)."""

from __future__ import annotations

import os

from assess import create_app
from assess.grading.worker import worker_command


def main() -> None:
    """Build the app with the test's lease and run the worker until it is stopped."""
    app = create_app({"GRADING_LEASE_SECONDS": int(os.environ.get("TEST_LEASE_SECONDS", "6"))})
    with app.app_context():
        worker_command.main(args=["--sweep-seconds", "1"], standalone_mode=False)


if __name__ == "__main__":
    main()
