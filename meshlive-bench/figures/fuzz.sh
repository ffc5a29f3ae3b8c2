#!/usr/bin/env bash
# Fuzzes every Jazzer @FuzzTest of the project for real (not the seed replay of `mvn test`), one at a
# time, each for a given time or number of executions, and prints one line per target: executions,
# coverage, corpus size and crashes. On demand only (minutes to hours), never in CI.
#
#   meshlive-bench/figures/fuzz.sh [--time 5m] [--runs N] [FILTER]
#
# FILTER picks targets by "Class#method" substring (e.g. Amf, RtmpChunk, Sdp). The corpus a target
# grows is kept in the repository under <module>/src/test/fuzz-corpus/<class>/<method>/ (only
# inputs that reached new coverage, so it stays small) and is the starting point of the next run.
# It only grows: libFuzzer's -merge=1, which would cut it to a minimal covering set, runs its own
# binary again in a child process, which Jazzer's JUnit mode has not; a 10 M run adds a few hundred
# kB at most (all corpora together: about 3 MB).
# A crash is written by Jazzer as a file under the target's <Class>Inputs/<method>/ test resources,
# which `mvn test` then replays as a regression seed; fix the code, keep the file.
#
# While fuzzing (JAZZER_FUZZ set) the test kit's leak detector counts live buffers instead of keeping
# PARANOID's stack traces (FuzzLeakGate fails the input that leaked); `mvn test` keeps PARANOID.
# The table is also written to target/fuzz-logs/table.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
time=5m
runs=0
filter=""
while [ $# -gt 0 ]; do
  case "$1" in
    --time) time="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) filter="$1"; shift ;;
  esac
done
logs=target/fuzz-logs
mkdir -p "$logs"
# Every @FuzzTest method: module, fully qualified class, method.
targets=$(grep -rl --include='*FuzzTest.java' '@FuzzTest' meshlive-*/src/test/java | while read -r f; do
  module=${f%%/src/*}
  class=$(echo "${f#*/src/test/java/}" | sed 's|/|.|g; s|\.java$||')
  grep -A2 '@FuzzTest' "$f" | grep -oE 'void [A-Za-z0-9_]+\(' | sed 's/void //; s/(//' | while read -r m; do
    echo "$module $class $m"
  done
done)
table="$logs/table.txt"
row() { printf '%-48s %12s %8s %6s %6s %8s %s\n' "$@" | tee -a "$table"; }
row target executions exec/s secs cov corpus crashes
echo "$targets" | while read -r module class method; do
  name="${class##*.}#$method"
  if [ -n "$filter" ] && [[ "$name" != *"$filter"* ]]; then
    continue
  fi
  kept="$module/src/test/fuzz-corpus/$class/$method"
  work="$module/.cifuzz-corpus/$class/$method"
  mkdir -p "$kept" "$work"
  cp -n "$kept"/. "$work"/ -r 2>/dev/null || true
  inputs="$module/src/test/resources/$(dirname "${class//.//}")/${class##*.}Inputs/$method"
  mkdir -p "$inputs"   # where Jazzer writes a finding (without it, into the module's root, unseen here)
  before=$(ls "$inputs" 2>/dev/null | grep -c '^crash-' || true)
  log="$logs/$name.log"
  started=$(date +%s)
  JAZZER_FUZZ=1 JAZZER_MAX_DURATION="$time" JAZZER_MAX_EXECUTIONS="$runs" \
    mvn -o -B -pl "$module" -am test -Dtest="${class##*.}#$method" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djacoco.skip=true >"$log" 2>&1 || true
  secs=$(($(date +%s) - started))
  done_line=$(grep -E '^#[0-9]+\s+DONE' "$log" | tail -1 || true)
  execs=$(grep -oE '^Done [0-9]+ runs' "$log" | tail -1 | grep -oE '[0-9]+' || echo "?")
  rate=$(echo "$done_line" | grep -oE 'exec/s: [0-9]+' | grep -oE '[0-9]+' || echo "?")
  cov=$(echo "$done_line" | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+' || echo "?")
  # Keep what the run found, and nothing that did not add coverage (libFuzzer already keeps only those).
  rsync -a --delete "$work"/ "$kept"/ 2>/dev/null || { rm -rf "$kept"; mkdir -p "$kept"; cp -r "$work"/. "$kept"/; }
  after=$(ls "$inputs" 2>/dev/null | grep -c '^crash-' || true)
  crashes=$((after - before))
  if [ "$crashes" -gt 0 ] || grep -q 'FuzzTestFindingException\|Java Exception\|== ERROR' "$log"; then
    crashes="$crashes (see $log)"
  fi
  row "$name" "$execs" "$rate" "$secs" "$cov" "$(ls "$kept" | wc -l)" "$crashes"
done
