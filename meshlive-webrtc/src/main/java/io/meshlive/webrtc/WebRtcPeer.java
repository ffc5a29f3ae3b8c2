package io.meshlive.webrtc;

import io.meshlive.core.Session;
import io.meshlive.core.StreamKey;
import io.meshlive.webrtc.dtls.DtlsException;
import io.meshlive.webrtc.dtls.DtlsResult;
import io.meshlive.webrtc.dtls.DtlsRole;
import io.meshlive.webrtc.dtls.DtlsTransport;
import io.meshlive.webrtc.rtcp.RtcpException;
import io.meshlive.webrtc.rtcp.RtcpHandler;
import io.meshlive.webrtc.rtcp.RtcpParser;
import io.meshlive.webrtc.rtp.RtpHeader;
import io.meshlive.webrtc.sdp.Answer;
import io.meshlive.webrtc.srtp.SrtpContext;
import io.meshlive.webrtc.srtp.SrtpException;
import io.meshlive.webrtc.srtp.SrtpKeys;
import io.meshlive.webrtc.srtp.SrtpProfile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One WebRTC peer connection, from the SDP answer to the end: ICE-lite consent, the DTLS
 * handshake, and SRTP in both directions. What flows over it is the subclass's: {@link WhepPeer}
 * sends a stream, {@link WhipPeer} receives one.
 *
 * <p>Everything after construction runs on {@link #loop()}, one of the hub's event loops, chosen
 * when the offer arrived; packets that reach another loop's socket hop here. Only the DTLS
 * handshake runs elsewhere, on a handshake thread, because BouncyCastle's DTLS API blocks.
 */
abstract class WebRtcPeer extends Session implements RtcpHandler {
    private static final Logger log = LoggerFactory.getLogger(WebRtcPeer.class);
    private static final int[] SRTP_PROFILES = {SrtpProfile.AEAD_AES_128_GCM.id(), SrtpProfile.AES128_CM_HMAC_SHA1_80.id()};
    /** Room for the SRTP auth tag (16 bytes for GCM, 10 for HMAC-SHA1-80) after each packet. */
    static final int SRTP_TAG_ROOM = 16;
    private static final int MAX_PATHS = 8;

    protected final PeerContext context;
    protected final EventLoop loop;
    protected final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    protected final Answer answer;
    final String localUfrag;
    final String remoteUfrag;
    final byte[] localPasswordKey;
    private final byte[] remoteFingerprint;
    private final long createdNanos = System.nanoTime();

    // Loop-confined.
    private final Map<Object, PeerPath> paths = new HashMap<>(4);
    private PeerPath path;
    private Object pathKey;
    private DtlsTransport dtls;
    private boolean handshakeStarted;
    private SrtpContext srtpOut;
    private SrtpContext srtpIn;
    private long lastConsentNanos;
    private long connectedNanos;
    private ScheduledFuture<?> ticker;
    private boolean closed;
    private long srtpFailures;

    WebRtcPeer(String protocol, Role role, PeerContext context, EventLoop loop, StreamKey key, String remoteAddress,
               Answer answer, String localUfrag, String localPassword, String remoteUfrag, byte[] remoteFingerprint) {
        super(protocol, role, remoteAddress);
        this.context = context;
        this.loop = loop;
        this.stream = key;
        this.answer = answer;
        this.localUfrag = localUfrag;
        this.remoteUfrag = remoteUfrag;
        this.localPasswordKey = localPassword.getBytes(StandardCharsets.UTF_8);
        this.remoteFingerprint = remoteFingerprint;
    }

    EventLoop loop() {
        return loop;
    }

    /** Arms the handshake deadline and the once-a-second tick; on the loop. */
    void start() {
        ticker = loop.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * A STUN binding request with good integrity arrived on {@code via}; on the loop. Every path
     * that passed a check may carry the peer's packets; we send on the first one until the peer
     * nominates one (USE-CANDIDATE) or its media arrive on another (see {@link #onSrtp}).
     */
    void onConsent(Object key, PeerPath via, boolean nominated) {
        if (closed) {
            return;
        }
        lastConsentNanos = System.nanoTime();
        PeerPath known = paths.get(key);
        if (known == null) {
            if (paths.size() >= MAX_PATHS) {
                return; // a peer has a handful of candidates; more is a flood, not ICE
            }
            paths.put(key, via);
            context.peers().bindPath(key, this);
            known = via;
        }
        if (path == null) {
            select(key, known);
            log.debug("{}: ICE connected via {}", this, known);
            startDtls();
        } else if (nominated && !key.equals(pathKey)) {
            select(key, known);
            log.info("{}: peer nominated {}", this, known);
        }
    }

    /** The selected path closed (an ICE-TCP connection): move to another checked path that is open. */
    private boolean reselect() {
        for (Map.Entry<Object, PeerPath> e : paths.entrySet()) {
            if (e.getValue().isOpen()) {
                select(e.getKey(), e.getValue());
                return true;
            }
        }
        return false;
    }

    private void select(Object key, PeerPath via) {
        path = via;
        pathKey = key;
    }

    private void startDtls() {
        dtls = new DtlsTransport(DtlsRole.SERVER, context.certificate(), remoteFingerprint, SRTP_PROFILES,
                datagram -> onLoop(datagram, this::sendRaw), alloc);
        if (answer.dataChannel() != null) {
            dtls.applicationData(data -> onLoop(data, this::onApplicationData));
        }
        // After the handshake, DTLS ending (close_notify or a fatal alert) ends the session; before it, onHandshake says why.
        dtls.closeFuture().whenComplete((v, e) -> loop.execute(() -> {
            if (srtpOut != null) {
                close("DTLS closed by the peer");
            }
        }));
    }

    /**
     * Starts the handshake when the peer's first flight (its ClientHello: we are always the DTLS
     * server) is here, not at ICE: BouncyCastle's handshake holds a thread from its start, and
     * one started at ICE would hold it a round trip before there is anything to do. A peer that
     * never sends one is closed by {@link #tick}'s handshake deadline. A node with every handshake
     * thread busy and its line full fails the handshake ("no thread for the DTLS handshake"), and
     * {@link #onHandshake} closes the session with that reason.
     */
    private void startHandshake() {
        handshakeStarted = true;
        dtls.handshake(context.handshakeExecutor(), Duration.ofMillis(context.settings().handshakeTimeoutMillis()))
                .whenComplete((result, error) -> loop.execute(() -> onHandshake(result, error)));
    }

    /**
     * Hands a buffer from the DTLS executor's thread to {@code handler} on the loop; releases it
     * instead when the loop takes no more tasks (the server is stopping), as nobody else will.
     */
    private void onLoop(ByteBuf buf, Consumer<ByteBuf> handler) {
        try {
            loop.execute(() -> handler.accept(buf));
        } catch (RejectedExecutionException e) {
            buf.release();
        }
    }

    private void sendRaw(ByteBuf datagram) {
        if (closed || path == null) {
            datagram.release();
            return;
        }
        bytesOut += datagram.readableBytes();
        path.send(datagram);
        path.flush();
    }

    private void onHandshake(DtlsResult result, Throwable error) {
        if (closed) {
            return;
        }
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            close("DTLS handshake failed: " + (cause instanceof DtlsException ? cause.getMessage() : cause.toString()));
            return;
        }
        SrtpProfile profile = SrtpProfile.byId(result.srtpProfileId());
        SrtpKeys keys = SrtpKeys.fromDtlsKeyingMaterial(profile, result.keyingMaterial(), true);
        srtpOut = keys.newSenderContext();
        srtpIn = keys.newReceiverContext();
        connectedNanos = System.nanoTime();
        if (!context.quiet()) {
            log.info("{} connected via {} ({} ms after the offer, SRTP {})", this, path,
                    (connectedNanos - createdNanos) / 1_000_000, profile);
        }
        onConnected();
    }

    /** DTLS is done and SRTP keys are set: start the media. On the loop. */
    protected abstract void onConnected();

    /** A DTLS record from the peer; takes ownership. On the loop. */
    void onDtls(ByteBuf datagram) {
        bytesIn += datagram.readableBytes();
        if (closed || dtls == null) {
            datagram.release();
            return;
        }
        dtls.receive(datagram);
        if (!handshakeStarted) {
            startHandshake();
        }
    }

    /** An SRTP or SRTCP packet from the peer, on one of its checked paths; takes ownership. On the loop. */
    void onSrtp(ByteBuf packet, Object fromKey) {
        try {
            bytesIn += packet.readableBytes();
            if (closed || srtpIn == null) {
                return;
            }
            if (RtpHeader.isRtcp(packet)) {
                srtpIn.unprotectRtcp(packet);
                follow(fromKey);
                RtcpParser.parse(packet, this);
            } else {
                srtpIn.unprotectRtp(packet);
                follow(fromKey);
                onRtp(packet.retain());
            }
        } catch (SrtpException e) {
            // A replay or a bad tag can be an attacker or a stale packet: drop it, and end only if it keeps happening.
            if (++srtpFailures == 1 || srtpFailures % 100 == 0) {
                log.warn("{}: SRTP packet dropped ({} so far): {}", this, srtpFailures, e.getMessage());
            }
            if (srtpFailures >= 1000) {
                close("too many SRTP authentication failures (" + srtpFailures + ")");
            }
        } catch (RtcpException e) {
            log.debug("{}: malformed RTCP dropped: {}", this, e.getMessage());
        } finally {
            packet.release();
        }
    }

    @Override
    public void onBye(long ssrc) {
        close("peer said goodbye (RTCP BYE)");
    }

    /** Authenticated traffic arrived on another checked path: the peer moved there (it picked a better pair). */
    private void follow(Object fromKey) {
        if (!fromKey.equals(pathKey)) {
            PeerPath via = paths.get(fromKey);
            if (via != null) {
                select(fromKey, via);
                log.info("{}: peer's media moved to {}", this, via);
            }
        }
    }

    /**
     * DTLS application data: an SCTP packet of the data channels (RFC 8261), when the answer
     * accepted them; takes ownership. On the loop.
     */
    protected void onApplicationData(ByteBuf packet) {
        packet.release();
    }

    /** Sends one SCTP packet as DTLS application data (encrypted off the loop); takes ownership. */
    protected final void sendApplicationData(ByteBuf packet) {
        if (closed || dtls == null) {
            packet.release();
            return;
        }
        dtls.send(packet);
    }

    /** A decrypted RTP packet; takes ownership. On the loop. WHEP peers only get RTCP. */
    protected void onRtp(ByteBuf packet) {
        packet.release();
    }

    /** Encrypts and sends one RTP packet built in a buffer with {@link #SRTP_TAG_ROOM} spare bytes; takes ownership. */
    protected final void sendRtp(ByteBuf packet) {
        srtpOut.protectRtp(packet);
        bytesOut += packet.readableBytes();
        path.send(packet);
    }

    /** Encrypts and sends one compound RTCP packet; takes ownership, flushes. */
    protected final void sendRtcp(ByteBuf packet) {
        if (srtpOut == null || closed) {
            packet.release();
            return;
        }
        srtpOut.protectRtcp(packet); // grows the buffer for the SRTCP trailer if it must
        bytesOut += packet.readableBytes();
        path.send(packet);
        path.flush();
    }

    protected final void flushPath() {
        if (path != null) {
            path.flush();
        }
    }

    /** Whether the path takes more now (an ICE-TCP connection over its write limit does not). */
    protected final boolean pathWritable() {
        return path == null || path.isWritable();
    }

    protected final boolean connected() {
        return srtpOut != null && !closed;
    }

    private void tick() {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        long consentTimeout = TimeUnit.MILLISECONDS.toNanos(context.settings().consentTimeoutMillis());
        long handshakeTimeout = TimeUnit.MILLISECONDS.toNanos(context.settings().handshakeTimeoutMillis());
        if (srtpOut == null && now - createdNanos > handshakeTimeout) {
            close(path == null ? "no ICE connectivity check within " + context.settings().handshakeTimeoutMillis() + " ms"
                    : "DTLS not done within " + context.settings().handshakeTimeoutMillis() + " ms");
        } else if (path != null && now - lastConsentNanos > consentTimeout) {
            close("peer silent: no STUN consent for " + context.settings().consentTimeoutMillis() + " ms");
        } else if (path != null && !path.isOpen() && !reselect()) {
            close("ICE-TCP connection closed and no other path left");
        } else if (connected()) {
            onTick(now);
        }
    }

    /** Once a second while connected: sender or receiver reports. On the loop. */
    protected abstract void onTick(long nowNanos);

    @Override
    public final void close(String reason) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> close(reason));
            return;
        }
        if (closed) {
            return;
        }
        closed = true;
        if (ticker != null) {
            ticker.cancel(false);
        }
        context.peers().remove(this, paths.keySet());
        if (dtls != null) {
            dtls.close();
        }
        onClosed(reason);
        if (!context.quiet()) {
            log.info("{} ended: {} ({} bytes in, {} out)", this, reason, bytesIn, bytesOut);
        }
    }

    protected final boolean isClosed() {
        return closed;
    }

    /** Release what the subclass holds; on the loop, once. */
    protected abstract void onClosed(String reason);
}
