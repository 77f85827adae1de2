#!/bin/bash
# A CPU (not wall-clock) profile of the daemon in one paced phase of end-to-end-processes.ts:
# starts the bench with one paced rate on BUILD_DIR (node --perf-basic-prof, so perf names JIT
# code), waits for the phase's daemon, lets it run WAIT seconds (start, 5 s, the warm-up), then
# records it with perf for 10 s and summarises with perf-summary.ts.
#   bash scripts/bench/perf-record-phase.sh BUILD_DIR OUT_PREFIX RATE [WARMUP_S]
# Needs perf and kernel.perf_event_paranoid <= 2. Leaves OUT_PREFIX.perf.data, .e2e.txt, .txt.
set -euo pipefail
BIN=$1; OUT=$2; RATE=$3; WARMUP=${4:-2}
cd "$(dirname "$0")/../.."
npx tsx scripts/bench/end-to-end-processes.ts --rates "$RATE" --runs 1 --warmup "$WARMUP" --seconds $((WARMUP + 30)) --reports 2000 \
  --bin "x=$BIN/bin/zigbee-hubd.js@--perf-basic-prof" > "$OUT.e2e.txt" 2>&1 &
bench_job=$!
until grep -q "phase x: paced" "$OUT.e2e.txt" 2>/dev/null; do sleep 0.3; done
bench=$(pgrep -f "end-to-end-processes.ts --rates $RATE --runs 1 --warmup $WARMUP" | tail -1)
pid=""
until [ -n "$pid" ]; do pid=$(pgrep -P "$bench" -x zigbee-hubd | head -1 || true); sleep 0.3; done
sleep $((WARMUP + 12))
before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
perf record -F 997 -g -o "$OUT.perf.data" -p "$pid" -- sleep 10 2> /dev/null
after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
echo "daemon $pid: $(( (after - before) * 10 )) ms of CPU in the 10 s recorded (/proc)" > "$OUT.txt"
npx tsx scripts/bench/perf-summary.ts "$OUT.perf.data" --reports $((RATE * 10)) >> "$OUT.txt"
wait "$bench_job"
rm -f "/tmp/perf-$pid.map"
cat "$OUT.txt"
