#!/usr/bin/env bash
# Runs README.md's quick start as a new user would: `make run` in the background,
# `make -s key`, then every command between the `smoke:start`/`smoke:end` markers.
# The only changes made to those commands are the port (a free one, not 3000) and the
# binary: the one `make test`'s tests built (target/debug, GS1_CODES_BIN), not the
# optimised `local` build `make run` makes, which would compile every crate a second
# time on CI's two cores for the same code.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-$PWD/target}
# A no-op after `make unit`; otherwise builds the tests' binary with their features.
cargo test -q --workspace --all-features --no-run
export GS1_CODES_BIN=$target/debug/gs1-codes
[ -x "$GS1_CODES_BIN" ] || { echo "smoke: $GS1_CODES_BIN was not built"; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
log=$(mktemp)
PORT=$port DATA_DIR=$data make -s run >"$log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; pkill -P "$server" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
for _ in $(seq 1 60); do
  grep -q "^listening on http://127.0.0.1:$port$" "$log" && break
  kill -0 "$server" 2>/dev/null || { cat "$log"; echo "smoke: make run exited"; exit 1; }
  sleep 1
done
grep -q "^listening on" "$log" || { cat "$log"; echo "smoke: server not ready"; exit 1; }
grep -q "^Created an API key" "$log" || { cat "$log"; echo "smoke: first start printed no key"; exit 1; }

script=$(awk '/<!-- smoke:start -->/{on=1; next} /<!-- smoke:end -->/{on=0} on && !/^```/' README.md |
  sed -e "s/127\.0\.0\.1:3000/127.0.0.1:$port/g" -e 's#}/local:\$PATH#}/debug:$PATH#')
[ -n "$script" ] || { echo "smoke: no quick-start commands found in README.md"; exit 1; }
out=$(PORT=$port DATA_DIR=$data bash -euo pipefail -c "$script")
echo "$out"
# The quick start's Digital Link call must have answered with the canonical URI.
grep -q '"canonical_uri":"https://id.gs1.org/01/09501101020917/10/ABC?17=270630"' <<<"$out" ||
  { echo "smoke: quick-start output lacks the canonical URI"; exit 1; }
echo "smoke: README quick start works (port $port)"
