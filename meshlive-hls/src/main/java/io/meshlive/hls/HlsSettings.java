package io.meshlive.hls;

/**
 * How streams are packaged for HLS.
 *
 * @param segmentMillis       classic HLS segment target (MPEG-TS)
 * @param llSegmentMillis     LL-HLS segment target (CMAF)
 * @param partMillis          LL-HLS part target
 * @param partHoldBackParts   LL-HLS PART-HOLD-BACK, in parts (at least 3)
 * @param windowSegments      segments kept in the sliding window (and listed)
 * @param blockingTimeoutMillis a blocking reload or preload-hint request waits at most this long
 * @param idleMillis          a stream's packager stops when no HLS request came for this long
 * @param onDemand            true: a stream is packaged from its first HLS request (the first
 *                            playlist then starts at the GOP cache); false: from its publish, so
 *                            the first viewer gets the same full window as the hundredth, at the
 *                            cost of packaging streams nobody watches over HLS
 */
public record HlsSettings(int segmentMillis, int llSegmentMillis, int partMillis, int partHoldBackParts,
                          int windowSegments, int blockingTimeoutMillis, int idleMillis, boolean onDemand) {
    public static HlsSettings defaults() {
        return new HlsSettings(2000, 1000, 200, 3, 12, 3000, 30_000, true);
    }
}
