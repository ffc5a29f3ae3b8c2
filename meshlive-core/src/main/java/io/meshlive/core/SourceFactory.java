package io.meshlive.core;

/**
 * Starts a source for a stream that has readers and no local publisher (see
 * {@link Hub#onDemand}). Called on the first reader's event loop, outside the stream's lock; it
 * must not block: a factory that can feed the stream attaches a {@link DemandSource} publisher
 * (now or later, from any thread) and returns true.
 */
@FunctionalInterface
public interface SourceFactory {
    /** @return whether this factory took the stream on (the next factory is not asked then) */
    boolean start(Stream stream);
}
