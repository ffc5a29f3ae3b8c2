package io.meshlive.server.it;

import io.meshlive.testkit.TestPattern;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads live.html's fired cues (its last #state, {@code ?stamp=1}) and compares the frame number
 * read off the picture when each card showed with the frame the cue belongs to; prints the skew's
 * median and maximum and asserts, on the frames the page was called back for, 0 frames median and
 * at most 1 frame worst.
 */
final class CueSkewReport {
    private CueSkewReport() {
    }

    static void check(String label, JsonNode last, Predicate<JsonNode> ours, int atLeast) {
        assertThat(last.path("error").isNull()).as("no player error: %s", last).isTrue();
        List<Long> raw = new ArrayList<>();
        List<Long> seen = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (JsonNode fired : last.path("cues")) {
            if (!ours.test(fired) || fired.path("startup").asBoolean() || fired.path("source").asText().equals("daterange")) {
                continue; // not ours; fired with the first picture (its frame came before playback began); or timed by date, not frame
            }
            double pts = fired.path("pts").asDouble();
            long expected = FrameStamp.frameOfPts(pts);
            long shown = fired.path("frame").asLong();
            long skew = shown - expected;
            // Shown late because the browser presented the cue's frame without calling the page back
            // (it drops callbacks when the machine is busy), or never presented it (a WebRTC receiver
            // drops late frames; the first frame presented is then past the cue's time): the first
            // frame the page could show it on.
            long notPresented = Math.round((fired.path("mediaTime").asDouble() - fired.path("at").asDouble()) * TestPattern.FPS);
            long missed = Math.max(fired.path("missedFrames").asLong(), notPresented);
            raw.add(skew);
            seen.add(skew > 0 ? Math.max(0, skew - missed) : skew);
            lines.add(fired.path("id").asText() + ": pts " + pts + " frame " + expected + " shown " + shown
                    + (missed > 0 ? " (" + missed + " frame(s) just before presented without a callback or not presented)" : ""));
        }
        System.out.println("cue skew " + label + ":\n  " + String.join("\n  ", lines));
        assertThat(raw.size()).as("cues shown (of those sent while playing): %s", last).isGreaterThanOrEqualTo(atLeast);
        long[] rawAbs = raw.stream().mapToLong(Math::abs).sorted().toArray();
        long[] seenAbs = seen.stream().mapToLong(Math::abs).sorted().toArray();
        System.out.printf("cue skew %s over %d cues: p50 %d frame(s), max %d frame(s); on frames the page was called back for: p50 %d, max %d%n",
                label, rawAbs.length, rawAbs[rawAbs.length / 2], rawAbs[rawAbs.length - 1], seenAbs[seenAbs.length / 2], seenAbs[seenAbs.length - 1]);
        // Both on the frames the browser presented and called the page back for: a busy machine's
        // Chromium skips callbacks and drops late WebRTC frames, and a card cannot show on a frame
        // that was never shown (ClusterCueTest once saw most of its cues' frames skipped that way).
        assertThat(seenAbs[seenAbs.length / 2]).as("median cue skew in frames, %s: %s", label, lines).isZero();
        assertThat(seenAbs[seenAbs.length - 1]).as("worst cue skew in frames, %s: %s", label, lines).isLessThanOrEqualTo(1);
    }
}
