package io.meshlive.bench.play;

import io.meshlive.webrtc.sdp.Fingerprint;
import io.meshlive.webrtc.sdp.MediaDescription;
import io.meshlive.webrtc.sdp.RtpCodec;
import io.meshlive.webrtc.sdp.SdpException;
import io.meshlive.webrtc.sdp.SessionDescription;

import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.Locale;

/**
 * What a WHEP player needs from the server's SDP answer: the server's ICE credentials and
 * certificate fingerprint, the UDP candidate to send to, and which payload types are video.
 *
 * @param videoPayloadTypes the payload types of the answer's video m-line; every other RTP packet is audio
 */
record WhepAnswer(String iceUfrag, String icePassword, byte[] fingerprintSha256, InetSocketAddress udp,
                  BitSet videoPayloadTypes) {
    private static final String LOOPBACK = "127.0.0.1";

    /**
     * @param preferredHost the WHEP URL's host: its UDP candidate wins, then 127.0.0.1, then the first
     * @throws SdpException when the answer does not parse or lacks what playing needs
     */
    static WhepAnswer parse(String sdp, String preferredHost) throws SdpException {
        SessionDescription answer = SessionDescription.parse(sdp);
        if (answer.media().isEmpty()) {
            throw new SdpException("the answer has no m-line");
        }
        MediaDescription first = answer.media().get(0);
        Fingerprint fingerprint = first.fingerprint();
        if (first.iceUfrag() == null || first.icePwd() == null || fingerprint == null
                || !fingerprint.algorithm().equalsIgnoreCase("sha-256")) {
            throw new SdpException("the answer lacks ICE credentials or a sha-256 fingerprint");
        }
        if (!"passive".equals(first.setup())) {
            throw new SdpException("the answer has a=setup:" + first.setup() + ", not passive: the bench is only a DTLS client");
        }
        BitSet video = new BitSet(128);
        InetSocketAddress udp = null;
        int udpRank = Integer.MAX_VALUE;
        for (MediaDescription m : answer.media()) {
            if (m.kind().equals("video")) {
                for (RtpCodec c : m.codecs()) {
                    video.set(c.payloadType());
                }
            }
            for (String candidate : m.attributes("candidate")) {
                // foundation component transport priority address port "typ" type ...
                String[] f = candidate.trim().split("\\s+");
                if (f.length < 6 || !f[2].toLowerCase(Locale.ROOT).equals("udp")) {
                    continue;
                }
                int rank = f[4].equals(preferredHost) ? 0 : f[4].equals(LOOPBACK) ? 1 : 2;
                if (rank < udpRank) {
                    udpRank = rank;
                    udp = new InetSocketAddress(f[4], Integer.parseInt(f[5]));
                }
            }
        }
        if (udp == null) {
            throw new SdpException("the answer has no UDP candidate");
        }
        if (video.isEmpty()) {
            throw new SdpException("the answer has no video");
        }
        return new WhepAnswer(first.iceUfrag(), first.icePwd(), fingerprint.value(), udp, video);
    }
}
