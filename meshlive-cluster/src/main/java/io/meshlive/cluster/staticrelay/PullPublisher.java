package io.meshlive.cluster.staticrelay;

import io.meshlive.core.Hub;
import io.meshlive.core.PublishOutcome;
import io.meshlive.core.Session;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamRegistry;
import io.meshlive.media.Frame;
import io.meshlive.rtmp.RtmpMediaReader;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A static pull's connection as the local stream's publisher. It claims the stream with its first
 * frame (so a URL that never sends media never takes a stream), and only when nobody else
 * publishes it: a pull never takes a stream over from an encoder. Confined to the channel's loop.
 */
final class PullPublisher extends Session implements RtmpMediaReader.Sink {
    private static final Logger log = LoggerFactory.getLogger(PullPublisher.class);

    private final Channel channel;
    private final Hub hub;
    private final StaticPull relay;
    private final int attempt;
    private Stream publishing;
    private boolean refused;

    PullPublisher(String protocol, Channel channel, StaticPull relay, int attempt) {
        super(protocol, Role.PUBLISHER, relay.spec.redactedUrl());
        this.channel = channel;
        this.hub = relay.context.hub();
        this.relay = relay;
        this.attempt = attempt;
        this.stream = relay.spec.key();
    }

    /** Counts bytes received as media. */
    void received(int n) {
        bytesIn += n;
        relay.addBytes(n);
    }

    /** Publishes {@code frame} (which this takes), claiming the stream first if need be. */
    @Override
    public void frame(Frame frame) {
        if (publishing == null && !claim()) {
            frame.release();
            return;
        }
        publishing.publish(frame);
    }

    private boolean claim() {
        if (refused) {
            return false;
        }
        Stream existing = hub.streams().get(stream);
        Session other = existing == null ? null : existing.publisher();
        if (other != null) {
            refuse(stream + " already has a publisher (" + other + ")");
            return false;
        }
        StreamRegistry.Attached attached = hub.streams().attachPublisher(stream, this);
        if (attached.outcome() == PublishOutcome.BUSY) {
            refuse(stream + " already has a publisher");
            return false;
        }
        publishing = attached.stream();
        hub.sessions().add(this);
        log.info("{} started", this);
        relay.running(attempt);
        return true;
    }

    private void refuse(String why) {
        refused = true;
        relay.ended(attempt, why);
    }

    void endOfBatch() {
        if (publishing != null) {
            publishing.endOfBatch();
        }
    }

    /** The connection ended: the stream waits for its next publisher, as when an encoder leaves. */
    void detach(String reason) {
        if (publishing != null) {
            publishing.detachPublisher(this);
            hub.sessions().remove(this);
            log.info("{} stopped after {} bytes ({})", this, bytesIn, reason);
            publishing = null;
        }
    }

    @Override
    public void close(String reason) {
        // Kicked, forbidden or taken over: the connection closes and the relay retries later.
        channel.eventLoop().execute(() -> relay.ended(attempt, reason));
    }
}
