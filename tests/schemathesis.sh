#!/usr/bin/env bash
# Schemathesis against the local server: every operation of /openapi.json, a bounded
# number of generated requests each (SCHEMATHESIS_EXAMPLES, default 40), with an API key.
# Fails on any 5xx, any response whose status, content type or body the document does
# not allow. Starts its own server (the binary the tests built) on a
# free port with a fresh DATA_DIR, and stops it on exit. One worker: with two, hypothesis
# (under schemathesis) has tripped over CPython 3.11's AST parser used from two threads.
set -euo pipefail
cd "$(dirname "$0")/.."
py_bin=$(python3 -c "import os,sys; print(os.path.dirname(sys.executable))")
# The binary `make test`'s tests built (see tests/smoke.sh for why not the `local` one);
# the no-op build makes it current when this runs alone.
cargo test -q --workspace --all-features --no-run
bin=${GS1_CODES_BIN:-${CARGO_TARGET_DIR:-target}/debug/gs1-codes}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
log=$(mktemp)
report=$(mktemp -d)
# Generous rate limits: schemathesis sends thousands of requests a minute, and 429s
# would hide what the handlers answer.
PORT=$port DATA_DIR=$data RATE_LIMIT_PER_MINUTE=1000000 RATE_LIMIT_PER_DAY=100000000 \
  "$bin" serve >"$log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$data" "$log" "$report"; }
trap cleanup EXIT
for _ in $(seq 1 100); do
  grep -q "^listening on" "$log" && break
  kill -0 "$server" 2>/dev/null || { cat "$log"; echo "schemathesis: server exited"; exit 1; }
  sleep 0.2
done
grep -q "^listening on" "$log" || { cat "$log"; echo "schemathesis: server not ready"; exit 1; }
key=$(DATA_DIR=$data "$bin" key)
base=http://127.0.0.1:$port
"$py_bin/st" run "$base/openapi.json" --url "$base" \
  -H "X-API-Key: $key" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "${SCHEMATHESIS_EXAMPLES:-40}" \
  --phases examples,coverage,fuzzing \
  --seed "${SCHEMATHESIS_SEED:-1}" \
  --workers 1 \
  --request-timeout 30 \
  --report-dir "$report" \
  --warnings off \
  "$@"
echo "schemathesis: every operation of /openapi.json answered within its schema (port $port)"
