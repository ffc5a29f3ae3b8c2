package io.meshlive.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every stream on this node, created on first publish or play and dropped when nobody uses it. */
public final class StreamRegistry {
    private static final Logger log = LoggerFactory.getLogger(StreamRegistry.class);
    private final ConcurrentHashMap<StreamKey, Stream> streams = new ConcurrentHashMap<>();
    private final Workers workers;
    private final HubSettings settings;
    private final List<PublishListener> listeners = new CopyOnWriteArrayList<>();
    private volatile int cueRateLimit = DEFAULT_CUE_RATE;
    private volatile byte[] seiCueUuid;
    /** Cues per second per stream unless configured (cues.maxPerSecond). */
    public static final int DEFAULT_CUE_RATE = 20;
    private final List<SourceFactory> sources = new CopyOnWriteArrayList<>();
    private volatile long demandIdleMillis = 10_000;

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

    /** Cues per second each stream takes, API and publisher together; streams created from now on. */
    public void setCueRateLimit(int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("cues.maxPerSecond must be at least 1, got " + perSecond);
        }
        cueRateLimit = perSecond;
    }

    int cueRateLimit() {
        return cueRateLimit;
    }

    /** H.264 SEI user_data_unregistered messages with this UUID become cues (cues.seiUuid); null turns it off. */
    public void setSeiCueUuid(byte[] uuid) {
        if (uuid != null && uuid.length != 16) {
            throw new IllegalArgumentException("cues.seiUuid must be 16 bytes, got " + uuid.length);
        }
        seiCueUuid = uuid == null ? null : uuid.clone();
    }

    byte[] seiCueUuid() {
        return seiCueUuid;
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
            if (outcome != PublishOutcome.RETRY) {
                return new Attached(outcome, outcome == PublishOutcome.BUSY ? null : s);
            }
            streams.remove(key, s);
        }
    }

    private void tell(Stream s, Session publisher, boolean published) {
        for (PublishListener listener : listeners) {
            try {
                if (published) {
                    listener.published(s, publisher);
                } else {
                    listener.unpublished(s, publisher);
                }
            } catch (RuntimeException e) {
                // A listener's bug must not undo a publish already accepted, nor a departure.
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

    /** Adds a listener told of every publisher from now on (see {@link Hub#onPublish}). */
    void onPublish(PublishListener listener) {
        listeners.add(listener);
    }

    /** Adds a source asked to feed streams that get readers and no local publisher (see {@link Hub#onDemand}). */
    void onDemand(SourceFactory factory, long idleMillis) {
        sources.add(factory);
        demandIdleMillis = idleMillis;
    }

    /** Whether a stream with readers and no publisher here can be fed by a source (this node pulls from others). */
    public boolean feedsOnDemand() {
        return !sources.isEmpty();
    }

    long demandIdleMillis() {
        return demandIdleMillis;
    }

    /** Called by a stream, outside its lock, when it has readers and no publisher: the first willing source takes it. */
    void demand(Stream s) {
        for (SourceFactory f : sources) {
            try {
                if (f.start(s)) {
                    return;
                }
            } catch (RuntimeException e) {
                log.warn("stream {}: a source failed to start", s.key(), e);
            }
        }
    }

    /** Called by a stream, under its lock, once a publisher has claimed it. */
    void publisherAttached(Stream s, Session session) {
        tell(s, session, true);
    }

    /** Called by a stream, under its lock, once a publisher has left it. */
    void publisherDetached(Stream s, Session session) {
        tell(s, session, false);
    }

    void remove(Stream s) {
        streams.remove(s.key(), s);
    }
}
