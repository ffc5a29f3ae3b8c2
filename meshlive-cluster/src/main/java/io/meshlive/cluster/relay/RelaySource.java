package io.meshlive.cluster.relay;

import io.meshlive.cluster.store.NodeInfo;
import io.meshlive.cluster.store.StreamOrigin;
import io.meshlive.core.DemandSource;
import io.meshlive.core.LatencySummary;
import io.meshlive.core.PublishOutcome;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.StreamRegistry;
import io.meshlive.media.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A stream pulled from another node: the local stream's publisher for as long as it has readers,
 * whatever happens upstream. It finds the origin in the control store, asks the planner for its
 * parents and pulls from the first that works; when that parent dies it moves to the next and
 * resumes from the frame after its last one, without the viewers noticing (they never see the
 * publisher go). When the origin itself goes, it holds on for {@code cluster.originGraceSeconds}
 * and splices in the stream's next publish, wherever it lands, continuing its timestamps.
 * Which frames were passed on and the splice's timestamp shift are its {@link RelayTimeline};
 * what the hop from the parent adds is its {@link HopLatency}.
 *
 * <p>Threads: planning runs on the stream's home loop; frames arrive on the current link's loop,
 * and a move between links goes old loop (detach) then new loop (attach), so frame state is only
 * ever touched by one loop at a time.
 */
public final class RelaySource extends io.meshlive.core.Session implements DemandSource {
    private static final Logger log = LoggerFactory.getLogger(RelaySource.class);
    /** A parent that failed is tried again only after the others, for this long. */
    private static final long FAILED_MILLIS = 5_000;
    /** With no frame for this long while the link is up, the subscription is made again (the parent's stream restarted). */
    private static final long RESUBSCRIBE_MILLIS = 2_000;
    /** The planner is asked this often, even while frames flow, whether another parent is now better. */
    private static final long PRIMARY_CHECK_MILLIS = 2_000;
    /** At most one keyframe request up the chain per this long. */
    private static final long KEYFRAME_REQUEST_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final RelayContext ctx;
    private final StreamKey key;
    private final EventLoop home;
    /** The local stream this source publishes. */
    private Stream local;

    // Home loop.
    private RelayLink link;
    private String parentId;
    /** The planner's first choice when it was last asked. */
    private String primaryId;
    private final Map<String, Long> failedAt = new HashMap<>();
    private boolean resolving;
    private long lastResolveNanos;
    private ScheduledFuture<?> watchdog;
    private boolean closed;

    // Any thread.
    private volatile boolean closing;
    private volatile long lastKeyframeRequestNanos = System.nanoTime() - KEYFRAME_REQUEST_INTERVAL_NANOS;
    private volatile long lastFrameNanos = System.nanoTime();
    private final HopLatency hop = new HopLatency();

    // The current link's loop (the frame path).
    boolean inBatch;
    /** Wall clock when the current subscription was sent. */
    long subscribedWallMicros;
    private final RelayTimeline timeline = new RelayTimeline();

    private RelaySource(RelayContext ctx, StreamKey key) {
        super("relay", Role.PUBLISHER, "(none yet)");
        this.ctx = ctx;
        this.key = key;
        this.home = ctx.hub().workers().loop(Math.floorMod(key.hashCode(), ctx.hub().workers().size()));
        this.stream = key; // the session's stream, as the API lists it
    }

    /**
     * Starts pulling {@code target} (a stream with readers and no publisher here) unless a local
     * publisher got there first. Does not block: the origin is looked up afterwards.
     */
    public static boolean start(RelayContext ctx, Stream target) {
        RelaySource source = new RelaySource(ctx, target.key());
        StreamRegistry.Attached attached = ctx.hub().streams().attachPublisher(target.key(), source);
        if (attached.outcome() == PublishOutcome.BUSY) {
            return false;
        }
        source.local = attached.stream();
        ctx.hub().sessions().add(source);
        log.info("{} started: stream has readers and no publisher here", source);
        source.home.execute(source::begin);
        return true;
    }

    private void begin() {
        long every = Math.max(20, ctx.parentTimeoutMillis() / 3);
        watchdog = home.scheduleAtFixedRate(this::watch, 0, every, TimeUnit.MILLISECONDS);
    }

    StreamKey key() {
        return key;
    }

    /** The epoch of the last frame passed on (-1: none yet). */
    long resumeEpoch() {
        return timeline.epoch();
    }

    /** Where a new subscription starts: the frame after the last one passed on, or the keyframe (-1). */
    long resumeFrom() {
        return timeline.resumeFrom();
    }

    /** The node pulled from now, or null. Racy read, for the API. */
    public String parentId() {
        return parentId;
    }

    /** What the hop from the parent added (its arrival there to arrival here), over the last second or so. */
    public LatencySummary hopLatency() {
        return hop.recent();
    }

    /** What the hop from the parent added since this source started. */
    public LatencySummary hopLatencyTotal() {
        return hop.total();
    }

    public Stream localStream() {
        return local;
    }

    private void watch() {
        if (closed) {
            return;
        }
        long silent = System.nanoTime() - lastFrameNanos;
        if (silent > TimeUnit.MILLISECONDS.toNanos(ctx.graceMillis())) {
            close("no frames from any parent for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms");
            return;
        }
        boolean linkDown = link == null || link.isClosed();
        boolean quiet = silent > TimeUnit.MILLISECONDS.toNanos(ctx.parentTimeoutMillis());
        // While frames flow over a live link there is nothing to plan; otherwise look again, at most twice a second.
        long sinceResolve = System.nanoTime() - lastResolveNanos;
        if ((linkDown || quiet) && sinceResolve > TimeUnit.MILLISECONDS.toNanos(linkDown ? 0 : 500)) {
            resolve(!linkDown && silent > TimeUnit.MILLISECONDS.toNanos(RESUBSCRIBE_MILLIS));
        } else if (sinceResolve > TimeUnit.MILLISECONDS.toNanos(PRIMARY_CHECK_MILLIS)) {
            // Now and then even while frames flow: back to the primary once it is healthy again, onto
            // the new origin's route after the host moved (the old parent may have started relaying
            // it itself), onto a route the planner changed. choose() keeps a parent the planner still
            // puts first, and a move resumes from sequence.
            resolve(false);
        }
    }

    /** On the home loop: finds the origin and this node's parents, and moves to the best live one. */
    private void resolve(boolean resubscribe) {
        if (resolving || closed) {
            return;
        }
        resolving = true;
        lastResolveNanos = System.nanoTime();
        ctx.store().origin(key).thenCompose(origin -> ctx.nodes().get().thenApply(nodes -> new Object[] {origin, nodes}))
                .whenCompleteAsync((r, error) -> {
                    resolving = false;
                    if (closed) {
                        return;
                    }
                    if (error != null) {
                        log.debug("{}: cannot reach the control store: {}", this, error.toString());
                        return;
                    }
                    @SuppressWarnings("unchecked")
                    Optional<StreamOrigin> origin = (Optional<StreamOrigin>) r[0];
                    @SuppressWarnings("unchecked")
                    List<NodeInfo> nodes = (List<NodeInfo>) r[1];
                    origin.ifPresent(o -> choose(o, nodes, resubscribe));
                }, home);
    }

    private void choose(StreamOrigin origin, List<NodeInfo> nodes, boolean resubscribe) {
        if (origin.nodeId().equals(ctx.self().id())) {
            return; // a publish here is about to replace this source
        }
        Map<String, String> addresses = new HashMap<>();
        for (NodeInfo n : nodes) {
            String relay = n.addresses().get("relay");
            if (relay != null) {
                addresses.put(n.id(), relay);
            }
        }
        long now = System.currentTimeMillis();
        failedAt.values().removeIf(t -> now - t > FAILED_MILLIS);
        String best = null;
        String lastResort = null;
        primaryId = null;
        for (String p : ctx.planner().parents(key, origin.nodeId(), nodes, ctx.self())) {
            if (primaryId == null) {
                primaryId = p;
            }
            if (!addresses.containsKey(p)) {
                continue;
            }
            if (!failedAt.containsKey(p)) {
                best = p;
                break;
            }
            // Every parent failed lately: try again the one that failed longest ago.
            if (lastResort == null || failedAt.get(p) < failedAt.get(lastResort)) {
                lastResort = p;
            }
        }
        if (best == null) {
            best = lastResort;
        }
        if (best == null) {
            return;
        }
        if (best.equals(parentId) && link != null && !link.isClosed()) {
            if (resubscribe) {
                RelayLink l = link;
                l.loop().execute(() -> l.resubscribe(this));
            }
            return;
        }
        moveTo(best, addresses.get(best));
    }

    private void moveTo(String node, String address) {
        RelayLink old = link;
        RelayLink next = ctx.links().link(node, address);
        log.info("{}: pulling from node {} at {}{}", this, node, address, parentId == null ? "" : " (was " + parentId + ")");
        link = next;
        parentId = node;
        if (old != null && old != next && !old.isClosed()) {
            old.loop().execute(() -> {
                old.detach(this);
                next.loop().execute(() -> next.attach(this));
            });
        } else {
            next.loop().execute(() -> next.attach(this));
        }
    }

    /** On {@code from}'s loop: the link died; plan again at once. */
    void linkLost(RelayLink from, String why) {
        home.execute(() -> {
            if (link == from) {
                link = null;
                failedAt.put(from.parentId(), System.currentTimeMillis());
                resolve(false);
            }
        });
    }

    /** On the link's loop: the parent's stream lost its publisher; hold the viewers and wait for the next publish. */
    void upstreamGone(RelayLink from) {
        log.info("{}: the stream's publisher left upstream (node {}); holding viewers for up to {} ms", this,
                from.parentId(), ctx.graceMillis());
    }

    /**
     * On the link's loop: one FRAME body. Passes the frame on unless this node has it already
     * (a re-route replays the new parent's buffer); a new origin epoch continues the timestamps.
     *
     * @return whether a frame was published (the link ends the batch)
     */
    boolean onRelayFrame(RelayLink from, ByteBuf body, long nowNanos) {
        if (closing) {
            return false;
        }
        if (body.readableBytes() < RelayFrameFormat.FIXED) {
            throw new RelayProtocolException("frame of " + body.readableBytes() + " bytes");
        }
        long sequence = RelayFrameReader.sequence(body);
        long frameEpoch = RelayFrameReader.epoch(body);
        boolean config = RelayFrameReader.isConfig(body);
        if (!timeline.isNew(frameEpoch, sequence, config, body)) {
            return false; // passed on already, or of an older publish from a parent that lags
        }
        if (timeline.spliceAt(RelayFrameReader.dts(body))) {
            log.info("{}: new publish (epoch {}) spliced in, timestamps moved by {} ms", this, frameEpoch, timeline.dtsOffset() / 1000);
        }
        if (RelayFrameReader.sentMicros(body) >= subscribedWallMicros) {
            // Frames the parent replays from its buffer on a new subscription are old: not what the hop adds.
            hop.record(RelayFrameReader.hopMicros(body, nowNanos));
        }
        Frame frame = RelayFrameReader.read(body, nowNanos, timeline.dtsOffset());
        timeline.passedOn(sequence, config, frame.track().ordinal(), frame.dts());
        lastFrameNanos = nowNanos;
        bytesIn += body.readableBytes();
        local.publish(frame);
        return true;
    }

    /**
     * A WebRTC viewer here lost its picture (PLI): the request goes up the relay chain to the
     * origin's publisher, which makes a keyframe if it can (a WHIP browser, a transcoder).
     */
    @Override
    public boolean requestKeyframe() {
        long now = System.nanoTime();
        if (now - lastKeyframeRequestNanos < KEYFRAME_REQUEST_INTERVAL_NANOS) {
            return false;
        }
        lastKeyframeRequestNanos = now;
        home.execute(() -> {
            RelayLink l = link;
            if (l != null) {
                l.loop().execute(() -> l.requestKeyframe(this));
            }
        });
        return true;
    }

    void endOfBatch() {
        local.endOfBatch();
    }

    @Override
    public void close(String reason) {
        closing = true;
        home.execute(() -> closeOnHome(reason));
    }

    private void closeOnHome(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        RelayLink l = link;
        link = null;
        Runnable detach = () -> {
            local.detachPublisher(this);
            ctx.hub().sessions().remove(this);
            log.info("{} stopped: {}", this, reason);
        };
        if (l != null) {
            // After the link lets go, no frame of this source can reach the stream any more.
            l.loop().execute(() -> {
                l.detach(this);
                detach.run();
            });
        } else {
            detach.run();
        }
    }

    @Override
    public String toString() {
        return "relay " + key + (parentId == null ? "" : " from " + parentId);
    }
}
