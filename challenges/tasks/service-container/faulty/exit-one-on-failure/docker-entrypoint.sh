#!/bin/sh
if ! python -m shipping.migrate; then
    exit 1
fi
exec "$@"
