#!/usr/bin/env bash
# WebRTC join surges (issue 16): N WHEP players join a live ~600 kbit/s 360p30 stream at RATE a
# second; prints how many connected, why the others failed, POST -> first keyframe packet p50/p99,
# the server's CPU (% of one core, user/kernel) over the surge, and its CPU and syscalls per second in
# the steady state after it (STEADY seconds, default 8, then syscalls over half that; they need perf). The server is pinned to core 0,
# the publisher and the bench players to core 1.
#
#   meshlive-bench/figures/whep-joins.sh                    # JOINS="300:100 1000:200" (count:per-second)
#   JOINS="1000:200" meshlive-bench/figures/whep-joins.sh
#   SRS_HOME=/path/to/srs/trunk meshlive-bench/figures/whep-joins.sh
#                                                           # also SRS (built from github.com/ossrs/srs: ./configure
#                                                           # --sanitizer=off --extra-flags=-O2 && make), started here
#                                                           # on core 0 with srs-rtc.conf.template, same players
#   SRS_WHEP=http://127.0.0.1:1985/rtc/v1/whep/?app=live\&stream=bench SRS_RTMP=rtmp://127.0.0.1/live/bench \
#     meshlive-bench/figures/whep-joins.sh                  # or drive an SRS already running (its CPU is not measured)
#
# The stream is made once as $WHEP_MEDIA (default /tmp/meshlive-bench-360p.flv, the one run-figures.sh uses).
# NICE=-20 runs the server, the publisher and the players at that niceness, in a session (scheduler autogroup) of
# their own with that niceness too (root only), so that on a machine shared with other work the figures are of
# meshlive and the bench rather than of the share the neighbours' sessions leave them.
# WARM=COUNT:RATE first runs a surge of that size on the same server and reports it apart, so the measured surge
# meets a server (and a bench) whose code the JIT has compiled, as a server that has been up a while is.
# WEBRTC_YAML="  key: value\n" adds to the server's webrtc section (e.g. "  warmUpJoins: 0\n" for a node without warm-up).
# PLAY_ARGS adds to the players' options (e.g. "--whep-send-delay 100ms": each STUN check and DTLS datagram
# is held that long, a far viewer's round trip).
# SKIP_BUILD=1 uses the jars as they are. KEEP_LOGS=DIR keeps each run's server and bench logs there.
set -euo pipefail
if [ -n "${NICE:-}" ] && [ -z "${WHEP_JOINS_SESSION:-}" ]; then
  WHEP_JOINS_SESSION=1 exec setsid --wait "$0" "$@"
fi
[ -n "${NICE:-}" ] && { echo "$NICE" > /proc/self/autogroup || echo "cannot set the session's niceness; figures are of a shared core" >&2; }
cd "$(dirname "$0")/../.."
joins=${JOINS:-300:100 1000:200}
play_after=${PLAY_AFTER:-25}   # seconds after the last join: time for the slowest to connect (10 s POST + 10 s ICE and DTLS) and play
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; sleep 1; rm -rf "$work"' EXIT

whep_media=${WHEP_MEDIA:-/tmp/meshlive-bench-360p.flv}
if [ ! -f "$whep_media" ]; then
  echo "making $whep_media (60 s, 640x360 30 fps, 550 kbit/s H.264 + 48 kbit/s AAC)" >&2
  ffmpeg -y -v error -f lavfi -i testsrc2=size=640x360:rate=30 -f lavfi -i sine=frequency=440:sample_rate=48000 \
    -t 60 -c:v libx264 -preset veryfast -tune zerolatency -b:v 550k -maxrate 550k -bufsize 550k \
    -g 30 -keyint_min 30 -sc_threshold 0 -bf 0 -c:a aac -b:a 48k -f flv "$whep_media"
fi
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -o -q -B -DskipTests package >&2
  mkdir -p target && touch target/.built   # ./bench need not build again
fi

hz=$(getconf CLK_TCK)
steady_secs=${STEADY:-8}   # the steady-state window after the surge (needs PLAY_AFTER >= STEADY * 1.5 + 12)
have_perf=false
perf stat -e raw_syscalls:sys_enter -- true >/dev/null 2>&1 && have_perf=true
# Counts syscalls of pid $1 for $2 seconds; echoes "all/s sends/s" (or "- -" without perf).
syscalls() {
  if ! $have_perf; then echo "- -"; sleep "$2"; return; fi
  perf stat -x, -e raw_syscalls:sys_enter,syscalls:sys_enter_sendmsg,syscalls:sys_enter_sendmmsg,syscalls:sys_enter_sendto \
    -p "$1" -- sleep "$2" 2> "$work/perf.csv" >/dev/null || true
  awk -F, -v s="$2" '{ n[$3] = $1 } END { printf "%d %d\n", n["raw_syscalls:sys_enter"] / s,
      (n["syscalls:sys_enter_sendmsg"] + n["syscalls:sys_enter_sendmmsg"] + n["syscalls:sys_enter_sendto"]) / s }' "$work/perf.csv"
}
nice=(nice -n "${NICE:-0}")
cpu_ticks() { awk '{print $14, $15}' "/proc/$1/stat"; }

surge() { # name, server pid (or ""), rtmp url, whep url, count, rate
  local name=$1 spid=$2 rtmp=$3 url=$4 n=$5 rate=$6 u0=0 s0=0 u1=0 s1=0 bu0=0 bs0=0 bu=0 bs=0 t0 t1 ppid bpid
  "${nice[@]}" taskset -c 1 ffmpeg -v error -re -stream_loop -1 -i "$whep_media" -c copy -f flv "$rtmp" > "$work/pub.log" 2>&1 &
  ppid=$!
  sleep 4
  local duration=$(( n / rate + play_after ))
  "${nice[@]}" taskset -c 1 ./bench play --url "$url" -n "$n" --ramp "$rate/s" --duration "${duration}s" --no-stats ${PLAY_ARGS:-} > "$work/play.log" 2>&1 &
  bpid=$!
  # The surge starts when the bench, warmed up, prints "playing ...".
  for _ in $(seq 600); do grep -q "^playing " "$work/play.log" 2>/dev/null && break; sleep 0.1; done
  [ -n "$spid" ] && read -r u0 s0 < <(cpu_ticks "$spid")
  read -r bu0 bs0 < <(cpu_ticks "$bpid") || true   # the bench's JVM (./bench execs it)
  t0=$(date +%s%N)
  # CPU over the surge: from the first join until every player has had its handshake time (ramp + 10 s).
  sleep $(( n / rate + 10 ))
  [ -n "$spid" ] && read -r u1 s1 < <(cpu_ticks "$spid")
  read -r bu bs < <(cpu_ticks "$bpid") || true
  t1=$(date +%s%N)
  # Steady state: everyone who joined now just plays. The server's CPU over STEADY seconds, then its syscalls
  # over half that (apart: counting syscalls with perf costs the counted process kernel time per syscall).
  local steady="" su0 ss0 su1 ss1 ts0 ts1 sms calls sends
  if [ -n "$spid" ] && [ "$play_after" -ge $(( steady_secs * 3 / 2 + 12 )) ]; then
    sleep 1
    read -r su0 ss0 < <(cpu_ticks "$spid"); ts0=$(date +%s%N)
    sleep "$steady_secs"
    read -r su1 ss1 < <(cpu_ticks "$spid"); ts1=$(date +%s%N)
    sms=$(( (ts1 - ts0) / 1000000 ))
    read -r calls sends < <(syscalls "$spid" $(( steady_secs / 2 )))
    steady=$(printf '%d%% of a core (user %d%%, kernel %d%%); syscalls/s %s (sends: sendmsg, sendmmsg, sendto %s)' \
      $(( (su1 + ss1 - su0 - ss0) * 100000 / hz / sms )) $(( (su1 - su0) * 100000 / hz / sms )) \
      $(( (ss1 - ss0) * 100000 / hz / sms )) "$calls" "$sends")
  fi
  wait $bpid || true
  kill $ppid 2>/dev/null || true; wait $ppid 2>/dev/null || true
  local ms=$(( (t1 - t0) / 1000000 ))
  local summary connected
  summary=$(grep -E "^summary" "$work/play.log" || echo "summary: (none; see below)")
  printf '%-8s %5d joins at %d/s: %s\n' "$name" "$n" "$rate" "$(sed 's/^summary: //' <<< "$summary")"
  if [ -n "$spid" ]; then
    printf '         server CPU over the surge (%d.%d s): %d%% of a core (user %d%%, kernel %d%%)\n' $((ms / 1000)) $((ms % 1000 / 100)) \
      $(( (u1 + s1 - u0 - s0) * 100000 / hz / ms )) $(( (u1 - u0) * 100000 / hz / ms )) $(( (s1 - s0) * 100000 / hz / ms ))
  fi
  printf '         bench CPU over the surge: %d%% of a core (user %d%%, kernel %d%%)\n' $(( (bu + bs - bu0 - bs0) * 100000 / hz / ms )) \
    $(( (bu - bu0) * 100000 / hz / ms )) $(( (bs - bs0) * 100000 / hz / ms ))
  if [ -n "$steady" ]; then
    connected=$(grep -oE '[0-9]+ connected at the end' <<< "$summary" | grep -oE '^[0-9]+' || echo 0)
    local pct=${steady%%%*}
    printf '         server in steady state (%d s after the surge, the %d connected playing): %s; %s viewers per core at this rate\n' \
      "$steady_secs" "$connected" "$steady" "$( [ "$pct" -gt 0 ] && echo $(( connected * 100 / pct )) || echo '?')"
  fi
  grep -E "time to first frame| × " "$work/play.log" | sed 's/^ */         /' | head -12 || true
  grep -A4 "WHEP join steps" "$work/play.log" | sed 's/^ */         /' || true
}

for spec in $joins; do
  n=${spec%%:*}; rate=${spec##*:}
  rtmp_port=$((20000 + RANDOM % 10000)); http_port=$((rtmp_port + 1)); webrtc_port=$((rtmp_port + 2))
  # Every player comes from 127.0.0.1, where a thousand browsers would come from a thousand addresses.
  printf 'workers: 1\nhttp:\n  maxConnectionsPerAddress: 4096\nwebrtc:\n  candidates: [127.0.0.1]\n%b' "${WEBRTC_YAML:-}" > "$work/whep.yaml"
  "${nice[@]}" taskset -c 0 java ${MESHLIVE_JAVA_OPTS:--XX:+UseSerialGC -Xms32m -Xmx1g -Xmn16m} \
    -cp "meshlive-server/target/meshlive-server-0.1.0-SNAPSHOT.jar:meshlive-server/target/lib/*" \
    io.meshlive.server.Main --bind 127.0.0.1 --rtmp-port $rtmp_port --http-port $http_port --webrtc-port $webrtc_port \
    --data-dir "$work/data" --config "$work/whep.yaml" ${MESHLIVE_ARGS:-} > "$work/server.log" 2>&1 &
  spid=$!
  # Ready (200) once its WebRTC warm-up is over, as a load balancer would wait for it.
  for _ in $(seq 600); do curl -sf "http://127.0.0.1:$http_port/api/v1/ready" > /dev/null 2>&1 && break; sleep 0.2; done
  if [ -n "${WARM:-}" ]; then
    surge "warm-up" $spid "rtmp://127.0.0.1:$rtmp_port/live/bench" "http://127.0.0.1:$http_port/live/bench/whep" "${WARM%%:*}" "${WARM##*:}"
  fi
  surge meshlive $spid "rtmp://127.0.0.1:$rtmp_port/live/bench" "http://127.0.0.1:$http_port/live/bench/whep" "$n" "$rate"
  grep -c "DTLS handshake failed" "$work/server.log" | sed 's/^/         server-side DTLS failures: /' || true
  if [ -n "${KEEP_LOGS:-}" ]; then
    mkdir -p "$KEEP_LOGS" && cp "$work/server.log" "$KEEP_LOGS/server-$n-$rate.log" && cp "$work/play.log" "$KEEP_LOGS/play-$n-$rate.log"
  fi
  kill $spid 2>/dev/null || true; wait $spid 2>/dev/null || true
  if [ -n "${SRS_HOME:-}" ]; then
    if [ ! -x "$SRS_HOME/objs/srs" ]; then
      echo "srs: skipped (no SRS build in SRS_HOME=$SRS_HOME: ./configure --sanitizer=off --extra-flags=-O2 && make)"
    else
      sed "s#@DIR@#$work#; s#@PORT@#$rtmp_port#; s#@API@#$http_port#; s#@UDP@#$webrtc_port#" \
        meshlive-bench/figures/srs-rtc.conf.template > "$work/srs.conf"
      (cd "$SRS_HOME" && exec "${nice[@]}" taskset -c 0 ./objs/srs -c "$work/srs.conf") > "$work/srs.log" 2>&1 &
      spid=$!
      for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$http_port/api/v1/versions" && break; sleep 0.2; done
      surge srs $spid "rtmp://127.0.0.1:$rtmp_port/live/bench" "http://127.0.0.1:$http_port/rtc/v1/whep/?app=live&stream=bench" "$n" "$rate"
      kill $spid 2>/dev/null || true; wait $spid 2>/dev/null || true
    fi
  elif [ -n "${SRS_WHEP:-}" ]; then
    surge srs "" "${SRS_RTMP:?SRS_RTMP names where to publish to SRS}" "$SRS_WHEP" "$n" "$rate"
  fi
done
