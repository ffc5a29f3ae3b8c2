package io.meshlive.server.cue;

/** The {@code cues:} block of the configuration. */
public final class CueConfig {
    /** Cues per second per stream, API and publisher together; more are refused (429) or dropped, and counted. */
    public int maxPerSecond = io.meshlive.core.StreamRegistry.DEFAULT_CUE_RATE;
    /**
     * H.264 SEI user_data_unregistered messages with this UUID (32 hex digits) become cues, their
     * bytes after the UUID being the cue's JSON payload; empty turns SEI cues off.
     */
    public String seiUuid = "";

    /** The UUID's 16 bytes, or null when SEI cues are off; validated by ServerConfig. */
    public byte[] seiUuidBytes() {
        return seiUuid.isEmpty() ? null : java.util.HexFormat.of().parseHex(seiUuid.replace("-", ""));
    }
}
