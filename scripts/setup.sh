#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to build ReportSync: the SQLite headers GRDB builds against.
set -euo pipefail
if [ ! -f /usr/include/sqlite3.h ]; then
  echo "installing libsqlite3-dev (SQLite headers for GRDB)…"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libsqlite3-dev >/dev/null
fi
