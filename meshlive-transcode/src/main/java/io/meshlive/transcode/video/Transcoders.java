package io.meshlive.transcode.video;

import io.meshlive.core.Hub;
import io.meshlive.core.PublishListener;
import io.meshlive.core.Session;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a ladder for every stream published in an app that has one configured, from the moment
 * its publisher starts until it leaves. A ladder's own renditions are not transcoded again.
 */
public final class Transcoders implements PublishListener {
    private final Hub hub;
    private final Map<String, LadderSpec> ladders;
    // Guarded by this.
    private final Map<StreamKey, Transcoder> live = new HashMap<>();

    /** @param ladders per app */
    public Transcoders(Hub hub, Map<String, LadderSpec> ladders) {
        this.hub = hub;
        this.ladders = Map.copyOf(ladders);
        if (!this.ladders.isEmpty()) {
            hub.onPublish(this);
        }
    }

    @Override
    public void published(Stream stream, Session publisher) {
        LadderSpec spec = ladders.get(stream.key().app());
        if (spec == null || publisher instanceof Rendition) {
            return;
        }
        // One loop per source, so a ladder's stop and its successor's start run in order.
        Transcoder t = new Transcoder(hub, stream.key(), spec,
                hub.workers().loop(Math.floorMod(stream.key().hashCode(), hub.workers().size())));
        Transcoder previous;
        synchronized (this) {
            previous = live.put(stream.key(), t);
        }
        if (previous != null) {
            previous.stop("publisher replaced");
        }
        t.eventLoop().execute(t::start);
    }

    @Override
    public void unpublished(Stream stream, Session publisher) {
        if (publisher instanceof Rendition) {
            return;
        }
        Transcoder t;
        synchronized (this) {
            t = live.remove(stream.key());
        }
        if (t != null) {
            t.stop("publisher left");
        }
    }

    /** The source streams a ladder serves now, and their renditions' streams: what an HLS master lists. */
    public List<StreamKey> renditionsOf(StreamKey source) {
        Transcoder t;
        synchronized (this) {
            t = live.get(source);
        }
        List<StreamKey> keys = new ArrayList<>();
        if (t != null) {
            for (RenditionSpec r : t.spec().renditions()) {
                keys.add(Transcoder.renditionKey(source, r));
            }
        }
        return keys;
    }

    /** Every live ladder's figures. */
    public List<Transcoder.Status> status() {
        List<Transcoder> all;
        synchronized (this) {
            all = new ArrayList<>(live.values());
        }
        return all.stream().map(Transcoder::status).toList();
    }
}
