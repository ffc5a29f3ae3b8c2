package io.meshlive.transcode.video;

import io.meshlive.core.AudioTranscoding;
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
 * its publisher starts until it leaves. A ladder's own renditions are not transcoded again, nor
 * WebRTC's Opus companions.
 */
public final class Transcoders implements PublishListener {
    private final Hub hub;
    private final Map<String, LadderSpec> ladders;
    // Guarded by this.
    private final Map<StreamKey, Transcoder> live = new HashMap<>();
    // Guarded by this: each live ladder's rendition streams, to their source.
    private final Map<StreamKey, StreamKey> sourceOf = new HashMap<>();

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
        if (spec == null || publisher instanceof Rendition
                || stream.key().name().endsWith(AudioTranscoding.OPUS_COMPANION_SUFFIX)) {
            return; // a rendition, or a WebRTC Opus companion (audio only): nothing to scale
        }
        // One loop per source, so a ladder's stop and its successor's start run in order.
        Transcoder t = new Transcoder(hub, stream.key(), spec,
                hub.workers().loop(Math.floorMod(stream.key().hashCode(), hub.workers().size())));
        Transcoder previous;
        synchronized (this) {
            previous = live.put(stream.key(), t);
            Transcoder.renditionKeys(stream.key(), spec).values().forEach(r -> sourceOf.put(r, stream.key()));
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
            if (t != null) {
                sourceOf.keySet().removeAll(Transcoder.renditionKeys(stream.key(), t.spec()).values());
            }
        }
        if (t != null) {
            t.stop("publisher left");
        }
    }

    /** The streams of {@code source}'s live ladder's renditions; empty when it has none. */
    public List<StreamKey> renditionsOf(StreamKey source) {
        Transcoder t;
        synchronized (this) {
            t = live.get(source);
        }
        return t == null ? List.of() : List.copyOf(Transcoder.renditionKeys(source, t.spec()).values());
    }

    /**
     * The live ladder {@code member} is the source or a rendition of: the source first, then its
     * renditions' streams (what LL-HLS rendition reports cover); empty when it is in none.
     */
    public List<StreamKey> ladderOf(StreamKey member) {
        StreamKey source;
        synchronized (this) {
            source = sourceOf.getOrDefault(member, member);
        }
        List<StreamKey> renditions = renditionsOf(source);
        if (renditions.isEmpty()) {
            return List.of();
        }
        List<StreamKey> ladder = new ArrayList<>(renditions.size() + 1);
        ladder.add(source);
        ladder.addAll(renditions);
        return ladder;
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
