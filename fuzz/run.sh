#!/usr/bin/env bash
# Runs every cargo-fuzz target for SECONDS each, one after the other, and prints per target
# how long it ran clean and how many inputs it executed: `make fuzz` (FUZZ_SECONDS, 60 s)
# and `make fuzz-smoke` (FUZZ_SMOKE_SECONDS, 5 s). Usage: fuzz/run.sh SECONDS [TARGET...]
#
# Inputs: the committed seeds (fuzz/seeds/<target>/, read only) and the growing corpus
# (fuzz/corpus/<target>/, not in git). A failure stops nothing: every target runs, then the
# script exits 1 naming the failing ones; libFuzzer writes the input to
# fuzz/artifacts/<target>/ and the log's tail shows the violated property.
set -euo pipefail
seconds=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
cd "$(dirname "$0")"
cargo=${CARGO:-cargo}
# cargo-fuzz passes nightly-only flags (-Zsanitizer=address, sanitizer coverage); the
# stable toolchain accepts them with RUSTC_BOOTSTRAP. Set FUZZ_SANITIZER=none where a
# toolchain lacks the AddressSanitizer runtime.
export RUSTC_BOOTSTRAP=1
# 16 codegen units build a cold tree in less time than cargo-fuzz's default of 1 on two
# cores (63 s against 88 s, one after the other on the shared CI machine), for about 15%
# fewer executions per second: the right trade for minutes of fuzzing (make test's smoke
# is mostly build). FUZZ_CODEGEN_UNITS=1 for long campaigns.
build=(-s "${FUZZ_SANITIZER:-address}" --codegen-units "${FUZZ_CODEGEN_UNITS:-16}")
if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <("$cargo" fuzz list)
fi
start=$(date +%s)
# One build (every target, or the one asked for: they share the crate graph), then the runs.
if [ ${#targets[@]} -eq 1 ]; then
  "$cargo" fuzz build "${build[@]}" "${targets[0]}"
else
  "$cargo" fuzz build "${build[@]}"
fi
echo "fuzz: built in $(( $(date +%s) - start )) s; ${seconds} s per target (${build[*]})"
printf '%-16s %8s %12s %10s  %s\n' target seconds executions execs/s result
failed=()
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "seeds/$t"
  log=$(mktemp)
  if "$cargo" fuzz run "${build[@]}" "$t" "corpus/$t" "seeds/$t" -- \
      -max_total_time="$seconds" -timeout=10 -print_final_stats=1 >"$log" 2>&1; then
    result=clean
  else
    result=FAILED
    failed+=("$t")
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  printf '%-16s %8s %12s %10s  %s\n' "$t" "${secs:--}" "${runs:--}" "${rate:--}" "$result"
  if [ "$result" = FAILED ]; then
    grep -E 'property violated|panicked|ERROR: libFuzzer|SUMMARY|Test unit written|Reproduce' "$log" | cut -c1-2000 >&2 || tail -20 "$log" >&2
  fi
  rm -f "$log"
done
echo "fuzz: $(( $(date +%s) - start )) s in all"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: property violated in: ${failed[*]} (inputs in fuzz/artifacts/; reproduce with" \
    "RUSTC_BOOTSTRAP=1 cargo fuzz run --codegen-units 16 <target> <file> in fuzz/)" >&2
  exit 1
fi
