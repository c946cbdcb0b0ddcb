#!/bin/sh
# Start PostgreSQL 15 and Redis inside a locked-down runner (uid 10001, no network, read-only
# root, no capabilities): every file and socket lives under $ASSESS_SERVICES_DIR (default
# /tmp/services, on the runner's tmpfs), no TCP port is opened and nothing is kept.
#
#   PostgreSQL  unix socket in $DIR/pg (host=$DIR/pg dbname=postgres, user runner, trust)
#   Redis       unix socket $DIR/redis.sock (unix_socket_path=$DIR/redis.sock)
#
# Prints one line per step with the milliseconds since the script started, then
# "services ready <ms> ms" and exits 0 once both servers answer; on failure prints the
# servers' logs to stderr and exits 1. The servers stay up after the script returns.
set -eu

DIR=${ASSESS_SERVICES_DIR:-/tmp/services}
PG_BIN=/usr/lib/postgresql/15/bin
READY_TIMEOUT=${ASSESS_SERVICES_TIMEOUT:-20}
started=$(date +%s%N)

elapsed() { echo $(( ($(date +%s%N) - started) / 1000000 )); }
step() { echo "$1 $(elapsed) ms"; }
fail() {
  echo "services: $1" >&2
  for log in "$DIR/pg.log" "$DIR/redis.log"; do
    [ -f "$log" ] && { echo "--- $log" >&2; tail -n 20 "$log" >&2; }
  done
  exit 1
}

umask 077
mkdir -p "$DIR/pg" "$DIR/redis" || fail "cannot create $DIR"

# Redis first: it comes up in the background while PostgreSQL starts.
redis-server --port 0 --unixsocket "$DIR/redis.sock" --unixsocketperm 700 \
  --save "" --appendonly no --dir "$DIR/redis" --daemonize yes \
  --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" --maxmemory 64mb \
  || fail "redis-server did not start"
step "redis started"

# The image's cluster (initdb at build time: superuser runner, trust, UTF-8, 1 MB WAL
# segments), copied: initdb itself needs more than a runner's 1 MB /dev/shm.
cp -a /opt/assess/pgdata "$DIR/pgdata" || fail "cannot copy the cluster to $DIR"
step "cluster copied"

# No TCP, sockets on the tmpfs, durability off (the cluster dies with the runner), small
# memory, no background work (autovacuum, JIT, parallel workers), and dynamic shared
# memory in the data directory rather than the 1 MB /dev/shm (which the harness empties).
cat >>"$DIR/pgdata/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$DIR/pg'
unix_socket_permissions = 0700
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
shared_buffers = 16MB
max_connections = 20
dynamic_shared_memory_type = mmap
huge_pages = off
autovacuum = off
jit = off
max_worker_processes = 2
max_parallel_workers = 0
max_parallel_workers_per_gather = 0
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = top
pg_stat_statements.track_utility = off
EOF

"$PG_BIN/pg_ctl" --pgdata="$DIR/pgdata" --log="$DIR/pg.log" --timeout="$READY_TIMEOUT" \
  --wait --silent start || fail "postgresql did not start"
"$PG_BIN/pg_isready" --quiet --host="$DIR/pg" --dbname=postgres \
  || fail "postgresql does not answer"
step "postgresql ready"

tries=$(( READY_TIMEOUT * 50 ))
until [ "$(redis-cli -s "$DIR/redis.sock" ping 2>/dev/null)" = "PONG" ]; do
  tries=$(( tries - 1 ))
  [ "$tries" -gt 0 ] || fail "redis does not answer"
  sleep 0.02
done
step "redis ready"
step "services ready"
