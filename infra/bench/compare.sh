#!/bin/bash
# make bench: our symbols/s next to the reference generators' (Zint CLI, libzint in-process,
# bwip-js), measured in one run on this machine, at the same pixel size where it matters;
# then `gs1-codes batch` next to `zint --batch` (infra/bench/batch.sh).
#
# Usage: infra/bench/compare.sh            (from the repository root or anywhere)
# Env:   SHARED_DIR     the shared tools (default: ../shared beside the repository)
#        BENCH_MIN_S    seconds per timed run, 3 runs per case (default 1: the whole
#                       script takes ~2 min, most of it the references; 2 is steadier)
#        BENCH_ANCHORS  references to run (default: zint-cli zintbind bwip-js)
#        BENCH_LIMITER_S, BENCH_LIMITER_C  seconds per run and connections of the
#                       rate-limiter comparison (infra/bench/limiter.sh, last)
#        BENCH_FULL=1   run ../shared/tools/bench/run_anchors.sh as is: every case of every
#                       reference, QR and the 5000-QR ZIP included (bwip-js alone then
#                       takes ~7 min); by default only the cases we have are measured, with
#                       the same per-reference scripts run_anchors.sh calls.
#
# Ours runs twice, before and after the references, so drift from other load on a shared
# machine shows up as a before/after gap instead of silently skewing the ratio; the table
# uses the median of all six runs. Ours: examples/bench_throughput (data in, file bytes
# out, one thread, in memory). Sizes: ours X = 6 px at 300 dpi = Zint's --scale=3 (X = 6 px,
# CLI and libzint alike); bwip-js uses scale 3 = X 3 px (its own choice, noted).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED_DIR=${SHARED_DIR:-$ROOT/../shared}
case $SHARED_DIR in /*) ;; *) SHARED_DIR=$ROOT/$SHARED_DIR ;; esac
export BENCH_MIN_S=${BENCH_MIN_S:-1}
ANCHORS=${BENCH_ANCHORS:-zint-cli zintbind segno bwip-js}
CASES="ean13_svg ean13_png dm_svg dm_png gs1_128_svg gs1_128_png itf14_svg itf14_png ean13_svgtext qr_svg qr_png"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

cd "$ROOT"
echo "bench: building examples/bench_throughput (release)" >&2
cargo build --release -q -p shared --features local --example bench_throughput --example bench_bulk
EX=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/examples
BIN=$EX/bench_throughput

echo "# ours, before the references; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
{ "$BIN" $CASES; "$EX/bench_bulk"; } | tee "$T/ours_before.tsv" >&2

ANCHOR_DIR=$SHARED_DIR/tools/bench
if [ -x "$ANCHOR_DIR/run_anchors.sh" ]; then
  # Install the references once (idempotent; apt/pip/npm as root) if one is missing.
  if ! command -v zint >/dev/null || ! python3 -c 'import zint' 2>/dev/null ||
     [ ! -d "$SHARED_DIR/tools/anchors/node_modules/bwip-js" ]; then
    echo "bench: reference tools missing, running $SHARED_DIR/tools/setup.sh" >&2
    "$SHARED_DIR/tools/setup.sh" >&2 || echo "bench: setup.sh failed; references that did not install show '-'" >&2
  fi
  if [ "${BENCH_FULL:-0}" = 1 ]; then
    # run_anchors.sh prints its TSV rows on stderr and its own table on stdout: keep the
    # rows, show both as progress.
    { "$ANCHOR_DIR/run_anchors.sh" $ANCHORS 2>&1 1>&3 | tee "$T/anchors.tsv" >&2; } 3>&2 || true
  else
    # What run_anchors.sh does per reference, limited to the cases we can compare.
    echo "# references: $ANCHORS; load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    REF_CASES="ean13_svg ean13_png dm_svg dm_png qr_svg qr_png zip5000_qr_png"
    for a in $ANCHORS; do
      case $a in
        # bwip-js takes minutes per QR case: its figures for the 1D and DataMatrix cases only.
        bwip-js)  timeout 600 node "$ANCHOR_DIR/bench_bwip.js" ean13_svg ean13_png dm_svg dm_png ;;
        zint-cli) timeout 600 "$ANCHOR_DIR/bench_zintcli.sh" $REF_CASES ;;
        *)        timeout 600 python3 "$ANCHOR_DIR/bench_py.py" "$a" $REF_CASES ;;
      esac | tee -a "$T/anchors.tsv" >&2 || true
    done
  fi
  echo "# ours, after the references; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  { "$BIN" $CASES; "$EX/bench_bulk"; } | tee "$T/ours_after.tsv" >&2
else
  echo "bench: $ANCHOR_DIR/run_anchors.sh not found (set SHARED_DIR): ours only" >&2
  : > "$T/anchors.tsv"; : > "$T/ours_after.tsv"
fi

python3 - "$T" "$BENCH_MIN_S" <<'PY'
import os, statistics, sys
d, min_s = sys.argv[1], sys.argv[2]

def rows(name):
    for line in open(os.path.join(d, name)):
        f = line.rstrip("\n").split("\t")
        if len(f) >= 4 and not line.startswith("#"):
            yield f

def runs(f):  # the per-run figures, or [] for a skipped case
    try:
        return [float(x) for x in f[3].split(",")]
    except ValueError:
        return []

ours, before, after, notes = {}, {}, {}, {}
for name, store in (("ours_before.tsv", before), ("ours_after.tsv", after)):
    for f in rows(name):
        store[f[1]] = runs(f)
        notes[f[1]] = f[4] if len(f) > 4 else ""
for case in before:
    allruns = before.get(case, []) + after.get(case, [])
    ours[case] = statistics.median(allruns) if allruns else None
ref = {}
for f in rows("anchors.tsv"):
    try:
        ref[(f[0], f[1])] = float(f[2])
    except ValueError:
        pass

def cell(x):
    return "-" if x is None else f"{x:,.0f}"

anchor_cols = [("zint-cli", "zint CLI"), ("zintbind", "libzint (zintbind)"), ("segno", "segno"), ("bwip-js", "bwip-js")]
have_refs = bool(ref)
print()
print(f"symbols/s, one thread, median of 3 runs of >= {min_s} s"
      + (" (ours: 6 runs, before and after the references)" if have_refs else ""))
print("| case | ours symbols/s | " + " | ".join(t for _, t in anchor_cols) + " | ratio ours/best-zint |")
print("|---|---|" + "---|" * len(anchor_cols) + "---|")
for case in ["ean13_svg", "ean13_png", "dm_svg", "dm_png", "gs1_128_svg", "gs1_128_png",
             "itf14_svg", "itf14_png", "ean13_svgtext", "qr_svg", "qr_png", "zip5000_qr_png",
             "zip5000_qr_svg", "sheet5000_dm_l7160"]:
    if case not in before:
        continue
    # ean13_svgtext is ours with <text> like Zint's SVG: compare it with their ean13_svg.
    theirs_case = {"ean13_svgtext": "ean13_svg", "zip5000_qr_svg": "zip5000_qr_png"}.get(case, case)
    theirs = [ref.get((a, theirs_case)) for a, _ in anchor_cols]
    zints = [x for x in theirs[:2] if x]
    o = ours.get(case)
    ratio = f"{o / max(zints):.2f}x" if o and zints else "-"
    label = {"ean13_svgtext": "ean13_svg, text as <text> (like Zint)",
             "zip5000_qr_svg": "zip5000_qr_svg (theirs: PNG)"}.get(case, case)
    if o is None:
        label += " (" + notes.get(case, "") + ")"
    print(f"| {label} | {cell(o)} | " + " | ".join(cell(x) for x in theirs) + f" | {ratio} |")
print()
print("Ours: " + "; ".join(f"{c}: {notes[c]}" for c in ("ean13_png", "gs1_128_png", "itf14_png", "sheet5000_dm_l7160") if c in notes))
if have_refs:
    drift = [f"{c} {statistics.median(before[c]):,.0f} -> {statistics.median(after[c]):,.0f}"
             for c in before if before.get(c) and after.get(c)]
    print("Ours before -> after the references (load drift): " + "; ".join(drift))
    print("Zint CLI and libzint: --scale=3 = X 6 px, quiet zones (EAN-13 PNG 678x348 px); the CLI")
    print("writes one file per symbol to /dev/shm in --batch mode. bwip-js: scale 3 = X 3 px.")
    print("ours SVG draws text as OCR-B outlines (portable); Zint's SVG uses <text>: see the <text> row.")
    print("QR: ours level M, X 6 px, 4-module quiet zone; Zint its default level; segno level M, scale 4.")
    print("zip5000: ours is the bulk job end to end on the local adapters (every core, PNG size 300 px);")
    print("sheet5000_dm_l7160: ours only, 5000 DataMatrix labels on Avery L7160 sheets, one streamed PDF.")
    print("Zint CLI renders 5000 PNG files then Python zips them; segno and libzint render and zip in one thread.")
else:
    print("No reference figures: ../shared/tools/bench/run_anchors.sh not found (set SHARED_DIR).")
PY

# The batch mode next to `zint --batch`: 5000 symbols per case written to tmpfs (every core).
bash "$ROOT/infra/bench/batch.sh"
# The rate limiter's cost on the local API, in the same run (see limiter.sh).
bash "$ROOT/infra/bench/limiter.sh" || echo "bench: the limiter comparison failed" >&2
