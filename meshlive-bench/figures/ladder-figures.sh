#!/usr/bin/env bash
# Transcode figures (issue 6): a 720p30 source in, a 720p/480p/360p ladder out, for SECONDS of real
# time. Prints the server's CPU (percent of one core, the publisher excluded), the ladder's delay
# per frame (source frame into the hub -> rendition frame into the hub) and fps/drops from
# /api/v1/transcoders, then the PSNR of each rendition against the source (ffmpeg -lavfi psnr on
# 10 s pulled at once, the source scaled to the rendition's size).
# ENCODER=x264 needs a build made with -Pgpl (mvn -Pgpl -DskipTests package).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_RUN=${SECONDS_RUN:-40}
ENCODER=${ENCODER:-openh264}
work=$(mktemp -d)
cat > "$work/ladder.yaml" <<YAML
rtmp: {port: 19350}
http: {port: 18080}
webrtc: {port: 18000}
dataDir: $work/data
stats: {logIntervalSeconds: 0}
transcode:
  apps:
    live:
      encoder: $ENCODER
      preset: ultrafast
      renditions:
        - {name: 720p, width: 1280, height: 720, bitrateKbps: 2500}
        - {name: 480p, width: 854, height: 480, bitrateKbps: 1200}
        - {name: 360p, width: 640, height: 360, bitrateKbps: 700}
YAML
./meshlive --config "$work/ladder.yaml" > "$work/server.log" 2>&1 &
server=$!
trap 'kill $publisher $server 2>/dev/null || true' EXIT
for i in $(seq 120); do curl -sf http://127.0.0.1:18080/api/v1/ready >/dev/null && break; sleep 1; done   # ready: its WebRTC warm-up is over
ffmpeg -nostdin -loglevel error -re -f lavfi -i testsrc2=size=1280x720:rate=30 -re -f lavfi -i sine=frequency=440 \
  -c:v libx264 -preset ultrafast -tune zerolatency -g 60 -pix_fmt yuv420p -b:v 4000k -c:a aac -f flv rtmp://127.0.0.1:19350/live/bench &
publisher=$!
sleep 5
ticks() { awk '{print $14+$15}' /proc/$server/stat; }
t0=$(ticks); s0=$(date +%s.%N)
# PSNR: each rendition and the source pulled together for 10 s, compared frame by frame (pts-aligned by the same timeline).
for r in bench bench_720p bench_480p bench_360p; do
  ffmpeg -nostdin -loglevel error -y -i http://127.0.0.1:18080/live/$r.flv -t 10 -an -c:v copy "$work/$r.flv" &
done
sleep $((SECONDS_RUN - 5))
t1=$(ticks); s1=$(date +%s.%N)
hz=$(getconf CLK_TCK)
echo "server CPU over the run: $(echo "($t1-$t0)/$hz/($s1-$s0)*100" | bc -l | xargs printf '%.0f')% of one core ($(nproc) cores), encoder $ENCODER"
curl -s http://127.0.0.1:18080/api/v1/transcoders | python3 -c '
import json,sys
for t in json.load(sys.stdin)["transcoders"]:
    print("source %s fps in %.1f, dropped %d, corrupt %d" % (t["source"], t["fpsIn"], t["droppedFrames"], t["corruptFrames"]))
    for r in t["renditions"]:
        d=r["delayMicros"]
        print("  %-5s %dx%d fps out %.1f dropped %d  delay p50 %.1f ms p90 %.1f ms p99 %.1f ms max %.1f ms (%d frames)" % (
            r["name"], r["width"], r["height"], r["fpsOut"], r["droppedFrames"], d["p50"]/1000, d["p90"]/1000, d["p99"]/1000, d["max"]/1000, d["count"]))'
wait $(jobs -p | grep -v "^$server$" | grep -v "^$publisher$") 2>/dev/null || true
for r in 720p:1280:720 480p:854:480 360p:640:360; do
  IFS=: read name w h <<< "$r"
  psnr=$(ffmpeg -nostdin -i "$work/bench_$name.flv" -i "$work/bench.flv" \
    -lavfi "[1:v]scale=$w:$h[ref];[0:v]setpts=PTS-STARTPTS[a];[ref]setpts=PTS-STARTPTS[b];[a][b]psnr" -f null - 2>&1 | grep -o 'average:[0-9.inf]*' | tail -1)
  echo "PSNR $name against the source scaled to ${w}x$h: $psnr dB"
done
