#!/usr/bin/env bash
# Issue 12's figure 3: what a cue-heavy stream (10 cues/s) costs per viewer against the same stream
# without cues. One node (pinned to core 0), one publisher (ffmpeg -c copy of a 360p file), N
# HTTP-FLV players from ./bench play (event-driven, one process, core 1), then two equal windows:
#   quiet: RATE GETs/s of the stream's cue list (the same number of API calls as below, so the
#          API's own HTTP work, done once per call whatever the audience, is not counted as the viewers');
#   cues:  RATE POSTs/s of a cue (a vote card, ~60 bytes of JSON).
# For each window: the node's CPU (ms per second, user / sys, from /proc/<pid>/stat), the bytes each
# viewer got per second (the stream's bytesOut from the API over its viewers), the load average;
# then the difference per viewer (CPU µs per viewer per second, bytes per viewer per second, and per
# cue). The bench's summary counts each player's script tags (onMetaData + cues) to show the
# players got the cues.
#
#   meshlive-bench/figures/cue-cost.sh [viewers]        # default 1000
#
# WINDOW=20 (seconds each), RATE=10 (API calls per second), SETTLE=10 (after the ramp), PIN=1
# (taskset: node on core 0, the rest on core 1; PIN=0 leaves scheduling to the kernel),
# MESHLIVE_JAVA_OPTS as ./meshlive takes them.
set -euo pipefail
cd "$(dirname "$0")/../.."
viewers=${1:-1000}
window=${WINDOW:-20}
rate=${RATE:-10}
settle=${SETTLE:-10}
media=${MEDIA:-/tmp/meshlive-bench-360p.flv}
ramp=200
stream=cuecost
work=$(mktemp -d /tmp/meshlive-cuecost.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
node_cpu=""; rest_cpu=""
if [ "${PIN:-1}" = 1 ]; then node_cpu="taskset -c 0"; rest_cpu="taskset -c 1"; fi

if [ ! -f "$media" ]; then
  echo "making $media (60 s, 640x360 25 fps H.264 + AAC)" >&2
  ffmpeg -y -v error -f lavfi -i testsrc2=size=640x360:rate=25 -f lavfi -i sine=frequency=440:sample_rate=44100 \
    -t 60 -c:v libx264 -preset veryfast -b:v 600k -g 50 -keyint_min 50 -sc_threshold 0 -bf 0 -c:a aac -b:a 64k -f flv "$media"
fi
./bench --help >/dev/null   # builds both jars when the sources changed

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
rtmp=$(free_port); http=$(free_port); webrtc=$(free_port)
cat >"$work/meshlive.yaml" <<YAML
bind: 127.0.0.1
dataDir: $work/data
rtmp: {port: $rtmp}
http: {port: $http, maxConnections: $((viewers + 100)), maxConnectionsPerAddress: $((viewers + 100))}
webrtc: {port: $webrtc, candidates: [127.0.0.1]}
cues: {maxPerSecond: $((rate * 5))}
YAML
$node_cpu ./meshlive --config "$work/meshlive.yaml" >"$work/node.log" 2>&1 &
node=$!
pids+=($node)
api="http://127.0.0.1:$http/api/v1"
for _ in $(seq 1 120); do curl -sf "$api/health" >/dev/null && break; sleep 0.5; done
$rest_cpu ffmpeg -nostdin -v error -re -stream_loop -1 -i "$media" -c copy -f flv "rtmp://127.0.0.1:$rtmp/live/$stream" >"$work/ffmpeg.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do curl -sf "$api/streams/live/$stream" | grep -qE '"publishing" ?: ?true' && break; sleep 0.5; done

ramp_s=$(( (viewers + ramp - 1) / ramp ))
$rest_cpu ./bench play --url "http://127.0.0.1:$http/live/$stream.flv" -n "$viewers" --ramp $ramp/s \
  --duration $((ramp_s + settle + 2 * window + 15))s --report 5s --no-stats >"$work/bench.log" 2>&1 &
bench=$!
pids+=($bench)
sleep $((ramp_s + settle))

# RATE calls a second for WINDOW seconds on one keep-alive connection: GET (quiet) or POST (cues).
api_calls() {
  $rest_cpu python3 - "$1" "$http" "/api/v1/streams/live/$stream/cues" "$rate" "$window" <<'PY'
import http.client, sys, time
mode, port, path, rate, window = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
body = '{"kind":"vote","payload":{"question":"Which colour?","options":["red","blue"]}}'
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
bad = 0
start = time.monotonic()
for i in range(rate * window):
    if mode == "post":
        conn.request("POST", path, body, {"Content-Type": "application/json"})
    else:
        conn.request("GET", path)
    r = conn.getresponse(); r.read()
    bad += r.status not in (200, 201, 202)
    time.sleep(max(0.0, start + (i + 1) / rate - time.monotonic()))
if bad:
    print(f"{bad} {mode} calls failed", file=sys.stderr)
PY
}
stream_field() { curl -sf "$api/streams/live/$stream" | jq -r ".$1"; }
hz=$(getconf CLK_TCK)

# Measures one window; prints "cpu_ms_per_s user_ms sys_ms bytes_per_viewer_per_s viewers load".
measure() {
  local u0 s0 u1 s1 b0 b1 t0 t1 v
  read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$node/stat"); b0=$(stream_field bytesOut); t0=$(date +%s.%N)
  api_calls "$1"
  read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$node/stat"); b1=$(stream_field bytesOut); t1=$(date +%s.%N)
  v=$(stream_field viewers)
  awk -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v hz="$hz" -v b=$((b1 - b0)) -v t="$(echo "$t1 - $t0" | bc)" -v v="$v" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "%.1f %.1f %.1f %.0f %d %s\n", (u + s) * 1000 / hz / t, u * 1000 / hz / t, s * 1000 / hz / t, b / t / v, v, load }'
}
delivered0=$(curl -sf "$api/streams/live/$stream/cues" | jq -r .delivered)
read -r qcpu quser qsys qbytes qviewers qload < <(measure get)
read -r ccpu cuser csys cbytes cviewers cload < <(measure post)
delivered1=$(curl -sf "$api/streams/live/$stream/cues" | jq -r .delivered)
wait "$bench" || true

# What one cue adds to a viewer's wire: its onCuePoint tag as an HTTP chunk, read off one FLV viewer.
curl -s -N --max-time 3 "http://127.0.0.1:$http/live/$stream.flv" -o "$work/probe.flv" || true &
probe=$!
sleep 1
curl -sf -X POST -H 'Content-Type: application/json' -d '{"kind":"vote","payload":{"question":"Which colour?","options":["red","blue"]}}' \
  "$api/streams/live/$stream/cues" >/dev/null
wait $probe || true
cue_wire=$(python3 - "$work/probe.flv" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
at = 13                                   # FLV header + PreviousTagSize0 (curl has undone the chunking)
while at + 11 <= len(b):
    kind, size = b[at], int.from_bytes(b[at + 1:at + 4], "big")
    if kind == 18 and b"onCuePoint" in b[at + 11:at + 11 + size]:
        tag = 11 + size + 4
        print(tag + len(f"{tag:x}") + 4)  # chunk size line and CRLFs
        break
    at += 11 + size + 4
else:
    print("?")
PY
)

printf '%-22s %8s %14s %12s %18s %6s\n' window viewers "CPU ms/s" "(user/sys)" "bytes/s per viewer" load
printf '%-22s %8d %14s %12s %18s %6s\n' "no cues ($rate GETs/s)" "$qviewers" "$qcpu" "($quser/$qsys)" "$qbytes" "$qload"
printf '%-22s %8d %14s %12s %18s %6s\n' "$rate cues/s (POSTs)" "$cviewers" "$ccpu" "($cuser/$csys)" "$cbytes" "$cload"
awk -v q="$qcpu" -v c="$ccpu" -v qb="$qbytes" -v cb="$cbytes" -v v="$cviewers" -v r="$rate" 'BEGIN {
  d = (c - q) * 1000 / v
  printf "difference per viewer: %+.1f us CPU per second (%+.2f us per cue), %+.0f bytes/s (%+.0f bytes per cue)\n", d, d / r, cb - qb, (cb - qb) / r }'
echo "one cue on an HTTP-FLV viewer's wire: $cue_wire bytes (its onCuePoint tag in its HTTP chunk), i.e. $rate x that per viewer per second"
echo "cues delivered by the node in the cue window: $((delivered1 - delivered0)) of $((rate * window)) posted"
grep -E "^summary|received|^ *[0-9]+ × " "$work/bench.log" | sed 's/^ */  bench: /' || true
echo "  (script data per player = 1 onMetaData + the cues it got; work dir $work)"
