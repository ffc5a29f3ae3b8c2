package io.meshlive.hls.playlist;

/**
 * An LL-HLS partial segment.
 *
 * @param durationSeconds its media duration
 * @param independent     starts with a keyframe (EXT-X-PART INDEPENDENT=YES)
 * @param uri             where it is fetched, relative to the playlist
 */
public record Part(double durationSeconds, boolean independent, String uri) {
}
