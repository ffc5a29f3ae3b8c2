#!/usr/bin/env bash
# The media brain on a real cluster (issue 11, proof 2): redis-server and six real ./meshlive nodes in three
# regions with links emulated per region pair (relay TCP and probe UDP alike), the host publishing on the
# origin (ffmpeg), HTTP-FLV/RTMP/WHEP/LL-HLS players on every viewer node. Runs the static tree, then the brain,
# on the same topology; under the brain degrades a link (delay, then loss) and kills a relay node with -9.
# Prints the tables (bench brain-lab), asserts nothing; about 4-6 minutes.
#   meshlive-bench/figures/brain-lab.sh [bench brain-lab options, e.g. --measure 30s --dir /tmp/brain-lab]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec ./bench brain-lab "$@"
