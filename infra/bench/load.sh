#!/bin/bash
# make load: the local API under load. wrk on loopback against one `gs1-codes serve`
# (the `local` profile, what `make run` builds), LOAD_S seconds (default 60) at LOAD_C
# connections (default 64) on each endpoint in turn: /health first, then the 1D barcode
# (EAN-13 SVG and PNG), GS1 DataMatrix (SVG), QR (Digital Link, SVG) and Digital Link
# endpoints, all in one run against one process, with an `unlimited` key (the rate
# limiter's own cost is `make bench`'s). Fails when any request errs: a socket error,
# a timeout or a non-2xx answer.
#
# Prints a Markdown table: requests/s, p50 and p99 latency, errors, and each endpoint's
# rate as a share of /health's.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
secs=${LOAD_S:-60}
conns=${LOAD_C:-64}
source "$ROOT/infra/bench/serve.sh"
key=$(DATA_DIR=$work/data "$BIN" key create --tier unlimited)

# name | method | path | JSON body (empty for GET)
cases=(
  "health|GET|/health|"
  "1D EAN-13 SVG|POST|/products/api/v1/barcode/|{\"gtin\": \"09501101020917\", \"format\": \"svg\"}"
  "1D EAN-13 PNG|POST|/products/api/v1/barcode/|{\"gtin\": \"09501101020917\", \"format\": \"png\"}"
  "GS1 DataMatrix SVG|POST|/products/api/v1/datamatrix/|{\"gtin\": \"09501101020917\", \"lot\": \"ABC123\", \"serial\": \"SN0042\", \"expiry\": \"270630\", \"format\": \"svg\"}"
  "QR (Digital Link) SVG|POST|/products/api/v1/qr/|{\"gtin\": \"09501101020917\", \"lot\": \"ABC123\", \"format\": \"svg\"}"
  "Digital Link|POST|/products/api/v1/digital-link/|{\"uri\": \"https://id.gs1.org/01/09501101020917/10/ABC123?17=270630\"}"
)
rows=()
failed=0
for c in "${cases[@]}"; do
  IFS='|' read -r name method path body <<<"$c"
  # Every answer must be 2xx: one probe first, so a bad case fails with its body.
  probe=$(curl -s -o "$work/probe" -w '%{http_code}' -X "$method" -H "X-API-Key: $key" \
    ${body:+-H 'Content-Type: application/json' --data "$body"} "http://127.0.0.1:$port$path")
  [ "$probe" = 200 ] || { echo "load: $name answered $probe: $(head -c 400 "$work/probe")" >&2; exit 1; }
  cat > "$work/case.lua" <<LUA
wrk.method = "$method"
wrk.headers["X-API-Key"] = "$key"
LUA
  if [ -n "$body" ]; then
    printf 'wrk.body = [[%s]]\nwrk.headers["Content-Type"] = "application/json"\n' "$body" >> "$work/case.lua"
  fi
  echo "load: $name, ${secs} s at $conns connections" >&2
  wrk -t2 -c"$conns" -d"${secs}s" --timeout 10s --latency -s "$work/case.lua" \
    "http://127.0.0.1:$port$path" >"$work/out" 2>"$work/err"
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/out")
  p50=$(awk '$1 == "50%" {print $2}' "$work/out")
  p99=$(awk '$1 == "99%" {print $2}' "$work/out")
  requests=$(awk '/requests in/ {print $1}' "$work/out")
  sockerr=$(awk -F'[ ,]+' '/Socket errors/ {print $5+$7+$9+$11}' "$work/out")
  # wrk counts answers with a status of 400 and above here (a 3xx would be a 2xx-like
  # success to it; none of these endpoints redirects).
  bad=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$work/out")
  errors=$(( ${sockerr:-0} + ${bad:-0} ))
  [ "$errors" = 0 ] || { failed=1; cat "$work/out" >&2; }
  rows+=("$name|$requests|$rps|$p50|$p99|$errors")
done
python3 - "$secs" "$conns" "${rows[@]}" <<'PY'
import sys
secs, conns, rows = sys.argv[1], sys.argv[2], [r.split("|") for r in sys.argv[3:]]
health = float(rows[0][2])
print()
print(f"load: the local server (`local` profile), wrk -t2 -c{conns} --latency, {secs} s per endpoint, one process")
print("| endpoint | requests | requests/s | p50 | p99 | errors | of /health |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name, n, rps, p50, p99, err in rows:
    print(f"| {name} | {int(n):,} | {float(rps):,.0f} | {p50} | {p99} | {err} | {100 * float(rps) / health:.0f}% |")
PY
exit $failed
