package io.meshlive.core;

/**
 * How the hub treats publishers and viewers.
 *
 * @param latencyBudgetMillis a viewer whose oldest unsent frame is older than this skips to the next keyframe
 * @param stallTimeoutMillis  a viewer that has been skipping this long without catching up is closed
 * @param gopCacheMaxFrames   the most frames one GOP cache holds (a stream with rare keyframes is cut off here)
 * @param takeover            a second publisher replaces the live one instead of being refused
 * @param publisherGoneTimeoutMillis viewers of a stream with no publisher are closed after this
 */
public record HubSettings(int latencyBudgetMillis,
                          int stallTimeoutMillis,
                          int gopCacheMaxFrames,
                          boolean takeover,
                          int publisherGoneTimeoutMillis) {
    public static HubSettings defaults() {
        return new HubSettings(2000, 20_000, 1500, false, 10_000);
    }
}
