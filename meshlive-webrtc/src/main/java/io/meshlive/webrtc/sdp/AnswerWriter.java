package io.meshlive.webrtc.sdp;

import java.util.List;
import java.util.Map;

/** Writes the text of an answer (JSEP §5.3) from what {@link Negotiation} decided. */
final class AnswerWriter {
    /** The msid stream id of everything we send: one session carries one stream. */
    static final String STREAM_ID = "meshlive";

    private final StringBuilder sdp = new StringBuilder();

    /** An m-line of the answer: accepted with its track or as data channels (sctp), or rejected (neither). */
    record Section(MediaDescription offered, NegotiatedTrack track, RtpCodec rtx, SctpParameters sctp) {
        String acceptedMid() {
            return track != null ? track.mid() : sctp != null ? sctp.mid() : null;
        }
    }

    static String write(long sessionId, Role role, LocalTransport local, String cname, List<Section> sections) {
        AnswerWriter w = new AnswerWriter();
        w.line("v=0");
        w.line("o=- " + Long.toUnsignedString(sessionId) + " 2 IN IP4 127.0.0.1");
        w.line("s=-");
        w.line("t=0 0");
        w.line("a=ice-lite");
        StringBuilder bundle = new StringBuilder("a=group:BUNDLE");
        sections.stream().filter(s -> s.acceptedMid() != null).forEach(s -> bundle.append(' ').append(s.acceptedMid()));
        w.line(bundle.toString());
        for (Section s : sections) {
            if (s.sctp() != null) {
                w.dataChannels(s.sctp(), s.offered(), local);
            } else if (s.track() == null) {
                w.rejected(s.offered());
            } else {
                w.accepted(s, role, local, cname);
            }
        }
        return w.sdp.toString();
    }

    /** JSEP §5.3.1: a rejected m-line keeps its place with port 0 and the offered formats. */
    private void rejected(MediaDescription m) {
        line("m=" + m.kind() + " 0 " + m.protocol() + " " + String.join(" ", m.formats()));
        line("c=IN IP4 0.0.0.0");
        if (m.mid() != null) {
            line("a=mid:" + m.mid());
        }
    }

    private void accepted(Section s, Role role, LocalTransport local, String cname) {
        NegotiatedTrack t = s.track();
        RtpCodec codec = t.codec();
        line("m=" + t.kind() + " 9 " + s.offered().protocol() + " " + codec.payloadType()
                + (s.rtx() == null ? "" : " " + s.rtx().payloadType()));
        transport(t.mid(), local);
        line("a=" + (role == Role.SEND ? Direction.SENDONLY : Direction.RECVONLY).sdpName());
        line("a=rtcp-mux");
        if (s.offered().attribute("rtcp-rsize") != null) {
            line("a=rtcp-rsize");
        }
        line("a=rtpmap:" + codec.payloadType() + " " + codec.rtpmapValue());
        codec.feedback().forEach(fb -> line("a=rtcp-fb:" + codec.payloadType() + " " + fb));
        if (!codec.fmtp().isEmpty()) {
            line("a=fmtp:" + codec.payloadType() + " " + codec.fmtpLine());
        }
        if (s.rtx() != null) {
            line("a=rtpmap:" + s.rtx().payloadType() + " " + s.rtx().rtpmapValue());
            line("a=fmtp:" + s.rtx().payloadType() + " apt=" + codec.payloadType());
        }
        for (Map.Entry<Integer, String> ext : s.offered().extmaps().entrySet()) {
            if (t.extensionIds().containsKey(ext.getValue())) {
                line("a=extmap:" + ext.getKey() + " " + ext.getValue());
            }
        }
        if (role == Role.SEND) {
            sources(t, cname);
        }
        candidates(local);
    }

    /** RFC 8841 §5: the data channel m-line, our SCTP port and the largest message we take. */
    private void dataChannels(SctpParameters sctp, MediaDescription offered, LocalTransport local) {
        line("m=application 9 " + offered.protocol() + " " + SctpParameters.FORMAT);
        transport(sctp.mid(), local);
        line("a=sctp-port:" + SctpParameters.LOCAL_PORT);
        line("a=max-message-size:" + SctpParameters.LOCAL_MAX_MESSAGE_SIZE);
        candidates(local);
    }

    private void transport(String mid, LocalTransport local) {
        line("c=IN IP4 0.0.0.0");
        line("a=mid:" + mid);
        line("a=ice-ufrag:" + local.iceUfrag());
        line("a=ice-pwd:" + local.icePwd());
        line("a=fingerprint:" + local.fingerprint().toSdpValue());
        line("a=setup:passive"); // we are the DTLS server
    }

    private void candidates(LocalTransport local) {
        local.candidates().forEach(c -> line("a=candidate:" + c.toSdpValue()));
        line("a=end-of-candidates");
    }

    /** RFC 8830 msid and RFC 5576 source attributes, so the browser knows our SSRCs before the first packet. */
    private void sources(NegotiatedTrack t, String cname) {
        String msid = STREAM_ID + " " + t.kind() + "-" + t.mid();
        line("a=msid:" + msid);
        if (t.localRtxSsrc() != 0) {
            line("a=ssrc-group:FID " + t.localSsrc() + " " + t.localRtxSsrc());
        }
        for (long ssrc : t.localRtxSsrc() != 0 ? new long[] {t.localSsrc(), t.localRtxSsrc()} : new long[] {t.localSsrc()}) {
            line("a=ssrc:" + ssrc + " cname:" + cname);
            line("a=ssrc:" + ssrc + " msid:" + msid);
        }
    }

    private void line(String line) {
        sdp.append(line).append("\r\n");
    }
}
