#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (docs/postgres.md).
#   bash scripts/postgres.sh start DIR   installs Debian's postgresql when initdb is missing, makes a cluster
#                                        in DIR on a free loopback port, starts it and prints its URL
#   bash scripts/postgres.sh stop DIR    stops it and removes DIR
# initdb refuses to run as root (CI runs as root), so as root the cluster belongs to an unprivileged
# user this script creates. Connections over TCP need the password in the URL (scram-sha-256), so a
# test can also see a wrong one refused.
set -euo pipefail
command="${1:-}"; dir="${2:-}"
if [ -z "$command" ] || [ -z "$dir" ]; then
  echo "usage: bash scripts/postgres.sh start|stop DIR" >&2; exit 2
fi
owner="reportsync-pg"
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u "$owner" -- "$@"; else "$@"; fi; }
bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

case "$command" in
start)
  if [ -z "$(bin)" ]; then
    echo "installing postgresql (a throwaway cluster for the PostgreSQL tests)…" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
  fi
  pg="$(bin)"
  if [ "$(id -u)" -eq 0 ] && ! id "$owner" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
  fi
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown "$owner" "$dir"
  password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  as_owner sh -c "umask 077; printf '%s\n' '$password' > '$dir/password'"
  as_owner "$pg/initdb" -D "$dir/data" -U reportsync --auth-local=trust --auth-host=scram-sha-256 \
    --pwfile="$dir/password" -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  mkdir -p "$dir/socket" && [ "$(id -u)" -eq 0 ] && chown "$owner" "$dir/socket"
  as_owner "$pg/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir/socket -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "$port" > "$dir/port"
  echo "postgres://reportsync:$password@127.0.0.1:$port/postgres"
  ;;
stop)
  pg="$(bin)"
  if [ -n "$pg" ] && [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$pg/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: bash scripts/postgres.sh start|stop DIR" >&2; exit 2
  ;;
esac
