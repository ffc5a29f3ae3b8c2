package io.meshlive.transcode;

import io.meshlive.core.AudioTranscoding;
import io.meshlive.core.Hub;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.Executor;

/**
 * Browsers play Opus; RTMP publishers send AAC (or MP3, or G.711). Each such stream gets one Opus
 * companion stream, {@code app/name.opus}, while at least one WebRTC viewer wants it: an
 * {@link OpusBridge} transcodes the stream's audio once and publishes it there, and every viewer
 * reads it. A WHIP publisher fills the companion itself with the Opus it sent, so nothing is
 * transcoded for it.
 */
final class OpusCompanions {
    private static final Logger log = LoggerFactory.getLogger(OpusCompanions.class);

    private final Hub hub;
    private final Supplier<Executor> workers;
    // Guarded by this: acquire/release come from every loop, but only when viewers come and go.
    private final Map<StreamKey, OpusBridge> bridges = new HashMap<>();
    private final Map<StreamKey, Integer> users = new HashMap<>();

    /** @param workers hands out the transcoding thread of each new bridge */
    OpusCompanions(Hub hub, Supplier<Executor> workers) {
        this.hub = hub;
        this.workers = workers;
    }

    /** A viewer of {@code main} needs Opus: makes sure someone publishes the companion. Returns its key. */
    synchronized StreamKey acquire(StreamKey main) {
        StreamKey companion = AudioTranscoding.opusCompanionOf(main);
        if (companion == null) {
            log.warn("stream {}: name too long for an Opus companion; WebRTC viewers get no audio", main);
            return null;
        }
        users.merge(main, 1, Integer::sum);
        Stream existing = hub.streams().get(companion);
        if (!bridges.containsKey(main) && (existing == null || existing.publisher() == null)) {
            OpusBridge bridge = new OpusBridge(hub, this, main, companion, hub.workers().loop(
                    Math.floorMod(main.hashCode(), hub.workers().size())), workers.get());
            bridges.put(main, bridge);
            bridge.start();
        }
        return companion;
    }

    /** A viewer that acquired the companion left; the last one stops the transcoder. */
    synchronized void release(StreamKey main) {
        Integer n = users.get(main);
        if (n == null) {
            return;
        }
        if (n > 1) {
            users.put(main, n - 1);
            return;
        }
        users.remove(main);
        OpusBridge bridge = bridges.remove(main);
        if (bridge != null) {
            bridge.close("no WebRTC viewer left");
        }
    }

    /** The bridge stopped on its own (its source ended or failed). */
    synchronized void ended(StreamKey main, OpusBridge bridge) {
        bridges.remove(main, bridge);
    }
}
