#!/usr/bin/env bash
# Fuzzes every file reader with libFuzzer (cargo-fuzz, nightly Rust): RUNS executions per target
# (default 1 000 000), starting from the seeds in fuzz/seeds/ and the minimized regressions in
# fuzz/regressions/. Prints one line per target: executions, crashes. Not part of CI.
#
#   fuzz/run.sh                # every target, 10^6 executions each
#   RUNS=100000 fuzz/run.sh npy csv
#
# A crash leaves its input in fuzz/artifacts/<target>/; minimize it with
# `cargo +nightly fuzz tmin <target> <file>` and commit it under fuzz/regressions/<target>/.
set -uo pipefail
cd "$(dirname "$0")"

RUNS=${RUNS:-1000000}
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(libsvm csv npy matrix_market model_json)

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "skipped: no nightly toolchain (rustup toolchain install nightly)"
  exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "skipped: cargo-fuzz is not installed (cargo +nightly install cargo-fuzz --locked)"
  exit 0
fi

if ! cargo +nightly fuzz build -O; then
  echo "error: the fuzz targets did not build" >&2
  exit 2
fi

failed=0
for t in "${TARGETS[@]}"; do
  corpus="corpus/$t"
  mkdir -p "$corpus" "artifacts/$t"
  cp -n seeds/"$t"/* "$corpus"/ 2>/dev/null || true
  cp -n regressions/"$t"/* "$corpus"/ 2>/dev/null || true
  log="artifacts/$t/fuzz.log"
  marker="artifacts/$t/.start"
  touch "$marker"  # the crashes of this run are the files newer than this
  # -rss_limit_mb: a reader that allocates what the input does not pay for fails as a crash.
  cargo +nightly fuzz run -O "$t" "$corpus" -- \
    -runs="$RUNS" -rss_limit_mb=2048 -max_len=4096 -timeout=10 -print_final_stats=1 \
    >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  crashes=$(find "artifacts/$t" -type f -newer "$marker" \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' -o -name 'leak-*' \) | wc -l)
  if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi
  printf '%-14s executions %-9s crashes %s\n' "$t" "${execs:-?}" "$crashes"
  [ "$crashes" -ne 0 ] && failed=1
done
exit $failed
