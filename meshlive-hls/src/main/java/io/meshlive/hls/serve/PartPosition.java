package io.meshlive.hls.serve;

/**
 * A place in an LL-HLS stream: media sequence number and part index. Ordered the way parts are
 * produced; {@code part} -1 means "the segment as a whole" (a request with _HLS_msn alone).
 */
public record PartPosition(long msn, int part) implements Comparable<PartPosition> {
    @Override
    public int compareTo(PartPosition o) {
        return msn != o.msn ? Long.compare(msn, o.msn) : Integer.compare(part, o.part);
    }

    /** Whether a playlist that has produced up to {@code produced} can answer a request waiting for this. */
    public boolean reachedBy(PartPosition produced, boolean segmentComplete) {
        if (part < 0) {
            // _HLS_msn=M alone waits for segment M to be complete, or for any later segment to exist.
            return produced.msn > msn || (produced.msn == msn && segmentComplete);
        }
        return produced.compareTo(this) >= 0;
    }
}
