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
secs=${BENCH_LIMITER_S:-5}
conns=${BENCH_LIMITER_C:-32}
source "$ROOT/infra/bench/serve.sh"
counted=$(DATA_DIR=$work/data "$BIN" key create --tier "1000000000;w=60, 1000000000;w=86400")
unlimited=$(DATA_DIR=$work/data "$BIN" key create --tier unlimited)
cat > "$work/case.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"uri": "https://id.gs1.org/01/09501101020917/10/ABC"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("BENCH_KEY")
LUA
run() {  # $1 key -> requests/s
  BENCH_KEY=$1 wrk -t2 -c"$conns" -d"${secs}s" -s "$work/case.lua" \
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
