#!/usr/bin/env bash
# The soak of issue 14: one node, a publisher that reconnects every --reconnect seconds, --viewers
# players on mixed protocols (RTMP, HTTP-FLV, LL-HLS, WHEP in turn), for --duration seconds. Every
# --sample seconds it prints the node's RSS, heap after a full GC, open fds and threads (flat is the
# target), and at the end the leak reports of Netty's leak detector (advanced level) in the node's log.
#
#   meshlive-bench/figures/soak.sh [--duration 3600] [--viewers 500] [--reconnect 120] [--sample 300]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=3600; viewers=500; reconnect=120; sample=300
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --viewers) viewers="$2"; shift 2 ;;
    --reconnect) reconnect="$2"; shift 2 ;;
    --sample) sample="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d /tmp/meshlive-soak.XXXXXX)
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    ss -ltnu | grep -q ":$p " || { echo "$p"; return; }
  done
}
rtmp=$(free_port); http=$(free_port); webrtc=$(free_port)
cat >"$work/meshlive.yaml" <<YAML
bind: 127.0.0.1
dataDir: $work/data
rtmp: {port: $rtmp}
http: {port: $http, maxConnectionsPerAddress: 4096}
webrtc: {port: $webrtc, candidates: [127.0.0.1]}
stats: {logIntervalSeconds: 60}
YAML
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
./bench --help >/dev/null   # builds both jars when the sources changed
MESHLIVE_JAVA_OPTS="-XX:+UseSerialGC -Xms32m -Xmx1g -Xmn16m -Dio.netty.leakDetection.level=advanced" \
  ./meshlive --config "$work/meshlive.yaml" >"$work/node.log" 2>&1 &
node=$!
pids+=($node)
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$http/api/v1/ready" >/dev/null && break; sleep 0.5; done   # ready: its WebRTC warm-up is over
# The publisher: a test pattern, cut and reconnected every $reconnect s.
(
  while :; do
    ffmpeg -nostdin -loglevel error -re -f lavfi -i testsrc2=size=640x360:rate=25 -f lavfi -i sine=frequency=440 \
      -c:v libx264 -preset ultrafast -tune zerolatency -g 50 -c:a aac -t "$reconnect" -f flv \
      "rtmp://127.0.0.1:$rtmp/live/soak" >>"$work/ffmpeg.log" 2>&1 || sleep 1
  done
) &
pids+=($!)
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$http/api/v1/streams" | grep -qE '"publishing" ?: ?true' && break; sleep 0.5; done
./bench play -n "$viewers" --duration "${duration}s" --ramp 50/s --report 60s --stats-url "http://127.0.0.1:$http/api/v1/streams" \
  --url "rtmp://127.0.0.1:$rtmp/live/soak" --url "http://127.0.0.1:$http/live/soak.flv" \
  --url "http://127.0.0.1:$http/live/soak/index.m3u8" --url "http://127.0.0.1:$http/live/soak/whep" \
  >"$work/bench.log" 2>&1 &
bench=$!
pids+=($bench)
heap_after_gc() {
  jcmd "$node" GC.run >/dev/null 2>&1 || true
  jcmd "$node" GC.heap_info 2>/dev/null | grep -oE 'used [0-9]+K' | grep -oE '[0-9]+' | awk '{ s += $1 } END { printf "%d", s / 1024 }'
}
printf '%8s %8s %12s %6s %8s %8s\n' minute rss_mb heap_gc_mb fds threads sessions
start=$(date +%s)
while :; do
  now=$(date +%s)
  rss=$(awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$node/status")
  threads=$(awk '/Threads/ { print $2 }' "/proc/$node/status")
  fds=$(ls "/proc/$node/fd" | wc -l)
  sessions=$(curl -sf "http://127.0.0.1:$http/api/v1/server" | grep -oE '"sessions" ?: ?[0-9]+' | grep -oE '[0-9]+$' || echo "?")
  printf '%8d %8s %12s %6s %8s %8s\n' $(((now - start) / 60)) "$rss" "$(heap_after_gc)" "$fds" "$threads" "$sessions"
  if ! kill -0 "$bench" 2>/dev/null || [ $((now - start)) -ge "$duration" ]; then
    break
  fi
  sleep "$sample"
done
wait "$bench" || true
echo "--- bench play summary"
tail -25 "$work/bench.log"
echo "--- node log: $(grep -c 'LEAK:' "$work/node.log" || true) leak report(s), $(grep -c '^\s*at ' "$work/node.log" || true) stack-trace lines; work dir $work"
