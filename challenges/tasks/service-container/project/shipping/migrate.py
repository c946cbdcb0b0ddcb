"""Create or upgrade the service's database: ``python -m shipping.migrate``.

Reads ``DATABASE_URL`` (``sqlite:///<path>``). Exits 0 when the schema is current, 2 when
the variable is missing or not a SQLite URL, 1 when the database cannot be opened.
"""

import os
import sqlite3
import sys

SCHEMA = "CREATE TABLE IF NOT EXISTS quote (id INTEGER PRIMARY KEY, zone TEXT, cents INTEGER)"


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("sqlite:///"):
        print("migrate: DATABASE_URL must be set to sqlite:///<path>", file=sys.stderr)
        return 2
    try:
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            db.execute(SCHEMA)
    except sqlite3.Error as exc:
        print(f"migrate: {exc}", file=sys.stderr)
        return 1
    print("migrate: schema is current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
