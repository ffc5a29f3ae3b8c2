#!/usr/bin/env bash
# The relay's figures: latency each hop adds (1 and 3 hops, 100 viewers per edge), the failover gap when
# an edge's parent is killed with -9, and CPU/memory per relayed 2 Mbit/s stream. Real node processes,
# a real redis-server and ffmpeg on loopback; prints the figures (ClusterRelayFigures), asserts nothing.
#   meshlive-bench/figures/cluster-relay.sh [viewers per edge, default 100] [streams for the cost figure, default 8]
set -euo pipefail
cd "$(dirname "$0")/../.."
viewers=${1:-100}
streams=${2:-8}
mvn -o -q -pl meshlive-server -am test -Dtest=ClusterRelayFigures -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmeshlive.figures=true -Dmeshlive.figures.viewers="$viewers" -Dmeshlive.figures.streams="$streams" 2>&1 \
  | grep -E '^(==|1 hop|3 hops|        |[a-e] behind)' || true
