package io.meshlive.cluster.staticrelay;

/**
 * One static relay as the API shows it. {@code state}: {@code idle} (a push whose stream has no
 * publisher), {@code connecting}, {@code running} (media flows), {@code retrying} (waiting
 * {@code retryInMillis} after {@code error}). {@code error} is the last failure, quoted and
 * truncated, kept while running again; {@code since} is when the state began (epoch millis);
 * {@code bytes} counts media in (pull) or out (push) over every connection.
 */
public record RelayStatus(String id, String kind, String url, String app, String stream, String state,
                          String error, long since, long bytes, int failures, long retryInMillis) {
}
