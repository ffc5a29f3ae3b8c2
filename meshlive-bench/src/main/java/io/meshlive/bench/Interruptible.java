package io.meshlive.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs a load so that Ctrl-C ends it the way its time running out would: summed up and closed, then exit. */
final class Interruptible {
    /** Long enough to close a few thousand connections and ask the server for its figures. */
    private static final long GRACE_SECONDS = 15;

    interface Body<T> {
        T run() throws Exception;
    }

    private Interruptible() {
    }

    static <T> T run(Runnable stop, Body<T> body) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.run();
            try {
                done.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return body.run();
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already exiting and the hook has been waiting for us: nothing to remove.
            }
        }
    }
}
