package io.meshlive.webrtc;

import io.meshlive.webrtc.VideoSwitch.Action;
import org.junit.jupiter.api.Test;

import static io.meshlive.webrtc.VideoSwitch.Action.DROP;
import static io.meshlive.webrtc.VideoSwitch.Action.GAVE_UP;
import static io.meshlive.webrtc.VideoSwitch.Action.SEND;
import static io.meshlive.webrtc.VideoSwitch.Action.SWITCHED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Moving a viewer's video between streams that share timestamps and keyframe instants: at the
 * target's first keyframe later than what was sent, holding the current stream at its own
 * keyframe when the target lags, never at a replayed (older) keyframe, and giving up on a target
 * that brings no keyframe within a GOP. Times are in frames of 33 ms, keyframes every 30.
 */
class VideoSwitchTest {
    private static final long FRAME = 33_333;
    private static final String SOURCE = "source";
    private static final String LOW = "360p";
    private static final String MID = "480p";

    private final VideoSwitch<String> sw = new VideoSwitch<>(SOURCE);

    private Action frame(String from, int n) {
        return sw.onFrame(from, n % 30 == 0, n * FRAME);
    }

    /** The source plays from its first keyframe up to frame {@code upTo}. */
    private void playSourceTo(int upTo) {
        assertThat(frame(SOURCE, 5)).as("nothing before the first keyframe").isEqualTo(DROP);
        assertThat(sw.playing()).isFalse();
        for (int n = 30; n <= upTo; n++) {
            assertThat(frame(SOURCE, n)).isEqualTo(SEND);
        }
        assertThat(sw.playing()).isTrue();
    }

    @Test
    void movingDownToALaggingRenditionHoldsTheSourceAtItsKeyframeUntilTheRenditionsOwn() {
        playSourceTo(40);
        sw.moveTo(LOW);
        // Subscribing replays the rendition's cached GOP: its keyframe is older than what was sent.
        assertThat(frame(LOW, 30)).isEqualTo(DROP);
        assertThat(frame(LOW, 31)).isEqualTo(DROP);
        for (int n = 41; n < 60; n++) {
            assertThat(frame(SOURCE, n)).isEqualTo(SEND);
            assertThat(frame(LOW, n - 3)).as("the rendition, 3 frames behind").isEqualTo(DROP);
        }
        assertThat(frame(SOURCE, 60)).as("the source's keyframe: hold").isEqualTo(DROP);
        assertThat(sw.playing()).isFalse();
        assertThat(frame(SOURCE, 61)).isEqualTo(DROP);
        assertThat(frame(LOW, 57)).isEqualTo(DROP);
        assertThat(frame(LOW, 60)).as("the rendition's keyframe of the same instant").isEqualTo(SWITCHED);
        assertThat(sw.current()).isEqualTo(LOW);
        assertThat(sw.target()).isNull();
        assertThat(sw.playing()).isTrue();
        assertThat(frame(SOURCE, 62)).as("the old stream is no longer sent").isEqualTo(DROP);
        assertThat(frame(LOW, 61)).isEqualTo(SEND);
    }

    @Test
    void movingUpToTheSourceAheadSwitchesAtItsKeyframeAtOnce() {
        playSourceTo(30);
        sw.moveTo(LOW);
        frame(SOURCE, 60);
        assertThat(frame(LOW, 60)).isEqualTo(SWITCHED);
        for (int n = 61; n < 87; n++) {
            assertThat(frame(LOW, n)).isEqualTo(SEND);
        }
        sw.moveTo(SOURCE);
        assertThat(frame(SOURCE, 89)).isEqualTo(DROP);
        assertThat(frame(SOURCE, 90)).as("the source's keyframe, ahead of the rendition").isEqualTo(SWITCHED);
        assertThat(frame(LOW, 87)).isEqualTo(DROP);
        assertThat(frame(LOW, 90)).isEqualTo(DROP);
        assertThat(frame(SOURCE, 91)).isEqualTo(SEND);
    }

    @Test
    void aTargetWhoseKeyframeIsNotLaterThanWhatWasSentNeverServes() {
        playSourceTo(45);
        sw.moveTo(MID);
        assertThat(frame(MID, 30)).as("replayed, older").isEqualTo(DROP);
        assertThat(frame(SOURCE, 46)).isEqualTo(SEND);
    }

    @Test
    void aTargetWithoutAKeyframeWithinAGopIsGivenUpAndTheCurrentStreamResumes() {
        playSourceTo(40);
        sw.moveTo(LOW);
        for (int n = 41; n < 60; n++) {
            frame(SOURCE, n);
        }
        assertThat(frame(SOURCE, 60)).isEqualTo(DROP);
        for (int n = 61; n < 90; n++) {
            assertThat(frame(SOURCE, n)).as("held").isEqualTo(DROP);
        }
        assertThat(frame(SOURCE, 90)).isEqualTo(GAVE_UP);
        assertThat(sw.target()).isNull();
        assertThat(sw.current()).isEqualTo(SOURCE);
        assertThat(frame(SOURCE, 91)).isEqualTo(SEND);
        assertThat(frame(LOW, 90)).isEqualTo(DROP);
    }

    @Test
    void aTargetThatGoesAwayDuringTheHoldLeavesTheCurrentStreamToItsNextKeyframe() {
        playSourceTo(40);
        sw.moveTo(LOW);
        frame(SOURCE, 60);
        sw.dropTarget();
        assertThat(frame(SOURCE, 61)).as("mid-GOP after a dropped keyframe").isEqualTo(DROP);
        assertThat(frame(SOURCE, 90)).isEqualTo(SEND);
        assertThat(frame(SOURCE, 91)).isEqualTo(SEND);
    }

    @Test
    void aNewPublisherStartsOverOnTheSourceAtAnyKeyframe() {
        playSourceTo(40);
        sw.moveTo(LOW);
        frame(SOURCE, 60);
        assertThat(frame(LOW, 60)).isEqualTo(SWITCHED);
        sw.restart(SOURCE, true);
        assertThat(sw.current()).isEqualTo(SOURCE);
        assertThat(frame(LOW, 61)).isEqualTo(DROP);
        assertThat(frame(SOURCE, 1)).isEqualTo(DROP);
        // The new publisher's timestamps start at zero again: a move to a rendition of it works from there.
        assertThat(frame(SOURCE, 0)).isEqualTo(SEND);
        sw.moveTo(MID);
        assertThat(frame(MID, 0)).as("not later than what was sent").isEqualTo(DROP);
        frame(SOURCE, 30);
        assertThat(frame(MID, 30)).isEqualTo(SWITCHED);
    }
}
