package io.meshlive.webrtc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/**
 * Where a peer's packets go: a UDP 5-tuple on our shared socket, or an ICE-TCP connection.
 * {@link #send} is called on {@link #loop()} (media, RTCP, STUN) or from the DTLS handshake thread.
 */
interface PeerPath {
    /** Sends one datagram (a whole STUN, DTLS, SRTP or SRTCP packet); takes ownership. */
    void send(ByteBuf datagram);

    /** The channel the packets leave by: our UDP socket of the peer's loop, or its TCP connection. */
    Channel channel();

    /** Sends what {@link #send} queued; media is flushed once per batch, not per packet. */
    default void flush() {
        channel().flush();
    }

    default EventLoop loop() {
        return channel().eventLoop();
    }

    /** Whether this path is still usable (a TCP connection that closed is not). */
    default boolean isOpen() {
        return channel().isActive();
    }

    /**
     * Whether more may be sent now: an ICE-TCP connection over its write limit is not (media then
     * skips to the next keyframe); UDP never pushes back.
     */
    boolean isWritable();
}
