package io.meshlive.core;

/**
 * Marks a publisher session that the hub started on demand (a relay from another node, a pull
 * from a URL) rather than a host publishing here. Such a source is stopped when its stream has had
 * no readers for the demand idle time, and it yields at once to a local publisher of the stream.
 */
public interface DemandSource {
}
