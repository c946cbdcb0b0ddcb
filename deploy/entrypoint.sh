#!/bin/sh
# The image's entry point: `web` (gunicorn), `worker` (the grading worker), `migrate`
# (schema upgrade and bank load, run once per release), or any command.
set -eu
cd /app
case "${1:-web}" in
  web)
    shift || true
    exec gunicorn --config gunicorn.conf.py "$@" wsgi:app
    ;;
  worker)
    shift
    exec flask --app wsgi worker "$@"
    ;;
  migrate)
    flask --app wsgi db upgrade
    flask --app wsgi bank load
    ;;
  *)
    exec "$@"
    ;;
esac
