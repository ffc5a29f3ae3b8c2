package io.meshlive.webrtc.sdp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.meshlive.webrtc.sdp.SdpFixtures.offer;
import static io.meshlive.webrtc.sdp.SdpFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionDescriptionTest {
    private static final String MINIMAL = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

    @Test
    void chromiumWhepOffer() throws SdpException {
        SessionDescription sdp = offer(SdpFixtures.CHROMIUM_WHEP);
        assertThat(sdp.attribute("group")).isEqualTo("BUNDLE 0 1");
        assertThat(sdp.attribute("extmap-allow-mixed")).isEmpty();
        assertThat(sdp.attribute("ice-lite")).isNull();
        assertThat(sdp.media()).extracting(MediaDescription::kind).containsExactly("audio", "video");

        MediaDescription audio = sdp.media().get(0);
        assertThat(audio.mid()).isEqualTo("0");
        assertThat(audio.port()).isEqualTo(9);
        assertThat(audio.protocol()).isEqualTo("UDP/TLS/RTP/SAVPF");
        assertThat(audio.formats()).containsExactly("111", "63", "9", "0", "8", "13", "110", "126");
        assertThat(audio.direction()).isEqualTo(Direction.RECVONLY);
        assertThat(audio.iceUfrag()).isEqualTo("++XV");
        assertThat(audio.icePwd()).isEqualTo("6K4YBxDshCzHe+cx4RjvViyF");
        assertThat(audio.setup()).isEqualTo("actpass");
        assertThat(audio.rtcpMux()).isTrue();
        assertThat(audio.fingerprint().toSdpValue()).isEqualTo("sha-256 DF:F4:64:E4:21:D1:7F:46:05:C7:10:6E:F4:0C:B9:"
                + "F2:89:63:F1:FB:8B:51:AD:75:D6:48:35:58:31:43:FF:B7");
        RtpCodec opus = audio.codecs().get(0);
        assertThat(opus).isEqualTo(new RtpCodec(111, "opus", 48000, 2,
                Map.of("minptime", "10", "useinbandfec", "1"), List.of("transport-cc")));
        assertThat(opus.fmtpLine()).isEqualTo("minptime=10;useinbandfec=1");
        assertThat(audio.codecs()).extracting(RtpCodec::name)
                .containsExactly("opus", "red", "G722", "PCMU", "PCMA", "CN", "telephone-event", "telephone-event");
        assertThat(audio.codecs().get(1).fmtpLine()).isEqualTo("111/111");
        assertThat(audio.extmaps()).containsEntry(3, "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01")
                .containsEntry(4, "urn:ietf:params:rtp-hdrext:sdes:mid").hasSize(4);
        assertThat(audio.ssrcs()).isEmpty();

        MediaDescription video = sdp.media().get(1);
        assertThat(video.codecs()).hasSize(34);
        RtpCodec h264 = video.codecs().stream().filter(c -> c.payloadType() == 108).findFirst().orElseThrow();
        assertThat(h264.name()).isEqualTo("H264");
        assertThat(h264.clockRate()).isEqualTo(90000);
        assertThat(h264.channels()).isZero();
        assertThat(h264.fmtp()).containsExactly(Map.entry("level-asymmetry-allowed", "1"),
                Map.entry("packetization-mode", "1"), Map.entry("profile-level-id", "42e01f"));
        assertThat(h264.feedback()).containsExactly("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");
        assertThat(video.codecs().stream().filter(c -> c.payloadType() == 109).findFirst().orElseThrow().fmtp("apt"))
                .isEqualTo("108");
        // 15 video codecs with the full set of five, flexfec with two
        assertThat(video.attributes("rtcp-fb")).hasSize(5 * 15 + 2);
        assertThat(video.attribute("rtcp-xr")).isEqualTo("rcvr-rtt=all");
    }

    @Test
    void chromiumWhipOfferHasSourcesAndRtxGroup() throws SdpException {
        SessionDescription sdp = offer(SdpFixtures.CHROMIUM_WHIP);
        MediaDescription audio = sdp.media().get(0);
        MediaDescription video = sdp.media().get(1);
        assertThat(audio.direction()).isEqualTo(Direction.SENDONLY);
        assertThat(audio.ssrcs()).containsExactly(1117861544L);
        assertThat(video.ssrcs()).containsExactly(127980428L, 433216717L);
        assertThat(video.ssrcGroups("FID")).singleElement().satisfies(g -> assertThat(g).containsExactly(127980428L, 433216717L));
        assertThat(video.ssrcGroups("SIM")).isEmpty();
        assertThat(video.attribute("msid"))
                .isEqualTo("1922976f-e70c-4b30-877c-44aa65322d1d 06e8e675-0370-4231-8d01-3de5775724eb");
        assertThat(video.attributes("candidate")).hasSize(2);
    }

    /** Firefox: the fingerprint at session level, fmtp before rtpmap, directional extmaps, static payload types. */
    @Test
    void firefoxOffer() throws SdpException {
        SessionDescription sdp = offer(SdpFixtures.FIREFOX_WHEP);
        assertThat(sdp.attribute("sendrecv")).isEmpty(); // session level, overridden per m-line
        MediaDescription audio = sdp.media().get(0);
        assertThat(audio.direction()).isEqualTo(Direction.RECVONLY);
        assertThat(audio.fingerprint().algorithm()).isEqualTo("sha-256");
        assertThat(audio.fingerprint().value()).hasSize(32).startsWith(0x3A, 0x9F);
        assertThat(audio.iceUfrag()).isEqualTo("8c2e4b1f");
        assertThat(audio.codecs()).extracting(RtpCodec::rtpmapValue)
                .containsExactly("opus/48000/2", "G722/8000", "PCMU/8000", "PCMA/8000", "telephone-event/8000");
        assertThat(audio.codecs().get(4).fmtpLine()).isEqualTo("0-15");
        assertThat(audio.extmaps()).containsEntry(2, "urn:ietf:params:rtp-hdrext:csrc-audio-level");
        MediaDescription video = sdp.media().get(1);
        RtpCodec h264 = video.codecs().stream().filter(c -> c.payloadType() == 126).findFirst().orElseThrow();
        assertThat(h264.fmtp("profile-level-id")).isEqualTo("42e01f");
        assertThat(h264.feedback()).containsExactly("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc");
        assertThat(video.extmaps()).containsEntry(6, "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay");
    }

    /** OBS (libdatachannel) writes ICE credentials, fingerprint and setup once, at session level. */
    @Test
    void obsOfferTransportAtSessionLevel() throws SdpException {
        SessionDescription sdp = offer(SdpFixtures.OBS_WHIP);
        assertThat(sdp.attributes("group")).containsExactly("BUNDLE 0 1", "LS 0 1");
        for (MediaDescription m : sdp.media()) {
            assertThat(m.iceUfrag()).isEqualTo("Lp3S");
            assertThat(m.icePwd()).isEqualTo("v9qf6kFSxhQ4bX4gHppH+i");
            assertThat(m.setup()).isEqualTo("actpass");
            assertThat(m.fingerprint()).isNotNull();
            assertThat(m.attribute("ice-ufrag")).isNull();
            assertThat(m.direction()).isEqualTo(Direction.SENDONLY);
        }
        assertThat(sdp.media().get(0).port()).isEqualTo(50622);
        assertThat(sdp.media().get(1).codecs()).singleElement()
                .satisfies(c -> assertThat(c.fmtpLine()).isEqualTo("profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1"));
    }

    @ParameterizedTest
    @FieldSource("io.meshlive.webrtc.sdp.SdpFixtures#ALL")
    void printsWhatItParsed(String fixture) throws SdpException {
        String original = text(fixture);
        assertThat(SessionDescription.parse(original).toString()).isEqualTo(original);
        String lf = original.replace("\r\n", "\n");
        assertThat(SessionDescription.parse(lf).toString()).isEqualTo(original);
        assertThat(SessionDescription.parse(original.getBytes(StandardCharsets.UTF_8)).toString()).isEqualTo(original);
    }

    @Test
    void rtcpFeedbackForAllPayloadTypes() throws SdpException {
        MediaDescription m = SessionDescription.parse(MINIMAL + "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n"
                + "a=rtpmap:96 VP8/90000\r\na=rtpmap:97 H264/90000\r\na=rtcp-fb:97 nack\r\na=rtcp-fb:*  nack   pli\r\n"
                + "a=rtcp-fb:98 ccm fir\r\na=rtpmap:98 VP9/90000\r\n").media().get(0);
        assertThat(m.codecs()).extracting(RtpCodec::feedback)
                .containsExactly(List.of("nack pli"), List.of("nack", "nack pli"));
    }

    @Test
    void defaultsWhenAttributesAreAbsent() throws SdpException {
        MediaDescription m = SessionDescription.parse(MINIMAL + "m=audio 0 RTP/AVP 0 96\r\n").media().get(0);
        assertThat(m.mid()).isNull();
        assertThat(m.direction()).isEqualTo(Direction.SENDRECV);
        assertThat(m.fingerprint()).isNull();
        assertThat(m.iceUfrag()).isNull();
        assertThat(m.rtcpMux()).isFalse();
        assertThat(m.codecs()).extracting(RtpCodec::rtpmapValue).containsExactly("PCMU/8000"); // 96 has no rtpmap
        assertThat(m.codecs().get(0).fmtpLine()).isEmpty();
    }

    @Test
    void sessionLevelDirectionIsTheDefault() throws SdpException {
        SessionDescription sdp = SessionDescription.parse(MINIMAL + "a=inactive\r\nm=audio 9 RTP/AVP 0\r\n"
                + "m=video 9 RTP/AVP 31\r\na=sendonly\r\n");
        assertThat(sdp.media()).extracting(MediaDescription::direction).containsExactly(Direction.INACTIVE, Direction.SENDONLY);
    }

    @Test
    void prefersTheSha256FingerprintAmongSeveral() throws SdpException {
        MediaDescription m = SessionDescription.parse(MINIMAL
                + "a=fingerprint:sha-1 00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13\r\n"
                + "a=fingerprint:SHA-256 " + HexFormat.ofDelimiter(":").formatHex(SdpFixtures.counting(32)) + "\r\n"
                + "m=audio 9 RTP/AVP 0\r\n").media().get(0);
        assertThat(m.fingerprint()).isEqualTo(new Fingerprint("sha-256", SdpFixtures.counting(32)));
    }

    @Test
    void rejectsSdpWithoutVersionLine() {
        assertThatThrownBy(() -> SessionDescription.parse("o=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n"))
                .isInstanceOf(SdpException.class).hasMessage("line 1 'o=- 1 2 IN IP4 127.0.0.1': SDP does not start with v=0");
        assertThatThrownBy(() -> SessionDescription.parse("")).hasMessageContaining("no v=0");
        assertThatThrownBy(() -> SessionDescription.parse("v=1\r\n")).hasMessageContaining("does not start with v=0");
    }

    @Test
    void rejectsBinaryJunk() {
        assertThatThrownBy(() -> SessionDescription.parse("v=0\r\ns=\u0000\u0001\u0002"))
                .isInstanceOf(SdpException.class).hasMessage("line 2: control character 0x00; SDP is text");
        assertThatThrownBy(() -> SessionDescription.parse(MINIMAL + "s=caf\uFFFD\r\n"))
                .hasMessage("line 5: SDP is not UTF-8 text");
        assertThatThrownBy(() -> SessionDescription.parse(new byte[] {'v', '=', '0', '\r', '\n', 's', '=', (byte) 0xC3, '(' }))
                .hasMessage("SDP is not UTF-8 text");
        assertThatThrownBy(() -> SessionDescription.parse("\u0016\u0003\u0001\u0002\u0000\u0001"))
                .hasMessageContaining("control character 0x16");
    }

    @Test
    void acceptsUtf8Text() throws SdpException {
        SessionDescription sdp = SessionDescription.parse("v=0\r\ns=Café 🎥\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(sdp.toString()).isEqualTo("v=0\r\ns=Café 🎥\r\n");
    }

    @Test
    void rejectsCarriageReturnOnlyLineEnds() {
        assertThatThrownBy(() -> SessionDescription.parse(MINIMAL.replace("\r\n", "\r")))
                .isInstanceOf(SdpException.class).hasMessageStartingWith("line 1 ")
                .hasMessageEndingWith("CR inside a line (lines end with CRLF or LF)");
    }

    @Test
    void rejectsHugeSdp() {
        String huge = MINIMAL + ("a=x-pad:" + "x".repeat(100) + "\r\n").repeat(700);
        assertThatThrownBy(() -> SessionDescription.parse(huge)).hasMessage("SDP of " + huge.length()
                + " characters is longer than 64 KB");
        assertThatThrownBy(() -> SessionDescription.parse(huge.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("bytes is longer than 64 KB");
    }

    @Test
    void rejectsMoreThan32MediaSections() throws SdpException {
        String m = "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n";
        assertThat(SessionDescription.parse(MINIMAL + m.repeat(32)).media()).hasSize(32);
        assertThatThrownBy(() -> SessionDescription.parse(MINIMAL + m.repeat(33)))
                .hasMessage("line 37 'm=audio 9 UDP/TLS/RTP/SAVPF 111': more than 32 m-lines");
    }

    @Test
    void rejectsMalformedLines() {
        assertBad("m=video 9 UDP/TLS/RTP/SAVPF\r\n", "line 5 'm=video 9 UDP/TLS/RTP/SAVPF': m-line is not '<media> <port> <proto> <fmt> ...'");
        assertBad("m=video 70000 UDP/TLS/RTP/SAVPF 96\r\n", "port '70000' is not a port number");
        assertBad("m=video x UDP/TLS/RTP/SAVPF 96\r\n", "port 'x' is not a port number");
        assertBad("m=video 9 UDP/TLS/RTP/SAVPF 96 VP8\r\n", "RTP payload type 'VP8' is not 0-127");
        assertBad("m=video 9 UDP/TLS/RTP/SAVPF 128\r\n", "RTP payload type '128' is not 0-127");
        assertBad("m=vid3o 9 UDP/TLS/RTP/SAVPF 96\r\n", "media 'vid3o' is not a word");
        assertBad("xyz\r\n", "line 5 'xyz': not '<type>=<value>'");
        assertBad("M=video\r\n", "not '<type>=<value>'");
        assertBad("m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8\r\n",
                "line 6 'a=rtpmap:96 VP8': rtpmap is not '<pt> <encoding>/<clock rate>[/<channels>]'");
        assertBad("m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/fast\r\n", "clock rate is not a number");
        assertBad("m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=fmtp:x apt=96\r\n", "payload type is not a number from 0 to 127: 'x'");
        assertBad("m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtcp-fb:96\r\n", "rtcp-fb has no feedback type");
        assertBad("m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=extmap:15 urn:x\r\n", "extension id 15 is reserved");
        assertBad("m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=extmap:3\r\n", "extmap is not '<id> <uri>'");
        assertBad("m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=ssrc:4294967296 cname:x\r\n", "SSRC is not a number");
        assertBad("m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=ssrc-group:FID\r\n", "ssrc-group is not '<semantics> <ssrc>...'");
        assertBad("a=fingerprint:sha-256 AB:CD\r\n", "line 5 'a=fingerprint:sha-256 AB:CD': bad fingerprint");
        assertBad("a=fingerprint:sha-256\r\n", "fingerprint is not 'hash-function AB:CD:...'");
    }

    private static void assertBad(String lines, String message) {
        assertThatThrownBy(() -> SessionDescription.parse(MINIMAL + lines))
                .isInstanceOf(SdpException.class).hasMessageContaining(message);
    }
}
