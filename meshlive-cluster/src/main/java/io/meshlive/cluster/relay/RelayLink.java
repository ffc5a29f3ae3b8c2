package io.meshlive.cluster.relay;

import io.meshlive.core.Hub;
import io.meshlive.core.Transport;
import io.meshlive.media.WallClock;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * This node's one connection to a parent node, shared by every stream pulled from it. It proves
 * the cluster secret, subscribes streams, hands their frames to their {@link RelaySource}s and
 * takes the parent for dead when it hears nothing (no frame, no ping) for the parent timeout: then
 * every source on it is told at once, so each can move to its next parent. Everything runs on
 * the connection's event loop; other threads call in through {@link #loop()}.
 */
final class RelayLink extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RelayLink.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long connecting and the handshake may take, however short the parent timeout. */
    private static final long HANDSHAKE_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final RelayLinks owner;
    private final String parentId;
    private final String address;
    private final EventLoop loop;
    private final long timeoutNanos;
    private final Map<Integer, RelaySource> bySubscription = new HashMap<>();
    private final Map<RelaySource, Integer> subscriptionOf = new HashMap<>();
    private final Map<Integer, RelaySource> byStream = new HashMap<>();
    /** Streams unsubscribed from whose frames may still be on the way: dropped, not an error. */
    private final Set<Integer> retired = new HashSet<>();
    private final List<RelaySource> batch = new ArrayList<>();
    private final byte[] clientNonce = new byte[RelayWire.NONCE];
    private Channel channel;
    private RelayMessageDecoder decoder;
    private byte[] serverNonce;
    private boolean ready;
    private volatile boolean closed;
    private int nextSubscription = 1;
    private long lastReadNanos = System.nanoTime();
    private ScheduledFuture<?> timer;

    RelayLink(RelayLinks owner, String parentId, String address, EventLoop loop) {
        this.owner = owner;
        this.parentId = parentId;
        this.address = address;
        this.loop = loop;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(owner.parentTimeoutMillis());
    }

    EventLoop loop() {
        return loop;
    }

    String parentId() {
        return parentId;
    }

    boolean isClosed() {
        return closed;
    }

    /** On the loop: connects (the link is usable at once; subscriptions wait for the handshake). */
    void connect() {
        int colon = address.lastIndexOf(':');
        String host;
        int port;
        try {
            host = address.substring(0, colon);
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (RuntimeException e) {
            lost("bad relay address '" + address + "' in the node registry");
            return;
        }
        decoder = new RelayMessageDecoder();
        Bootstrap b = new Bootstrap().group(loop).channel(Transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(TimeUnit.NANOSECONDS.toMillis(HANDSHAKE_NANOS),
                        owner.parentTimeoutMillis()))
                .handler(new io.netty.channel.ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(decoder, RelayLink.this);
                    }
                });
        ChannelFuture f = owner.localAddress() == null ? b.connect(host, port)
                : b.connect(InetSocketAddress.createUnresolved(host, port), owner.localAddress());
        channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                lost("cannot connect to " + address + ": " + done.cause().getMessage());
            }
        });
        long every = Math.max(10, owner.parentTimeoutMillis() / 3);
        timer = loop.scheduleAtFixedRate(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        long silent = System.nanoTime() - lastReadNanos;
        // A dead parent refuses the connection at once; a slow handshake is a busy parent, not a dead one.
        if (silent > (ready ? timeoutNanos : Math.max(timeoutNanos, HANDSHAKE_NANOS))) {
            lost("parent silent for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms");
            return;
        }
        if (ready) {
            channel.writeAndFlush(RelayWire.ping(channel.alloc(), WallClock.micros()), channel.voidPromise());
        }
    }

    /** On the loop: subscribes {@code source}'s stream, from the frame after the last one it has. */
    void attach(RelaySource source) {
        if (closed) {
            source.linkLost(this, "link closed");
            return;
        }
        int subscription = nextSubscription++;
        bySubscription.put(subscription, source);
        subscriptionOf.put(source, subscription);
        if (ready) {
            send(subscription, source);
        }
    }

    /** Subscribes from where the source stopped: the parent's buffer has it, or starts at its keyframe. */
    private void send(int subscription, RelaySource source) {
        source.subscribedWallMicros = WallClock.micros();
        channel.writeAndFlush(RelayWire.subscribe(channel.alloc(), subscription, source.resumeEpoch(), source.resumeFrom(), source.key().toString()),
                channel.voidPromise());
    }

    /** On the loop: asks the parent for a keyframe of {@code source}'s stream. */
    void requestKeyframe(RelaySource source) {
        Integer subscription = subscriptionOf.get(source);
        if (subscription != null && ready) {
            channel.writeAndFlush(RelayWire.keyframe(channel.alloc(), subscription), channel.voidPromise());
        }
    }

    /** On the loop: subscribes again through this same link (the parent's stream restarted). */
    void resubscribe(RelaySource source) {
        unsubscribe(source);
        attach(source);
    }

    /** On the loop: stops pulling {@code source}'s stream through this link, closing the link if it was the last. */
    void detach(RelaySource source) {
        unsubscribe(source);
        if (subscriptionOf.isEmpty()) {
            // The last stream left: the connection goes too (a new pull opens a new one).
            close("no stream pulled any more");
        }
    }

    private void unsubscribe(RelaySource source) {
        Integer subscription = subscriptionOf.remove(source);
        if (subscription == null) {
            return;
        }
        bySubscription.remove(subscription);
        byStream.entrySet().removeIf(e -> {
            if (e.getValue() == source) {
                retired.add(e.getKey());
                return true;
            }
            return false;
        });
        if (ready && channel.isActive()) {
            channel.writeAndFlush(RelayWire.unsubscribe(channel.alloc(), subscription), channel.voidPromise());
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        lastReadNanos = System.nanoTime();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf m = (ByteBuf) msg;
        try {
            long now = System.nanoTime();
            lastReadNanos = now;
            byte type = m.readByte();
            switch (type) {
                case RelayWire.CHALLENGE -> challenge(m);
                case RelayWire.WELCOME -> welcome(m);
                case RelayWire.SUBSCRIBED -> subscribed(m);
                case RelayWire.FRAME -> frame(m, now);
                case RelayWire.GONE -> gone(m);
                case RelayWire.PING -> { }
                default -> throw new RelayProtocolException("unexpected message type " + type);
            }
        } catch (IndexOutOfBoundsException e) {
            throw new RelayProtocolException("truncated message");
        } finally {
            m.release();
        }
    }

    private void challenge(ByteBuf m) {
        if (serverNonce != null || m.readInt() != RelayWire.VERSION || m.readableBytes() != RelayWire.NONCE) {
            throw new RelayProtocolException("bad challenge (another relay protocol version?)");
        }
        serverNonce = ByteBufUtil.getBytes(m);
        RANDOM.nextBytes(clientNonce);
        channel.writeAndFlush(RelayWire.hello(channel.alloc(), clientNonce,
                RelayWire.clientMac(owner.secret(), serverNonce, clientNonce, owner.nodeId()), owner.nodeId()));
    }

    private void welcome(ByteBuf m) {
        if (serverNonce == null || ready) {
            throw new RelayProtocolException("unexpected WELCOME");
        }
        byte[] mac = ByteBufUtil.getBytes(m.readSlice(RelayWire.MAC));
        int n = m.readUnsignedByte();
        String id = m.readCharSequence(n, StandardCharsets.UTF_8).toString();
        if (!RelayWire.macMatches(RelayWire.serverMac(owner.secret(), clientNonce, serverNonce, id), mac)) {
            throw new RelayProtocolException("wrong HMAC from the parent (is cluster.secret the same on every node?)");
        }
        if (!id.equals(parentId)) {
            throw new RelayProtocolException("expected node '" + parentId + "' at " + address + ", found '"
                    + RelayServerConnection.quote(id) + "'");
        }
        ready = true;
        decoder.authenticated();
        bySubscription.forEach((subscription, source) -> send(subscription, source));
        log.info("relay: connected to node {} at {}", parentId, address);
    }

    private void subscribed(ByteBuf m) {
        int subscription = m.readInt();
        int stream = m.readInt();
        RelaySource source = bySubscription.get(subscription);
        if (source == null) {
            retired.add(stream);
            return;
        }
        retired.remove(stream);
        byStream.put(stream, source);
    }

    private void frame(ByteBuf m, long now) {
        int stream = m.readInt();
        RelaySource source = byStream.get(stream);
        if (source == null) {
            if (retired.contains(stream)) {
                return;
            }
            throw new RelayProtocolException("frame for stream " + stream + ", which was never subscribed");
        }
        if (source.onRelayFrame(this, m, now) && !source.inBatch) {
            source.inBatch = true;
            batch.add(source);
        }
    }

    private void gone(ByteBuf m) {
        RelaySource source = byStream.get(m.readInt());
        if (source != null) {
            source.upstreamGone(this);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        for (int i = 0, n = batch.size(); i < n; i++) {
            RelaySource s = batch.get(i);
            s.inBatch = false;
            s.endOfBatch();
        }
        batch.clear();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        lost("connection closed by the parent");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        lost(cause instanceof RelayProtocolException ? "protocol error: " + cause.getMessage() : cause.toString());
    }

    /** The parent is gone (or broke the protocol): every stream on this link moves elsewhere. */
    private void lost(String why) {
        if (closed) {
            return;
        }
        log.warn("relay: link to node {} at {} lost: {}", parentId, address, why);
        close(why);
        List<RelaySource> sources = new ArrayList<>(subscriptionOf.keySet());
        subscriptionOf.clear();
        bySubscription.clear();
        byStream.clear();
        for (RelaySource s : sources) {
            s.linkLost(this, why);
        }
    }

    private void close(String why) {
        if (closed) {
            return;
        }
        closed = true;
        ready = false;
        if (timer != null) {
            timer.cancel(false);
        }
        owner.remove(this);
        if (channel != null) {
            channel.close();
        }
        log.debug("relay: link to {} closed ({})", parentId, why);
    }

    @Override
    public String toString() {
        return "relay link to " + parentId + " at " + address;
    }

    /** For {@link RelayLinks}: the node loop a link to this parent runs on. */
    static EventLoop loopFor(Hub hub, String parentId) {
        return hub.workers().loop(Math.floorMod(parentId.hashCode(), hub.workers().size()));
    }
}
