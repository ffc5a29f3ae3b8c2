package io.meshlive.bench.play;

import io.meshlive.core.Transport;
import io.meshlive.rtmp.client.WhyClosedHandler;
import io.meshlive.webrtc.WhepOffer;
import io.meshlive.webrtc.dtls.DtlsResult;
import io.meshlive.webrtc.dtls.DtlsRole;
import io.meshlive.webrtc.dtls.DtlsTransport;
import io.meshlive.webrtc.rtcp.RtcpWriter;
import io.meshlive.webrtc.sdp.SdpException;
import io.meshlive.webrtc.srtp.SrtpContext;
import io.meshlive.webrtc.srtp.SrtpKeys;
import io.meshlive.webrtc.srtp.SrtpProfile;
import io.meshlive.webrtc.stun.IceCredentials;
import io.meshlive.webrtc.stun.StunException;
import io.meshlive.webrtc.stun.StunMessage;
import io.meshlive.webrtc.stun.StunWriter;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A WHEP player's session, as a browser plays: POST the offer, then on one UDP socket to the
 * server's candidate, STUN binding requests until one is answered (ICE; the server is ICE-lite, we
 * control and nominate), the DTLS handshake as client, then SRTP media to {@link WhepMedia}, with
 * a binding request every {@link #CONSENT_MILLIS} as consent freshness (RFC 7675), and, when the
 * run sets one, the same bandwidth estimate every second as RTCP REMB, as a browser reports its
 * own, so a server with a ladder can be made to pick a rendition. Stopping
 * DELETEs the session's resource. Confined to the player's event loop; the HTTP client's and the
 * DTLS threads hand their results back to it.
 */
final class WhepSession extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Duration DELETE_TIMEOUT = Duration.ofSeconds(10);
    private static final long ICE_RETRY_MILLIS = 100;
    /** Browsers check consent every ~5 s; a shorter period keeps a loaded server's 15 s timeout far away. */
    private static final long CONSENT_MILLIS = 2000;
    /** A connected player that gets no media for this long counts as closed by the server. */
    private static final long SILENCE_LIMIT_NANOS = 5_000_000_000L;
    /** SRTP that arrives between the server's and our end of the handshake waits for the keys; beyond this it is dropped. */
    private static final int EARLY_PACKET_LIMIT = 256;
    private static final int[] SRTP_PROFILES = {SrtpProfile.AEAD_AES_128_GCM.id(), SrtpProfile.AES128_CM_HMAC_SHA1_80.id()};
    private static final long PRIORITY = IceCredentials.candidatePriority(126, 65535, 1);
    private static final int TRANSACTION_ID_LENGTH = 12;
    private static final long REMB_MILLIS = 1000;
    private static final int RECEIVE_BUFFER = 4 << 20;
    /** Redirects followed before the answer (SRS redirects its endpoint named without the trailing slash). */
    private static final int MAX_REDIRECTS = 3;

    private final Player player;
    private final EventLoop loop;
    private final WhepResources shared;
    private final String iceUfrag = IceCredentials.newUfrag();
    private final String icePassword = IceCredentials.newPassword();
    private final long tieBreaker = ThreadLocalRandom.current().nextLong();
    /** The sender SSRC of our RTCP. */
    private final long rtcpSsrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
    /** The session's resource from the answer's Location, or null when there is none to delete. */
    private final CompletableFuture<URI> location = new CompletableFuture<>();
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    private WhepAnswer answer;
    private byte[] serverPassword;
    private Channel channel;
    private ScheduledFuture<?> checks;
    private long iceStartNanos;
    private boolean iceDone;
    private DtlsTransport dtls;
    private WhepMedia media;
    private SrtpContext srtcpOut;
    private ScheduledFuture<?> rembs;
    private long lastMediaNanos;
    private long postNanos;
    private long answeredNanos;
    private long iceDoneNanos;
    private long dtlsDoneNanos;
    private boolean stopped;

    WhepSession(Player player, EventLoop loop, WhepResources shared) {
        this.player = player;
        this.loop = loop;
        this.shared = shared;
    }

    /** On the loop: posts the offer. */
    void start() {
        postNanos = System.nanoTime();
        player.connecting(this, postNanos);
        post(URI.create(player.url().toString()),
                WhepOffer.sdp(iceUfrag, icePassword, shared.certificate().fingerprintSdp(), shared.rembKbps() > 0), MAX_REDIRECTS);
    }

    private void post(URI endpoint, String offer, int redirectsLeft) {
        HttpRequest post = HttpRequest.newBuilder(endpoint).timeout(shared.joinTimeout())
                .header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(offer))
                .build();
        shared.http().sendAsync(post, HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, error) -> loop.execute(() -> {
                    if (error == null && isRedirect(response.statusCode()) && redirectsLeft > 0 && !stopped
                            && response.headers().firstValue("Location").isPresent()) {
                        // The HTTP client would turn a redirected POST into a GET; the offer goes again, as a browser's fetch sends it.
                        post(endpoint.resolve(response.headers().firstValue("Location").get()), offer, redirectsLeft - 1);
                    } else {
                        onAnswer(endpoint, response, error);
                    }
                }));
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 307 || status == 308;
    }

    private void onAnswer(URI endpoint, HttpResponse<String> response, Throwable error) {
        if (error != null || response.statusCode() != 201) {
            location.complete(null);
            fail("WHEP POST: " + (error != null ? WhyClosedHandler.describe(error)
                    : "HTTP " + response.statusCode() + " " + response.body().lines().findFirst().orElse("")));
            return;
        }
        answeredNanos = System.nanoTime();
        location.complete(response.headers().firstValue("Location").map(endpoint::resolve).orElse(null));
        if (stopped) {
            return;
        }
        try {
            answer = WhepAnswer.parse(response.body(), player.url().host());
        } catch (SdpException e) {
            fail("SDP answer: " + e.getMessage());
            return;
        }
        serverPassword = answer.icePassword().getBytes(StandardCharsets.UTF_8);
        ChannelFuture connect = new Bootstrap().group(loop).channel(Transport.datagramChannel())
                // A keyframe arrives as a burst of a hundred packets or more; the kernel's default
                // buffer drops some whenever the loop is a few milliseconds late, as a browser's would not.
                .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(ReceiveCounter.ofDatagrams(player), WhepSession.this);
                    }
                })
                .connect(answer.udp());
        channel = connect.channel();
        connect.addListener(done -> {
            if (!done.isSuccess()) {
                fail("UDP to " + answer.udp() + ": " + WhyClosedHandler.describe(done.cause()));
            } else if (!stopped) {
                iceStartNanos = System.nanoTime();
                checkConnectivity();
            }
        });
    }

    /** A binding request: until one is answered every {@link #ICE_RETRY_MILLIS}, then as consent. */
    private void checkConnectivity() {
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        if (!iceDone && now - iceStartNanos > shared.joinTimeout().toNanos()) {
            fail("no STUN answer from " + answer.udp() + " within " + shared.joinTimeout().toMillis() + " ms");
            return;
        }
        if (media != null && now - lastMediaNanos > SILENCE_LIMIT_NANOS) {
            closed("no media for " + SILENCE_LIMIT_NANOS / 1_000_000_000 + " s");
            return;
        }
        byte[] transactionId = new byte[TRANSACTION_ID_LENGTH];
        ThreadLocalRandom.current().nextBytes(transactionId);
        send(channel, StunWriter.bindingRequest(channel.alloc(), transactionId, answer.iceUfrag() + ":" + iceUfrag,
                serverPassword, PRIORITY, tieBreaker, true, true));
        checks = loop.schedule(this::checkConnectivity, iceDone ? CONSENT_MILLIS : ICE_RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Sends a STUN or DTLS datagram now, or after the run's send delay (a far viewer's round trip).
     * A delayed datagram waits as a copy on the heap: a loop that stops drops its scheduled tasks,
     * and a pooled buffer would be lost with them. Any thread.
     */
    private void send(Channel ch, ByteBuf datagram) {
        long delayNanos = shared.sendDelay().toNanos();
        if (delayNanos == 0) {
            ch.writeAndFlush(datagram, ch.voidPromise());
            return;
        }
        byte[] bytes = ByteBufUtil.getBytes(datagram);
        datagram.release();
        ch.eventLoop().schedule(() -> ch.writeAndFlush(Unpooled.wrappedBuffer(bytes), ch.voidPromise()), delayNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf data = packet.content();
        if (!data.isReadable() || stopped) {
            return;
        }
        int first = data.getUnsignedByte(data.readerIndex()); // RFC 7983: which protocol a datagram is
        if (first < 4) {
            onStun(data);
        } else if (first >= 20 && first < 64) {
            if (dtls != null) {
                dtls.receive(data.retain());
            }
        } else if (first >= 128 && first < 192) {
            onMedia(data);
        }
    }

    private void onStun(ByteBuf data) {
        StunMessage message;
        try {
            message = StunMessage.decode(data);
        } catch (StunException e) {
            return;
        }
        if (message.type() == StunMessage.BINDING_ERROR) {
            fail("STUN binding error " + message.errorCode());
        } else if (message.type() == StunMessage.BINDING_SUCCESS && !iceDone && message.integrityMatches(data, serverPassword)) {
            iceDone = true;
            iceDoneNanos = System.nanoTime();
            startDtls();
        }
    }

    private void startDtls() {
        Channel ch = channel;
        dtls = new DtlsTransport(DtlsRole.CLIENT, shared.certificate(), answer.fingerprintSha256(), SRTP_PROFILES,
                datagram -> send(ch, datagram), ch.alloc());
        dtls.handshake(shared.handshakes(), shared.joinTimeout())
                .whenComplete((result, error) -> loop.execute(() -> onHandshake(result, error)));
        dtls.closeFuture().whenComplete((done, error) -> loop.execute(() -> closed("the server ended DTLS")));
    }

    private void onHandshake(DtlsResult result, Throwable error) {
        if (stopped || media != null) {
            return;
        }
        if (error != null) {
            fail("DTLS: " + error.getMessage());
            return;
        }
        dtlsDoneNanos = System.nanoTime();
        SrtpProfile profile = SrtpProfile.byId(result.srtpProfileId());
        SrtpKeys keys = SrtpKeys.fromDtlsKeyingMaterial(profile, result.keyingMaterial(), false);
        media = new WhepMedia(player, keys.newReceiverContext(), answer.videoPayloadTypes());
        lastMediaNanos = System.nanoTime();
        player.connected();
        if (shared.rembKbps() > 0) {
            srtcpOut = keys.newSenderContext();
            rembs = loop.scheduleAtFixedRate(this::sendRemb, 0, REMB_MILLIS, TimeUnit.MILLISECONDS);
        }
        ByteBuf packet;
        while ((packet = early.poll()) != null) {
            try {
                media.onPacket(packet);
            } finally {
                packet.release();
            }
        }
    }

    /** A REMB alone (reduced-size RTCP, RFC 5506) about the video SSRC, once video has come. */
    private void sendRemb() {
        if (stopped || media.videoSsrc() == 0) {
            return;
        }
        ByteBuf rtcp = channel.alloc().directBuffer(64);
        RtcpWriter.remb(rtcp, rtcpSsrc, shared.rembKbps() * 1000, media.videoSsrc());
        srtcpOut.protectRtcp(rtcp);
        channel.writeAndFlush(rtcp, channel.voidPromise());
    }

    private void onMedia(ByteBuf data) {
        if (media != null) {
            lastMediaNanos = System.nanoTime();
            media.onPacket(data);
        } else if (early.size() < EARLY_PACKET_LIMIT) {
            early.add(data.retain());
        }
    }

    WhepJoin join() {
        return new WhepJoin(postNanos, answeredNanos, iceDoneNanos, dtlsDoneNanos);
    }

    WhepCounts counts() {
        return media == null ? WhepCounts.NONE : media.counts();
    }

    /** Failed before media; not counted when the bench itself is stopping. */
    private void fail(String why) {
        if (!stopped) {
            player.failed(why);
        }
        release();
    }

    private void closed(String why) {
        player.closed(why);
        release();
    }

    /**
     * On the loop: ends DTLS (close_notify), closes the socket and DELETEs the session. The
     * future completes when the server has answered the DELETE, or it could not be sent.
     */
    CompletableFuture<Void> stop() {
        stopped = true;
        release();
        return location.thenCompose(uri -> uri == null ? CompletableFuture.<Void>completedFuture(null)
                : shared.http().sendAsync(HttpRequest.newBuilder(uri).timeout(DELETE_TIMEOUT).DELETE().build(),
                        HttpResponse.BodyHandlers.discarding()).handle((response, error) -> null));
    }

    private void release() {
        if (checks != null) {
            checks.cancel(false);
        }
        if (rembs != null) {
            rembs.cancel(false);
        }
        if (dtls != null) {
            dtls.close();
        }
        if (channel != null) {
            channel.close();
        }
        ByteBuf packet;
        while ((packet = early.poll()) != null) {
            packet.release();
        }
    }
}
