#!/usr/bin/env bash
# The standing check of issue 14: starts a meshlive node on free loopback ports, configured so every
# attack has something to hit (an open app, a bindIp-signed app, a signed app, a closed app, private
# metrics, a hostile webhook receiver run by the bench), publishes a test pattern to live/victim and
# bound/victim with ffmpeg, then runs `./bench attack` while a healthy HTTP-FLV viewer plays, and
# prints one line per attack: held or BROKE, with its figure. Ends with what the node logged.
#
#   meshlive-bench/figures/attack.sh [extra ./bench attack options, e.g. --silent 200 --holders 10]
#
# The "before" column: NODE_DIR=<a checkout of an older meshlive, built> runs that node instead of
# this one (the same attacks from this tree's bench). A node older than the hardening knows neither
# `publish.allow` nor `metrics.public`: both lines are left out for it, so it runs on its defaults.
#
# Exit status: that of ./bench attack (0 when everything held).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d /tmp/meshlive-attack.XXXXXX)
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    ss -ltnu | grep -q ":$p " || { echo "$p"; return; }
  done
}
rtmp=$(free_port); http=$(free_port); webrtc=$(free_port); hook=$(free_port)
cat >"$work/meshlive.yaml" <<YAML
bind: 127.0.0.1
dataDir: $work/data
rtmp: {port: $rtmp}
http: {port: $http}
webrtc: {port: $webrtc, candidates: [127.0.0.1]}
stats: {logIntervalSeconds: 0}
api: {token: attack-token}
metrics: {public: false}
publish: {allow: [live, bound, signed]}
signing:
  bound: {secret: attack-secret, publish: false, play: true, bindIp: true}
  signed: {secret: attack-secret, publish: true, play: true}
webhooks: {url: "http://127.0.0.1:$hook/hook", secret: hook-secret, failOpen: true, timeoutMs: 2000, retries: 0}
YAML
node_dir=${NODE_DIR:-.}
if [ "$node_dir" != . ] && ! grep -q 'public Publish publish' "$node_dir"/meshlive-server/src/main/java/io/meshlive/server/ServerConfig.java; then
  sed -i '/^metrics: /d; /^publish: /d' "$work/meshlive.yaml"
fi
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
./bench --help >/dev/null   # builds both jars when the sources changed
echo "node: $(cd "$node_dir" && git log -1 --format='%h %cd' --date=short 2>/dev/null || echo "$node_dir")"
"$node_dir"/meshlive --config "$work/meshlive.yaml" >"$work/node.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do   # ready (200) once its WebRTC warm-up is over; a node older than /ready answers 404
  case $(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer attack-token' "http://127.0.0.1:$http/api/v1/ready") in
    200|404) break ;;
  esac
  sleep 0.5
done
for stream in live/victim bound/victim; do
  ffmpeg -nostdin -loglevel error -re -f lavfi -i testsrc2=size=640x360:rate=25 -f lavfi -i sine=frequency=440 \
    -c:v libx264 -preset ultrafast -tune zerolatency -g 50 -c:a aac -f flv "rtmp://127.0.0.1:$rtmp/$stream" \
    >"$work/ffmpeg-${stream//\//-}.log" 2>&1 &
  pids+=($!)
done
for _ in $(seq 1 60); do
  n=$(curl -sf -H 'Authorization: Bearer attack-token' "http://127.0.0.1:$http/api/v1/streams" | grep -oE '"publishing" ?: ?true' | wc -l || true)
  [ "$n" -ge 2 ] && break
  sleep 0.5
done
echo "node: rtmp $rtmp, http $http, webrtc $webrtc; hook receiver $hook; work dir $work"
set +e
./bench attack --rtmp-port "$rtmp" --http-port "$http" --hook-port "$hook" "$@"
status=$?
set -e
echo "--- the node's log"
echo "lines: $(wc -l <"$work/node.log"); stack traces: $(grep -c '^\s*at ' "$work/node.log" || true);" \
  "forged lines: $(grep -c '^INFO forged' "$work/node.log" || true); longest line: $(awk '{ if (length > m) m = length } END { print m }' "$work/node.log") chars"
grep -E 'open-files limit|access: ' "$work/node.log" | sed 's/^/  /'
exit $status
