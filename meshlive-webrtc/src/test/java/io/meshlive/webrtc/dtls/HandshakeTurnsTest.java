package io.meshlive.webrtc.dtls;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@link HandshakeTurns}: turns go to the earliest deadline; a passed deadline or an interrupt leaves the line and loses nothing. */
class HandshakeTurnsTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aFreedTurnGoesToTheWaitingHandshakeWhoseDeadlineComesFirst() throws Exception {
        HandshakeTurns turns = new HandshakeTurns(1);
        long now = System.nanoTime();
        assertThat(turns.take(now + 60 * SECOND)).isTrue();
        List<String> order = new CopyOnWriteArrayList<>();
        // They come in the order far, near, middle; they get their turns near, middle, far.
        CompletableFuture<?> far = waiter(turns, now + 50 * SECOND, "far", order);
        await().atMost(Duration.ofSeconds(10)).until(() -> turns.waiting() == 1);
        CompletableFuture<?> near = waiter(turns, now + 30 * SECOND, "near", order);
        await().atMost(Duration.ofSeconds(10)).until(() -> turns.waiting() == 2);
        CompletableFuture<?> middle = waiter(turns, now + 40 * SECOND, "middle", order);
        await().atMost(Duration.ofSeconds(10)).until(() -> turns.waiting() == 3);

        turns.give();
        CompletableFuture.allOf(far, near, middle).get(10, TimeUnit.SECONDS);
        assertThat(order).containsExactly("near", "middle", "far");
        assertThat(turns.free()).isEqualTo(1);
        assertThat(turns.waiting()).isZero();
    }

    /** Takes a turn on a thread of its own, notes its name, and gives the turn back. */
    private static CompletableFuture<?> waiter(HandshakeTurns turns, long deadline, String name, List<String> order) {
        return CompletableFuture.runAsync(() -> {
            try {
                assertThat(turns.take(deadline)).as(name).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            order.add(name);
            turns.give();
        }, runnable -> new Thread(runnable, "turn-" + name).start());
    }

    @Test
    void aDeadlinePassedInLineLeavesItWithoutATurn() throws Exception {
        HandshakeTurns turns = new HandshakeTurns(1);
        assertThat(turns.take(System.nanoTime() + 60 * SECOND)).isTrue();
        assertThat(turns.take(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50))).isFalse();
        assertThat(turns.waiting()).isZero();
        turns.give();
        assertThat(turns.free()).as("the turn given back is free, not lost to the one that left").isEqualTo(1);
    }

    @Test
    void anInterruptedWaiterLeavesTheLine() throws Exception {
        HandshakeTurns turns = new HandshakeTurns(1);
        assertThat(turns.take(System.nanoTime() + 60 * SECOND)).isTrue();
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                interrupted.complete(turns.take(System.nanoTime() + 60 * SECOND));
            } catch (InterruptedException e) {
                interrupted.completeExceptionally(e);
            }
        });
        t.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> turns.waiting() == 1);
        t.interrupt();
        assertThatThrownBy(() -> interrupted.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InterruptedException.class);
        assertThat(turns.waiting()).isZero();
        turns.give();
        assertThat(turns.free()).isEqualTo(1);
    }
}
