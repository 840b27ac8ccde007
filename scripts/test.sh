#!/usr/bin/env bash
# The test command (README): installs what a fresh machine lacks, starts a throwaway PostgreSQL cluster
# (scripts/postgres.sh, stopped on exit), builds once, then runs every suite and the web desk in a real
# browser (scripts/browser.sh: chromium, chromium-driver, selenium).
# The property tests on the SQLite store run on their own after the rest, so that their random
# schedules, which keep both cores busy, never starve the end-to-end tests' servers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The test command runs every store: a developer's REPORTSYNC_SQLITE_ONLY never reaches it.
unset REPORTSYNC_SQLITE_ONLY
postgres_dir="$(mktemp -d)"
trap 'bash scripts/postgres.sh stop "$postgres_dir"' EXIT
REPORTSYNC_TEST_POSTGRES="$(bash scripts/postgres.sh start "$postgres_dir")"
export REPORTSYNC_TEST_POSTGRES
# The counter watermarks the tests leave (one tiny file per replica made) go to a folder of their own.
export REPORTSYNC_STATE_DIR="${REPORTSYNC_STATE_DIR:-$(mktemp -d)}"
swift build --build-tests
swift test --skip-build --skip "ConvergenceProperties"
bash scripts/browser.sh
swift test --skip-build --filter "ConvergenceProperties"
