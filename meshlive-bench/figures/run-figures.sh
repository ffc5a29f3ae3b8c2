#!/usr/bin/env bash
# Reproduces the issue-2 figures on a 2-core machine: the server pinned to core 0, the publisher
# and the bench players on core 1. Prints server CPU (% of one core) and RSS for each load, and
# the bench's own CPU (at 100% the bench, not the server, is the limit: the figure is a lower bound).
#
#   meshlive-bench/figures/run-figures.sh [media.flv]
#
# Without a media file it makes one: 60 s of 720p30 H.264 at ~2 Mbit/s + AAC, with ffmpeg.
# Set SERVERS="meshlive nginx" (default) or one of them; LOADS="rtmp:1000 rtmp:2000 flv:2000";
# MESHLIVE_ARGS="--config merge.yaml" to measure another configuration.
#
# An llhls:N load (meshlive only) plays LL-HLS with blocking reloads and part fetches, one I/O
# thread, the 360p stream below.
# A whep:N load (meshlive only) plays WebRTC over WHEP, ramped at 100/s, from a ~600 kbit/s 360p30
# stream (made once as $WHEP_MEDIA, default /tmp/meshlive-bench-360p.flv), with one I/O thread and
# 127.0.0.1 as the only candidate:  SERVERS=meshlive LOADS="whep:500 whep:1000" meshlive-bench/figures/run-figures.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
media=${1:-/tmp/meshlive-bench-720p.flv}
servers=${SERVERS:-meshlive nginx}
loads=${LOADS:-rtmp:1000 rtmp:2000 flv:2000}
settle=${SETTLE:-15}     # seconds after all players connected before measuring
window=${WINDOW:-20}     # seconds of measurement
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; sleep 1; rm -rf "$work"' EXIT

if [[ " $loads " == *" rtmp:"* || " $loads " == *" flv:"* ]] && [ ! -f "$media" ]; then
  echo "making $media (60 s, 1280x720 30 fps, 2 Mbit/s H.264 + AAC)" >&2
  ffmpeg -y -v error -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440:sample_rate=44100 \
    -t 60 -vf noise=alls=12:allf=t -c:v libx264 -preset veryfast -b:v 1900k -maxrate 2000k -bufsize 2000k \
    -g 60 -keyint_min 60 -sc_threshold 0 -bf 0 -c:a aac -b:a 96k -f flv "$media"
fi
whep_media=${WHEP_MEDIA:-/tmp/meshlive-bench-360p.flv}
if [[ " $loads " == *" whep:"* || " $loads " == *" llhls:"* ]] && [ ! -f "$whep_media" ]; then
  echo "making $whep_media (60 s, 640x360 30 fps, 550 kbit/s H.264 + 48 kbit/s AAC)" >&2
  ffmpeg -y -v error -f lavfi -i testsrc2=size=640x360:rate=30 -f lavfi -i sine=frequency=440:sample_rate=48000 \
    -t 60 -c:v libx264 -preset veryfast -tune zerolatency -b:v 550k -maxrate 550k -bufsize 550k \
    -g 30 -keyint_min 30 -sc_threshold 0 -bf 0 -c:a aac -b:a 48k -f flv "$whep_media"
fi
mvn -q -B -DskipTests package >&2

rss_kb() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

measure() { # server pid, bench pid -> "cpu%*100 rssKB user% kernel% benchCpu%"
  local pid=$1 bench=$2 hz b0 b1
  hz=$(getconf CLK_TCK)
  read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$pid/stat"); b0=$(ticks "$bench"); sleep "$window"
  read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$pid/stat"); b1=$(ticks "$bench")
  echo "$(( (u1 + s1 - u0 - s0) * 100 * 100 / hz / window ))" "$(rss_kb "$pid")" \
    "$(( (u1 - u0) * 100 / hz / window ))" "$(( (s1 - s0) * 100 / hz / window ))" "$(( (b1 - b0) * 100 / hz / window ))"
}

for server in $servers; do
  for load in $loads; do
    proto=${load%%:*}; n=${load##*:}
    if [ "$server" = nginx ] && [ "$proto" != rtmp ]; then continue; fi   # nginx-rtmp has neither HTTP-FLV, LL-HLS nor WHEP
    rtmp_port=$((20000 + RANDOM % 10000)); http_port=$((rtmp_port + 1)); webrtc_port=$((rtmp_port + 2))
    source_media=$media; ramp=200/s; server_args=${MESHLIVE_ARGS:-}
    if [ "$proto" = llhls ]; then
      source_media=$whep_media
      printf 'workers: 1\n' > "$work/llhls.yaml"
      server_args="--config $work/llhls.yaml $server_args"
    fi
    if [ "$proto" = whep ]; then
      source_media=$whep_media; ramp=100/s
      printf 'workers: 1\nwebrtc:\n  candidates: [127.0.0.1]\n' > "$work/whep.yaml"
      server_args="--config $work/whep.yaml --webrtc-port $webrtc_port $server_args"
    fi
    if [ "$server" = meshlive ]; then
      taskset -c 0 java ${MESHLIVE_JAVA_OPTS:--XX:+UseSerialGC -Xms32m -Xmx1g -Xmn16m} -cp "meshlive-server/target/meshlive-server-0.1.0-SNAPSHOT.jar:meshlive-server/target/lib/*" \
        io.meshlive.server.Main --bind 127.0.0.1 --rtmp-port $rtmp_port --http-port $http_port --data-dir "$work/data" $server_args > "$work/server.log" 2>&1 &
    else
      sed "s#@DIR@#$work#; s#@PORT@#$rtmp_port#" meshlive-bench/figures/nginx-rtmp.conf.template > "$work/nginx.conf"
      taskset -c 0 nginx -c "$work/nginx.conf" > "$work/server.log" 2>&1 &
    fi
    spid=$!
    sleep 3
    # meshlive is ready (200) once its WebRTC warm-up is over: figures taken before would count it.
    [ "$server" = meshlive ] && for _ in $(seq 240); do curl -sf "http://127.0.0.1:$http_port/api/v1/ready" >/dev/null && break; sleep 0.5; done
    taskset -c 1 ffmpeg -v error -re -stream_loop -1 -i "$source_media" -c copy -f flv "rtmp://127.0.0.1:$rtmp_port/live/bench" > "$work/pub.log" 2>&1 &
    ppid=$!
    sleep 3
    base_rss=$(rss_kb $spid)
    case $proto in
      rtmp) url="rtmp://127.0.0.1:$rtmp_port/live/bench" ;;
      flv) url="http://127.0.0.1:$http_port/live/bench.flv" ;;
      llhls) url="http://127.0.0.1:$http_port/live/bench/index.m3u8" ;;
      whep) url="http://127.0.0.1:$http_port/live/bench/whep" ;;
    esac
    stats=""; [ "$server" = meshlive ] && stats="--stats-url http://127.0.0.1:$http_port/api/v1/streams"
    duration=$((settle + window + 20))
    taskset -c 1 ./bench play --url "$url" -n "$n" --duration "$duration" --ramp $ramp $stats > "$work/play.log" 2>&1 &
    bpid=$!
    sleep $((settle + 10))
    read -r cpu rss user sys bench_cpu < <(measure $spid $bpid)
    # Time to first frame of a new player joining the loaded, live stream (not the ramp's crowd).
    taskset -c 1 ./bench play --url "$url" -n 20 --ramp 5/s --duration 8s --no-stats > "$work/probe.log" 2>&1 || true
    wait $bpid || true
    kill $ppid $spid 2>/dev/null || true; wait $ppid $spid 2>/dev/null || true
    printf '%-8s %-4s %5d players: server CPU %3d.%02d%% of a core (user %d%%, kernel %d%%), RSS %d MB (idle with publisher %d MB, +%d KB/player); bench CPU %d%%\n' \
      "$server" "$proto" "$n" $((cpu / 100)) $((cpu % 100)) "$user" "$sys" $((rss / 1024)) $((base_rss / 1024)) $(( (rss - base_rss) / n )) "$bench_cpu"
    # The measured window's report lines: the most players behind (and, for WHEP, lost packets) in any second of it.
    awk -v from=$((settle + 10)) -v to=$((settle + 10 + window)) '$1 ~ /s$/ && $1+0 >= from && $1+0 <= to {
        for (i = 1; i < NF; i++) { if ($i == "behind" && $(i+1) > b) b = $(i+1); if ($i == "players" && !p) p = $(i+1); if ($i == "packets") l += $(i+1) }
        n++ } END { if (n) printf "    measured window: %s players connected at its start, at most %d behind in a second, %d packets lost\n", p, b, l }' \
      "$work/play.log"
    grep -E "^summary|WHEP:|LL-HLS:| × " "$work/play.log" | sed 's/^ */    /' || true
    grep -E "latency|skipped" "$work/play.log" | tail -3 | sed 's/^/    /' || true
    grep -E "time to first frame" "$work/probe.log" | sed 's/^/    new player on the live stream: /' || true
  done
done
