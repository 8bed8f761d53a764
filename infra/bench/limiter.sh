#!/bin/bash
# make bench, the rate limiter's cost: requests/s of the local API (`gs1-codes serve`, the
# release build) on POST /products/api/v1/digital-link/, with wrk on loopback, for a key
# whose requests are counted in the store (two windows too large to refuse anything) and
# for an `unlimited` key (not counted), alternating, in one run against one server.
#
# Env: BENCH_LIMITER_S  seconds per wrk run (default 5), BENCH_LIMITER_C  connections (32).
# Prints a table on stdout.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
secs=${BENCH_LIMITER_S:-5}
conns=${BENCH_LIMITER_C:-32}
if ! command -v wrk >/dev/null; then
  echo "bench: installing wrk (apt)" >&2
  { apt-get install -y -q wrk || { apt-get update -q && apt-get install -y -q wrk; }; } >&2
fi
cargo build -q --profile local -p gs1-local --bin gs1-codes
BIN=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/local/gs1-codes
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp)
PORT=$port DATA_DIR=$data "$BIN" serve >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data" "$log" "$data.lua"' EXIT
for _ in $(seq 1 100); do grep -q "^listening on" "$log" && break; sleep 0.1; done
counted=$(DATA_DIR=$data "$BIN" key create --tier "1000000000;w=60, 1000000000;w=86400")
unlimited=$(DATA_DIR=$data "$BIN" key create --tier unlimited)
cat > "$data.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"uri": "https://id.gs1.org/01/09501101020917/10/ABC"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("BENCH_KEY")
LUA
run() {  # $1 key -> requests/s
  BENCH_KEY=$1 wrk -t2 -c"$conns" -d"${secs}s" -s "$data.lua" \
    "http://127.0.0.1:$port/products/api/v1/digital-link/" |
    awk '/^Requests\/sec:/ {print $2} /Non-2xx/ {print "non2xx " $NF > "/dev/stderr"}'
}
run "$unlimited" >/dev/null  # warm-up
declare -a with without
for i in 1 2; do
  with+=("$(run "$counted")")
  without+=("$(run "$unlimited")")
done
python3 - "${with[*]}" "${without[*]}" "$secs" "$conns" <<'PY'
import statistics, sys
w = [float(x) for x in sys.argv[1].split()]
wo = [float(x) for x in sys.argv[2].split()]
mw, mwo = statistics.median(w), statistics.median(wo)
print()
print(f"rate limiter cost: POST /products/api/v1/digital-link/ on the local server, wrk -t2 -c{sys.argv[4]}, "
      f"{sys.argv[3]} s per run, runs alternating")
print("| key | requests/s (runs) | median |")
print("|---|---|---|")
print(f"| counted in the store (SQLite, 2 windows) | {', '.join(f'{x:,.0f}' for x in w)} | {mw:,.0f} |")
print(f"| unlimited (not counted) | {', '.join(f'{x:,.0f}' for x in wo)} | {mwo:,.0f} |")
print(f"limiter cost: {100 * (1 - mw / mwo):.0f}% of the throughput ({1e6 / mw - 1e6 / mwo:,.1f} µs per request)")
PY
