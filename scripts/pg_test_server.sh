#!/usr/bin/env bash
# A throwaway PostgreSQL for the app-state tests: scripts/pg_test_server.sh start|stop|status|url
#
#   start   print the URL of a running server, starting one if needed (reuses a running one)
#   stop    stop the server started here
#   status  exit 0 when the server answers
#   url     print the URL without starting anything
#
# The cluster lives in $ZT_PG_DIR (default /tmp/zt-pg), listens on 127.0.0.1:$ZT_PG_PORT (default
# 55432) with trust authentication and fsync=off: it is for tests only, never for data. As root the
# cluster is owned by the `postgres` user (initdb refuses to run as root), and the Debian
# `postgresql` package is installed when no PostgreSQL is found. Diagnostics go to stderr; stdout
# carries only the URL, so `URL=$(scripts/pg_test_server.sh start)` works.
set -euo pipefail

DIR="${ZT_PG_DIR:-/tmp/zt-pg}"
PORT="${ZT_PG_PORT:-55432}"
HOST=127.0.0.1
URL="postgresql://postgres@${HOST}:${PORT}/postgres"

say() { echo "pg_test_server: $*" >&2; }

find_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return 0
  fi
  return 1
}

install_if_missing() {
  if find_bin >/dev/null; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing the postgresql package"
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  fi
  if ! find_bin >/dev/null; then
    say "PostgreSQL is not installed and cannot be installed here (needs root and apt-get)"
    exit 3
  fi
}

# Run a server binary as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() {
  local bin
  bin="$(find_bin 2>/dev/null)" || return 1
  "$bin/pg_isready" -q -h "$HOST" -p "$PORT" -t 2 >/dev/null 2>&1
}

start() {
  if running; then echo "$URL"; return 0; fi
  install_if_missing
  local bin
  bin="$(find_bin)"
  mkdir -p "$DIR"
  exec 9>"$DIR.lock"
  flock -w 120 9 || { say "another start holds $DIR.lock"; exit 4; }
  if running; then echo "$URL"; return 0; fi
  mkdir -p "$DIR/sock"
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$DIR"; fi
  if [ ! -f "$DIR/data/PG_VERSION" ]; then
    rm -rf "$DIR/data"
    if ! as_owner "$bin/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$DIR/initdb.log" 2>&1 \
      && ! { rm -rf "$DIR/data"; as_owner "$bin/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 \
        --locale=C >"$DIR/initdb.log" 2>&1; }; then
      cat "$DIR/initdb.log" >&2
      say "initdb failed"
      exit 5
    fi
  fi
  if ! as_owner "$bin/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 -o \
      "-p $PORT -k $DIR/sock -c listen_addresses=$HOST -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >&2; then
    tail -n 20 "$DIR/server.log" >&2 || true
    say "the server did not start"
    exit 6
  fi
  say "started PostgreSQL ($("$bin/postgres" --version)) in $DIR on port $PORT"
  echo "$URL"
}

stop() {
  local bin
  bin="$(find_bin 2>/dev/null)" || return 0
  if [ -f "$DIR/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$DIR/data" -m fast -w stop >&2 || true
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) running ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
