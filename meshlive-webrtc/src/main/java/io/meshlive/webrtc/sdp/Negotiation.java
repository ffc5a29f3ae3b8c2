package io.meshlive.webrtc.sdp;

import io.meshlive.core.ClientText;

import io.meshlive.webrtc.rtp.AbsSendTime;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Answers an offer (JSEP, RFC 8829 §5.3) as meshlive: ICE-lite, the DTLS server, one BUNDLE
 * transport, one audio and one video codec per m-line, and (when the capabilities say so) one
 * data channel m-line in the same BUNDLE. WHEP offers are answered with {@link Role#SEND}, WHIP
 * offers with {@link Role#RECEIVE}.
 */
public final class Negotiation {
    /**
     * The header extensions our RTP stack writes or reads; others offered are left out. Not
     * transport-wide-cc: agreeing to it makes a browser sender wait for feedback we do not send,
     * and its bandwidth estimate then collapses.
     */
    static final Set<String> EXTENSIONS = Set.of(
            "urn:ietf:params:rtp-hdrext:sdes:mid",
            AbsSendTime.URI);
    private static final Set<String> PROTOCOLS = Set.of("UDP/TLS/RTP/SAVPF", "TCP/DTLS/RTP/SAVPF", "TCP/TLS/RTP/SAVPF");
    /** Payload formats that are not a codec of their own, left out when saying what an offer had. */
    private static final Set<String> HELPER_FORMATS = Set.of("rtx", "red", "ulpfec", "flexfec-03", "cn", "telephone-event");
    private static final RandomGenerator RANDOM = new SecureRandom();
    /** RFC 8866's token characters. */
    private static final Pattern MID_TOKEN = Pattern.compile("[!#$%&'*+\\-.0-9A-Z^_`a-z{|}~]+");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private Negotiation() {
    }

    /** Answers with random SSRCs and CNAME. */
    public static Answer answer(SessionDescription offer, Role role, Capabilities caps, LocalTransport local,
                                long sessionId) throws SdpException {
        return answer(offer, role, caps, local, sessionId, RANDOM);
    }

    /**
     * Answers with SSRCs and the CNAME drawn from {@code random}: first the CNAME, then for each
     * accepted m-line in order its SSRC and, when we send with RTX, its RTX SSRC.
     */
    public static Answer answer(SessionDescription offer, Role role, Capabilities caps, LocalTransport local,
                                long sessionId, RandomGenerator random) throws SdpException {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(caps, "caps");
        Objects.requireNonNull(local, "local");
        List<RtpCodec> chosen = new ArrayList<>();
        for (MediaDescription m : offer.media()) {
            chosen.add(usable(m, role) ? CodecSelector.choose(m, role, caps) : null);
        }
        if (chosen.stream().allMatch(Objects::isNull)) {
            throw new SdpException(nothingUsable(offer, role));
        }
        int data = caps.dataChannels() ? dataChannelLine(offer) : -1;
        SctpParameters sctp = data < 0 ? null : SctpParameters.of(offer.media().get(data));
        checkTransport(offer, chosen, data);

        Set<Long> peerSsrcs = new HashSet<>();
        offer.media().forEach(m -> peerSsrcs.addAll(m.ssrcs()));
        SsrcAllocator ssrcs = new SsrcAllocator(random, peerSsrcs);
        String cname = String.format("%016x", random.nextLong());
        List<AnswerWriter.Section> sections = new ArrayList<>();
        List<NegotiatedTrack> tracks = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            MediaDescription m = offer.media().get(i);
            RtpCodec codec = chosen.get(i);
            if (i == data) {
                sections.add(new AnswerWriter.Section(m, null, null, sctp));
                continue;
            }
            if (codec == null) {
                sections.add(new AnswerWriter.Section(m, null, null, null));
                continue;
            }
            RtpCodec rtx = CodecSelector.rtxFor(m, codec);
            NegotiatedTrack track = track(m, role, codec, rtx, ssrcs);
            tracks.add(track);
            sections.add(new AnswerWriter.Section(m, track, rtx, null));
        }
        return new Answer(AnswerWriter.write(sessionId, role, local, cname, sections), tracks, sctp);
    }

    /**
     * The first data channel m-line (RFC 8841: UDP/DTLS/SCTP or TCP/DTLS/SCTP, format
     * webrtc-datachannel) that is not rejected, or -1. A second one is rejected: one SCTP
     * association carries every channel.
     */
    private static int dataChannelLine(SessionDescription offer) {
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription m = offer.media().get(i);
            String protocol = m.protocol().toUpperCase(Locale.ROOT);
            if (m.kind().equals("application") && (m.port() != 0 || m.bundleOnly())
                    && (protocol.equals(SctpParameters.PROTOCOL_UDP) || protocol.equals(SctpParameters.PROTOCOL_TCP))
                    && m.formats().contains(SctpParameters.FORMAT)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether an m-line could be accepted at all, before looking at its codecs. */
    private static boolean usable(MediaDescription m, Role role) {
        boolean open = m.port() != 0 || m.bundleOnly(); // port 0 alone: the offerer rejected it itself
        boolean direction = role == Role.SEND ? m.direction().receives() : m.direction().sends();
        return open && direction && PROTOCOLS.contains(m.protocol().toUpperCase(Locale.ROOT));
    }

    private static NegotiatedTrack track(MediaDescription m, Role role, RtpCodec codec, RtpCodec rtx,
                                         SsrcAllocator ssrcs) {
        Map<String, Integer> extensions = new LinkedHashMap<>();
        m.extmaps().forEach((id, uri) -> {
            if (EXTENSIONS.contains(uri)) {
                extensions.putIfAbsent(uri, id);
            }
        });
        // RECEIVE still needs an SSRC of ours: the sender SSRC of our receiver reports and feedback.
        long localSsrc = ssrcs.next();
        long localRtxSsrc = role == Role.SEND && rtx != null ? ssrcs.next() : 0;
        Set<Long> repairSsrcs = new HashSet<>();
        m.ssrcGroups("FID").forEach(g -> {
            for (int i = 1; i < g.length; i++) {
                repairSsrcs.add(g[i]);
            }
        });
        List<Long> remote = m.ssrcs().stream().filter(s -> !repairSsrcs.contains(s)).toList();
        long remoteRtx = m.ssrcGroups("FID").stream()
                .filter(g -> g.length == 2 && !remote.isEmpty() && g[0] == remote.get(0))
                .mapToLong(g -> g[1]).findFirst().orElse(0);
        return new NegotiatedTrack(m.mid(), m.kind(), codec, rtx == null ? -1 : rtx.payloadType(), localSsrc,
                localRtxSsrc, new LinkedHashSet<>(codec.feedback()), extensions, remote, remoteRtx);
    }

    /**
     * An accepted m-line needs a mid and rtcp-mux. The session has one transport, the offerer-tagged
     * m-line's ({@link #transport}); it needs ICE credentials, a SHA-256 fingerprint and a setup that
     * leaves us the DTLS server. Other bundled m-lines may carry credentials of their own (a BUNDLE
     * offer before negotiation, as non-browser stacks send): RFC 9143 §7.3.1 has the answerer use
     * the tagged m-line's transport, so theirs are ignored.
     */
    private static void checkTransport(SessionDescription offer, List<RtpCodec> chosen, int data) throws SdpException {
        Set<String> mids = new HashSet<>();
        for (int i = 0; i < chosen.size(); i++) {
            if (chosen.get(i) == null && i != data) {
                continue;
            }
            MediaDescription m = offer.media().get(i);
            String which = "offer's m-line " + (i + 1) + " (" + m.kind() + ")";
            if (m.mid() == null) {
                throw new SdpException(which + " has no a=mid");
            }
            // The mid goes into our a=group:BUNDLE line, a list of tokens (RFC 5888 §5).
            if (!MID_TOKEN.matcher(m.mid()).matches() || !mids.add(m.mid())) {
                throw new SdpException(which + " has a mid that is not a token or is not unique: " + ClientText.quote(m.mid()));
            }
            if (i != data && !m.rtcpMux()) {
                throw new SdpException(which + " has no a=rtcp-mux; meshlive needs RTP and RTCP on one port");
            }
        }
        MediaDescription t = transport(offer);
        if (t.iceUfrag() == null || t.iceUfrag().isEmpty()) {
            throw new SdpException("offer has no a=ice-ufrag");
        }
        if (t.icePwd() == null || t.icePwd().isEmpty()) {
            throw new SdpException("offer has no a=ice-pwd");
        }
        if (t.fingerprint() == null || !t.fingerprint().algorithm().equals("sha-256")) {
            throw new SdpException("offer has no sha-256 fingerprint"
                    + (t.fingerprint() == null ? "" : " (only " + t.fingerprint().algorithm() + ")"));
        }
        checkSetup(t.setup());
    }

    /**
     * The m-line whose transport (ICE credentials, fingerprint, setup) the whole session uses: the
     * offerer-tagged one, named first in {@code a=group:BUNDLE} (RFC 9143 §7.2), or the first m-line
     * of an offer without a BUNDLE group.
     */
    public static MediaDescription transport(SessionDescription offer) {
        for (String group : offer.attributes("group")) {
            String[] tokens = WHITESPACE.split(group.trim());
            if (tokens.length > 1 && tokens[0].equals("BUNDLE")) {
                for (MediaDescription m : offer.media()) {
                    if (tokens[1].equals(m.mid())) {
                        return m;
                    }
                }
            }
        }
        return offer.media().get(0);
    }

    /** RFC 8842 §5: we answer passive, so the offer must leave the client the DTLS client role. */
    private static void checkSetup(String setup) throws SdpException {
        if (setup == null) {
            throw new SdpException("offer has no a=setup (actpass or active)");
        }
        if (!setup.equals("actpass") && !setup.equals("active")) {
            throw new SdpException("offer has a=setup:" + setup
                    + ", but meshlive is the DTLS server (setup:passive) and needs setup:actpass or setup:active");
        }
    }

    /** Names what the offer had, so a client's developer sees at once why nothing matched. */
    private static String nothingUsable(SessionDescription offer, Role role) {
        Map<String, Set<String>> offered = new LinkedHashMap<>();
        List<String> unusable = new ArrayList<>();
        for (MediaDescription m : offer.media()) {
            if (!m.kind().equals("audio") && !m.kind().equals("video")) {
                continue;
            }
            if (usable(m, role)) {
                Set<String> names = offered.computeIfAbsent(m.kind(), k -> new LinkedHashSet<>());
                m.codecs().stream().map(RtpCodec::name)
                        .filter(n -> !HELPER_FORMATS.contains(n.toLowerCase(Locale.ROOT)))
                        .forEach(names::add);
            } else {
                unusable.add(m.kind() + (m.mid() == null ? "" : " (mid " + m.mid() + ")") + " is "
                        + (m.port() == 0 && !m.bundleOnly() ? "rejected by the offer"
                        : m.direction().sdpName() + " " + m.protocol()));
            }
        }
        List<String> parts = new ArrayList<>();
        if (!offered.isEmpty()) {
            List<String> kinds = new ArrayList<>();
            offered.forEach((kind, names) -> kinds.add(kind + ": " + (names.isEmpty() ? "none" : String.join(", ", names))));
            parts.add("offered " + String.join("; ", kinds));
        }
        if (!unusable.isEmpty()) {
            parts.add("unusable m-lines: " + String.join(", ", unusable));
        }
        String verb = role == Role.SEND ? "send" : "receive";
        return "offer has no codec we can " + verb + (parts.isEmpty() ? "" : ": " + String.join("; ", parts));
    }
}
