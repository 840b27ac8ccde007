#!/usr/bin/env bash
# Fuzzes the sync API with schemathesis against its own OpenAPI document: a real syncd on a loopback
# port, bounded in examples and time. Fails on any 5xx or crash. Usage: scripts/fuzz.sh [EXAMPLES]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
examples=${1:-40}
bin=$(swift build --package-path "$root" --show-bin-path)
work=$(mktemp -d)
venv="${SCHEMATHESIS_VENV:-$root/.build/schemathesis-venv}"
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q schemathesis
fi
cd "$work"
"$bin/syncd" init --db central.sqlite --bureau fuzz >/dev/null
"$bin/syncd" unit add --db central.sqlite --id squad-3 --name squad >/dev/null
"$bin/syncd" member add --db central.sqlite --id wang --name wang --unit squad-3 --role drafter >/dev/null
token=$("$bin/syncd" enroll --db central.sqlite --unit squad-3 --device fuzzer)
port=$((20000 + RANDOM % 30000))
"$bin/syncd" serve --db central.sqlite --listen "127.0.0.1:$port" >server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  grep -q "Server started" server.log && break
  kill -0 $server 2>/dev/null || { cat server.log; exit 1; }
  sleep 0.1
done
timeout 300 "$venv/bin/schemathesis" run "http://127.0.0.1:$port/v1/openapi.yaml" --url "http://127.0.0.1:$port" \
  -H "Authorization: Bearer $token" --checks not_a_server_error --max-examples "$examples" --request-timeout 10
kill -0 $server || { echo "syncd died during the fuzz run"; cat server.log; exit 1; }
echo "fuzz: no 5xx, server still up"
