package io.meshlive.webrtc;

import io.meshlive.core.Transport;
import io.meshlive.webrtc.dtls.DtlsCertificate;
import io.meshlive.webrtc.dtls.DtlsHandshakes;
import io.meshlive.webrtc.dtls.DtlsRole;
import io.meshlive.webrtc.dtls.DtlsTransport;
import io.meshlive.webrtc.rtp.RtpHeader;
import io.meshlive.webrtc.sdp.MediaDescription;
import io.meshlive.webrtc.sdp.Negotiation;
import io.meshlive.webrtc.sdp.SdpException;
import io.meshlive.webrtc.sdp.SessionDescription;
import io.meshlive.webrtc.srtp.SrtpProfile;
import io.meshlive.webrtc.stun.IceCredentials;
import io.meshlive.webrtc.stun.StunException;
import io.meshlive.webrtc.stun.StunMessage;
import io.meshlive.webrtc.stun.StunWriter;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One of the node's warm-up viewers ({@link WarmUpViewers}): a WHEP join as a browser makes it,
 * against a {@link WebRtcService} over loopback UDP. It offers, checks the path (STUN with
 * USE-CANDIDATE), runs the DTLS client's handshake, takes the media for a while from its first
 * video packet on, without decrypting it, and leaves as a browser's DELETE would. Loop-confined after {@link #join()}.
 */
final class WarmUpViewer extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final String LOOPBACK = "127.0.0.1";
    private static final int[] SRTP_PROFILES = {SrtpProfile.AEAD_AES_128_GCM.id(), SrtpProfile.AES128_CM_HMAC_SHA1_80.id()};
    private static final long PRIORITY = IceCredentials.candidatePriority(126, 65535, 1);

    private final WebRtcService service;
    private final DtlsCertificate certificate;
    private final DtlsHandshakes handshakes;
    private final EventLoop loop;
    private final long watchNanos;
    private final Duration limit;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    // Loop-confined.
    private String resourceId;
    private String username;
    private byte[] serverPasswordKey;
    private byte[] serverFingerprint;
    private InetSocketAddress server;
    private int videoPayloadType;
    private Channel channel;
    private DtlsTransport dtls;
    private ScheduledFuture<?> deadline;
    private boolean watching;

    /**
     * @param watchNanos how long it takes media once the first video packet has come
     * @param limit      how long it may take to get its first video packet before it fails
     */
    WarmUpViewer(WebRtcService service, DtlsCertificate certificate, DtlsHandshakes handshakes, EventLoop loop,
                 long watchNanos, Duration limit) {
        this.service = service;
        this.certificate = certificate;
        this.handshakes = handshakes;
        this.loop = loop;
        this.watchNanos = watchNanos;
        this.limit = limit;
    }

    /** Joins, watches and leaves; completes then, or exceptionally with why it could not. */
    CompletableFuture<Void> join() {
        loop.execute(this::offer);
        return done;
    }

    /** Leaves now, if it has not: the warm-up is stopping. Any thread. */
    void stop() {
        try {
            loop.execute(() -> end(new CancellationException("the warm-up stopped")));
        } catch (RejectedExecutionException loopClosed) {
            // The node's loops are shutting down, and close every socket on them.
        }
    }

    private void offer() {
        try {
            String ufrag = IceCredentials.newUfrag();
            WebRtcService.Offered offered = service.whep(WarmUpStream.KEY,
                    WhepOffer.sdp(ufrag, IceCredentials.newPassword(), certificate.fingerprintSdp(), true), LOOPBACK);
            resourceId = offered.resourceId();
            SessionDescription answerSdp = SessionDescription.parse(offered.answerSdp());
            MediaDescription answer = Negotiation.transport(answerSdp);
            videoPayloadType = answerSdp.media().stream().filter(m -> m.kind().equals("video")).findFirst()
                    .map(m -> Integer.parseInt(m.formats().get(0))).orElseThrow(() -> new SdpException("the answer has no video"));
            username = answer.iceUfrag() + ":" + ufrag;
            serverPasswordKey = answer.icePwd().getBytes(StandardCharsets.UTF_8);
            serverFingerprint = answer.fingerprint().value();
            server = new InetSocketAddress(LOOPBACK, service.port());
        } catch (WebRtcService.Refused | SdpException e) {
            end(e);
            return;
        }
        deadline = loop.schedule(() -> end(new TimeoutException("no video within " + limit.toMillis() + " ms of the offer")),
                limit.toMillis(), TimeUnit.MILLISECONDS);
        new Bootstrap().group(loop).channel(Transport.datagramChannel()).handler(this).bind(LOOPBACK, 0)
                .addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        end(f.cause());
                        return;
                    }
                    channel = f.channel();
                    if (done.isDone()) {
                        channel.close();
                        return;
                    }
                    byte[] transactionId = new byte[12];
                    ThreadLocalRandom.current().nextBytes(transactionId);
                    channel.writeAndFlush(new DatagramPacket(StunWriter.bindingRequest(channel.alloc(), transactionId, username,
                            serverPasswordKey, PRIORITY, ThreadLocalRandom.current().nextLong(), true, true), server));
                });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) throws StunException {
        ByteBuf datagram = packet.content();
        if (done.isDone() || !datagram.isReadable()) {
            return;
        }
        int first = datagram.getUnsignedByte(datagram.readerIndex());
        if (first <= 3) { // STUN (RFC 7983)
            StunMessage m = StunMessage.decode(datagram);
            if (dtls == null && m.type() == StunMessage.BINDING_SUCCESS && m.integrityMatches(datagram, serverPasswordKey)) {
                startDtls();
            }
        } else if (first >= 20 && first <= 63) {
            if (dtls != null) {
                dtls.receive(datagram.retain());
            }
        } else if (first >= 128 && first <= 191 && !watching && !RtpHeader.isRtcp(datagram)
                && RtpHeader.payloadType(datagram) == videoPayloadType) {
            watching = true;
            deadline.cancel(false);
            deadline = loop.schedule(() -> end(null), watchNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void startDtls() {
        Channel ch = channel;
        dtls = new DtlsTransport(DtlsRole.CLIENT, certificate, serverFingerprint, SRTP_PROFILES,
                d -> ch.writeAndFlush(new DatagramPacket(d, server)), ch.alloc());
        dtls.handshake(handshakes, limit).whenComplete((result, e) -> {
            if (e != null) {
                loop.execute(() -> end(e));
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        end(cause);
    }

    /** Leaves: the session ends as a DELETE ends it, and the socket closes; {@code failure} null when all went well. */
    private void end(Throwable failure) {
        if (done.isDone()) {
            return;
        }
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (dtls != null) {
            dtls.close(); // close_notify first, as a browser closing the tab
        }
        if (resourceId != null) {
            service.end(resourceId, "warm-up viewer left");
        }
        if (channel != null) {
            channel.close();
        }
        if (failure == null) {
            done.complete(null);
        } else {
            done.completeExceptionally(failure);
        }
    }
}
