package io.meshlive.cluster.store;

/** A value and the version it had in the store; versions only grow. */
public record Versioned<T>(long version, T value) {
}
