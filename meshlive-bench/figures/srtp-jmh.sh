#!/usr/bin/env bash
# JMH figures for SRTP protectRtp per packet (meshlive-webrtc's SrtpProtectBenchmark): ns per packet
# for 1,200- and 100-byte RTP packets, AEAD_AES_128_GCM and AES128_CM_HMAC_SHA1_80.
#   meshlive-bench/figures/srtp-jmh.sh                       # on the java in PATH
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java meshlive-bench/figures/srtp-jmh.sh -prof gc
# Extra arguments go to JMH (e.g. a benchmark regex, -p size=1200, -prof gc).
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -o -q -pl meshlive-webrtc -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath
cp="meshlive-webrtc/target/test-classes:meshlive-webrtc/target/classes:$(cat meshlive-webrtc/target/test.classpath)"
# Default: protectRtp and its plain copy per profile and size, and the JDK's bare AES/GCM for reference.
exec "${JAVA:-java}" -cp "$cp" org.openjdk.jmh.Main "${@:-SrtpProtectBenchmark|JdkAesGcmBenchmark}"
