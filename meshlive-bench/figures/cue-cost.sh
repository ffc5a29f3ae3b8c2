#!/usr/bin/env bash
# Issue 12's figure 3: what a cue-heavy stream (10 cues/s) costs per viewer against the same stream
# without cues. One node (pinned to core 0), two publishers (ffmpeg -c copy of a 360p file): the
# watched stream and an idle one nobody watches; N HTTP-FLV players of the watched stream from
# ./bench play (event-driven, one process, core 1); then two equal windows:
#   quiet: RATE POSTs/s of a cue (a vote card, ~60 bytes of JSON) to the idle stream: the same API
#          calls as below, so the API's own work (HTTP, JSON, the hop to the stream's loop), done once
#          per cue whatever the audience, is not counted as the viewers' (QUIET=get: GETs of the
#          watched stream's cue list instead, as CueCostTest does; a GET costs more than a POST);
#   cues:  RATE POSTs/s of the same cue to the watched stream.
# For each window: the node's CPU (ms per second, user / sys, from /proc/<pid>/stat), the bytes each
# viewer got per second (the stream's bytesOut from the API over its viewers) and that less the
# publisher's bytes in (what the viewers got beyond the media: framing and cues; the media's own
# bit rate varies from window to window), the load average; then the difference per viewer (CPU µs
# per viewer per second, bytes beyond the media per viewer per second, and per cue), and the exact
# wire size of one cue. The bench's summary counts each player's script tags (onMetaData + cues) to show the
# players got the cues.
#
#   meshlive-bench/figures/cue-cost.sh [viewers]        # default 1000
#
# WINDOW=20 (seconds each), ROUNDS=1 (quiet+cues pairs, alternated, summed: for a busy machine), RATE=10 (API calls per second), SETTLE=10 (after the ramp), PIN=1
# (taskset: node on core 0, the rest on core 1; PIN=0 leaves scheduling to the kernel),
# MESHLIVE_JAVA_OPTS as ./meshlive takes them.
# Measured 2026-12-05 (ROUNDS=2 WINDOW=20, 1,000 viewers, load 1.3-2.6): 477 ms/s CPU quiet, 413 ms/s
# with cues: no cost above the noise (about +-6 us per cue per viewer); one cue is 258 bytes on each
# viewer's wire (2.6 KB/s per viewer at 10 cues/s), the tag being encoded once per stream.
set -euo pipefail
cd "$(dirname "$0")/../.."
viewers=${1:-1000}
window=${WINDOW:-20}
rate=${RATE:-10}
settle=${SETTLE:-10}
rounds=${ROUNDS:-1}
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
for _ in $(seq 1 240); do curl -sf "$api/ready" >/dev/null && break; sleep 0.5; done   # ready: its WebRTC warm-up is over
for s in "$stream" "$stream-idle"; do
  $rest_cpu ffmpeg -nostdin -v error -re -stream_loop -1 -i "$media" -c copy -f flv "rtmp://127.0.0.1:$rtmp/live/$s" >"$work/ffmpeg-$s.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 60); do curl -sf "$api/streams/live/$s" | grep -qE '"publishing" ?: ?true' && break; sleep 0.5; done
done

ramp_s=$(( (viewers + ramp - 1) / ramp ))
$rest_cpu ./bench play --url "http://127.0.0.1:$http/live/$stream.flv" -n "$viewers" --ramp $ramp/s \
  --duration $((ramp_s + settle + 2 * rounds * (window + 2) + 15))s --report 5s --no-stats >"$work/bench.log" 2>&1 &
bench=$!
pids+=($bench)
sleep $((ramp_s + settle))

# RATE calls a second for WINDOW seconds on one keep-alive connection: $1 (get or post) on stream $2's cues.
api_calls() {
  $rest_cpu python3 - "$1" "$http" "/api/v1/streams/live/$2/cues" "$rate" "$window" <<'PY'
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

# The stream's bytes out and in.
stream_bytes() { curl -sf "$api/streams/live/$stream" | jq -r '"\(.bytesOut) \(.bytesIn)"'; }
# Measures one window; prints "user_ticks sys_ticks bytes_out seconds viewers load bytes_in".
measure() {
  local u0 s0 u1 s1 b0 b1 i0 i1 t0 t1
  read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$node/stat"); read -r b0 i0 < <(stream_bytes); t0=$(date +%s.%N)
  api_calls "$1" "$2"
  read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$node/stat"); read -r b1 i1 < <(stream_bytes); t1=$(date +%s.%N)
  echo "$((u1 - u0)) $((s1 - s0)) $((b1 - b0)) $(echo "$t1 - $t0" | bc) $(stream_field viewers) $(cut -d' ' -f1 /proc/loadavg) $((i1 - i0))"
}
delivered0=$(curl -sf "$api/streams/live/$stream/cues" | jq -r .delivered)
for round in $(seq "$rounds"); do   # quiet, cues, quiet, cues...: a drift in the machine's load hits both alike
  if [ "${QUIET:-idle}" = get ]; then echo "quiet $(measure get "$stream")"; else echo "quiet $(measure post "$stream-idle")"; fi >>"$work/windows"
  echo "cues $(measure post "$stream")" >>"$work/windows"
done
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

awk -v hz="$hz" -v rate="$rate" -v rounds="$rounds" '
  { u[$1] += $2; s[$1] += $3; b[$1] += $4; in_[$1] += $8; t[$1] += $5; v[$1] += $6 / rounds; load[$1] = load[$1] " " $7 }
  END {
    printf "%-24s %8s %10s %16s %18s %14s  %s\n", "window (" rounds " each)", "viewers", "CPU ms/s", "(user / sys)", "bytes/s per viewer", "beyond media", "load (1 min)"
    split("quiet cues", modes, " ")
    for (i = 1; i <= 2; i++) {
      m = modes[i]
      cpu[m] = (u[m] + s[m]) * 1000 / hz / t[m]; bytes[m] = b[m] / t[m] / v[m]; over[m] = bytes[m] - in_[m] / t[m]
      printf "%-24s %8d %10.1f %16s %18.0f %14.0f %s\n", m == "quiet" ? "no cues (" rate " calls/s)" : rate " cues/s (POSTs)", v[m], cpu[m],
        sprintf("(%.1f / %.1f)", u[m] * 1000 / hz / t[m], s[m] * 1000 / hz / t[m]), bytes[m], over[m], load[m]
    }
    d = (cpu["cues"] - cpu["quiet"]) * 1000 / v["cues"]
    printf "difference per viewer: %+.1f us CPU per second (%+.2f us per cue), %+.0f bytes/s (%+.0f bytes per cue)\n",
      d, d / rate, over["cues"] - over["quiet"], (over["cues"] - over["quiet"]) / rate
  }' "$work/windows"
echo "one cue on an HTTP-FLV viewer's wire: $cue_wire bytes (its onCuePoint tag in its HTTP chunk), i.e. $rate x that per viewer per second"
echo "cues delivered by the node in the cue windows: $((delivered1 - delivered0)) of $((rate * window * rounds)) posted"
grep -E "^summary|received|^ *[0-9]+ × " "$work/bench.log" | sed 's/^ */  bench: /' || true
echo "  (script data per player = 1 onMetaData + the cues it got; work dir $work)"
