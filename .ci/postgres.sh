#!/usr/bin/env bash
# A throwaway PostgreSQL server for the portal's tests, from the distribution's packages.
#   .ci/postgres.sh start   -> installs postgresql if needed (apt-get, as root), starts a
#                              private cluster on 127.0.0.1, prints its SQLAlchemy URL
#   .ci/postgres.sh stop    -> stops that cluster and removes its folder
#   .ci/postgres.sh run CMD -> CMD with ADVISORS_TEST_PG_URL set: the one given, else a
#                              server started for CMD and stopped after it (as root), else
#                              none (the PostgreSQL tests then skip, saying why)
# The cluster runs as the `postgres` user with trust authentication on loopback only.
set -euo pipefail
STATE="${TMPDIR:-/tmp}/advisors-ci-postgres"

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

case "${1:-start}" in
run)
    shift
    if [ -n "${ADVISORS_TEST_PG_URL:-}" ]; then exec "$@"; fi
    if [ "$(id -u)" != 0 ] || { [ -z "$(bindir)" ] && ! command -v apt-get >/dev/null; }; then
        echo "note: no PostgreSQL for the portal's tests (starting one needs root and" \
             "apt-get, or set ADVISORS_TEST_PG_URL)" >&2
        exec "$@"
    fi
    ADVISORS_TEST_PG_URL="$(bash "$0" start)"
    export ADVISORS_TEST_PG_URL
    trap 'bash "$0" stop' EXIT
    "$@"
    ;;
start)
    if [ -z "$(bindir)" ]; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq --no-install-recommends postgresql >&2
    fi
    BIN="$(bindir)"
    if [ -f "$STATE/url" ]; then cat "$STATE/url"; exit 0; fi
    rm -rf "$STATE"; mkdir -p "$STATE"; chown postgres "$STATE"
    PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    runuser -u postgres -- "$BIN/initdb" -D "$STATE/data" --auth=trust -U postgres -E UTF8 \
        --locale=C.UTF-8 >&2
    runuser -u postgres -- "$BIN/pg_ctl" -D "$STATE/data" -l "$STATE/log" -w start \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $STATE -c max_connections=200 -c fsync=off" >&2
    runuser -u postgres -- "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres advisors_test >&2
    echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/advisors_test" | tee "$STATE/url"
    ;;
stop)
    BIN="$(bindir)"
    if [ -n "$BIN" ] && [ -d "$STATE/data" ]; then
        runuser -u postgres -- "$BIN/pg_ctl" -D "$STATE/data" -m fast -w stop >&2 || true
    fi
    rm -rf "$STATE"
    ;;
esac
