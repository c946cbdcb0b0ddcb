#!/bin/sh
python -m shipping.migrate
status=$?
if [ "$status" -ne 0 ]; then
    echo "migration failed with status $status" >&2
    exit "$status"
fi
exec "$@"
