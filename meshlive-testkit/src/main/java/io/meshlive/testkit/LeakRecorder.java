package io.meshlive.testkit;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.LongAdder;

/**
 * Installs a Netty {@link ResourceLeakDetectorFactory} whose detectors remember every leak they
 * report, so a test can fail on one instead of leaving it as a log line nobody reads.
 *
 * <p>It must be installed before the first {@code ByteBuf} class is initialised, because each
 * buffer type creates its detector once, in a static initialiser. {@link LeakCheckSessionListener}
 * does that when the JUnit launcher opens.
 *
 * <p>Its detectors also count the buffers allocated and not yet released ({@link #liveBuffers()}),
 * which lets a fuzz target fail on the very input that leaked (see {@code FuzzLeakGate}). While
 * Jazzer fuzzes for real ({@code JAZZER_FUZZ} set), that count is the only tracking: PARANOID's
 * stack trace per allocation and per buffer access made the buffer-heavy targets 10-100 times slower,
 * and a leak it finds by garbage collection cannot be tied to an input anyway.
 */
public final class LeakRecorder {
    private static final List<String> LEAKS = new ArrayList<>();
    private static final LongAdder LIVE = new LongAdder();
    /** Jazzer fuzzes for real: count buffers only, without PARANOID's stack traces (unless {@link #traceEveryBuffer}). */
    private static volatile boolean countOnly = System.getenv("JAZZER_FUZZ") != null && !System.getenv("JAZZER_FUZZ").isEmpty();
    private static volatile boolean installed;

    private LeakRecorder() {
    }

    public static synchronized void install() {
        if (installed) {
            return;
        }
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
        installed = true;
    }

    public static boolean installed() {
        return installed;
    }

    /**
     * Keeps PARANOID tracking while fuzzing, for a fuzz target whose buffers live on other threads
     * (a running node, a handshake thread), which {@code FuzzLeakGate} cannot check per input: its
     * leaks are then found the usual way, when the class ends. Call it before the target's first input.
     */
    public static void traceEveryBuffer() {
        countOnly = false;
    }

    /** Buffers the allocators handed out (and leak-tracked) since the start that are not released yet. */
    public static long liveBuffers() {
        return LIVE.sum();
    }

    /** Returns and clears the leaks reported since the last call. */
    public static List<String> drain() {
        synchronized (LEAKS) {
            List<String> copy = new ArrayList<>(LEAKS);
            LEAKS.clear();
            return copy;
        }
    }

    static void record(String report) {
        synchronized (LEAKS) {
            LEAKS.add(report);
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        public ResourceLeakTracker<T> track(T obj) {
            boolean counting = countOnly;
            ResourceLeakTracker<T> traced = counting ? null : super.track(obj);
            if (traced == null && !counting) {
                return null;
            }
            LIVE.increment();
            return new Counted<>(traced);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            record("LEAK: " + resourceType + " was garbage-collected without release()." + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            record("LEAK: " + resourceType + " was garbage-collected without release() (untraced)");
            super.reportUntracedLeak(resourceType);
        }
    }

    /** Counts one buffer as live until it is closed, and hands everything else to PARANOID's tracker, if any. */
    private static final class Counted<T> implements ResourceLeakTracker<T> {
        private static final AtomicIntegerFieldUpdater<Counted> CLOSED = AtomicIntegerFieldUpdater.newUpdater(Counted.class, "closed");
        private final ResourceLeakTracker<T> traced;
        private volatile int closed;

        Counted(ResourceLeakTracker<T> traced) {
            this.traced = traced;
        }

        @Override
        public void record() {
            if (traced != null) {
                traced.record();
            }
        }

        @Override
        public void record(Object hint) {
            if (traced != null) {
                traced.record(hint);
            }
        }

        @Override
        public boolean close(T trackedObject) {
            boolean first = CLOSED.compareAndSet(this, 0, 1);
            if (first) {
                LIVE.decrement();
            }
            return traced == null ? first : traced.close(trackedObject);
        }

        @Override
        public Throwable getCloseStackTraceIfAny() {
            return traced == null ? null : traced.getCloseStackTraceIfAny();
        }
    }
}
