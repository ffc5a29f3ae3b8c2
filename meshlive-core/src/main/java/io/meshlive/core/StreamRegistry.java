package io.meshlive.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/** Every stream on this node, created on first publish or play and dropped when nobody uses it. */
public final class StreamRegistry {
    private static final Logger log = LoggerFactory.getLogger(StreamRegistry.class);
    private final ConcurrentHashMap<StreamKey, Stream> streams = new ConcurrentHashMap<>();
    private final Workers workers;
    private final HubSettings settings;
    private final List<BiConsumer<Stream, Session>> publishListeners = new CopyOnWriteArrayList<>();

    public StreamRegistry(Workers workers, HubSettings settings) {
        this.workers = workers;
        this.settings = settings;
    }

    public Workers workers() {
        return workers;
    }

    public HubSettings settings() {
        return settings;
    }

    public Stream get(StreamKey key) {
        return streams.get(key);
    }

    public List<Stream> all() {
        return new ArrayList<>(streams.values());
    }

    /** The result of {@link #attachPublisher}: the outcome, and the stream when it started. */
    public record Attached(PublishOutcome outcome, Stream stream) {
    }

    /** Makes {@code session} the publisher of {@code key}, or says why not. */
    public Attached attachPublisher(StreamKey key, Session session) {
        while (true) {
            Stream s = streams.computeIfAbsent(key, k -> new Stream(k, this));
            PublishOutcome outcome = s.attach(session);
            if (outcome == PublishOutcome.BUSY) {
                return new Attached(outcome, null);
            }
            if (outcome != PublishOutcome.RETRY) {
                publishStarted(s, session);
                return new Attached(outcome, s);
            }
            streams.remove(key, s);
        }
    }

    /**
     * Who hears that a stream got a new publisher (a recorder starting with it). Called on the
     * publisher's thread once the stream is claimed, before its first frame; it must not block.
     */
    public void onPublishStarted(BiConsumer<Stream, Session> listener) {
        publishListeners.add(listener);
    }

    private void publishStarted(Stream s, Session publisher) {
        for (BiConsumer<Stream, Session> listener : publishListeners) {
            try {
                listener.accept(s, publisher);
            } catch (RuntimeException e) {
                // A listener's bug must not refuse the publish that has already been accepted.
                log.warn("stream {}: a publish listener failed", s.key(), e);
            }
        }
    }

    /** Subscribes on the subscriber's own event loop, creating the stream if it is not live yet. */
    public Stream subscribe(StreamKey key, Subscriber subscriber) {
        while (true) {
            Stream s = streams.computeIfAbsent(key, k -> new Stream(k, this));
            if (s.subscribe(subscriber)) {
                return s;
            }
            streams.remove(key, s);
        }
    }

    void remove(Stream s) {
        streams.remove(s.key(), s);
    }
}
