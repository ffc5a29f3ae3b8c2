package io.meshlive.core;

/**
 * Marks a publisher session that this node makes from another of its streams (a transcoded
 * rendition, an audio companion) rather than a host publishing here. Several nodes may make the
 * same derived stream from the same source at once, so its cluster-wide origin is whichever
 * claimed it first, and another node making it too is no conflict.
 */
public interface DerivedSource {
}
