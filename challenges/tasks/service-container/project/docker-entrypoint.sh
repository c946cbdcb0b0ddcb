#!/bin/sh
# Migrate the database, then start the command the container was given.
python -m shipping.migrate
$@
