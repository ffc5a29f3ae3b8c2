package io.meshlive.webrtc;

import io.meshlive.webrtc.dtls.DtlsCertificate;
import io.meshlive.webrtc.dtls.DtlsHandshakes;
import io.meshlive.webrtc.dtls.DtlsResult;
import io.meshlive.webrtc.dtls.DtlsWarmUp;
import io.meshlive.webrtc.rtp.RtpHeader;
import io.meshlive.webrtc.srtp.SrtpContext;
import io.meshlive.webrtc.srtp.SrtpException;
import io.meshlive.webrtc.srtp.SrtpKeys;
import io.meshlive.webrtc.srtp.SrtpProfile;
import io.meshlive.webrtc.stun.IceCredentials;
import io.meshlive.webrtc.stun.StunException;
import io.meshlive.webrtc.stun.StunMessage;
import io.meshlive.webrtc.stun.StunWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * WHEP joins a node makes with itself, in memory, at start, one after another, before any viewer
 * comes: an offer as a browser writes it, parsed and answered by the node's own negotiation; the
 * viewer's ICE check and our answer to it; the DTLS handshake; the SRTP keys it yields and a
 * keyframe's packets protected with them. All of this runs once per join, so on a fresh node it
 * is cold, and a surge pays for interpreting and compiling it on the very core its handshakes
 * need. Measured on one core, 1,000 joins at 100/s: a fresh node's compilers took half the core
 * and up to half of the joins timed out; a node that had served 100 joins first connected all 1,000.
 *
 * <p>Nothing here reaches the network, the hub or the session list: no stream, hook, log line or
 * metric sees a warm-up join.
 */
final class JoinWarmUp {
    /** Where a warm-up viewer's check comes from; only written into the answer. */
    private static final InetSocketAddress VIEWER = new InetSocketAddress("127.0.0.1", 9);
    private static final long PRIORITY = IceCredentials.candidatePriority(126, 65535, 1);
    /** A 720p keyframe's worth of packets. */
    private static final int PACKETS = 40;
    private static final int PAYLOAD = 1100;
    private static final int SSRC = 0x5eed;

    /** The node's answer to a WHEP offer. */
    interface Answerer {
        WebRtcService.Negotiated answer(String offerSdp) throws WebRtcService.Refused;
    }

    private JoinWarmUp() {
    }

    /**
     * Runs {@code count} joins on {@code handshakes}' threads, one at a time (the JIT needs
     * repetitions, not parallelism).
     *
     * @return completes with the number done, or exceptionally with the first failure
     */
    static CompletableFuture<Integer> run(int count, Answerer answerer, DtlsHandshakes handshakes, DtlsCertificate certificate) {
        return DtlsWarmUp.oneAfterAnother(count, () -> once(answerer, handshakes, certificate));
    }

    private static CompletableFuture<Void> once(Answerer answerer, DtlsHandshakes handshakes, DtlsCertificate certificate) {
        try {
            String viewerUfrag = IceCredentials.newUfrag();
            String offer = WhepOffer.sdp(viewerUfrag, IceCredentials.newPassword(), certificate.fingerprintSdp(), true);
            WebRtcService.Negotiated answer = answerer.answer(offer);
            check(answer.ufrag() + ":" + viewerUfrag, answer.password().getBytes(StandardCharsets.UTF_8));
        } catch (WebRtcService.Refused | StunException e) {
            return CompletableFuture.failedFuture(e);
        }
        return DtlsWarmUp.once(handshakes, certificate).thenAccept(JoinWarmUp::protectKeyframe);
    }

    /** The viewer's binding request and our success answer, each written, decoded and verified as both ends do. */
    private static void check(String username, byte[] key) throws StunException {
        ByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;
        byte[] transactionId = new byte[12];
        ThreadLocalRandom.current().nextBytes(transactionId);
        ByteBuf request = StunWriter.bindingRequest(alloc, transactionId, username, key, PRIORITY,
                ThreadLocalRandom.current().nextLong(), true, true);
        ByteBuf success = null;
        try {
            StunMessage m = StunMessage.decode(request);
            if (!username.equals(m.username()) || !m.integrityMatches(request, key)) {
                throw new StunException("warm-up binding request failed its own integrity check");
            }
            success = StunWriter.bindingSuccess(alloc, m.transactionId(), VIEWER, key);
            if (!StunMessage.decode(success).integrityMatches(success, key)) {
                throw new StunException("warm-up binding success failed its own integrity check");
            }
        } finally {
            request.release();
            if (success != null) {
                success.release();
            }
        }
    }

    /** SRTP keys from the handshake, and a keyframe's packets protected by one end and verified by the other. */
    private static void protectKeyframe(DtlsResult result) {
        SrtpProfile profile = SrtpProfile.byId(result.srtpProfileId());
        SrtpContext sender = SrtpKeys.fromDtlsKeyingMaterial(profile, result.keyingMaterial(), true).newSenderContext();
        SrtpContext receiver = SrtpKeys.fromDtlsKeyingMaterial(profile, result.keyingMaterial(), false).newReceiverContext();
        ByteBuf packet = UnpooledByteBufAllocator.DEFAULT.heapBuffer(RtpHeader.FIXED_LENGTH + PAYLOAD + profile.rtpAuthTagLength());
        try {
            for (int seq = 0; seq < PACKETS; seq++) {
                packet.clear()
                        .writeByte(RtpHeader.VERSION << 6)
                        .writeByte(96)
                        .writeShort(seq)
                        .writeInt(0)
                        .writeInt(SSRC)
                        .writeZero(PAYLOAD);
                sender.protectRtp(packet);
                receiver.unprotectRtp(packet);
            }
        } catch (SrtpException e) {
            throw new IllegalStateException("warm-up SRTP packet failed its own check: " + e.getMessage(), e);
        } finally {
            packet.release();
        }
    }
}
