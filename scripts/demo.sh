#!/usr/bin/env bash
# Builds report-cli and walks an emergency report through a field unit's offline workflow in a local
# SQLite replica: drafted with a fact missing, refused at submit, completed, reviewed, signed, and its
# history read back. Every step is signed with its actor's key, unlocked by a PIN (here from a PIN file,
# so that the demo runs unattended). Usage: scripts/demo.sh [FOLDER] (default: a new temporary folder).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh"
echo "building report-cli…"
swift build --package-path "$root" --product report-cli >/dev/null
bin=$(swift build --package-path "$root" --show-bin-path)/report-cli

work=${1:-$(mktemp -d)}
mkdir -p "$work"
export REPORT_DB="$work/squad-3.sqlite"
rm -f "$REPORT_DB" "$REPORT_DB-wal" "$REPORT_DB-shm"
say() { printf '\n\033[1m$ report-cli %s\033[0m\n' "$*"; "$bin" "$@"; }

say init --unit squad-3 --unit-name 第三中队 --kind squad
say member add --id wang --name 王小明 --role drafter --phone 13800000000
say member add --id li --name 李队长 --role unit-head
say member add --id zhao --name 赵局长 --role leader
say member use wang

# Each person sets up a signing key sealed under a PIN they choose (at a terminal it is asked; here a file).
export REPORT_PIN_FILE="$work/pin"
printf 'demo passphrase 2468\n' > "$REPORT_PIN_FILE"
for who in wang li zhao; do say key setup --as "$who"; done

printf '\n\033[1m$ report-cli draft --category emergency … (no trend, no reporter yet)\033[0m\n'
id=$("$bin" draft --category emergency --title "国道318线K100处山体滑坡" \
  --body "11月22日9时10分许，国道318线K100处发生山体滑坡，约300立方米土石阻断道路。" \
  --event-time 2026-11-22T09:10 --place "国道318线K100" --severity general \
  --source 巡逻发现 --cause 连日降雨 --deaths 0 --injuries 2 --property-loss "约5万元" \
  --course "9时10分滑坡，两车受损" --consequences 交通中断 --impact 双向中断 \
  --leader-on-site yes --initial-measures 封闭道路 --next-measures 清理塌方)
echo "$id"

printf '\n\033[1m$ report-cli submit %s   # refused: required facts missing\033[0m\n' "$id"
if "$bin" submit "$id"; then echo "expected a refusal" >&2; exit 1; fi

say edit "$id" --trend 可控 --reporter 王小明 --reporter-contact 13800000000
say submit "$id"
say review "$id" --as li
say sign "$id" --as zhao
say show "$id"
say history "$id"
say verify
printf '\nreplica file: %s\n' "$REPORT_DB"
