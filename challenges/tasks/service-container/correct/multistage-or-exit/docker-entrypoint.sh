#!/bin/sh
# Migrate the database, then replace this shell with the command the container was given.
# A failed migration stops here with the migration's own exit status.
python -m shipping.migrate || exit "$?"
# "$@" keeps every argument exactly as given: no splitting, no globbing, empty ones kept.
exec "$@"
