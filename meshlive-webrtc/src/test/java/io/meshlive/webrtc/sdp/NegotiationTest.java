package io.meshlive.webrtc.sdp;

import io.meshlive.media.Codec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.meshlive.webrtc.sdp.SdpFixtures.HIGH_AND_OPUS;
import static io.meshlive.webrtc.sdp.SdpFixtures.LOCAL;
import static io.meshlive.webrtc.sdp.SdpFixtures.RECEIVE_H264_AND_OPUS;
import static io.meshlive.webrtc.sdp.SdpFixtures.offer;
import static io.meshlive.webrtc.sdp.SdpFixtures.sequence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NegotiationTest {
    private static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    private static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    private static final Set<String> ALL_FEEDBACK = Set.of("nack", "nack pli", "ccm fir", "goog-remb");

    /** A small WHEP offer in Chromium's shape: audio, video with three H.264 profiles, a data channel. */
    private static final String SMALL_WHEP_OFFER = """
            v=0
            o=- 1 2 IN IP4 127.0.0.1
            s=-
            t=0 0
            a=group:BUNDLE 0 1 2
            m=audio 9 UDP/TLS/RTP/SAVPF 111 0
            c=IN IP4 0.0.0.0
            a=ice-ufrag:abcd
            a=ice-pwd:abcdefghijklmnopqrstuvwx
            a=fingerprint:sha-256 AA:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F
            a=setup:actpass
            a=mid:0
            a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
            a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
            a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
            a=recvonly
            a=rtcp-mux
            a=rtcp-rsize
            a=rtpmap:111 opus/48000/2
            a=rtcp-fb:111 transport-cc
            a=fmtp:111 minptime=10;useinbandfec=1
            a=rtpmap:0 PCMU/8000
            m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 108 109 127 125
            c=IN IP4 0.0.0.0
            a=ice-ufrag:abcd
            a=ice-pwd:abcdefghijklmnopqrstuvwx
            a=fingerprint:sha-256 AA:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F
            a=setup:actpass
            a=mid:1
            a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
            a=extmap:13 urn:3gpp:video-orientation
            a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
            a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
            a=recvonly
            a=rtcp-mux
            a=rtcp-rsize
            a=rtpmap:96 VP8/90000
            a=rtpmap:97 rtx/90000
            a=fmtp:97 apt=96
            a=rtpmap:102 H264/90000
            a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
            a=rtpmap:103 rtx/90000
            a=fmtp:103 apt=102
            a=rtpmap:108 H264/90000
            a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
            a=rtpmap:109 rtx/90000
            a=fmtp:109 apt=108
            a=rtpmap:127 H264/90000
            a=rtcp-fb:127 goog-remb
            a=rtcp-fb:127 transport-cc
            a=rtcp-fb:127 ccm fir
            a=rtcp-fb:127 nack
            a=rtcp-fb:127 nack pli
            a=fmtp:127 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=640c1f
            a=rtpmap:125 rtx/90000
            a=fmtp:125 apt=127
            a=rtcp-fb:* ccm tmmbr
            m=application 9 UDP/DTLS/SCTP webrtc-datachannel
            c=IN IP4 0.0.0.0
            a=mid:2
            a=sctp-port:5000
            """;

    /**
     * The answer written out by hand from RFC 8829 §5.3 and RFC 6184 §8.2.2: a High 4.0 stream
     * finds no High in the offer, so it takes Constrained High (same profile_idc) at its own level
     * (640c28); only the feedback and extensions we implement stay; the data channel is rejected.
     */
    private static final String SMALL_WHEP_ANSWER = """
            v=0
            o=- 4242 2 IN IP4 127.0.0.1
            s=-
            t=0 0
            a=ice-lite
            a=group:BUNDLE 0 1
            m=audio 9 UDP/TLS/RTP/SAVPF 111
            c=IN IP4 0.0.0.0
            a=mid:0
            a=ice-ufrag:meshlive
            a=ice-pwd:0123456789abcdefghijkl
            a=fingerprint:sha-256 00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F
            a=setup:passive
            a=sendonly
            a=rtcp-mux
            a=rtcp-rsize
            a=rtpmap:111 opus/48000/2
            a=fmtp:111 minptime=10;useinbandfec=1
            a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
            a=msid:meshlive audio-0
            a=ssrc:286331153 cname:0123456789abcdef
            a=ssrc:286331153 msid:meshlive audio-0
            a=candidate:1 1 udp 2130706431 192.0.2.1 8000 typ host
            a=candidate:2 1 tcp 1518280447 192.0.2.1 8000 typ host tcptype passive
            a=end-of-candidates
            m=video 9 UDP/TLS/RTP/SAVPF 127 125
            c=IN IP4 0.0.0.0
            a=mid:1
            a=ice-ufrag:meshlive
            a=ice-pwd:0123456789abcdefghijkl
            a=fingerprint:sha-256 00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F
            a=setup:passive
            a=sendonly
            a=rtcp-mux
            a=rtcp-rsize
            a=rtpmap:127 H264/90000
            a=rtcp-fb:127 goog-remb
            a=rtcp-fb:127 ccm fir
            a=rtcp-fb:127 nack
            a=rtcp-fb:127 nack pli
            a=fmtp:127 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=640c28
            a=rtpmap:125 rtx/90000
            a=fmtp:125 apt=127
            a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
            a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
            a=msid:meshlive video-1
            a=ssrc-group:FID 572662306 858993459
            a=ssrc:572662306 cname:0123456789abcdef
            a=ssrc:572662306 msid:meshlive video-1
            a=ssrc:858993459 cname:0123456789abcdef
            a=ssrc:858993459 msid:meshlive video-1
            a=candidate:1 1 udp 2130706431 192.0.2.1 8000 typ host
            a=candidate:2 1 tcp 1518280447 192.0.2.1 8000 typ host tcptype passive
            a=end-of-candidates
            m=application 0 UDP/DTLS/SCTP webrtc-datachannel
            c=IN IP4 0.0.0.0
            a=mid:2
            """.replace("\n", "\r\n");

    @Test
    void answerTextForAFixedOffer() throws SdpException {
        Answer answer = Negotiation.answer(SessionDescription.parse(SMALL_WHEP_OFFER), Role.SEND, HIGH_AND_OPUS, LOCAL,
                4242, sequence(0x0123456789abcdefL, 0x11111111L, 0x22222222L, 0x33333333L));
        assertThat(answer.sdp()).isEqualTo(SMALL_WHEP_ANSWER);
        assertThat(answer.tracks()).containsExactly(
                new NegotiatedTrack("0", "audio", new RtpCodec(111, "opus", 48000, 2,
                        Map.of("minptime", "10", "useinbandfec", "1"), List.of()), -1, 0x11111111L, 0,
                        Set.of(), Map.of(MID, 4), List.of(), 0),
                new NegotiatedTrack("1", "video", new RtpCodec(127, "H264", 90000, 0,
                        Map.of("level-asymmetry-allowed", "1", "packetization-mode", "1", "profile-level-id", "640c28"),
                        List.of("goog-remb", "ccm fir", "nack", "nack pli")), 125, 0x22222222L, 0x33333333L,
                        ALL_FEEDBACK, Map.of(ABS_SEND_TIME, 2, MID, 4), List.of(), 0));
    }

    @Test
    void answerParsesBackToWhatWasNegotiated() throws SdpException {
        Answer answer = Negotiation.answer(offer(SdpFixtures.CHROMIUM_WHEP), Role.SEND, HIGH_AND_OPUS, LOCAL, 7);
        SessionDescription sdp = SessionDescription.parse(answer.sdp());
        assertThat(sdp.attribute("ice-lite")).isEmpty();
        assertThat(sdp.attribute("group")).isEqualTo("BUNDLE 0 1");
        assertThat(sdp.toString()).isEqualTo(answer.sdp());
        for (int i = 0; i < 2; i++) {
            MediaDescription m = sdp.media().get(i);
            NegotiatedTrack t = answer.tracks().get(i);
            assertThat(m.mid()).isEqualTo(t.mid());
            assertThat(m.direction()).isEqualTo(Direction.SENDONLY);
            assertThat(m.setup()).isEqualTo("passive");
            assertThat(m.fingerprint()).isEqualTo(LOCAL.fingerprint());
            assertThat(m.iceUfrag()).isEqualTo("meshlive");
            assertThat(m.rtcpMux()).isTrue();
            assertThat(m.codecs().get(0)).isEqualTo(t.codec());
            assertThat(m.attributes("candidate")).containsExactly(
                    "1 1 udp 2130706431 192.0.2.1 8000 typ host", "2 1 tcp 1518280447 192.0.2.1 8000 typ host tcptype passive");
            List<Long> ours = t.localRtxSsrc() == 0 ? List.of(t.localSsrc()) : List.of(t.localSsrc(), t.localRtxSsrc());
            assertThat(m.ssrcs()).isEqualTo(ours);
            assertThat(ours).doesNotContain(0L);
        }
        assertThat(sdp.media().get(1).ssrcGroups("FID")).singleElement()
                .satisfies(g -> assertThat(g).containsExactly(answer.tracks().get(1).localSsrc(), answer.tracks().get(1).localRtxSsrc()));
    }

    /** Chromium offers 42001f, 42e01f and 4d001f (and f4001f) with mode 1; a High stream has no High, nor profile_idc 100. */
    @Test
    void chromiumWhep() throws SdpException {
        Answer answer = Negotiation.answer(offer(SdpFixtures.CHROMIUM_WHEP), Role.SEND, HIGH_AND_OPUS, LOCAL, 7);
        NegotiatedTrack audio = answer.tracks().get(0);
        NegotiatedTrack video = answer.tracks().get(1);
        assertThat(audio.codec().payloadType()).isEqualTo(111);
        assertThat(audio.rtxPayloadType()).isEqualTo(-1);
        assertThat(audio.localRtxSsrc()).isZero();
        assertThat(audio.extensionIds()).containsOnlyKeys(MID, ABS_SEND_TIME);
        assertThat(video.codec().payloadType()).isEqualTo(108); // Constrained Baseline
        assertThat(video.codec().fmtp("profile-level-id")).isEqualTo("42e028");
        assertThat(video.rtxPayloadType()).isEqualTo(109);
        assertThat(video.localRtxSsrc()).isNotZero().isNotEqualTo(video.localSsrc());
        assertThat(video.feedback()).isEqualTo(ALL_FEEDBACK);
        assertThat(video.extensionIds()).isEqualTo(Map.of(ABS_SEND_TIME, 2, MID, 4));
        assertThat(answer.sdp()).contains("m=video 9 UDP/TLS/RTP/SAVPF 108 109\r\n")
                .doesNotContain("video-orientation", "red/90000", "ulpfec", "rrtr", "rtcp-xr");
    }

    /** The matching rule of RFC 6184 §8.2.2 over the four profiles a stream usually meets. */
    @ParameterizedTest
    @CsvSource({
            // stream     offered profile-level-ids (each mode 1)   chosen
            "640028, 42e01f 4d001f 640c1f 64001f, 64001f",  // High 4.0: the same profile
            "640c28, 42e01f 4d001f 640c1f 64001f, 640c1f",  // Constrained High: the same profile
            "640028, 42e01f 4d001f 640c1f,        640c1f",  // no High: the same profile_idc
            "4d0028, 42e01f 42001f 640c1f,        42e01f",  // no Main: Constrained Baseline
            "4d0028, 64001f 42001f,               64001f",  // nothing close: the first offered
            "42e01f, 4d001f 42001f 42e01f,        42e01f",  // Constrained Baseline is not Baseline
            "42001f, 42e01f 42001f,               42001f",
            "4de01f, 640c1f 42e01f,               42e01f",  // Main with constraint_set0 is Constrained Baseline
    })
    void h264ProfileMatching(String stream, String offered, String chosen) throws SdpException {
        H264ProfileLevelId s = H264ProfileLevelId.parse(stream);
        StringBuilder offer = new StringBuilder(SMALL_WHEP_OFFER.substring(0, SMALL_WHEP_OFFER.indexOf("m=video")));
        String[] profiles = offered.trim().split(" ");
        offer.append("m=video 9 UDP/TLS/RTP/SAVPF");
        for (int i = 0; i < profiles.length; i++) {
            offer.append(' ').append(100 + i);
        }
        offer.append("\na=mid:1\na=recvonly\na=rtcp-mux\n");
        SMALL_WHEP_OFFER.lines() // the audio section's transport
                .filter(l -> l.startsWith("a=ice-") || l.startsWith("a=fingerprint:") || l.startsWith("a=setup:")).limit(4)
                .forEach(l -> offer.append(l).append('\n'));
        for (int i = 0; i < profiles.length; i++) {
            offer.append("a=rtpmap:").append(100 + i).append(" H264/90000\na=fmtp:").append(100 + i)
                    .append(" packetization-mode=1;profile-level-id=").append(profiles[i]).append('\n');
        }
        Capabilities caps = new Capabilities(new StreamVideo(Codec.H264, s.profileIdc(), s.constraintFlags(), s.levelIdc()), false);
        Answer answer = Negotiation.answer(SessionDescription.parse(offer.toString()), Role.SEND, caps, LOCAL, 1);
        RtpCodec codec = answer.tracks().get(0).codec();
        assertThat(profiles[codec.payloadType() - 100]).isEqualTo(chosen.trim());
        // Without level-asymmetry-allowed in the offer the answer's level goes no higher than the offer's (1f).
        assertThat(codec.fmtp("profile-level-id")).isEqualTo(chosen.trim().substring(0, 4) + (s.levelIdc() > 0x1f ? "1f" : stream.substring(4)));
        assertThat(answer.sdp()).contains("a=group:BUNDLE 1\r\n", // no audio in caps
                "m=audio 0 UDP/TLS/RTP/SAVPF 111 0\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\nm=video 9 ");
    }

    @Test
    void packetizationModeZeroIsNeverChosen() throws SdpException {
        String offer = SMALL_WHEP_OFFER.replace("packetization-mode=1", "packetization-mode=0");
        Answer answer = Negotiation.answer(SessionDescription.parse(offer), Role.SEND, HIGH_AND_OPUS, LOCAL, 1);
        assertThat(answer.tracks()).extracting(NegotiatedTrack::kind).containsExactly("audio");
        assertThat(answer.sdp()).contains("a=group:BUNDLE 0\r\n", "m=video 0 UDP/TLS/RTP/SAVPF 96 97 102 103 108 109 127 125\r\n");
    }

    @Test
    void hevcStreamTakesTheOfferedH265() throws SdpException {
        Capabilities hevc = new Capabilities(new StreamVideo(Codec.HEVC, 1, 0, 123), true);
        Answer answer = Negotiation.answer(offer(SdpFixtures.CHROME_H265_WHEP), Role.SEND, hevc, LOCAL, 1);
        NegotiatedTrack video = answer.tracks().get(1);
        assertThat(video.codec().name()).isEqualTo("H265");
        assertThat(video.codec().fmtpLine()).isEqualTo("level-id=123;profile-id=1;tier-flag=0;tx-mode=SRST");
        assertThat(video.rtxPayloadType()).isEqualTo(52);
        // An offer without H265 leaves the HEVC stream no video, and H.264 is no substitute.
        Answer withoutH265 = Negotiation.answer(offer(SdpFixtures.CHROMIUM_WHEP), Role.SEND, hevc, LOCAL, 1);
        assertThat(withoutH265.tracks()).extracting(NegotiatedTrack::kind).containsExactly("audio");
        // The H.264 stream ignores H265 in the same offer.
        assertThat(Negotiation.answer(offer(SdpFixtures.CHROME_H265_WHEP), Role.SEND, HIGH_AND_OPUS, LOCAL, 1)
                .tracks().get(1).codec().payloadType()).isEqualTo(108);
    }

    @Test
    void firefoxWhep() throws SdpException {
        Answer answer = Negotiation.answer(offer(SdpFixtures.FIREFOX_WHEP), Role.SEND,
                new Capabilities(SdpFixtures.CONSTRAINED_BASELINE_3_1, true), LOCAL, 1);
        NegotiatedTrack audio = answer.tracks().get(0);
        NegotiatedTrack video = answer.tracks().get(1);
        assertThat(audio.codec().payloadType()).isEqualTo(109);
        assertThat(audio.codec().fmtpLine()).isEqualTo("minptime=10;useinbandfec=1");
        assertThat(audio.extensionIds()).isEqualTo(Map.of(MID, 3));
        assertThat(audio.remoteSsrcs()).containsExactly(2857316412L); // Firefox names the SSRC of its RTCP
        assertThat(video.codec().payloadType()).isEqualTo(126); // 97 is mode 0
        assertThat(video.rtxPayloadType()).isEqualTo(127);
        assertThat(video.extensionIds()).isEqualTo(Map.of(MID, 3, ABS_SEND_TIME, 4));
        assertThat(answer.sdp()).doesNotContain("a=rtcp-rsize\r\na=rtpmap:109"); // Firefox offers rsize for video only
    }

    @Test
    void chromiumWhip() throws SdpException {
        Answer answer = Negotiation.answer(offer(SdpFixtures.CHROMIUM_WHIP), Role.RECEIVE, RECEIVE_H264_AND_OPUS, LOCAL, 1);
        NegotiatedTrack audio = answer.tracks().get(0);
        NegotiatedTrack video = answer.tracks().get(1);
        assertThat(audio.remoteSsrcs()).containsExactly(1117861544L);
        assertThat(audio.remoteRtxSsrc()).isZero();
        assertThat(video.codec().payloadType()).isEqualTo(108);
        assertThat(video.codec().fmtpLine()).isEqualTo("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f");
        assertThat(video.rtxPayloadType()).isEqualTo(109);
        assertThat(video.remoteSsrcs()).containsExactly(127980428L);
        assertThat(video.remoteRtxSsrc()).isEqualTo(433216717L);
        assertThat(video.localSsrc()).isNotZero();
        assertThat(video.localRtxSsrc()).isZero();
        SessionDescription sdp = SessionDescription.parse(answer.sdp());
        assertThat(sdp.media()).extracting(MediaDescription::direction).containsOnly(Direction.RECVONLY);
        assertThat(sdp.media()).allSatisfy(m -> assertThat(m.ssrcs()).isEmpty());
    }

    /** WHIP without our preferred profile takes the highest offered. */
    @Test
    void whipPrefersOurProfileThenTheHighest() throws SdpException {
        String offer = SdpFixtures.text(SdpFixtures.CHROMIUM_WHIP).replace("profile-level-id=42e01f", "profile-level-id=42e02a");
        Answer answer = Negotiation.answer(SessionDescription.parse(offer), Role.RECEIVE, RECEIVE_H264_AND_OPUS, LOCAL, 1);
        assertThat(answer.tracks().get(1).codec().payloadType()).isEqualTo(108); // same profile, other level
        Capabilities wantsHigh = new Capabilities(SdpFixtures.HIGH_4_0, true);
        answer = Negotiation.answer(offer(SdpFixtures.CHROMIUM_WHIP), Role.RECEIVE, wantsHigh, LOCAL, 1);
        assertThat(answer.tracks().get(1).codec().fmtp("profile-level-id")).isEqualTo("4d001f");
    }

    @Test
    void obsWhip() throws SdpException {
        Answer answer = Negotiation.answer(offer(SdpFixtures.OBS_WHIP), Role.RECEIVE, RECEIVE_H264_AND_OPUS, LOCAL, 1);
        assertThat(answer.tracks()).extracting(t -> t.codec().payloadType()).containsExactly(111, 96);
        assertThat(answer.tracks()).extracting(NegotiatedTrack::remoteSsrcs)
                .containsExactly(List.of(3125741430L), List.of(3125741431L));
        assertThat(answer.tracks().get(1).feedback()).containsExactlyInAnyOrder("nack", "nack pli", "goog-remb");
        assertThat(answer.tracks().get(1).rtxPayloadType()).isEqualTo(-1);
        assertThat(answer.sdp()).doesNotContain("a=rtcp-rsize");
    }

    @Test
    void sendOfferToAWhipEndpointIsRefusedByDirection() throws SdpException {
        assertThatThrownBy(() -> Negotiation.answer(offer(SdpFixtures.CHROMIUM_WHEP), Role.RECEIVE, RECEIVE_H264_AND_OPUS, LOCAL, 1))
                .isInstanceOf(SdpException.class)
                .hasMessage("offer has no codec we can receive: unusable m-lines: audio (mid 0) is recvonly UDP/TLS/RTP/SAVPF,"
                        + " video (mid 1) is recvonly UDP/TLS/RTP/SAVPF");
    }

    @Test
    void noCodecNamesWhatWasOffered() {
        String offer = SMALL_WHEP_OFFER.replace("m=audio 9 UDP/TLS/RTP/SAVPF 111 0", "m=audio 9 UDP/TLS/RTP/SAVPF 0")
                .replace("m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 108 109 127 125", "m=video 9 UDP/TLS/RTP/SAVPF 96 97 98")
                .replace("a=rtpmap:97 rtx/90000", "a=rtpmap:97 rtx/90000\na=rtpmap:98 VP9/90000");
        assertThatThrownBy(() -> Negotiation.answer(SessionDescription.parse(offer), Role.SEND, HIGH_AND_OPUS, LOCAL, 1))
                .isInstanceOf(SdpException.class)
                .hasMessage("offer has no codec we can send: offered audio: PCMU; video: VP8, VP9");
    }

    /** The offer's data channel m-line with its transport lines, as Chromium writes it (RFC 8841). */
    private static final String DATA_CHANNEL_OFFER = SMALL_WHEP_OFFER.replace("""
            m=application 9 UDP/DTLS/SCTP webrtc-datachannel
            c=IN IP4 0.0.0.0
            a=mid:2
            a=sctp-port:5000
            """, """
            m=application 9 UDP/DTLS/SCTP webrtc-datachannel
            c=IN IP4 0.0.0.0
            a=ice-ufrag:abcd
            a=ice-pwd:abcdefghijklmnopqrstuvwx
            a=fingerprint:sha-256 AA:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F
            a=setup:actpass
            a=mid:2
            a=sctp-port:5000
            a=max-message-size:262144
            """);

    /** With data channels on, the m=application line joins the BUNDLE with our SCTP port and message size. */
    @Test
    void acceptsTheDataChannelInTheBundle() throws SdpException {
        Capabilities caps = new Capabilities(SdpFixtures.HIGH_4_0, true, true);
        Answer answer = Negotiation.answer(SessionDescription.parse(DATA_CHANNEL_OFFER), Role.SEND, caps, LOCAL,
                4242, sequence(0x0123456789abcdefL, 0x11111111L, 0x22222222L, 0x33333333L));
        String expected = SMALL_WHEP_ANSWER.replace("a=group:BUNDLE 0 1\r\n", "a=group:BUNDLE 0 1 2\r\n")
                .replace("""
                        m=application 0 UDP/DTLS/SCTP webrtc-datachannel
                        c=IN IP4 0.0.0.0
                        a=mid:2
                        """.replace("\n", "\r\n"), """
                        m=application 9 UDP/DTLS/SCTP webrtc-datachannel
                        c=IN IP4 0.0.0.0
                        a=mid:2
                        a=ice-ufrag:meshlive
                        a=ice-pwd:0123456789abcdefghijkl
                        a=fingerprint:sha-256 00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F
                        a=setup:passive
                        a=sctp-port:5000
                        a=max-message-size:65536
                        a=candidate:1 1 udp 2130706431 192.0.2.1 8000 typ host
                        a=candidate:2 1 tcp 1518280447 192.0.2.1 8000 typ host tcptype passive
                        a=end-of-candidates
                        """.replace("\n", "\r\n"));
        assertThat(answer.sdp()).isEqualTo(expected);
        assertThat(answer.dataChannel()).isEqualTo(new SctpParameters("2", 5000, 262144));
        assertThat(answer.tracks()).hasSize(2);
    }

    @Test
    void dataChannelDefaultsAndErrors() throws SdpException {
        Capabilities caps = new Capabilities(SdpFixtures.HIGH_4_0, true, true);
        String bare = DATA_CHANNEL_OFFER.replace("a=sctp-port:5000\n", "").replace("a=max-message-size:262144\n", "");
        assertThat(Negotiation.answer(SessionDescription.parse(bare), Role.SEND, caps, LOCAL, 1).dataChannel())
                .as("RFC 8841 defaults").isEqualTo(new SctpParameters("2", 5000, 65536));
        assertThatThrownBy(() -> Negotiation.answer(SessionDescription.parse(
                DATA_CHANNEL_OFFER.replace("a=sctp-port:5000", "a=sctp-port:many")), Role.SEND, caps, LOCAL, 1))
                .hasMessage("offer's a=sctp-port is not a number from 0 to 65535: 'many'");
        assertThatThrownBy(() -> Negotiation.answer(SessionDescription.parse(
                DATA_CHANNEL_OFFER.replace("a=max-message-size:262144", "a=max-message-size:+" + "9".repeat(200))),
                Role.SEND, caps, LOCAL, 1))
                .as("a sign is not SDP's digits; the client's text is quoted cut short")
                .hasMessageStartingWith("offer's a=max-message-size is not a number from 0 to 4294967295: '+999")
                .hasMessageEndingWith("...(121 more chars)");
        assertThat(Negotiation.answer(SessionDescription.parse(DATA_CHANNEL_OFFER), Role.SEND, HIGH_AND_OPUS, LOCAL, 1)
                .dataChannel()).as("without the capability it is rejected, as before").isNull();
    }

    @Test
    void dataChannelOnlyOfferIsRefused() {
        String offer = SMALL_WHEP_OFFER.substring(0, SMALL_WHEP_OFFER.indexOf("m=audio"))
                + SMALL_WHEP_OFFER.substring(SMALL_WHEP_OFFER.indexOf("m=application"));
        assertThatThrownBy(() -> Negotiation.answer(SessionDescription.parse(offer), Role.SEND, HIGH_AND_OPUS, LOCAL, 1))
                .hasMessage("offer has no codec we can send");
    }

    @Test
    void rejectsOfferWithoutFingerprint() {
        assertRefused(SMALL_WHEP_OFFER.replaceAll("a=fingerprint:.*\n", ""), "offer has no sha-256 fingerprint");
        assertRefused(SMALL_WHEP_OFFER.replaceAll("a=fingerprint:sha-256 .*\n",
                "a=fingerprint:sha-1 00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13\n"),
                "offer has no sha-256 fingerprint (only sha-1)");
    }

    @Test
    void rejectsOfferWithoutIceCredentials() {
        assertRefused(SMALL_WHEP_OFFER.replaceAll("a=ice-ufrag:.*\n", ""), "offer has no a=ice-ufrag");
        assertRefused(SMALL_WHEP_OFFER.replaceAll("a=ice-pwd:.*\n", ""), "offer has no a=ice-pwd");
    }

    @Test
    void rejectsOfferThatWantsToBeTheDtlsServer() throws SdpException {
        assertRefused(SMALL_WHEP_OFFER.replace("a=setup:actpass", "a=setup:passive"),
                "offer has a=setup:passive, but meshlive is the DTLS server (setup:passive) and needs setup:actpass or setup:active");
        assertRefused(SMALL_WHEP_OFFER.replace("a=setup:actpass\n", ""), "offer has no a=setup (actpass or active)");
        String active = SMALL_WHEP_OFFER.replace("a=setup:actpass", "a=setup:active");
        assertThat(Negotiation.answer(SessionDescription.parse(active), Role.SEND, HIGH_AND_OPUS, LOCAL, 1).sdp())
                .contains("a=setup:passive");
    }

    @Test
    void rejectsOfferWithoutRtcpMuxOrMid() {
        assertRefused(SMALL_WHEP_OFFER.replace("a=rtcp-mux\n", ""),
                "offer's m-line 1 (audio) has no a=rtcp-mux; meshlive needs RTP and RTCP on one port");
        assertRefused(SMALL_WHEP_OFFER.replace("a=mid:1\n", ""), "offer's m-line 2 (video) has no a=mid");
        assertRefused(SMALL_WHEP_OFFER.replace("a=mid:1\n", "a=mid:0\n"),
                "offer's m-line 2 (video) has a mid that is not a token or is not unique: '0'");
        assertRefused(SMALL_WHEP_OFFER.replace("a=mid:1\n", "a=mid:v 1\n"),
                "offer's m-line 2 (video) has a mid that is not a token or is not unique: 'v 1'");
    }

    /**
     * RFC 9143 §7.3.1: bundled m-lines may each carry their own ICE credentials and fingerprint (as
     * non-browser stacks offer); the answer uses the offerer-tagged m-line's transport, the first
     * mid of a=group:BUNDLE, and ignores the others'.
     */
    @Test
    void bundledMLinesWithTheirOwnCredentialsUseTheTaggedMLinesTransport() throws SdpException {
        String own = SMALL_WHEP_OFFER.replaceFirst("(m=video[^\n]*\n[^\n]*\n)a=ice-ufrag:abcd\na=ice-pwd:abcdefghijklmnopqrstuvwx\na=fingerprint:sha-256 AA",
                "$1a=ice-ufrag:wxyz\na=ice-pwd:zyxwvutsrqponmlkjihgfedc\na=fingerprint:sha-256 BB");
        assertThat(own).contains("a=ice-ufrag:wxyz").contains("a=fingerprint:sha-256 BB");
        SessionDescription offer = SessionDescription.parse(own);
        assertThat(Negotiation.answer(offer, Role.SEND, HIGH_AND_OPUS, LOCAL, 1).tracks()).hasSize(2);
        assertThat(Negotiation.transport(offer).iceUfrag()).isEqualTo("abcd");
        assertThat(Negotiation.transport(offer).fingerprint().toSdpValue()).startsWith("sha-256 AA:");

        SessionDescription videoTagged = SessionDescription.parse(own.replace("a=group:BUNDLE 0 1 2", "a=group:BUNDLE 1 0 2"));
        assertThat(Negotiation.answer(videoTagged, Role.SEND, HIGH_AND_OPUS, LOCAL, 1).tracks()).hasSize(2);
        assertThat(Negotiation.transport(videoTagged).iceUfrag()).isEqualTo("wxyz");
        assertThat(Negotiation.transport(videoTagged).icePwd()).isEqualTo("zyxwvutsrqponmlkjihgfedc");
    }

    @Test
    void theTaggedMLineMustCarryTheTransport() {
        assertRefused(SMALL_WHEP_OFFER.replace("a=group:BUNDLE 0 1 2", "a=group:BUNDLE 1 0 2")
                        .replaceFirst("(m=video[^\n]*\n[^\n]*\n)a=ice-ufrag:abcd\n", "$1"),
                "offer has no a=ice-ufrag");
    }

    @Test
    void mLinesTheOfferRejectedOrThatCannotSendStayRejected() throws SdpException {
        String offer = SMALL_WHEP_OFFER.replace("m=audio 9", "m=audio 0").replace("a=recvonly\na=rtcp-mux\na=rtcp-rsize\na=rtpmap:96",
                "a=inactive\na=rtcp-mux\na=rtcp-rsize\na=rtpmap:96");
        assertThatThrownBy(() -> Negotiation.answer(SessionDescription.parse(offer), Role.SEND, HIGH_AND_OPUS, LOCAL, 1))
                .hasMessage("offer has no codec we can send: unusable m-lines: audio (mid 0) is rejected by the offer,"
                        + " video (mid 1) is inactive UDP/TLS/RTP/SAVPF");
        String bundleOnly = SMALL_WHEP_OFFER.replace("m=audio 9", "m=audio 0").replace("a=mid:0\n", "a=mid:0\na=bundle-only\n");
        assertThat(Negotiation.answer(SessionDescription.parse(bundleOnly), Role.SEND, HIGH_AND_OPUS, LOCAL, 1).tracks())
                .hasSize(2);
    }

    @Test
    void ssrcsAvoidZeroRepeatsAndThePeers() throws SdpException {
        // 0x1_00000000 masks to SSRC 0; 1117861544 is the offer's audio SSRC.
        Answer answer = Negotiation.answer(offer(SdpFixtures.CHROMIUM_WHIP), Role.RECEIVE, RECEIVE_H264_AND_OPUS, LOCAL, 1,
                sequence(5, 0x1_0000_0000L, 1117861544L, 9, 9, 10));
        assertThat(answer.tracks()).extracting(NegotiatedTrack::localSsrc).containsExactly(9L, 10L);
    }

    private static void assertRefused(String offer, String message) {
        assertThatThrownBy(() -> Negotiation.answer(SessionDescription.parse(offer), Role.SEND, HIGH_AND_OPUS, LOCAL, 1))
                .isInstanceOf(SdpException.class).hasMessage(message);
    }
}
