package io.meshlive.bench;

import io.meshlive.bench.publish.PublishLoad;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** What the bench's tests wait for of their own publishers. */
public final class Publishers {
    private Publishers() {
    }

    /** Waits until every publisher of {@code load} has sent video, so players find a live stream. */
    public static void awaitPublishing(PublishLoad load) throws InterruptedException {
        try {
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(() -> load.sample().stream().allMatch(p -> p.publishing() && p.videoFrames() > 0));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("publishers did not start: " + load.sample(), e);
        }
    }
}
