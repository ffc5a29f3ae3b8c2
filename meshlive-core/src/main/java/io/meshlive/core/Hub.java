package io.meshlive.core;

/** The node's media hub: its event loops, streams and sessions, handed to every protocol. */
public final class Hub {
    private final Workers workers;
    private final HubSettings settings;
    private final StreamRegistry streams;
    private final SessionRegistry sessions = new SessionRegistry();
    private final Refusals refusals = new Refusals();
    private volatile Admission admission = Admission.OPEN;

    public Hub(Workers workers, HubSettings settings) {
        this.workers = workers;
        this.settings = settings;
        this.streams = new StreamRegistry(workers, settings);
    }

    public Workers workers() {
        return workers;
    }

    public HubSettings settings() {
        return settings;
    }

    public StreamRegistry streams() {
        return streams;
    }

    /** Tells {@code listener} whenever a stream gets or loses its publisher. */
    public void onPublish(PublishListener listener) {
        streams.onPublish(listener);
    }

    /**
     * Registers a source for streams that get a reader while nobody publishes them here (a relay
     * from the stream's origin node); the source is stopped once its stream has had no reader
     * for {@code idleMillis}.
     */
    public void onDemand(SourceFactory factory, long idleMillis) {
        streams.onDemand(factory, idleMillis);
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    public Refusals refusals() {
        return refusals;
    }

    /** The checks every publish and play goes through before it starts. */
    public Admission admission() {
        return admission;
    }

    public void setAdmission(Admission admission) {
        this.admission = admission;
    }
}
