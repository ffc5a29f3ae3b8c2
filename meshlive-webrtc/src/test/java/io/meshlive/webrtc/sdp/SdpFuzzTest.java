package io.meshlive.webrtc.sdp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshlive.media.Codec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Arbitrary text into the parser and, when it parses, into negotiation under every role and
 * capability: the only acceptable failure is an SdpException, and an answer must parse back.
 * Jazzer runs its seeds in the normal build; set JAZZER_FUZZ=1 to fuzz. Since its seeds are only
 * the empty input here, {@link #mutatedOffers} runs the same check over a few thousand mutants of
 * the recorded offers in every build.
 */
class SdpFuzzTest {
    private static final List<Capabilities> CAPABILITIES = List.of(
            SdpFixtures.HIGH_AND_OPUS,
            SdpFixtures.RECEIVE_H264_AND_OPUS,
            new Capabilities(new StreamVideo(Codec.HEVC, 1, 0, 120), false),
            new Capabilities(null, true));

    @FuzzTest(maxDuration = "30s")
    void parseAndAnswer(FuzzedDataProvider data) {
        Role role = data.consumeBoolean() ? Role.SEND : Role.RECEIVE;
        Capabilities caps = data.pickValue(CAPABILITIES);
        check(data.consumeRemainingAsString(), role, caps);
    }

    /** Each recorded offer, cut, spliced and with bytes changed, from a fixed seed so a failure repeats. */
    @ParameterizedTest
    @FieldSource("io.meshlive.webrtc.sdp.SdpFixtures#ALL")
    void mutatedOffers(String fixture) {
        String offer = SdpFixtures.text(fixture);
        Random random = new Random(fixture.hashCode());
        String alphabet = " :=/;*\r\n0123456789aAmvtx-\u0000\u00e9";
        for (int i = 0; i < 600; i++) {
            StringBuilder mutant = new StringBuilder(offer);
            for (int edits = 1 + random.nextInt(4); edits > 0; edits--) {
                int at = random.nextInt(mutant.length());
                switch (random.nextInt(4)) {
                    case 0 -> mutant.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> mutant.delete(at, Math.min(mutant.length(), at + random.nextInt(40)));
                    case 2 -> mutant.insert(at, offer, random.nextInt(offer.length() / 2), offer.length() / 2);
                    default -> mutant.setLength(Math.max(1, at));
                }
            }
            for (Role role : Role.values()) {
                CAPABILITIES.forEach(caps -> check(mutant.toString(), role, caps));
            }
        }
        check(offer, Role.SEND, SdpFixtures.HIGH_AND_OPUS);
    }

    private static void check(String text, Role role, Capabilities caps) {
        SessionDescription offer;
        try {
            offer = SessionDescription.parse(text);
        } catch (SdpException expected) {
            return;
        }
        assertThat(offer.toString()).doesNotContain("\n\r\n");
        Answer answer;
        try {
            answer = Negotiation.answer(offer, role, caps, SdpFixtures.LOCAL, 1);
        } catch (SdpException expected) {
            return;
        }
        try {
            SessionDescription parsed = SessionDescription.parse(answer.sdp());
            assertThat(parsed.media()).hasSameSizeAs(offer.media());
            assertThat(answer.tracks()).isNotEmpty();
        } catch (SdpException e) {
            throw new AssertionError("our answer does not parse: " + e.getMessage() + "\n" + answer.sdp(), e);
        }
    }
}
