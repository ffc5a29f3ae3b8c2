package io.meshlive.transcode.video;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What an encoder that falls behind loses: pictures between keyframes, never the keyframes every rendition must share. */
class PictureQueueTest {
    private final List<String> discarded = new ArrayList<>();
    private final PictureQueue<String> queue = new PictureQueue<>(2, discarded::add);

    @Test
    void aFullQueueDiscardsAPictureBetweenKeyframes() throws Exception {
        queue.offer("p1", 1, false);
        queue.offer("p2", 2, false);
        queue.offer("p3", 3, false);
        assertThat(discarded).containsExactly("p3");
        assertThat(queue.discarded()).isEqualTo(1);
        assertThat(taken(2)).containsExactly("p1", "p2");
    }

    @Test
    void aKeyframeTakesThePlaceOfTheOldestPictureBetweenKeyframes() throws Exception {
        queue.offer("k1", 1, true);
        queue.offer("p2", 2, false);
        queue.offer("k3", 3, true);
        assertThat(discarded).as("k1 must stay a keyframe; p2 is the one to lose").containsExactly("p2");
        PictureQueue.Entry<String> first = queue.take();
        PictureQueue.Entry<String> second = queue.take();
        assertThat(List.of(first.picture(), second.picture())).containsExactly("k1", "k3");
        assertThat(second.keyframe()).isTrue();
        assertThat(second.arrivalNanos()).isEqualTo(3);
    }

    @Test
    void aKeyframeThatFindsOnlyKeyframesIsOwedToTheNextPictureQueued() throws Exception {
        queue.offer("k1", 1, true);
        queue.offer("k2", 2, true);
        queue.offer("k3", 3, true);
        assertThat(discarded).containsExactly("k3");
        assertThat(taken(2)).containsExactly("k1", "k2");
        queue.offer("p4", 4, false);
        queue.offer("p5", 5, false);
        PictureQueue.Entry<String> owed = queue.take();
        assertThat(owed.picture()).isEqualTo("p4");
        assertThat(owed.keyframe()).as("the keyframe k3 could not be").isTrue();
        assertThat(queue.take().keyframe()).isFalse();
    }

    @Test
    void theEndIsNeverDiscardedToMakeRoomAndDrainFreesWhatWaits() throws Exception {
        queue.offer("p1", 1, false);
        assertThat(queue.end()).isTrue();
        queue.offer("k2", 2, true); // p1 makes room; the end stays
        assertThat(discarded).containsExactly("p1");
        assertThat(queue.isEnd(queue.take())).isTrue();
        queue.drain();
        assertThat(discarded).containsExactly("p1", "k2");
        assertThat(queue.discarded()).as("a drain at the end is not a drop").isEqualTo(1);
    }

    private List<String> taken(int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(queue.take().picture());
        }
        return out;
    }
}
