package io.meshlive.core.cue;

/**
 * A cue asked for by the API, before it has a frame.
 *
 * @param kind           e.g. {@code product}, {@code scte35}
 * @param payload        JSON text, already checked against {@link io.meshlive.media.cue.Cue#MAX_PAYLOAD_BYTES}
 * @param at             where on the timeline
 * @param durationMillis 0 for unspecified
 * @param sticky         late joiners get it at once until another sticky cue or a clear replaces it
 */
public record CueRequest(String kind, String payload, CueTime at, long durationMillis, boolean sticky) {
}
