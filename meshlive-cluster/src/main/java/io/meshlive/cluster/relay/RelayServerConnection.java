package io.meshlive.cluster.relay;

import io.meshlive.core.StreamKey;
import io.meshlive.media.WallClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The parent's side of one relay connection: the challenge, then the child's subscriptions. A
 * peer that fails the handshake, sends anything malformed or stays silent is closed with one log
 * line; before the handshake it gets nothing but the challenge.
 */
final class RelayServerConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RelayServerConnection.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A peer must finish the handshake this fast, and an authenticated one must say something (a ping) this often. */
    static final long SILENCE_MILLIS = 5_000;
    /** Subscriptions one connection may hold: one per stream the child carries. */
    private static final int MAX_SUBSCRIPTIONS = 10_000;

    private final RelayServer server;
    private final RelayMessageDecoder decoder;
    private final byte[] nonce = new byte[RelayWire.NONCE];
    private final Map<Integer, RelayOut> subscriptions = new HashMap<>();
    private ChannelHandlerContext ctx;
    private String peer;
    private long lastReadNanos = System.nanoTime();
    private ScheduledFuture<?> timer;

    RelayServerConnection(RelayServer server, RelayMessageDecoder decoder) {
        this.server = server;
        this.decoder = decoder;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        RANDOM.nextBytes(nonce);
        ctx.writeAndFlush(RelayWire.challenge(ctx.alloc(), nonce));
        long every = server.pingMillis();
        timer = ctx.executor().scheduleAtFixedRate(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (System.nanoTime() - lastReadNanos > TimeUnit.MILLISECONDS.toNanos(SILENCE_MILLIS)) {
            fail(peer == null ? "no handshake within " + SILENCE_MILLIS + " ms" : "silent for " + SILENCE_MILLIS + " ms");
            return;
        }
        if (peer != null) {
            ctx.writeAndFlush(RelayWire.ping(ctx.alloc(), WallClock.micros()), ctx.voidPromise());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf m = (ByteBuf) msg;
        try {
            lastReadNanos = System.nanoTime();
            byte type = m.readByte();
            if (peer == null) {
                hello(type, m);
                return;
            }
            switch (type) {
                case RelayWire.SUBSCRIBE -> subscribe(m);
                case RelayWire.UNSUBSCRIBE -> unsubscribe(m);
                case RelayWire.KEYFRAME -> keyframe(m);
                case RelayWire.PING -> { }
                default -> throw new RelayProtocolException("unexpected message type " + type);
            }
        } catch (IndexOutOfBoundsException e) {
            throw new RelayProtocolException("truncated message");
        } finally {
            m.release();
        }
    }

    private void keyframe(ByteBuf m) {
        RelayOut out = subscriptions.get(m.readInt());
        if (out != null) {
            out.requestKeyframe();
        }
    }

    private void hello(byte type, ByteBuf m) {
        if (type != RelayWire.HELLO) {
            throw new RelayProtocolException("expected HELLO, got message type " + type);
        }
        byte[] clientNonce = ByteBufUtil.getBytes(m.readSlice(RelayWire.NONCE));
        byte[] mac = ByteBufUtil.getBytes(m.readSlice(RelayWire.MAC));
        int n = m.readUnsignedByte();
        if (n == 0 || m.readableBytes() != n) {
            throw new RelayProtocolException("bad node id length " + n);
        }
        String id = m.readCharSequence(n, StandardCharsets.UTF_8).toString();
        if (!RelayWire.macMatches(RelayWire.clientMac(server.secret(), nonce, clientNonce, id), mac)) {
            throw new RelayProtocolException("wrong HMAC (is cluster.secret the same on every node?) from a peer calling itself '"
                    + quote(id) + "'");
        }
        peer = id;
        decoder.authenticated();
        ctx.writeAndFlush(RelayWire.welcome(ctx.alloc(), RelayWire.serverMac(server.secret(), clientNonce, nonce, server.nodeId()),
                server.nodeId()));
        log.info("relay: node {} connected from {}", id, ctx.channel().remoteAddress());
    }

    private void subscribe(ByteBuf m) {
        int subscription = m.readInt();
        long epoch = m.readLong();
        long from = m.readLong();
        int n = m.readUnsignedShort();
        if (m.readableBytes() != n) {
            throw new RelayProtocolException("bad stream name length " + n);
        }
        String name = m.readCharSequence(n, StandardCharsets.UTF_8).toString();
        StreamKey key;
        try {
            key = StreamKey.parse(name);
        } catch (IllegalArgumentException e) {
            throw new RelayProtocolException("bad stream name '" + quote(name) + "'");
        }
        if (subscriptions.containsKey(subscription) || subscriptions.size() >= MAX_SUBSCRIPTIONS) {
            throw new RelayProtocolException("subscription " + subscription + " already in use, or too many");
        }
        RelayOut out = server.outs().pendingSubscription(key);
        subscriptions.put(subscription, out);
        // SUBSCRIBED goes out before any frame: the relay-out writes after this, from its loop.
        ctx.writeAndFlush(RelayWire.subscribed(ctx.alloc(), subscription, out.id()), ctx.voidPromise());
        server.outs().subscribe(out, ctx.channel(), subscription, epoch, from);
        log.debug("relay: node {} subscribed to {} from sequence {}", peer, key, from);
    }

    private void unsubscribe(ByteBuf m) {
        int subscription = m.readInt();
        RelayOut out = subscriptions.remove(subscription);
        if (out == null) {
            throw new RelayProtocolException("unsubscribe from unknown subscription " + subscription);
        }
        server.outs().unsubscribe(out, ctx.channel(), subscription);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
        for (Map.Entry<Integer, RelayOut> e : subscriptions.entrySet()) {
            server.outs().unsubscribe(e.getValue(), ctx.channel(), e.getKey());
        }
        subscriptions.clear();
        if (peer != null) {
            log.info("relay: node {} disconnected", peer);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause instanceof RelayProtocolException ? cause.getMessage() : cause.toString());
    }

    private void fail(String why) {
        if (ctx.channel().isActive()) {
            log.warn("relay: closing connection from {} ({}): {}", ctx.channel().remoteAddress(),
                    peer == null ? "not authenticated" : "node " + peer, why);
            ctx.close();
        }
    }

    /** Peer text in a log line: at most 64 characters, control characters made visible. */
    static String quote(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        StringBuilder b = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> b.append(Character.isISOControl(c) ? '?' : (char) c));
        return b.toString();
    }
}
