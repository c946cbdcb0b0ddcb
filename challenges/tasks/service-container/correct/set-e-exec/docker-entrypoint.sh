#!/bin/sh
set -e

python -m shipping.migrate

# PID 1 becomes the service itself.
exec "$@"
