#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, -fsanitize=fuzzer,address,undefined)
# into build-fuzz and runs each for a given number of seconds, one after the
# other, printing executions and findings. Results: docs/reliability.md.
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]      (default: 60, all four)
#   FUZZ_JOBS=2 fuzz/run.sh 600 book expr             (two targets at once)
#
# Each target's corpus grows in build-fuzz/corpus/<target> (seeded from
# fuzz/seeds/<target>); crashes land in build-fuzz/findings/<target>/ as
# crash-*, leak-*, timeout-* or oom-* files. Exit status 1 when a target found
# something. Reproduce one with: build-fuzz/fuzz/fuzz_<target> FILE
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(book date duration expr)
jobs=${FUZZ_JOBS:-1}
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}

CXX=${CXX:-clang++} cmake -S "$root" -B "$build" -DFOLLOWUP_FUZZ=ON -DFOLLOWUP_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 2
cmake --build "$build" -j2 --target $(printf 'fuzz_%s ' "${targets[@]}") || exit 2

# Runs one target; prints one summary line.
fuzz_one() {
  local t=$1 corpus="$build/corpus/$1" findings="$build/findings/$1" log="$build/logs/$1.log"
  mkdir -p "$corpus" "$findings" "$build/logs"
  local dict=()
  [ -f "$root/fuzz/$t.dict" ] && dict=(-dict="$root/fuzz/$t.dict")
  nice -n 10 "$build/fuzz/fuzz_$t" "$corpus" "$root/fuzz/seeds/$t" "${dict[@]}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="$findings/" -print_final_stats=1 >"$log" 2>&1
  local rc=$?
  local execs cov
  execs=$(grep -m1 '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  cov=$(grep -E '^#[0-9]+' "$log" | tail -1 | grep -o 'cov: [0-9]*' | awk '{print $2}')
  local found
  found=$(find "$findings" -type f | wc -l)
  printf '%-9s %7ss  executions %-12s coverage %-6s corpus %-6s findings %s (exit %s)\n' \
    "$t" "$seconds" "${execs:-?}" "${cov:-?}" "$(find "$corpus" -type f | wc -l)" "$found" "$rc"
  [ "$rc" -eq 0 ] && [ "$found" -eq 0 ]
}

status=0
running=0
for t in "${targets[@]}"; do
  fuzz_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || status=1
    running=$((running - 1))
  fi
done
while [ "$running" -gt 0 ]; do
  wait -n || status=1
  running=$((running - 1))
done
exit $status
