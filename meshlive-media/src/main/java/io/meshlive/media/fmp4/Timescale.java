package io.meshlive.media.fmp4;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.TrackType;
import io.meshlive.media.UnsupportedCodecException;
import io.meshlive.media.aac.AacConfig;

/**
 * The media timescale of each track, and the conversion from the hub's microseconds. Video uses
 * 90 kHz as MPEG-TS does, so both HLS flavours carry the same ticks; audio uses its sample rate,
 * which makes every AAC/Opus frame duration a whole number of ticks.
 */
public final class Timescale {
    static final int VIDEO = 90_000;
    /** Opus always decodes at 48 kHz (RFC 7845 section 4), whatever rate the source had. */
    static final int OPUS = 48_000;
    private static final long MICROS = 1_000_000;

    private Timescale() {
    }

    /** The timescale of the track that {@code config} (a config frame) describes. */
    public static int of(Frame config) {
        if (config.track() == TrackType.VIDEO) {
            return VIDEO;
        }
        if (config.codec() == Codec.AAC) {
            return AacConfig.parse(config.payload()).sampleRate();
        }
        if (config.codec() == Codec.OPUS) {
            return OPUS;
        }
        throw new UnsupportedCodecException("no fMP4 mapping for " + config.codec());
    }

    /**
     * Microseconds to ticks, rounding down. Durations are differences of converted absolute times,
     * never converted one by one, so rounding never accumulates into drift.
     */
    static long ticks(long micros, int timescale) {
        // Overflows only past three years of stream time at 96 kHz; multiplyExact says so rather than wrapping.
        return Math.floorDiv(Math.multiplyExact(micros, timescale), MICROS);
    }
}
