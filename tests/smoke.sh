#!/usr/bin/env bash
# Runs README.md's quick start as a new user would: `make run` in the background,
# `make -s key`, then every command between the `smoke:start`/`smoke:end` markers.
# The only change made to those commands is the port (a free one, not 3000).
set -euo pipefail
cd "$(dirname "$0")/.."
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
log=$(mktemp)
# Build first, outside the wait below: a cold build of the `local` profile takes minutes
# on two cores, and only the server's start should be timed out.
cargo build -q --profile local -p gs1-local --bin gs1-codes
PORT=$port DATA_DIR=$data make -s run >"$log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; pkill -P "$server" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  grep -q "^listening on http://127.0.0.1:$port$" "$log" && break
  kill -0 "$server" 2>/dev/null || { cat "$log"; echo "smoke: make run exited"; exit 1; }
  sleep 1
done
grep -q "^listening on" "$log" || { cat "$log"; echo "smoke: server not ready"; exit 1; }
grep -q "^Created an API key" "$log" || { cat "$log"; echo "smoke: first start printed no key"; exit 1; }

script=$(awk '/<!-- smoke:start -->/{on=1; next} /<!-- smoke:end -->/{on=0} on && !/^```/' README.md |
  sed "s/127\.0\.0\.1:3000/127.0.0.1:$port/g")
[ -n "$script" ] || { echo "smoke: no quick-start commands found in README.md"; exit 1; }
out=$(PORT=$port DATA_DIR=$data bash -euo pipefail -c "$script")
echo "$out"
# The quick start's Digital Link call must have answered with the canonical URI.
grep -q '"canonical_uri":"https://id.gs1.org/01/09501101020917/10/ABC?17=270630"' <<<"$out" ||
  { echo "smoke: quick-start output lacks the canonical URI"; exit 1; }
echo "smoke: README quick start works (port $port)"
