#!/bin/sh
# Migrate the database, then become the command the container was given (exec), so that
# it is the container's main process: `docker stop` signals reach it and its exit status
# is the container's. A failed migration stops the start with its own status.
set -eu
python -m shipping.migrate
exec "$@"
