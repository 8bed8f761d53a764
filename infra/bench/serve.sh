# Sourced by the bench scripts that load the local API (limiter.sh, load.sh): installs
# wrk if missing, builds the `local` profile binary ($BIN), starts `gs1-codes serve` on a
# free loopback port ($port) with its data in a fresh directory ($work/data), stops it on
# exit, and waits until it listens. Needs ROOT set and `set -euo pipefail`.
cd "$ROOT"
if ! command -v wrk >/dev/null; then
  echo "bench: installing wrk (apt)" >&2
  { apt-get install -y -q wrk || { apt-get update -q && apt-get install -y -q wrk; }; } >&2
fi
cargo build -q --profile local -p gs1-local --bin gs1-codes
BIN=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/local/gs1-codes
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PORT=$port DATA_DIR=$work/data "$BIN" serve >"$work/log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do grep -q "^listening on" "$work/log" && break; sleep 0.1; done
grep -q "^listening on" "$work/log" || { cat "$work/log"; echo "bench: server not ready" >&2; exit 1; }
