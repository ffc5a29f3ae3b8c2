package io.meshlive.webrtc.sdp;

import io.meshlive.media.Codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.random.RandomGenerator;

/** Recorded offers and a fixed local side for the tests. */
final class SdpFixtures {
    /** Captured from Chromium 156 (headless): addTransceiver audio+video recvonly, createOffer. */
    static final String CHROMIUM_WHEP = "chromium-156-whep.sdp";
    /** Captured from Chromium 156: a canvas and an oscillator sent sendonly, after ICE gathering. */
    static final String CHROMIUM_WHIP = "chromium-156-whip.sdp";
    /** CHROMIUM_WHEP with the H265 payload types Chrome on macOS adds (level-id=156: 5.2). */
    static final String CHROME_H265_WHEP = "chrome-h265-whep.sdp";
    static final String FIREFOX_WHEP = "firefox-128-whep.sdp";
    /** OBS 30's WHIP output (libdatachannel): session-level transport, candidates in the offer. */
    static final String OBS_WHIP = "obs-30-whip.sdp";
    static final List<String> ALL = List.of(CHROMIUM_WHEP, CHROMIUM_WHIP, CHROME_H265_WHEP, FIREFOX_WHEP, OBS_WHIP);

    static final StreamVideo HIGH_4_0 = new StreamVideo(Codec.H264, 100, 0x00, 40);
    static final StreamVideo CONSTRAINED_BASELINE_3_1 = new StreamVideo(Codec.H264, 66, 0xe0, 31);
    static final Capabilities HIGH_AND_OPUS = new Capabilities(HIGH_4_0, true);
    static final Capabilities RECEIVE_H264_AND_OPUS = new Capabilities(CONSTRAINED_BASELINE_3_1, true);

    static final LocalTransport LOCAL = new LocalTransport("meshlive", "0123456789abcdefghijkl",
            new Fingerprint("sha-256", counting(32)),
            List.of(new IceCandidate("1", 1, "udp", 2130706431L, "192.0.2.1", 8000, "host", null),
                    new IceCandidate("2", 1, "tcp", 1518280447L, "192.0.2.1", 8000, "host", "passive")));

    private SdpFixtures() {
    }

    static String text(String name) {
        try (InputStream in = SdpFixtures.class.getResourceAsStream("/sdp/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SessionDescription offer(String name) throws SdpException {
        return SessionDescription.parse(text(name));
    }

    static byte[] counting(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    /** Returns the given values from nextLong, in order, so SSRCs and CNAME are known in advance. */
    static RandomGenerator sequence(long... values) {
        return new RandomGenerator() {
            private int next;

            @Override
            public long nextLong() {
                return values[next++];
            }
        };
    }
}
