package io.meshlive.server.config;

/** A configuration error the operator must fix; the message names the key. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
