#!/usr/bin/env bash
# Issue 16's fan-out table: RTMP and HTTP-FLV viewers per core, meshlive side by side with
# nginx-rtmp (Debian) and SRS (when built), the same stream, pinning and load for all.
# The server runs pinned to core 0; the publisher (ffmpeg, -c copy) and the bench players on core 1.
#
#   meshlive-bench/figures/fanout-figures.sh [viewers] [media.flv]        # viewers: default 2000
#
# Each row: one server, protocol and player pattern; the server's CPU over WINDOW s (% of one core,
# user / kernel), its RSS per viewer (over its idle RSS with the publisher on), syscalls per second
# (perf stat on the same window: all, writev + write + sendmsg, io_uring_enter), the server-added
# latency p50/p99 (meshlive's own API: arrival to written into the socket, the last stats interval),
# the bench's CPU (near 100 % the bench, not the server, is the limit) and the load average.
#
# Player patterns: "event" players read as data arrives (./bench play); "drain" players read their
# sockets only every 50 ms (./bench play --drain-every 50ms), as a player decoding on a timer does.
# On loopback a receiver's kernel work is charged partly to the sender, so both count.
#
# SERVERS="meshlive nginx srs" (default), PROTOS="rtmp flv", PATTERNS="event drain",
# MESHLIVE_YAML="transport: io_uring" (top-level YAML lines added to meshlive's configuration),
# MESHLIVE_ARGS (more flags), SETTLE=10, WINDOW=20.
# SRS: SRS_HOME=<a built github.com/ossrs/srs tree, its trunk/ directory> (./configure --sanitizer=off
# --extra-flags=-O2 && make); without objs/srs there the SRS rows are skipped with a note.
set -euo pipefail
cd "$(dirname "$0")/../.."
viewers=${1:-2000}
media=${2:-/tmp/meshlive-bench-720p.flv}
servers=${SERVERS:-meshlive nginx srs}
protos=${PROTOS:-rtmp flv}
patterns=${PATTERNS:-event drain}
settle=${SETTLE:-10}     # seconds after the ramp before measuring
window=${WINDOW:-20}     # seconds of measurement
ramp=200                 # players per second
srs_home=${SRS_HOME:-}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; sleep 1; rm -rf "$work"' EXIT

if [ ! -f "$media" ]; then
  echo "making $media (60 s, 1280x720 30 fps, 2 Mbit/s H.264 + AAC)" >&2
  ffmpeg -y -v error -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440:sample_rate=44100 \
    -t 60 -vf noise=alls=12:allf=t -c:v libx264 -preset veryfast -b:v 1900k -maxrate 2000k -bufsize 2000k \
    -g 60 -keyint_min 60 -sc_threshold 0 -bf 0 -c:a aac -b:a 96k -f flv "$media"
fi
[[ " $servers " == *" meshlive "* ]] && mvn -o -q -B -DskipTests package >&2
# Every viewer comes from 127.0.0.1: lift the per-address cap (and the total one) above the load.
printf 'http:\n  maxConnections: %d\n  maxConnectionsPerAddress: %d\n' $((viewers + 100)) $((viewers + 100)) > "$work/meshlive.yaml"
printf '%s\n' "${MESHLIVE_YAML:-}" >> "$work/meshlive.yaml"
have_perf=false
perf stat -e raw_syscalls:sys_enter -- true >/dev/null 2>&1 && have_perf=true

# Two free TCP ports (the HTTP one's successor is meshlive's WebRTC port, SRS's API port): other
# benchmarks may share this machine.
free_ports() {
  python3 -c 'import socket
while True:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close()
    if p < 65000 and all(socket.socket().connect_ex(("127.0.0.1", p + i)) != 0 for i in (1, 2)):
        print(p, p + 1); break'
}

# Waits (at most 60 s: a loaded machine starts a JVM slowly) until something listens on port $1.
wait_port() {
  for _ in $(seq 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "nothing listens on port $1 after 60 s" >&2; return 1
}

rss_kb() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }

# Starts $1 pinned to core 0 on the ports given; echoes its pid.
start_server() {
  local server=$1 rtmp_port=$2 http_port=$3
  case $server in
    meshlive)
      taskset -c 0 java ${MESHLIVE_JAVA_OPTS:--XX:+UseSerialGC -Xms32m -Xmx1g -Xmn16m} \
        -cp "meshlive-server/target/meshlive-server-0.1.0-SNAPSHOT.jar:meshlive-server/target/lib/*" \
        io.meshlive.server.Main --bind 127.0.0.1 --rtmp-port "$rtmp_port" --http-port "$http_port" \
        --webrtc-port $((http_port + 1)) --data-dir "$work/data" --config "$work/meshlive.yaml" ${MESHLIVE_ARGS:-} > "$work/server.log" 2>&1 &
      ;;
    nginx)
      sed "s#@DIR@#$work#; s#@PORT@#$rtmp_port#" meshlive-bench/figures/nginx-rtmp.conf.template > "$work/nginx.conf"
      taskset -c 0 nginx -c "$work/nginx.conf" > "$work/server.log" 2>&1 &
      ;;
    srs)
      sed "s#@DIR@#$work#; s#@PORT@#$rtmp_port#; s#@HTTP@#$http_port#; s#@API@#$((http_port + 1))#" \
        meshlive-bench/figures/srs.conf.template > "$work/srs.conf"
      (cd "$srs_home" && exec taskset -c 0 ./objs/srs -c "$work/srs.conf") > "$work/server.log" 2>&1 &
      ;;
  esac
  echo $!
}

# Counts syscalls of pid $1 for $2 seconds; echoes "all/s writes/s io_uring_enter/s" (or "- - -").
syscalls() {
  if ! $have_perf; then echo "- - -"; sleep "$2"; return; fi
  perf stat -x, -e raw_syscalls:sys_enter,syscalls:sys_enter_writev,syscalls:sys_enter_write,syscalls:sys_enter_sendmsg,syscalls:sys_enter_sendto,syscalls:sys_enter_io_uring_enter \
    -p "$1" -- sleep "$2" 2> "$work/perf.csv" >/dev/null || true
  awk -F, -v s="$2" '{ n[$3] = $1 } END {
      printf "%d %d %d\n", n["raw_syscalls:sys_enter"] / s,
        (n["syscalls:sys_enter_writev"] + n["syscalls:sys_enter_write"] + n["syscalls:sys_enter_sendmsg"] + n["syscalls:sys_enter_sendto"]) / s,
        n["syscalls:sys_enter_io_uring_enter"] / s }' "$work/perf.csv"
}

printf '%-9s %-5s %-6s %6s %22s %12s %22s %16s %6s %5s\n' server proto player viewers "CPU % core (user/sys)" "KB/viewer" \
  "syscalls/s (writes, uring)" "latency p50/p99" "bench" load
for server in $servers; do
  if [ "$server" = srs ] && [ ! -x "$srs_home/objs/srs" ]; then
    echo "srs: skipped (no SRS build: set SRS_HOME to a built ossrs/srs trunk/ directory)"
    continue
  fi
  for proto in $protos; do
    if [ "$server" = nginx ] && [ "$proto" != rtmp ]; then continue; fi   # nginx-rtmp has no HTTP-FLV
    for pattern in $patterns; do
      read -r rtmp_port http_port < <(free_ports)
      spid=$(start_server "$server" $rtmp_port $http_port)
      if ! wait_port "$rtmp_port" || { [ "$server" != nginx ] && ! wait_port "$http_port"; }; then
        echo "$server $proto $pattern: skipped, the server did not start; its log ends:"; grep -v '^[[:space:]]*at ' "$work/server.log" | tail -3 | sed 's/^/    /'
        kill "$spid" 2>/dev/null || true; continue
      fi
      # meshlive is ready (200) once its WebRTC warm-up is over: figures taken before would count it.
      [ "$server" = meshlive ] && for _ in $(seq 240); do curl -sf "http://127.0.0.1:$http_port/api/v1/ready" >/dev/null && break; sleep 0.5; done
      taskset -c 1 ffmpeg -v error -re -stream_loop -1 -i "$media" -c copy -f flv "rtmp://127.0.0.1:$rtmp_port/live/bench" > "$work/pub.log" 2>&1 &
      ppid=$!
      sleep 3
      base_rss=$(rss_kb "$spid")
      case $proto in
        rtmp) url="rtmp://127.0.0.1:$rtmp_port/live/bench" ;;
        flv) url="http://127.0.0.1:$http_port/live/bench.flv" ;;
      esac
      drain=""; [ "$pattern" = drain ] && drain="--drain-every 50ms"
      ramp_s=$(( (viewers + ramp - 1) / ramp ))
      taskset -c 1 ./bench play --url "$url" -n "$viewers" --ramp $ramp/s --duration $((ramp_s + settle + window + 5))s \
        --no-stats $drain > "$work/play.log" 2>&1 &
      bpid=$!
      sleep $((ramp_s + settle))
      hz=$(getconf CLK_TCK)
      read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$spid/stat"); b0=$(awk '{print $14 + $15}' "/proc/$bpid/stat")
      read -r calls writes urings < <(syscalls "$spid" "$window")
      read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$spid/stat"); b1=$(awk '{print $14 + $15}' "/proc/$bpid/stat")
      rss=$(rss_kb "$spid")
      latency="-"
      if [ "$server" = meshlive ]; then
        latency=$(curl -s "http://127.0.0.1:$http_port/api/v1/streams" | jq -r '.streams[] | select(.app == "live" and .stream == "bench")
          | .latencyMicros.recent | "\(.p50 / 1000 * 10 | round / 10) / \(.p99 / 1000 * 10 | round / 10) ms"' 2>/dev/null || echo "?")
      fi
      load=$(cut -d' ' -f1 /proc/loadavg)
      wait $bpid || true
      kill $ppid "$spid" 2>/dev/null || true; wait $ppid 2>/dev/null || true
      # The server is not this shell's child (started in a command substitution): wait for it to be
      # gone, since the next row's server must not find its pid file (SRS) or its ports still held.
      for _ in $(seq 100); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$spid" 2>/dev/null || true
      cpu=$(( (u1 + s1 - u0 - s0) * 1000 / hz / window ))
      printf '%-9s %-5s %-6s %6d %12d.%d%% (%d / %d) %12d %10s (%s, %s) %16s %5d%% %5s\n' "$server" "$proto" "$pattern" "$viewers" \
        $((cpu / 10)) $((cpu % 10)) $(( (u1 - u0) * 100 / hz / window )) $(( (s1 - s0) * 100 / hz / window )) \
        $(( (rss - base_rss) / viewers )) "$calls" "$writes" "$urings" "$latency" $(( (b1 - b0) * 100 / hz / window )) "$load"
      grep -E "^summary|^ *[0-9]+ × " "$work/play.log" | sed 's/^ */    /' || true
    done
  done
done
