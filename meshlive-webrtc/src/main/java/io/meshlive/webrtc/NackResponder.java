package io.meshlive.webrtc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.function.Consumer;

/**
 * Answers a WHEP viewer's generic NACKs (RFC 4585 §6.2.1) from the video track's recent packets,
 * as RTX (RFC 4588) when the browser agreed to it; a packet too old to be held is not resent.
 * Loop-confined.
 */
final class NackResponder {
    private final OutboundTrack video;
    private final ByteBufAllocator alloc;
    private final Consumer<ByteBuf> resend;
    private long nacks;

    /** @param resend sends one packet at once (encrypts, writes, flushes); takes ownership */
    NackResponder(OutboundTrack video, ByteBufAllocator alloc, Consumer<ByteBuf> resend) {
        this.video = video;
        this.alloc = alloc;
        this.resend = resend;
    }

    void onNack(long mediaSsrc, int lostSequence) {
        if (mediaSsrc != video.ssrc) {
            return;
        }
        nacks++;
        ByteBuf p = video.retransmission(alloc, lostSequence);
        if (p != null) {
            resend.accept(p);
        }
    }

    /** Packets the browser asked for again. */
    long nacks() {
        return nacks;
    }
}
