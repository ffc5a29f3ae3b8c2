package io.meshlive.hls.serve;

import io.netty.channel.DefaultEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BlockingReloadsTest {
    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final List<String> answers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private BlockingReloads.Waiter named(String name) {
        return new BlockingReloads.Waiter() {
            @Override
            public void ready() {
                answers.add(name + " ready");
            }

            @Override
            public void timedOut() {
                answers.add(name + " timed out");
            }
        };
    }

    private void on(Runnable r) throws Exception {
        loop.submit(r).get(2, TimeUnit.SECONDS);
    }

    @Test
    void aRequestForAnExistingPartIsAnsweredAtOnce() throws Exception {
        BlockingReloads reloads = new BlockingReloads(loop, 1000);
        on(() -> reloads.produced(new PartPosition(5, 2), false));
        on(() -> reloads.await(new PartPosition(5, 1), named("old")));
        on(() -> reloads.await(new PartPosition(4, -1), named("segment 4")));
        assertThat(answers).containsExactly("old ready", "segment 4 ready");
        assertThat(reloads.parkedCount()).isZero();
    }

    @Test
    void aParkedRequestIsReleasedTheInstantItsPartExists() throws Exception {
        BlockingReloads reloads = new BlockingReloads(loop, 5000);
        on(() -> reloads.produced(new PartPosition(5, 2), false));
        on(() -> reloads.await(new PartPosition(5, 4), named("p4")));
        on(() -> reloads.await(new PartPosition(5, -1), named("seg5")));
        on(() -> reloads.await(new PartPosition(6, 0), named("next")));
        assertThat(reloads.parkedCount()).isEqualTo(3);
        on(() -> reloads.produced(new PartPosition(5, 3), false));
        assertThat(answers).isEmpty();
        on(() -> reloads.produced(new PartPosition(5, 4), true));
        assertThat(answers).containsExactly("p4 ready", "seg5 ready");
        on(() -> reloads.produced(new PartPosition(6, 0), false));
        assertThat(answers).containsExactly("p4 ready", "seg5 ready", "next ready");
        assertThat(reloads.parkedCount()).isZero();
    }

    @Test
    void aRequestThatWaitsTooLongIsReleasedAtItsDeadline() throws Exception {
        BlockingReloads reloads = new BlockingReloads(loop, 100);
        long t0 = System.nanoTime();
        on(() -> reloads.await(new PartPosition(100, 0), named("far")));
        // Released at its deadline, not held for good; how late a busy machine runs the timer is a figure, not a check.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> !answers.isEmpty());
        long waitedMillis = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("blocking reload released after " + waitedMillis + " ms (deadline 100 ms)");
        assertThat(answers).containsExactly("far timed out");
        assertThat(waitedMillis).as("not before its deadline").isGreaterThanOrEqualTo(90L);
        on(() -> reloads.produced(new PartPosition(100, 0), false));
        assertThat(answers).containsExactly("far timed out");
    }
}
