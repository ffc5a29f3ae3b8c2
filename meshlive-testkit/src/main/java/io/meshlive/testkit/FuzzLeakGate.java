package io.meshlive.testkit;

/**
 * Fails a fuzz input that leaves a buffer unreleased, on that very input, so Jazzer keeps it as a
 * crash: open one around the input's work, {@code try (FuzzLeakGate gate = FuzzLeakGate.open()) {...}}.
 * It compares {@link LeakRecorder#liveBuffers()} before and after, which costs a counter per buffer,
 * and so still holds while fuzzing for real, when PARANOID tracking is off. Only for targets whose
 * buffers are all allocated and released on the calling thread within the input.
 */
public final class FuzzLeakGate implements AutoCloseable {
    private final long before;

    private FuzzLeakGate(long before) {
        this.before = before;
    }

    public static FuzzLeakGate open() {
        return new FuzzLeakGate(LeakRecorder.liveBuffers());
    }

    @Override
    public void close() {
        long left = LeakRecorder.liveBuffers() - before;
        if (left != 0) {
            throw new AssertionError("the input left " + left + " buffer(s) unreleased");
        }
    }
}
