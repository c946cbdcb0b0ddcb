#!/bin/sh
python -m shipping.migrate || echo "migration failed, starting anyway" >&2
exec "$@"
