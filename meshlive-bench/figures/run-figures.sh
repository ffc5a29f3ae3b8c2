#!/usr/bin/env bash
# Reproduces the issue-2 figures on a 2-core machine: the server pinned to core 0, the publisher
# and the bench players on core 1. Prints server CPU (% of one core) and RSS for each load.
#
#   meshlive-bench/figures/run-figures.sh [media.flv]
#
# Without a media file it makes one: 60 s of 720p30 H.264 at ~2 Mbit/s + AAC, with ffmpeg.
# Set SERVERS="meshlive nginx" (default) or one of them; LOADS="rtmp:1000 rtmp:2000 flv:2000";
# MESHLIVE_ARGS="--config merge.yaml" to measure another configuration.
set -euo pipefail
cd "$(dirname "$0")/../.."
media=${1:-/tmp/meshlive-bench-720p.flv}
servers=${SERVERS:-meshlive nginx}
loads=${LOADS:-rtmp:1000 rtmp:2000 flv:2000}
settle=${SETTLE:-15}     # seconds after all players connected before measuring
window=${WINDOW:-20}     # seconds of measurement
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; sleep 1; rm -rf "$work"' EXIT

if [ ! -f "$media" ]; then
  echo "making $media (60 s, 1280x720 30 fps, 2 Mbit/s H.264 + AAC)" >&2
  ffmpeg -y -v error -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440:sample_rate=44100 \
    -t 60 -vf noise=alls=12:allf=t -c:v libx264 -preset veryfast -b:v 1900k -maxrate 2000k -bufsize 2000k \
    -g 60 -keyint_min 60 -sc_threshold 0 -bf 0 -c:a aac -b:a 96k -f flv "$media"
fi
mvn -q -B -DskipTests package >&2

rss_kb() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }

measure() { # pid -> "cpu% rssKB"
  local pid=$1 t0 t1 hz
  hz=$(getconf CLK_TCK)
  read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$pid/stat"); sleep "$window"
  read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$pid/stat")
  echo "$(( (u1 + s1 - u0 - s0) * 100 * 100 / hz / window ))" "$(rss_kb "$pid")" \
    "$(( (u1 - u0) * 100 / hz / window ))" "$(( (s1 - s0) * 100 / hz / window ))"
}

for server in $servers; do
  for load in $loads; do
    proto=${load%%:*}; n=${load##*:}
    if [ "$server" = nginx ] && [ "$proto" = flv ]; then continue; fi   # nginx-rtmp has no HTTP-FLV
    rtmp_port=$((20000 + RANDOM % 10000)); http_port=$((rtmp_port + 1))
    if [ "$server" = meshlive ]; then
      taskset -c 0 java ${MESHLIVE_JAVA_OPTS:--XX:+UseSerialGC -Xms32m -Xmx1g -Xmn16m} -cp "meshlive-server/target/meshlive-server-0.1.0-SNAPSHOT.jar:meshlive-server/target/lib/*" \
        io.meshlive.server.Main --bind 127.0.0.1 --rtmp-port $rtmp_port --http-port $http_port ${MESHLIVE_ARGS:-} > "$work/server.log" 2>&1 &
    else
      sed "s#@DIR@#$work#; s#@PORT@#$rtmp_port#" meshlive-bench/figures/nginx-rtmp.conf.template > "$work/nginx.conf"
      taskset -c 0 nginx -c "$work/nginx.conf" > "$work/server.log" 2>&1 &
    fi
    spid=$!
    sleep 3
    taskset -c 1 ffmpeg -v error -re -stream_loop -1 -i "$media" -c copy -f flv "rtmp://127.0.0.1:$rtmp_port/live/bench" > "$work/pub.log" 2>&1 &
    ppid=$!
    sleep 3
    base_rss=$(rss_kb $spid)
    if [ "$proto" = rtmp ]; then url="rtmp://127.0.0.1:$rtmp_port/live/bench"; else url="http://127.0.0.1:$http_port/live/bench.flv"; fi
    stats=""; [ "$server" = meshlive ] && stats="--stats-url http://127.0.0.1:$http_port/api/v1/streams"
    duration=$((settle + window + 20))
    taskset -c 1 ./bench play --url "$url" -n "$n" --duration "$duration" $stats > "$work/play.log" 2>&1 &
    bpid=$!
    sleep $((settle + 10))
    read -r cpu rss user sys < <(measure $spid)
    # Time to first frame of a new player joining the loaded, live stream (not the ramp's crowd).
    taskset -c 1 ./bench play --url "$url" -n 20 --ramp 5/s --duration 8s --no-stats > "$work/probe.log" 2>&1 || true
    wait $bpid || true
    kill $ppid $spid 2>/dev/null || true; wait $ppid $spid 2>/dev/null || true
    printf '%-8s %-4s %5d players: server CPU %3d.%02d%% of a core (user %d%%, kernel %d%%), RSS %d MB (idle with publisher %d MB, +%d KB/player)\n' \
      "$server" "$proto" "$n" $((cpu / 100)) $((cpu % 100)) "$user" "$sys" $((rss / 1024)) $((base_rss / 1024)) $(( (rss - base_rss) / n ))
    grep -E "latency|skipped" "$work/play.log" | tail -3 | sed 's/^/    /' || true
    grep -E "time to first frame" "$work/probe.log" | sed 's/^/    new player on the live stream: /' || true
  done
done
