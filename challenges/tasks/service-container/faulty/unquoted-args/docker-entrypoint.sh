#!/bin/sh
set -e
python -m shipping.migrate
exec $@
