package io.meshlive.webrtc;

import io.meshlive.webrtc.stun.StunException;
import io.meshlive.webrtc.stun.StunMessage;
import io.meshlive.webrtc.stun.StunWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sorts every packet on the WebRTC port (RFC 7983 by its first byte): STUN goes to the peer its
 * ICE username names, after the integrity check with that peer's password; DTLS and SRTP go to
 * the peer that completed a connectivity check from the packet's source. Anything else, or from
 * a source no peer owns, is dropped and counted, never answered.
 */
final class PacketDemux {
    private static final Logger log = LoggerFactory.getLogger(PacketDemux.class);

    /** Set on an ICE-TCP connection once it moved (or began moving) to its peer's loop. */
    private static final AttributeKey<Boolean> MOVED = AttributeKey.valueOf("meshlive.iceTcpMoved");

    private final WebRtcService server;
    private final boolean quiet;
    private final LongAdder unknownSource = new LongAdder();
    private final LongAdder badStun = new LongAdder();

    /** @param quiet no log line for a stray packet (the node's warm-up, whose viewers' last packets may outlive their sessions) */
    PacketDemux(WebRtcService server, boolean quiet) {
        this.server = server;
        this.quiet = quiet;
    }

    ChannelHandler udpHandler() {
        return new UdpHandler();
    }

    ChannelHandler tcpHandler() {
        return new TcpHandler();
    }

    /** Takes ownership of {@code packet}. {@code pathKey} is the remote address (UDP) or the channel (TCP). */
    private void dispatch(ByteBuf packet, Object pathKey, InetSocketAddress remote, Channel tcp) {
        if (packet.readableBytes() < 4) {
            packet.release();
            return;
        }
        int first = packet.getUnsignedByte(packet.readerIndex());
        if (first < 4) {
            try {
                stun(packet, pathKey, remote, tcp);
            } finally {
                packet.release();
            }
            return;
        }
        WebRtcPeer peer = server.peers().byPath(pathKey);
        if (peer == null || !(first >= 20 && first <= 63 || first >= 128 && first <= 191)) {
            unknownSource.increment();
            if (!quiet && Long.bitCount(unknownSource.sum()) == 1) { // 1, 2, 4, 8...: a trace without a flood
                log.info("dropped a packet (first byte {}) from {}, which no session owns ({} so far)", first, remote,
                        unknownSource.sum());
            }
            packet.release();
            return;
        }
        boolean dtls = first <= 63;
        if (peer.loop().inEventLoop()) {
            deliver(peer, packet, dtls, pathKey);
        } else {
            peer.loop().execute(() -> deliver(peer, packet, dtls, pathKey));
        }
    }

    private static void deliver(WebRtcPeer peer, ByteBuf packet, boolean dtls, Object pathKey) {
        if (dtls) {
            peer.onDtls(packet);
        } else {
            peer.onSrtp(packet, pathKey);
        }
    }

    private void stun(ByteBuf packet, Object pathKey, InetSocketAddress remote, Channel tcp) {
        ByteBufAllocator alloc = packet.alloc(); // the answer is written after the request is released
        StunMessage m;
        try {
            m = StunMessage.decode(packet);
        } catch (StunException e) {
            rejected(remote, "malformed STUN: " + e.getMessage());
            return;
        }
        if (m.type() != StunMessage.BINDING_REQUEST) {
            return; // indications are keep-alives; ICE-lite sends no requests, so expects no responses
        }
        String user = m.username();
        int colon = user == null ? -1 : user.indexOf(':');
        WebRtcPeer peer = colon <= 0 ? null : server.peers().byUfrag(user.substring(0, colon));
        if (peer == null) {
            rejected(remote, "STUN binding for unknown ICE username " + user);
            return;
        }
        if (!m.hasMessageIntegrity() || !m.integrityMatches(packet, peer.localPasswordKey)) {
            rejected(remote, "STUN binding for " + peer + " failed its integrity check");
            PeerPath path = pathFor(peer, remote, tcp);
            peer.loop().execute(() -> {
                path.send(StunWriter.bindingError(alloc, m.transactionId(), 401, "Unauthorized", null));
                path.flush();
            });
            return;
        }
        PeerPath path = pathFor(peer, remote, tcp);
        byte[] tx = m.transactionId();
        boolean nominated = m.useCandidate();
        Runnable answer = () -> {
            path.send(StunWriter.bindingSuccess(alloc, tx, remote, peer.localPasswordKey));
            path.flush();
            peer.onConsent(pathKey, path, nominated);
        };
        if (tcp != null && tcp.eventLoop() != peer.loop() && tcp.attr(MOVED).setIfAbsent(Boolean.TRUE) == null) {
            moveThen(tcp, peer.loop(), answer);
        } else if (peer.loop().inEventLoop()) {
            answer.run();
        } else {
            peer.loop().execute(answer);
        }
    }

    /**
     * An ICE-TCP connection moves to its peer's loop on its first good check, so the peer writes
     * to it as to any socket of its own loop: no task per packet across loops, and the connection's
     * write limit seen where the frames are sent. Then {@code then} runs there.
     */
    private static void moveThen(Channel tcp, EventLoop loop, Runnable then) {
        tcp.deregister().addListener(deregistered -> {
            if (!deregistered.isSuccess()) {
                tcp.close();
                return;
            }
            loop.register(tcp).addListener(registered -> {
                if (registered.isSuccess()) {
                    log.debug("ICE-TCP connection {} moved to its peer's event loop", tcp.remoteAddress());
                    then.run();
                } else {
                    log.info("ICE-TCP connection {} closed: cannot move it to its peer's event loop: {}",
                            tcp.remoteAddress(), registered.cause().toString());
                    tcp.close();
                }
            });
        });
    }

    private PeerPath pathFor(WebRtcPeer peer, InetSocketAddress remote, Channel tcp) {
        return tcp != null ? new TcpPath(tcp) : new UdpPath(server.udpChannelFor(peer.loop()), remote);
    }

    private void rejected(InetSocketAddress remote, String why) {
        badStun.increment();
        if (!quiet && Long.bitCount(badStun.sum()) == 1) {
            log.info("{} from {} ({} rejected so far)", why, remote, badStun.sum());
        } else {
            log.debug("{} from {}", why, remote);
        }
    }

    @ChannelHandler.Sharable
    private final class UdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        UdpHandler() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
            dispatch(msg.content(), msg.sender(), msg.sender(), null);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.warn("WebRTC UDP socket error (the socket stays open): {}", cause.toString());
        }
    }

    private final class TcpHandler extends SimpleChannelInboundHandler<ByteBuf> {
        TcpHandler() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            dispatch(msg, ctx.channel(), (InetSocketAddress) ctx.channel().remoteAddress(), ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.info("ICE-TCP connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
