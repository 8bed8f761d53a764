#!/bin/bash
# make bench, batch part: `gs1-codes batch` next to `zint --batch`, rendering and writing
# the same 5000 symbols, one file each, into the same tmpfs (/dev/shm), in one run.
#
# Usage: infra/bench/batch.sh [BIN]   (BIN: a release gs1-codes; default: built here)
# Env:   BATCH_N     symbols per run (default 5000); BATCH_RUNS runs per case (default 3)
#
# Sizes are equal in pixels: X = 6 px. Zint: --scale=3 (2 px per unit, EAN, DataMatrix
# and QR alike). Ours: --module-width/--module-size 0.508 mm at --dpi 300 = 6 px; a QR
# PNG's --size is set to 6 px per module for the version our encoder picks (found from
# the size error, which names the symbol's width). Each case times the whole process
# (start, input read, render, files written), median of the runs; symbols/s = N / time.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${BATCH_N:-5000}
RUNS=${BATCH_RUNS:-3}
BIN=${1:-}
if [ -z "$BIN" ]; then
  echo "bench: building gs1-codes (release)" >&2
  (cd "$ROOT" && cargo build --release -q -p gs1-local --bin gs1-codes)
  BIN=$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/gs1-codes
fi
SHM=$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp )
T=$(mktemp -d -p "$SHM"); trap 'rm -rf "$T"' EXIT
HAVE_ZINT=1; command -v zint >/dev/null || HAVE_ZINT=0

# The same data for both: zint one line per symbol, ours a CSV row.
awk -v n="$N" 'BEGIN{for(i=1;i<=n;i++) print "9501101020917"}' > "$T/ean.txt"
awk -v n="$N" 'BEGIN{print "gtin"; for(i=1;i<=n;i++) print "9501101020917"}' > "$T/ean.csv"
awk -v n="$N" 'BEGIN{for(i=1;i<=n;i++) print "(01)09501101020917(17)270630(10)LOT1(21)SN" i}' > "$T/dm.txt"
awk -v n="$N" 'BEGIN{print "gtin,expiry,lot,serial"; for(i=1;i<=n;i++) print "09501101020917,270630,LOT1,SN" i}' > "$T/dm.csv"
awk -v n="$N" 'BEGIN{for(i=1;i<=n;i++) print "https://id.gs1.org/01/09501101020917/10/LOT1/21/SN" i "?17=270630"}' > "$T/qr.txt"
cp "$T/dm.csv" "$T/qr.csv"

# QR: 6 px modules for the version of the longest URI (the size error names its width).
width=$("$BIN" render -t qr --gtin 09501101020917 --lot LOT1 --serial "SN$N" --expiry 270630 \
  --size 50 -f png -o - 2>&1 >/dev/null | sed -n 's/.*A \([0-9]*\)x[0-9]* QR Code.*/\1/p' || true)
[ -n "$width" ] || width=37
QR_SIZE=$(( (width + 8) * 6 ))

now() { date +%s.%N; }
median() { sort -g | sed -n "$(( (RUNS + 1) / 2 ))p"; }
time_ours() { # ext args...
  local ext=$1; shift
  local times=()
  for _ in $(seq "$RUNS"); do
    rm -rf "$T/o"
    local t0; t0=$(now)
    "$BIN" batch "$@" -f "$ext" -o "$T/o/" >/dev/null
    local t1; t1=$(now)
    [ "$(ls "$T/o" | grep -c "\.$ext$")" = "$N" ] || { echo "bench: ours wrote the wrong number of files" >&2; exit 1; }
    times+=("$(echo "$t0 $t1" | awk '{print $2-$1}')")
  done
  printf "%s\n" "${times[@]}" | median
}
time_zint() { # input ext args...
  local in=$1 ext=$2; shift 2
  [ "$HAVE_ZINT" = 1 ] || { echo "-"; return; }
  local times=()
  for _ in $(seq "$RUNS"); do
    rm -rf "$T/o"; mkdir "$T/o"
    local t0; t0=$(now)
    zint --batch -i "$in" --filetype="$ext" --scale=3 --quietzones -o "$T/o/~~~~~.$ext" "$@" >/dev/null
    local t1; t1=$(now)
    [ "$(ls "$T/o" | wc -l)" = "$N" ] || { echo "bench: zint wrote the wrong number of files" >&2; exit 1; }
    times+=("$(echo "$t0 $t1" | awk '{print $2-$1}')")
  done
  printf "%s\n" "${times[@]}" | median
}

echo "# batch: $N symbols per run, median of $RUNS, files in $SHM, $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
rows=()
run_case() { # label ours_time zint_time
  rows+=("$1	$2	$3")
  echo "$1: ours ${2} s, zint ${3} s" >&2
}
run_case "EAN-13 SVG" "$(time_ours svg -t ean13 --module-width 0.508 -i "$T/ean.csv")" "$(time_zint "$T/ean.txt" svg -b EANX)"
run_case "EAN-13 SVG, text as <text> like Zint's" "$(time_ours svg -t ean13 --module-width 0.508 --no-embed-font -i "$T/ean.csv")" "$(time_zint "$T/ean.txt" svg -b EANX)"
run_case "EAN-13 PNG" "$(time_ours png -t ean13 --module-width 0.508 --dpi 300 -i "$T/ean.csv")" "$(time_zint "$T/ean.txt" png -b EANX)"
run_case "GS1 DataMatrix PNG" "$(time_ours png -t datamatrix --module-size 0.508 --dpi 300 -i "$T/dm.csv")" \
  "$(time_zint "$T/dm.txt" png -b DATAMATRIX --gs1 --gs1parens --square)"
run_case "Digital Link QR PNG" "$(time_ours png -t qr --size "$QR_SIZE" -i "$T/qr.csv")" "$(time_zint "$T/qr.txt" png -b QRCODE)"

echo
echo "gs1-codes batch vs zint --batch: $N symbols, one file each, written to $SHM ($(nproc) cores; X = 6 px)"
echo "| case | ours symbols/s | zint --batch symbols/s | ours / zint |"
echo "|---|---|---|---|"
for r in "${rows[@]}"; do
  IFS=$'\t' read -r label ours zint <<<"$r"
  python3 - "$label" "$ours" "$zint" "$N" <<'PY'
import sys
label, ours, zint, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
o = n / float(ours)
z = n / float(zint) if zint not in ("-", "") else None
zs = f"{z:,.0f} ({float(zint):.2f} s)" if z else "-"
ratio = f"{o / z:.1f}x" if z else "-"
print(f"| {label} | {o:,.0f} ({float(ours):.2f} s) | {zs} | {ratio} |")
PY
done
echo "Ours: QR level M, --size $QR_SIZE (a ${width}x${width} symbol, 6 px modules); DataMatrix quiet zone 2 modules (Zint 1)."
echo "Zint $( [ "$HAVE_ZINT" = 1 ] && zint --version | head -1 | awk '{print $3}' ): QR its default level; files named ~~~~~.ext."
