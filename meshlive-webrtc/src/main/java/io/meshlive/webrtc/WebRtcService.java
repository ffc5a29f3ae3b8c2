package io.meshlive.webrtc;

import io.meshlive.core.AudioTranscoding;
import io.meshlive.core.Hub;
import io.meshlive.core.PublishOutcome;
import io.meshlive.core.StreamKey;
import io.meshlive.core.StreamStats;
import io.meshlive.core.Stream;
import io.meshlive.core.Transport;
import io.meshlive.media.Codec;
import io.meshlive.webrtc.dtls.DtlsCertificate;
import io.meshlive.webrtc.dtls.DtlsHandshakes;
import io.meshlive.webrtc.sdp.Answer;
import io.meshlive.webrtc.sdp.Capabilities;
import io.meshlive.webrtc.sdp.Fingerprint;
import io.meshlive.webrtc.sdp.IceCandidate;
import io.meshlive.webrtc.sdp.LocalTransport;
import io.meshlive.webrtc.sdp.MediaDescription;
import io.meshlive.webrtc.sdp.Negotiation;
import io.meshlive.webrtc.sdp.Role;
import io.meshlive.webrtc.sdp.SdpException;
import io.meshlive.webrtc.sdp.SessionDescription;
import io.meshlive.webrtc.sdp.StreamVideo;
import io.meshlive.webrtc.stun.IceCredentials;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.flush.FlushConsolidationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WebRTC on this node: one UDP port for every peer (ICE-lite), ICE-TCP on the same port number,
 * and the WHEP/WHIP offer handling that creates peers.
 *
 * <p>With epoll, every event loop binds its own socket to the port (SO_REUSEPORT), and each peer
 * sends from its own loop's socket; the kernel spreads inbound packets over the sockets and
 * {@link PacketDemux} hands a packet that reached another loop over to its peer's loop.
 */
public final class WebRtcService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebRtcService.class);
    private static final int SOCKET_BUFFER = 4 << 20;
    /** Handshakes of a surge waiting for a thread ({@code webrtc.maxHandshakes} run at once); past this one is refused. */
    private static final int MAX_WAITING_HANDSHAKES = 2048;
    /**
     * Handshakes computing at once, per core ({@link DtlsHandshakes}). Measured on one core, 1,000
     * joins at 200/s: as a cap on threads, 16 connected 896 to 1,000 viewers, 32 and 64 813 to
     * 1,000, 256 400 to 1,000; as turns among 256 threads, 821 to 1,000, and with 100 ms round
     * trips (at 100/s) 1,000 of 1,000 where 16 threads connected 326 and 771.
     */
    private static final int HANDSHAKES_COMPUTING_PER_CORE = 16;
    private static final int UNBOUNDED_QUEUE = Integer.MAX_VALUE;
    private static final int PORT_ATTEMPTS = 5;
    private static final int ICE_TCP_HIGH_WATER = 1 << 20;
    private static final int ICE_TCP_LOW_WATER = ICE_TCP_HIGH_WATER / 2;
    /** What a viewer is offered before the stream's own video is known: H.264 of any profile. */
    private static final StreamVideo ANY_H264 = new StreamVideo(Codec.H264, 0, 0, 0);

    private final Hub hub;
    private final WebRtcSettings settings;
    private final DtlsCertificate certificate;
    private final Fingerprint fingerprint;
    private final DtlsHandshakes handshakes;
    private final PeerTable peers = new PeerTable();
    private final PeerContext context;
    private final PacketDemux demux;
    private final WebRtcHttp http;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final List<Channel> channels = new ArrayList<>();
    private DatagramChannel[] udpByLoop;
    private List<IceCandidate> candidates;
    private volatile WarmUpViewers warmUp;

    /**
     * @param ladder the renditions WHEP viewers may move between ({@link RenditionLadder#NONE}: none)
     * @param audio  Opus for WHEP viewers of AAC streams, AAC for WHIP publishers' RTMP/FLV/HLS viewers
     */
    public WebRtcService(Hub hub, WebRtcSettings settings, RenditionLadder ladder, AudioTranscoding audio) {
        this(hub, settings, ladder, audio, false);
    }

    /** @param quiet the node's warm-up ({@link WarmUpViewers}): no log line for the service or its peers */
    WebRtcService(Hub hub, WebRtcSettings settings, RenditionLadder ladder, AudioTranscoding audio, boolean quiet) {
        this.hub = hub;
        this.settings = settings;
        this.certificate = DtlsCertificate.generate();
        try {
            this.fingerprint = Fingerprint.parse(certificate.fingerprintSdp());
        } catch (SdpException e) {
            throw new IllegalStateException("our own certificate fingerprint does not parse", e);
        }
        this.handshakes = new DtlsHandshakes(quiet ? "webrtc-warm-up" : "webrtc", settings.maxHandshakes(), MAX_WAITING_HANDSHAKES,
                Math.min(settings.maxHandshakes(), HANDSHAKES_COMPUTING_PER_CORE * Runtime.getRuntime().availableProcessors()));
        byte[] sctpCookieSecret = new byte[32]; // signs every WHEP viewer's SCTP state cookies (RFC 9260 §5.1.3)
        new SecureRandom().nextBytes(sctpCookieSecret);
        this.context = new PeerContext(hub, settings, certificate, handshakes, peers, ladder, sctpCookieSecret, audio, quiet);
        this.demux = new PacketDemux(this, quiet);
        this.http = new WebRtcHttp(hub, this);
    }

    /** The WHEP and WHIP resources, for the HTTP router. */
    public WebRtcHttp http() {
        return http;
    }

    /** Binds the UDP port on every event loop (or one socket without epoll) and the ICE-TCP listener. */
    public void start(String bindHost) throws InterruptedException {
        // Port 0 lets the OS pick a free UDP port, but the same number may be taken for TCP: pick again.
        for (int attempt = 1; ; attempt++) {
            try {
                bind(bindHost);
                break;
            } catch (InterruptedException e) {
                closeChannels();
                throw e;
            } catch (Exception e) { // Netty's sync() rethrows the bind's IOException unchecked: catch it too
                closeChannels();
                if (settings.port() != 0 || attempt == PORT_ATTEMPTS) {
                    throw new IllegalStateException("cannot listen on " + bindHost + ":" + settings.port()
                            + " for WebRTC (UDP" + (settings.iceTcp() ? " and TCP" : "") + "): " + e.getMessage()
                            + " (is another server using the port? change webrtc.port or --webrtc-port)", e);
                }
            }
        }
        candidates = candidatesFor(bindHost);
        if (context.quiet()) {
            return;
        }
        log.info("WebRTC on {} port {} ({} UDP socket(s){}), candidates {}", bindHost, port(),
                channels.size() - (settings.iceTcp() ? 1 : 0), settings.iceTcp() ? ", ICE-TCP" : "",
                candidates.stream().map(IceCandidate::toSdpValue).toList());
        warmUp();
    }

    private void bind(String bindHost) throws InterruptedException {
        int loops = hub.workers().size();
        ChannelOption<Boolean> reusePort = Transport.reusePort();
        udpByLoop = new DatagramChannel[loops];
        ChannelHandler udp = demux.udpHandler();
        int port = settings.port();
        for (int i = 0; i < (reusePort != null ? loops : 1); i++) {
            Bootstrap b = new Bootstrap()
                    .group(hub.workers().loop(i))
                    .channel(Transport.datagramChannel())
                    .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                    .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                    // Every viewer on the loop queues its packets here before one flush; UDP never
                    // pushes back, so writability would only cost a CAS per packet past the mark.
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(UNBOUNDED_QUEUE, UNBOUNDED_QUEUE))
                    .handler(new ChannelInitializer<DatagramChannel>() {
                        @Override
                        protected void initChannel(DatagramChannel ch) {
                            // Media already leaves in one sendmmsg per fan-out pass; what each viewer sends
                            // alone (its RTCP reports, STUN answers, NACKed resends) flushes by itself, one
                            // syscall each. Held until the loop's current work ends (or 256 flushes), those
                            // go together too: 1,000 WHEP viewers, sends 1,611/s before, about 300 after.
                            ch.pipeline().addLast(new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true), udp);
                        }
                    });
            if (reusePort != null) {
                b.option(reusePort, true);
            }
            DatagramChannel ch = (DatagramChannel) b.bind(bindHost, port).sync().channel();
            channels.add(ch);
            udpByLoop[i] = ch;
            // Port 0 picks a free port once; the other loops' sockets must share that one.
            port = ((InetSocketAddress) ch.localAddress()).getPort();
        }
        for (int i = 0; i < loops; i++) {
            if (udpByLoop[i] == null) {
                udpByLoop[i] = udpByLoop[0];
            }
        }
        if (settings.iceTcp()) {
            channels.add(new ServerBootstrap()
                    .group(hub.workers().group())
                    .channel(Transport.serverChannel())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    // An ICE-TCP viewer's write limit: room for a keyframe or two; past it, media skips to the next keyframe.
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(ICE_TCP_LOW_WATER, ICE_TCP_HIGH_WATER))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            // RFC 4571: each STUN, DTLS or SRTP packet behind a 16-bit length.
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(0xFFFF + 2, 0, 2, 0, 2),
                                    new LengthFieldPrepender(2), demux.tcpHandler());
                        }
                    })
                    .bind(bindHost, port).sync().channel());
        }
    }

    private void closeChannels() {
        for (Channel ch : channels) {
            ch.close().syncUninterruptibly();
        }
        channels.clear();
    }

    /**
     * WHEP viewers of a stream of our own, in the background, through our own sockets
     * ({@code webrtc.warmUpJoins}; see {@link WarmUpViewers}): a join surge would otherwise also pay
     * for compiling a join's and a viewer's code on the very core its handshakes need.
     */
    private void warmUp() {
        long started = System.nanoTime();
        warmUp = new WarmUpViewers(hub.workers(), hub.settings(), settings, context.audio(), settings.warmUpJoins());
        if (settings.warmUpJoins() > 0) {
            log.info("WebRTC warm-up: playing a stream of our own to {} viewers over loopback UDP; GET /api/v1/ready answers 200 once done",
                    settings.warmUpJoins());
        }
        warmUp.done().whenComplete((done, e) -> {
            if (e instanceof CancellationException) {
                log.info("WebRTC warm-up stopped after {} of {} viewers: the node is closing", warmUp.played(), warmUp.viewers());
            } else if (e != null) {
                log.warn("WebRTC warm-up failed after {} of {} viewers (the node is ready without it): {}", warmUp.played(),
                        warmUp.viewers(), e.toString());
            } else if (done > 0) {
                log.info("WebRTC warm-up: {} viewers played to themselves in {} ms", done, (System.nanoTime() - started) / 1_000_000);
            }
        });
    }

    /** Completes with the number of warm-up viewers that played, or exceptionally with the first failure. */
    CompletableFuture<Integer> warmedUp() {
        return warmUp.done();
    }

    /**
     * How far the start's warm-up is (see {@link WarmUpViewers}).
     *
     * @param played  viewers that have played
     * @param viewers viewers it plays ({@code webrtc.warmUpJoins})
     * @param over    whether it is over, done or failed (a failed warm-up leaves the node as ready as it can be)
     */
    public record WarmUpState(int played, int viewers, boolean over) {
    }

    public WarmUpState warmUpState() {
        WarmUpViewers w = warmUp;
        return w == null ? new WarmUpState(0, settings.warmUpJoins(), false) : new WarmUpState(w.played(), w.viewers(), w.done().isDone());
    }

    /** Where this node's DTLS handshakes are: on a thread, waiting for one, or waiting for a turn (for metrics). */
    public DtlsHandshakeCounts handshakeCounts() {
        return new DtlsHandshakeCounts(handshakes.inProgress(), handshakes.waiting(), handshakes.waitingForTurn());
    }

    /**
     * @param onThread        handshakes holding a thread (computing, waiting for the viewer, or for a turn)
     * @param waitingForThread handshakes in line for a thread
     * @param waitingForTurn  handshakes on a thread whose next step waits for a turn to compute
     */
    public record DtlsHandshakeCounts(int onThread, int waitingForThread, int waitingForTurn) {
    }

    /** The port actually bound (tests ask for port 0). */
    public int port() {
        return ((InetSocketAddress) channels.get(0).localAddress()).getPort();
    }

    private List<IceCandidate> candidatesFor(String bindHost) {
        List<String> addresses = new ArrayList<>(settings.candidates());
        if (addresses.isEmpty()) {
            addresses.addAll(localAddresses(bindHost));
        }
        int port = port();
        List<IceCandidate> list = new ArrayList<>();
        int pref = 65535;
        for (String address : addresses) {
            list.add(new IceCandidate(String.valueOf(list.size() + 1), 1, "udp",
                    IceCredentials.candidatePriority(126, pref, 1), address, port, "host", null));
            if (settings.iceTcp()) {
                // Lower than every UDP candidate: TCP is for peers whose UDP is blocked.
                list.add(new IceCandidate(String.valueOf(list.size() + 1), 1, "tcp",
                        IceCredentials.candidatePriority(90, pref, 1), address, port, "host", "passive"));
            }
            pref -= 1;
        }
        return Collections.unmodifiableList(list);
    }

    private static List<String> localAddresses(String bindHost) {
        if (!bindHost.equals("0.0.0.0") && !bindHost.equals("::")) {
            return List.of(bindHost);
        }
        List<String> out = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                        out.add(a.getHostAddress());
                    }
                }
            }
        } catch (SocketException e) {
            log.warn("cannot list network interfaces ({}); set webrtc.candidates", e.getMessage());
        }
        if (out.isEmpty()) {
            out.add("127.0.0.1");
        }
        // Loopback last: a browser on another machine tries the real addresses first.
        out.sort((x, y) -> Boolean.compare(x.startsWith("127."), y.startsWith("127.")));
        return out;
    }

    /**
     * The answer to an offer: the SDP and the session's resource id, the last segment of its
     * resource URL. The id is 128 random bits: knowing the URL is the capability to end the
     * session (WHIP/WHEP), so it must not be guessable from other sessions' ids.
     */
    public record Offered(String resourceId, String answerSdp) {
    }

    /** Thrown when an offer cannot be served: says why, with the HTTP status to answer. */
    public static final class Refused extends Exception {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** A WHEP offer for {@code key}: negotiates, creates the viewer, returns the answer. */
    public Offered whep(StreamKey key, String offerSdp, String remoteAddress) throws Refused {
        Stream live = hub.streams().get(key);
        StreamVideo video = ANY_H264;
        if (live != null && live.stats().videoCodec() != null) {
            StreamStats s = live.stats();
            video = new StreamVideo(s.videoCodec(), s.videoProfile(), s.videoConstraints(), s.videoLevel());
        }
        Negotiated n = negotiate(parse(offerSdp), Role.SEND, new Capabilities(video, true, true));
        WhepPeer peer = new WhepPeer(context, nextLoop(), key, remoteAddress, n.answer, n.ufrag, n.password,
                n.remoteUfrag, n.remoteFingerprint);
        return new Offered(admit(peer), n.answer.sdp());
    }

    /** A WHIP offer for {@code key}: negotiates, claims the stream, returns the answer. */
    public Offered whip(StreamKey key, String offerSdp, String remoteAddress) throws Refused {
        SessionDescription offer = parse(offerSdp);
        Negotiated n = negotiate(offer, Role.RECEIVE, new Capabilities(new StreamVideo(Codec.H264, 0x42, 0xe0, 0x1f), true));
        WhipPeer peer = new WhipPeer(context, nextLoop(), key, remoteAddress, n.answer, n.ufrag, n.password,
                n.remoteUfrag, n.remoteFingerprint);
        PublishOutcome outcome = peer.claim();
        if (outcome == PublishOutcome.BUSY) {
            throw new Refused(409, "stream " + key + " already has a publisher");
        }
        return new Offered(admit(peer), n.answer.sdp());
    }

    /** Starts the peer; returns its resource id. */
    private String admit(WebRtcPeer peer) {
        String resourceId = peers.add(peer);
        hub.sessions().add(peer);
        peer.loop().execute(peer::start);
        if (!context.quiet()) {
            log.info("{} offered", peer);
        }
        return resourceId;
    }

    /** Ends a session by the resource id in its URL (WHEP/WHIP DELETE); false when there is none. */
    public boolean end(String resourceId, String reason) {
        WebRtcPeer peer = peers.byResource(resourceId);
        if (peer == null) {
            return false;
        }
        peer.close(reason);
        return true;
    }

    private static SessionDescription parse(String sdp) throws Refused {
        try {
            return SessionDescription.parse(sdp);
        } catch (SdpException e) {
            throw new Refused(400, "malformed SDP offer: " + e.getMessage());
        }
    }

    private record Negotiated(Answer answer, String ufrag, String password, String remoteUfrag, byte[] remoteFingerprint) {
    }

    private Negotiated negotiate(SessionDescription offer, Role role, Capabilities caps) throws Refused {
        String ufrag = IceCredentials.newUfrag();
        String password = IceCredentials.newPassword();
        try {
            Answer answer = Negotiation.answer(offer, role, caps, new LocalTransport(ufrag, password, fingerprint, candidates),
                    ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
            MediaDescription transport = Negotiation.transport(offer);
            return new Negotiated(answer, ufrag, password, transport.iceUfrag(), transport.fingerprint().value());
        } catch (SdpException e) {
            throw new Refused(e.getMessage().contains("no codec") ? 406 : 400, e.getMessage());
        }
    }

    private EventLoop nextLoop() {
        return hub.workers().loop(Math.floorMod(nextLoop.getAndIncrement(), hub.workers().size()));
    }

    PeerTable peers() {
        return peers;
    }

    DatagramChannel udpChannelFor(EventLoop loop) {
        int i = hub.workers().indexOf(loop);
        return udpByLoop[Math.max(i, 0)];
    }

    @Override
    public void close() {
        if (warmUp != null) {
            warmUp.close();
        }
        for (WebRtcPeer p : new ArrayList<>(peers.all())) {
            p.close("server shutting down");
        }
        closeChannels();
        handshakes.close();
    }
}
