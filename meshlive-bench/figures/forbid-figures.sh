#!/usr/bin/env bash
# Forbid propagation figures (issue 10): Redis and 5 meshlive nodes on loopback, then
#  1. ./bench forbid: COUNT forbids posted on the nodes in turn, each timed until every node lists it
#     (and its lift until every node drops it): p50/p99/max to the last node;
#  2. Redis stopped: what a forbid posted then gets, and whether every node still enforces the list it had;
#  3. Redis restarted empty: how long until all nodes are listed again and the old forbids are back in the store.
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${COUNT:-50}
NODES=5
REDIS_PORT=${REDIS_PORT:-16390}
./meshlive --help >/dev/null && ./bench --help >/dev/null   # build once, before the nodes start together
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; }
trap cleanup EXIT
redis() { redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" --logfile "$work/redis.log" --daemonize yes; }
redis
apis=()
for i in $(seq $NODES); do
  cat > "$work/node$i.yaml" <<YAML
bind: 127.0.0.1
rtmp: {port: $((19400 + i))}
http: {port: $((18400 + i))}
webrtc: {port: $((18500 + i)), warmUpJoins: 0}   # three nodes on one machine; no join surge is measured
dataDir: $work/data$i
stats: {logIntervalSeconds: 0}
cluster: {store: "redis://127.0.0.1:$REDIS_PORT", nodeId: "n$i", region: "r$i", secret: bench, relayPort: $((17400 + i))}
YAML
  MESHLIVE_JAVA_OPTS="-XX:+UseSerialGC -Xmx256m" ./meshlive --config "$work/node$i.yaml" > "$work/node$i.log" 2>&1 &
  pids+=($!)
  apis+=(--api "http://127.0.0.1:$((18400 + i))")
done
listed() { curl -sf "http://127.0.0.1:18401/api/v1/cluster/nodes" | grep -o '"id" *: *"n[0-9]"' | wc -l; }
for _ in $(seq 600); do [ "$(listed 2>/dev/null || echo 0)" = "$NODES" ] && break; sleep 0.5; done
[ "$(listed)" = "$NODES" ] || { echo "the $NODES nodes did not all come up; logs in $work" >&2; exit 1; }
echo "== $NODES nodes up and listed; $COUNT forbids (Redis up); load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
./bench forbid "${apis[@]}" --count "$COUNT" | tail -n 3
# The same from the nodes' own logs (when each node applied it; no polling in the figure): first node to last.
awk -v n=$NODES '/ForbidList +stream live\/forbid-bench-.* forbidden: / {
    split($1, t, "[:.]"); ms = ((t[1] * 60 + t[2]) * 60 + t[3]) * 1000 + t[4]; s = $5
    c[s]++; if (!(s in lo) || ms < lo[s]) lo[s] = ms; if (!(s in hi) || ms > hi[s]) hi[s] = ms }
  END { for (s in c) if (c[s] == n) print hi[s] - lo[s] }' "$work"/node*.log | sort -n |
  awk '{ v[NR] = $1 } END { p50 = v[int((NR + 1) / 2)]; i = int(NR * 0.99 + 0.999); if (i < 1) i = 1;
    printf "from the nodes'"'"' logs, first node to last applying each of %d forbids: p50 %d ms, p99 %d ms, max %d ms\n", NR, p50, v[i], v[NR] }'

echo "== Redis stopped"
curl -sf -X POST -d '{"reason":"kept"}' http://127.0.0.1:18401/api/v1/streams/live/kept/forbid >/dev/null
sleep 1.5   # let every node pull the last change
redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
sleep 1
t0=$(date +%s%N)
code=$(curl -s -o "$work/refused.json" -w '%{http_code}' -X POST http://127.0.0.1:18402/api/v1/streams/live/during/forbid)
echo "a forbid posted while Redis is down: HTTP $code in $(( ($(date +%s%N) - t0) / 1000000 )) ms: $(cat "$work/refused.json")"
for i in $(seq $NODES); do
  echo "node n$i still enforces: $(curl -sf http://127.0.0.1:$((18400 + i))/api/v1/forbidden | grep -o '"stream" *: *"kept"' | head -1)"
done

echo "== Redis restarted (empty)"
t0=$(date +%s%N)
redis
for _ in $(seq 200); do [ "$(listed 2>/dev/null || echo 0)" = "$NODES" ] && break; sleep 0.05; done
echo "all $NODES nodes listed again after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" hexists '{meshlive}:forbids' live/kept | grep -q 1 && break; sleep 0.05; done
echo "the store has the forbid list back (seeded from a node's copy) after $(( ($(date +%s%N) - t0) / 1000000 )) ms: version $(redis-cli -p "$REDIS_PORT" get '{meshlive}:forbids:version')"
./bench forbid "${apis[@]}" --count 5 | tail -n 2
grep -h "unreachable\|control store.*connected\|giving it" "$work"/node*.log | sort | head -20
