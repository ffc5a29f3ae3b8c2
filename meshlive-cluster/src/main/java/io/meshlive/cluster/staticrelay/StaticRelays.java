package io.meshlive.cluster.staticrelay;

import io.meshlive.core.Admission;
import io.meshlive.core.Hub;
import io.meshlive.core.PublishListener;
import io.meshlive.core.Session;
import io.meshlive.core.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node's static relays: those of the {@code relays} config block, started with the node, and
 * those added through the API. Each runs on one of the hub's event loops; pushes follow their
 * stream's publisher through the hub's publish events.
 */
public final class StaticRelays implements PublishListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StaticRelays.class);

    private final Hub hub;
    private final RelayContext context;
    private final int max;
    private final Map<String, StaticRelay> relays = new ConcurrentSkipListMap<>(StaticRelays::byNumber);
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicInteger nextLoop = new AtomicInteger();

    /** @param publishCheck what a pull must pass each time before it publishes (the node's forbid list) */
    public StaticRelays(Hub hub, RelaysConfig config, Admission publishCheck) {
        this.hub = hub;
        this.context = new RelayContext(hub, publishCheck, config.retryMaxSeconds * 1000L);
        this.max = config.max;
        hub.onPublish(this);
        for (RelaySpec spec : config.specs()) {
            add(spec);
        }
    }

    /** Starts a relay; throws {@link IllegalStateException} when {@code relays.max} are running. */
    public synchronized RelayStatus add(RelaySpec spec) {
        if (relays.size() >= max) {
            throw new IllegalStateException("already " + max + " relays on this node (relays.max)");
        }
        String id = spec.kind().lower() + "-" + nextId.getAndIncrement();
        var loop = hub.workers().loop(Math.floorMod(nextLoop.getAndIncrement(), hub.workers().size()));
        StaticRelay relay = spec.kind() == RelaySpec.Kind.PULL
                ? new StaticPull(id, spec, loop, context) : new StaticPush(id, spec, loop, context);
        relays.put(id, relay);
        log.info("relay {} added: {} {} {}", id, spec.kind().lower(), spec.key(), spec.redactedUrl());
        relay.start();
        return relay.status();
    }

    /** Stops and forgets a relay; false if there is none by that id. */
    public synchronized boolean remove(String id) {
        StaticRelay relay = isId(id) ? relays.remove(id) : null;
        if (relay == null) {
            return false;
        }
        relay.stop();
        return true;
    }

    public List<RelayStatus> list() {
        List<RelayStatus> out = new ArrayList<>(relays.size());
        relays.values().forEach(r -> out.add(r.status()));
        return out;
    }

    /** One relay's status, or null. */
    public RelayStatus get(String id) {
        StaticRelay relay = isId(id) ? relays.get(id) : null;
        return relay == null ? null : relay.status();
    }

    @Override
    public void published(Stream stream, Session publisher) {
        for (StaticRelay r : relays.values()) {
            if (r instanceof StaticPush push && push.spec.key().equals(stream.key())) {
                push.publisherCame();
            }
        }
    }

    @Override
    public void unpublished(Stream stream, Session publisher) {
        for (StaticRelay r : relays.values()) {
            if (r instanceof StaticPush push && push.spec.key().equals(stream.key())) {
                push.publisherLeft();
            }
        }
    }

    @Override
    public synchronized void close() {
        relays.values().forEach(StaticRelay::stop);
        relays.clear();
        context.close();
    }

    private static boolean isId(String id) {
        return id.matches("(pull|push)-[0-9]{1,18}");
    }

    /** pull-2 before pull-10: ids sort by their number, which is the order they were added in. */
    private static int byNumber(String a, String b) {
        return Long.compare(number(a), number(b));
    }

    private static long number(String id) {
        return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
    }
}
